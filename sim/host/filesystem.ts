// A simulated host's root filesystem: its own /etc, /var, /data, /tmp and /root, the machine's /usr read-only, and
// the fake host commands (docker, apt-get, service, …) in /usr/local/bin.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { paths, type ClusterFile, type HostRecord } from "../layout";
import { toolClientBinary, toolClientScript, type ToolClientOptions } from "./tool-client";

/** The fake commands installed on every host, each a thin client of the host's daemon (sim/host/tool-client.ts). */
export const HOST_TOOLS = ["docker", "apt-get", "apt-cache", "dpkg", "dpkg-query", "service", "sudo"] as const;

/** Paths as a host's shell sees them and as the machine sees them. */
export interface HostView {
  /** Directory of the fake commands on the machine. */
  readonly binDir: string;
  /** The control socket as the host's shell sees it. */
  readonly controlSocket: string;
  /** The socket of the fake commands as the host's shell sees it. */
  readonly toolSocket: string;
  /** The node binary and compiled simulator as the host's shell sees them. */
  readonly nodePath: string;
  readonly distDir: string;
  /** The Docker socket as the host's shell sees it (the CLI's default, or DOCKER_HOST without isolation). */
  readonly dockerHost?: string;
  /** PATH of host shells: the fake commands first. */
  readonly path: string;
  /** HOME of host shells. */
  readonly home: string;
}

/** Mount points inside a namespaced host (where the machine's node and dist are bound read-only). */
export const IN_HOST = {
  node: "/opt/sim/node",
  dist: "/opt/sim/dist",
  control: "/run/sim/control.sock",
  tool: "/run/sim/tool.sock",
  bin: "/usr/local/bin",
} as const;

const SYSTEM_PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin";

/** How a host's shell sees the simulator's files, for the cluster's isolation mode. */
export function hostView(cluster: ClusterFile, host: HostRecord): HostView {
  const binDir = join(paths.hostDir(cluster.stateDir, host.name), "bin");
  if (cluster.isolation === "namespace") {
    return {
      binDir,
      controlSocket: IN_HOST.control,
      toolSocket: IN_HOST.tool,
      nodePath: join(IN_HOST.node, basename(cluster.nodePath)),
      distDir: IN_HOST.dist,
      path: `${IN_HOST.bin}:${SYSTEM_PATH}`,
      home: "/root",
    };
  }
  const root = paths.root(cluster.stateDir, host.name);
  return {
    binDir,
    controlSocket: paths.controlSocket(cluster.stateDir, host.name),
    toolSocket: paths.toolSocket(cluster.stateDir, host.name),
    nodePath: cluster.nodePath,
    distDir: cluster.distDir,
    dockerHost: `unix://${paths.dockerSocket(root)}`,
    path: `${binDir}:${SYSTEM_PATH}`,
    home: join(root, "root"),
  };
}

/** A host's shim for `tool`: the compiled client (`compiled`: its file) with its settings, or the Perl script. */
function shimContent(compiled: Buffer | undefined, view: HostView, host: HostRecord, tool: string): string | Buffer {
  const options: ToolClientOptions = {
    tool,
    socket: view.toolSocket,
    control: view.controlSocket,
    host: host.name,
    ...(view.dockerHost ? { dockerHost: view.dockerHost } : {}),
  };
  return compiled ? toolClientBinary(compiled, options) : toolClientScript(options);
}

function mirrorTopLevel(root: string, name: string): void {
  const real = `/${name}`;
  if (!existsSync(real)) return;
  const target = join(root, name);
  if (existsSync(target) || isLink(target)) return;
  const stat = lstatSync(real);
  if (stat.isSymbolicLink()) symlinkSync(readlinkSync(real), target);
  else mkdirSync(target);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

// Entries of the machine's /etc a host does not share: its identity, its init and service configuration.
const OWN_ETC = new Set(["hostname", "hosts", "default", "docker", "init", "init.d", "mtab", "resolv.conf", "ssh"]);

function etcHosts(cluster: ClusterFile): string {
  const lines = [
    "127.0.0.1\tlocalhost",
    ...cluster.hosts.map((h) => `${h.address}\t${h.name}`),
    `${cluster.zk.address}\tzk`,
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Creates a host's root filesystem and shims on first start (idempotent). With namespace isolation the host's /etc
 * holds links into the machine's /etc (mounted read-only at /.host/etc) except the entries in OWN_ETC.
 */
export function prepareHostFilesystem(cluster: ClusterFile, host: HostRecord): HostView {
  const root = paths.root(cluster.stateDir, host.name);
  const view = hostView(cluster, host);
  for (const dir of [
    "proc",
    "dev",
    "sys",
    "usr",
    "tmp",
    "root",
    "etc/default",
    "etc/docker",
    "etc/init",
    ".host/etc",
    "var/run",
    "var/lib/docker",
    "var/log/upstart",
    "var/tmp",
    "data",
    "opt/sim/node",
    "opt/sim/dist",
    "run/sim",
    "home",
  ]) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  chmodSync(join(root, "tmp"), 0o1777);
  for (const name of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) mirrorTopLevel(root, name);
  for (const entry of existsSync("/etc") ? readdirSync("/etc") : []) {
    const target = join(root, "etc", entry);
    if (OWN_ETC.has(entry) || existsSync(target) || isLink(target)) continue;
    symlinkSync(join("/.host/etc", entry), target);
  }
  if (existsSync("/etc/default")) {
    for (const entry of readdirSync("/etc/default")) {
      const source = join("/etc/default", entry);
      const target = join(root, "etc/default", entry);
      if (!existsSync(target) && lstatSync(source).isFile()) copyFileSync(source, target);
    }
  }
  if (existsSync("/etc/resolv.conf") && !existsSync(join(root, "etc/resolv.conf"))) {
    writeFileSync(join(root, "etc/resolv.conf"), "nameserver 127.0.0.1\n");
  }
  writeFileSync(join(root, "etc/hostname"), `${host.name}\n`);
  writeFileSync(join(root, "etc/hosts"), etcHosts(cluster));
  const dockerDefault = join(root, "etc/default/docker");
  if (!existsSync(dockerDefault)) {
    // The file docker-engine ships (hack/make/.build-deb/docker-engine.docker.default), options commented out.
    writeFileSync(
      dockerDefault,
      '# Docker Upstart and SysVinit configuration file\n\n# Use DOCKER_OPTS to modify the daemon startup options.\n#DOCKER_OPTS="--dns 8.8.8.8 --dns 8.8.4.4"\n',
    );
  }
  mkdirSync(view.binDir, { recursive: true });
  const compiled = cluster.toolClient ? readFileSync(cluster.toolClient) : undefined;
  for (const tool of HOST_TOOLS) {
    // Written beside and renamed over the old one: a client still running from it keeps its file (a running
    // program's file cannot be written: ETXTBSY).
    const shim = join(view.binDir, tool);
    writeFileSync(`${shim}.new`, shimContent(compiled, view, host, tool), { mode: 0o755 });
    chmodSync(`${shim}.new`, 0o755);
    renameSync(`${shim}.new`, shim);
  }
  mkdirSync(dirname(paths.controlSocket(cluster.stateDir, host.name)), { recursive: true });
  return view;
}

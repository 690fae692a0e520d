// Starting, attaching to and stopping a simulated cluster: the library behind `npm run sim -- up|status|down`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_APPS } from "./apps";
import { dockerRelease } from "./catalogue/docker";
import { marathonRelease } from "./catalogue/marathon";
import { mesosRelease } from "./catalogue/mesos";
import type { Fault } from "./faults";
import { request, type HttpResult, type RequestOptions } from "./http";
import { fingerprint, writeKeyPair } from "./keys";
import {
  defaultStateDir,
  hostRecord,
  paths,
  readClusterFile,
  writeClusterFile,
  type ClusterFile,
  type HostRecord,
  type Isolation,
  type SshServerKind,
  type StartVersions,
} from "./layout";
import { mergeLedgers, readLedgerFile, type LedgerEntry } from "./ledger";
import { placementProblems } from "./placement";
import type { HostStatusReport } from "./host/control";
import type { AppDefinition } from "./marathon/marathon";
import { clusterProcesses, FIREWALL_ENV } from "./host/firewall";
import { sshdAvailable } from "./host/openssh";
import { detectIsolation } from "./host/shell";
import { buildToolClient } from "./host/tool-client-build";
import { DEFAULT_HOST_SPEC, parseHostSpec, type ClusterSpec, type Role } from "./spec";
import { FAST, PROFILES, type LatencyProfile } from "./time";

/** Ports the simulated services listen on, at each host's own address. */
export const PORTS = { master: 5050, agent: 5051, marathon: 8080, zk: 2181 } as const;

/** ZooKeeper's data directory on its data host (the Debian package's). */
export const ZK_DATA_DIR = "/var/lib/zookeeper";

/** The SSH port hosts listen on unless `sshPort` says otherwise (22 is often taken by the machine's own sshd). */
export const DEFAULT_SSH_PORT = 2222;

/**
 * The first three octets of the default loopback network; hosts get .11, .12, … and ZooKeeper .2 (unless it runs on a
 * host).
 */
export const DEFAULT_NETWORK = "127.0.10";

/** The seed's starting versions. */
export const DEFAULT_VERSIONS: StartVersions = { docker: "1.7.1", mesos: "0.22.1", marathon: "0.9.1" };

/** Options of `startCluster`. */
export interface StartOptions {
  /** Where the cluster keeps its files. @default `<project>/.work/sim` */
  readonly stateDir?: string;
  /** First three octets of the loopback network ("127.0.42"). @default "127.0.10" */
  readonly network?: string;
  /** SSH port of every host. @default 2222 */
  readonly sshPort?: number;
  /** SSH server of the hosts. @default "ssh2" */
  readonly sshServer?: SshServerKind;
  /** Latency profile name or object; `timeScale` overrides its scale. @default "fast" */
  readonly profile?: "fast" | "realistic" | LatencyProfile;
  readonly timeScale?: number;
  /** Starting versions. @default Docker 1.7.1, Mesos 0.22.1, Marathon 0.9.1 */
  readonly versions?: Partial<StartVersions>;
  /** Start Mesos, Marathon and the apps as containers (false: hosts with Docker only). @default true */
  readonly bootstrap?: boolean;
  /**
   * Filesystem isolation of host shells. @default "auto" (a mount namespace when running as root; env SIM_ISOLATION
   * overrides)
   */
  readonly isolation?: Isolation | "auto";
  /** Milliseconds to wait for the cluster to come up. @default 120000 */
  readonly timeoutMs?: number;
  /**
   * Marathon apps created at `up` (with bootstrap). @default DEFAULT_APPS (redis ×3, rabbitmq ×2, harbor, drone, alert,
   * influxdb)
   */
  readonly apps?: readonly AppDefinition[];
  /**
   * Mesos (5050, 5051) and Marathon (8080) answer only the cluster's own processes, as behind a prod firewall.
   * @default false
   */
  readonly firewall?: boolean;
  /**
   * A host of the spec (e.g. a `none` host) that is the only SSH address reachable: the others answer SSH to the
   * cluster only.
   */
  readonly bastion?: string;
  /**
   * A host of the spec that runs ZooKeeper as a host service (the seed's dev machine): at its address, its data
   * directory on it, stopped with the host and never by its Docker engine. @default a server of its own at
   * `<network>.2`
   */
  readonly zookeeperHost?: string;
  /**
   * Lowers the CPU priority of every process the cluster starts (nice(1), 0 to 19; the hosts' commands inherit it).
   * The simulated hosts stand for other machines: at a positive niceness they take from the tools under measurement
   * (the engine, the provider) only the CPU those leave idle, as real hosts, which have cores of their own, take none.
   * The benchmark sets it; a host so starved runs late, which lengthens what is measured, never shortens it. @default 0
   */
  readonly niceness?: number;
  /**
   * The build of the fake host commands' client (sim/host/tool-client.ts): `compiled`, the C one (a C compiler is
   * needed; the start is refused without one), or `perl`. @default compiled where a C compiler is found, else perl
   */
  readonly toolClient?: "compiled" | "perl";
}

/**
 * `startCluster` could not start; `problems` lists every fault, each naming the bad value and the fix. Nothing is left
 * running.
 */
export class ClusterStartError extends Error {
  override readonly name = "ClusterStartError";
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? (problems[0] as string)
        : `cannot start the simulated cluster:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

/** The ports a host's roles need. */
export function portsOf(roles: readonly Role[]): Array<{ port: number; what: string }> {
  return roles.map((role) => ({
    port: PORTS[role],
    what: role === "agent" ? "Mesos agent" : role === "master" ? "Mesos master" : "Marathon",
  }));
}

function portFree(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

interface Plan {
  readonly spec: ClusterSpec;
  readonly stateDir: string;
  readonly network: string;
  readonly sshPort: number;
  readonly sshServer: SshServerKind;
  readonly profile: LatencyProfile;
  readonly versions: StartVersions;
  readonly isolation: Isolation;
  readonly firewall: boolean;
  readonly bastion?: string;
  readonly zookeeperHost?: string;
  readonly niceness: number;
  /** The compiled C client's file; absent: the Perl client. */
  readonly toolClient?: string;
}

function validate(specText: string | ClusterSpec | undefined, options: StartOptions): Plan {
  const problems: string[] = [];
  let spec: ClusterSpec = { hosts: [] };
  try {
    spec = typeof specText === "object" ? specText : parseHostSpec(specText ?? DEFAULT_HOST_SPEC);
  } catch (error) {
    problems.push(...((error as { problems?: string[] }).problems ?? [(error as Error).message]));
  }
  const network = options.network ?? DEFAULT_NETWORK;
  if (!/^127\.(\d{1,3})\.(\d{1,3})$/.test(network) || network.split(".").some((o) => Number(o) > 255)) {
    problems.push(
      `network "${network}" must be the first three octets of a loopback address, e.g. 127.0.10 (hosts get .11, .12, …)`,
    );
  }
  const sshPort = options.sshPort ?? DEFAULT_SSH_PORT;
  if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535) {
    problems.push(`ssh port ${sshPort} must be an integer from 1 to 65535, e.g. 2222`);
  }
  const sshServer = options.sshServer ?? "ssh2";
  if (sshServer !== "ssh2" && sshServer !== "openssh") {
    problems.push(`ssh server "${String(sshServer)}" must be "ssh2" or "openssh"`);
  }
  if (sshServer === "openssh" && !sshdAvailable()) {
    problems.push(
      'ssh server "openssh" needs sshd: install it with `apt-get install -y openssh-server` (do not start the service)',
    );
  }
  const versions = { ...DEFAULT_VERSIONS, ...options.versions };
  if (!dockerRelease(versions.docker)) {
    problems.push(
      `docker version "${versions.docker}" is not a Docker release the simulator offers (1.7.0 … 18.06.3, docker-engine to 17.05, docker-ce from 17.06)`,
    );
  }
  if (!mesosRelease(versions.mesos)) {
    problems.push(`mesos version "${versions.mesos}" is not a Mesos release the simulator runs (0.22.0 … 1.3.2)`);
  }
  if (!marathonRelease(versions.marathon)) {
    problems.push(
      `marathon version "${versions.marathon}" is not a Marathon release the simulator runs (0.9.0 … 1.10.26)`,
    );
  }
  const base = typeof options.profile === "object" ? options.profile : PROFILES[options.profile ?? "fast"];
  if (!base) problems.push(`profile "${String(options.profile)}" must be "fast" or "realistic"`);
  const profile = { ...(base ?? FAST), ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}) };
  if (!(profile.timeScale > 0)) problems.push(`time scale ${profile.timeScale} must be a positive number, e.g. 0.02`);
  const stateDir = resolve(options.stateDir ?? defaultStateDir());
  const longest = paths.dockerSocket(
    paths.root(
      stateDir,
      spec.hosts.reduce((a, h) => (h.name.length > a.length ? h.name : a), ""),
    ),
  );
  if (longest.length > 100) {
    problems.push(
      `state directory "${stateDir}" is too long for unix sockets (${longest.length} > 100 characters); choose a shorter --state-dir`,
    );
  }
  const running = readClusterFile(stateDir);
  if (running && Object.values(running.pids).some(alive)) {
    problems.push(
      `a simulated cluster is already running in ${stateDir}; stop it first with \`npm run sim -- down\` (or pass another --state-dir)`,
    );
  }
  // SIM_ISOLATION=none|namespace overrides the default, e.g. to check the non-root behaviour as root.
  const wanted = options.isolation ?? (process.env.SIM_ISOLATION as Isolation | undefined) ?? "auto";
  if (wanted !== "auto" && wanted !== "none" && wanted !== "namespace") {
    problems.push(`isolation "${String(wanted)}" must be auto, namespace or none`);
  }
  const isolation =
    wanted === "auto" ? detectIsolation() : wanted === "namespace" || wanted === "none" ? wanted : "none";
  if (options.bastion !== undefined && !spec.hosts.some((h) => h.name === options.bastion)) {
    problems.push(`bastion "${options.bastion}" is not a host of the spec; add it (e.g. "${options.bastion}:none")`);
  }
  const niceness = options.niceness ?? 0;
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19) {
    problems.push(`niceness ${niceness} must be an integer from 0 (the default) to 19, as nice(1) takes it`);
  }
  const toolClient = toolClientFile(options.toolClient, problems);
  if (options.zookeeperHost !== undefined && !spec.hosts.some((h) => h.name === options.zookeeperHost)) {
    problems.push(
      `zookeeper host "${options.zookeeperHost}" is not a host of the spec; name one of ${spec.hosts.map((h) => `"${h.name}"`).join(", ") || "its hosts"}`,
    );
  }
  // Apps that cannot be placed would only time out waiting for their tasks: refuse them with the app and the
  // constraint.
  if (options.bootstrap !== false) problems.push(...placementProblems(spec, options.apps ?? DEFAULT_APPS));
  if (problems.length) throw new ClusterStartError(problems);
  return {
    spec,
    stateDir,
    network,
    sshPort,
    sshServer,
    profile,
    versions,
    isolation,
    firewall: options.firewall === true,
    niceness,
    ...(toolClient ? { toolClient } : {}),
    ...(options.bastion ? { bastion: options.bastion } : {}),
    ...(options.zookeeperHost ? { zookeeperHost: options.zookeeperHost } : {}),
  };
}

/** The compiled client's file for `wanted`, or undefined for the Perl client; a problem when `compiled` cannot be. */
function toolClientFile(wanted: StartOptions["toolClient"], problems: string[]): string | undefined {
  if (wanted !== undefined && wanted !== "compiled" && wanted !== "perl") {
    problems.push(`tool client "${String(wanted)}" must be compiled or perl`);
    return undefined;
  }
  if (wanted === "perl") return undefined;
  const build = buildToolClient();
  if ("file" in build) return build.file;
  if (wanted === "compiled") problems.push(`${build.problem} (or start with the tool client perl)`);
  return undefined;
}

function addressOf(network: string, index: number): string {
  return `${network}.${11 + index}`;
}

async function preflight(plan: Plan): Promise<void> {
  const zkIndex = plan.spec.hosts.findIndex((h) => h.name === plan.zookeeperHost);
  const checks: Array<{ host: string; port: number; what: string }> = [
    {
      host: zkIndex >= 0 ? addressOf(plan.network, zkIndex) : `${plan.network}.2`,
      port: PORTS.zk,
      what: zkIndex >= 0 ? `ZooKeeper of host "${plan.zookeeperHost}"` : "ZooKeeper",
    },
  ];
  plan.spec.hosts.forEach((h, i) => {
    const address = addressOf(plan.network, i);
    checks.push({ host: address, port: plan.sshPort, what: `ssh of host "${h.name}"` });
    for (const p of portsOf(h.roles)) {
      checks.push({ host: address, port: p.port, what: `${p.what} of host "${h.name}"` });
    }
  });
  const problems: string[] = [];
  for (const check of checks) {
    const error = await portFree(check.host, check.port);
    if (!error) continue;
    if (error.code === "EADDRINUSE") {
      problems.push(
        `port ${check.host}:${check.port} (${check.what}) is already in use; choose another network (--network 127.0.${(Number(plan.network.split(".")[2]) + 1) % 256})` +
          `${check.what.startsWith("ssh") ? " or --ssh-port" : ""}, or stop what listens there`,
      );
    } else {
      problems.push(`cannot listen on ${check.host}:${check.port} (${check.what}): ${error.message}`);
    }
  }
  if (problems.length) throw new ClusterStartError(problems);
}

/** Whether a process (or process group leader) is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function markedProcesses(clusterId: string): number[] {
  const marker = `SIM_CLUSTER_ID=${clusterId}`;
  const pids: number[] = [];
  for (const entry of existsSync("/proc") ? readdirSync("/proc") : []) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(marker)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = left.filter(alive);
  }
  return left;
}

/**
 * Stops every process of the cluster in `stateDir`: SIGTERM to each process group it started, SIGKILL to whatever
 * remains after 5 s, then any stray process carrying the cluster's SIM_CLUSTER_ID. Returns the pids it signalled.
 */
export async function stopCluster(stateDir: string = defaultStateDir()): Promise<number[]> {
  const cluster = readClusterFile(resolve(stateDir));
  if (!cluster) return [];
  const groups = Object.values(cluster.pids);
  // sshd's per-connection children start their own sessions (outside the groups) and overwrite their environ:
  // found by ancestry while their parents still live, and killed with the strays.
  const descendants = clusterProcesses(cluster.id)
    .map(Number)
    .filter((pid) => !groups.includes(pid));
  for (const pid of groups) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const left = await waitGone(groups, 5000);
  for (const pid of left) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await waitGone(groups, 2000);
  const strays = [...new Set([...markedProcesses(cluster.id), ...descendants.filter(alive)])];
  for (const pid of strays) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await waitGone(strays, 2000);
  writeClusterFile({ ...cluster, pids: {} });
  return [...groups, ...strays];
}

function spawnDetached(cluster: ClusterFile, script: string, args: string[], logPath: string): number {
  const log = openSync(logPath, "a");
  const node = [join(cluster.distDir, script), ...args];
  const [program, argv] = cluster.niceness
    ? ["nice", ["-n", String(cluster.niceness), cluster.nodePath, ...node]]
    : [cluster.nodePath, node];
  const child = spawn(program, argv, {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, SIM_CLUSTER_ID: cluster.id, [FIREWALL_ENV]: cluster.firewall ? "1" : "0" },
  });
  child.unref();
  return child.pid as number;
}

async function waitReady(cluster: ClusterFile, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(cluster.hosts.map((h) => h.name));
  while (pending.size) {
    for (const name of [...pending]) {
      const pid = cluster.pids[name] as number;
      if (!alive(pid)) {
        const log = readFileSync(paths.daemonLog(cluster.stateDir, name), "utf8")
          .trim()
          .split("\n")
          .slice(-5)
          .join("\n");
        throw new Error(`host "${name}" failed to start:\n${log}`);
      }
      const ok = await request({ socketPath: paths.controlSocket(cluster.stateDir, name) }, "/health", {
        timeoutMs: 1000,
      })
        .then((r) => (r.json as { ready?: boolean } | undefined)?.ready === true)
        .catch(() => false);
      if (ok) pending.delete(name);
    }
    if (!pending.size) break;
    if (Date.now() > deadline) throw new Error(`hosts ${[...pending].join(", ")} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitZk(cluster: ClusterFile, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolveOk) => {
      const socket = net.connect({ host: cluster.zk.address, port: cluster.zk.port });
      socket.once("connect", () => socket.end("ruok"));
      socket.once("data", (d) => resolveOk(d.toString() === "imok"));
      socket.once("error", () => resolveOk(false));
    });
    if (ok) return;
    const owner = cluster.zk.host ?? "zk";
    if (!alive(cluster.pids[owner] as number)) {
      const log = cluster.zk.host
        ? paths.daemonLog(cluster.stateDir, cluster.zk.host)
        : join(paths.zkDir(cluster.stateDir), "zk.log");
      throw new Error(
        `ZooKeeper${cluster.zk.host ? ` on host "${cluster.zk.host}"` : ""} failed to start: ${readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n")}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`ZooKeeper did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function prepareStateDir(plan: Plan): ClusterFile {
  for (const entry of ["hosts", "zk", "keys", "cluster.json", "ledger.json"]) {
    rmSync(join(plan.stateDir, entry), { recursive: true, force: true });
  }
  mkdirSync(paths.keysDir(plan.stateDir), { recursive: true });
  mkdirSync(paths.zkDir(plan.stateDir), { recursive: true });
  const user = writeKeyPair(paths.userKey(plan.stateDir), "sim-user");
  const hosts: HostRecord[] = plan.spec.hosts.map((h, i) => {
    mkdirSync(paths.hostDir(plan.stateDir, h.name), { recursive: true });
    const key = writeKeyPair(paths.hostKey(plan.stateDir, h.name), `root@${h.name}`);
    return {
      name: h.name,
      address: addressOf(plan.network, i),
      sshPort: plan.sshPort,
      roles: h.roles,
      hostKeyFingerprint: fingerprint(key.publicKey),
      hostKeyPublic: key.publicKey.split(" ").slice(0, 2).join(" "),
    };
  });
  writeFileSync(
    paths.knownHosts(plan.stateDir),
    hosts.map((h) => `[${h.address}]:${h.sshPort} ${h.hostKeyPublic}\n`).join(""),
  );
  return {
    id: randomBytes(8).toString("hex"),
    stateDir: plan.stateDir,
    createdAt: new Date().toISOString(),
    sshServer: plan.sshServer,
    isolation: plan.isolation,
    profile: plan.profile,
    versions: plan.versions,
    user: os.userInfo().username,
    userPrivateKeyPath: user.privateKeyPath,
    userPublicKey: user.publicKey,
    zk: zkPlacement(plan, hosts),
    hosts,
    nodePath: process.execPath,
    distDir: resolve(__dirname, ".."),
    pids: {},
    firewall: plan.firewall,
    ...(plan.niceness ? { niceness: plan.niceness } : {}),
    ...(plan.toolClient ? { toolClient: plan.toolClient } : {}),
    ...(plan.bastion ? { bastion: plan.bastion } : {}),
  };
}

/**
 * Where ZooKeeper runs. On a `zookeeperHost` it is a service of that host, as the seed's machines run it (the Debian
 * package, not a container): at the host's address, its data directory on the host, stopped only with the host (its
 * daemon), never by a Docker engine restart. Otherwise a server of its own at `<network>.2`, its data on the first
 * master's host, where operators back it up (none without a master).
 */
function zkPlacement(plan: Plan, hosts: readonly HostRecord[]): ClusterFile["zk"] {
  const own = hosts.find((h) => h.name === plan.zookeeperHost);
  if (own) return { address: own.address, port: PORTS.zk, host: own.name, dataHost: own.name, dataDir: ZK_DATA_DIR };
  const master = hosts.find((h) => h.roles.includes("master"));
  return {
    address: `${plan.network}.2`,
    port: PORTS.zk,
    ...(master ? { dataHost: master.name, dataDir: ZK_DATA_DIR } : {}),
  };
}

/** A host of a running cluster. */
export interface SimHost {
  readonly name: string;
  /** Loopback address the host's SSH server and services listen on. */
  readonly address: string;
  readonly sshPort: number;
  readonly roles: readonly Role[];
  /** "SHA256:…" of its ed25519 host key, as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
}

/** The authorised user key. */
export interface UserKey {
  /** Login user on every host. */
  readonly user: string;
  readonly privateKeyPath: string;
  /** The private key, OpenSSH PEM. */
  readonly privateKey: string;
  /** "ssh-ed25519 AAAA… sim-user". */
  readonly publicKey: string;
}

/** A handle on a running simulated cluster. */
export class Cluster {
  /** The hosts, in address order. */
  readonly hosts: readonly SimHost[];
  /** The key every host authorises. */
  readonly userKey: UserKey;
  /** The coordination service: address, port and the zk:// URL prefix Mesos and Marathon use. */
  readonly zk: { readonly address: string; readonly port: number; readonly url: string };
  /** known_hosts lines for every host (usable with `ssh -o UserKnownHostsFile=`). */
  readonly knownHostsPath: string;

  constructor(readonly file: ClusterFile) {
    this.hosts = file.hosts.map(({ name, address, sshPort, roles, hostKeyFingerprint }) => ({
      name,
      address,
      sshPort,
      roles,
      hostKeyFingerprint,
    }));
    this.userKey = {
      user: file.user,
      privateKeyPath: file.userPrivateKeyPath,
      privateKey: readFileSync(file.userPrivateKeyPath, "utf8"),
      publicKey: file.userPublicKey,
    };
    this.zk = { address: file.zk.address, port: file.zk.port, url: `zk://${file.zk.address}:${file.zk.port}` };
    this.knownHostsPath = paths.knownHosts(file.stateDir);
  }

  /** The state directory. */
  get stateDir(): string {
    return this.file.stateDir;
  }

  /** A host by name; throws naming the hosts that exist. */
  host(name: string): SimHost {
    const record = hostRecord(this.file, name);
    return this.hosts.find((h) => h.name === record.name) as SimHost;
  }

  private control(host: string) {
    hostRecord(this.file, host);
    return { socketPath: paths.controlSocket(this.file.stateDir, host) };
  }

  /** Every ledger entry of one host, or of the whole cluster merged in time order. */
  ledger(host?: string): LedgerEntry[] {
    if (host !== undefined) return readLedgerFile(paths.ledger(this.file.stateDir, hostRecord(this.file, host).name));
    return mergeLedgers(this.file.hosts.map((h) => readLedgerFile(paths.ledger(this.file.stateDir, h.name))));
  }

  /** Writes the merged ledger as a JSON array to `<state>/ledger.json` and returns the path. */
  writeLedgerJson(): string {
    const path = join(this.file.stateDir, "ledger.json");
    writeFileSync(path, `${JSON.stringify(this.ledger(), null, 1)}\n`);
    return path;
  }

  /** Injects a fault into a host (replacing a fault of the same kind there). */
  async inject(host: string, fault: Fault): Promise<void> {
    const result = await request(this.control(host), "/faults", { method: "POST", body: fault });
    if (result.status !== 200) throw new Error(`could not inject ${fault.kind} into ${host}: ${result.text}`);
  }

  /** Clears one fault kind on a host, or all of its faults. */
  async clear(host: string, kind?: Fault["kind"]): Promise<void> {
    await request(this.control(host), `/faults${kind ? `?kind=${encodeURIComponent(kind)}` : ""}`, {
      method: "DELETE",
    });
  }

  /** Runs a shell command on a host without SSH (for test setup); the ledger records it with `origin` ("local"). */
  async exec(
    host: string,
    command: string,
    origin = "local",
  ): Promise<{ stdout: string; stderr: string; code: number }> {
    const result = await request(this.control(host), "/run", {
      method: "POST",
      body: { command, origin },
      timeoutMs: 600_000,
    });
    return result.json as { stdout: string; stderr: string; code: number };
  }

  /**
   * One request to a service port (5050, 5051, 8080) of `host`: directly, or — when the cluster is firewalled —
   * from the host itself through its control socket (an administrator's curl on the host).
   */
  async service(host: string, port: number, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const record = this.file.hosts.find((h) => h.name === host);
    if (!record) throw new Error(`no host "${host}" in the cluster`);
    if (!this.file.firewall) return request({ host: record.address, port }, path, options);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const answer = await request(this.control(host), "/service", {
      method: "POST",
      body: {
        port,
        path,
        method: options.method ?? (options.body === undefined ? "GET" : "POST"),
        body: options.body,
        timeoutMs,
      },
      timeoutMs: timeoutMs + 1000,
    });
    const { status, headers, text } = answer.json as { status: number; headers: HttpResult["headers"]; text: string };
    if (status === 0) throw new Error(text);
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status, headers, text, json };
  }

  /** The host whose Mesos master is elected (from each master's /metrics/snapshot), if any. */
  async mesosLeader(): Promise<SimHost | undefined> {
    for (const host of this.hosts.filter((h) => h.roles.includes("master"))) {
      const metrics = await this.service(host.name, PORTS.master, "/metrics/snapshot", { timeoutMs: 2000 }).catch(
        () => undefined,
      );
      if ((metrics?.json as Record<string, number> | undefined)?.["master/elected"] === 1) return host;
    }
    return undefined;
  }

  /** Marathon's apps with their tasks (`/v2/apps?embed=apps.tasks`, asked of any Marathon; standbys proxy). */
  async apps(): Promise<MarathonApp[]> {
    return ((await this.marathon("/v2/apps?embed=apps.tasks")) as { apps: MarathonApp[] }).apps;
  }

  /** Marathon's tasks (`/v2/tasks`). */
  async tasks(): Promise<MarathonTaskView[]> {
    return ((await this.marathon("/v2/tasks")) as { tasks: MarathonTaskView[] }).tasks;
  }

  /** Calls Marathon's API on the first Marathon host that answers; throws naming the last error. */
  async marathon(path: string): Promise<unknown> {
    let last = "no Marathon host";
    for (const host of this.hosts.filter((h) => h.roles.includes("marathon"))) {
      const result = await this.service(host.name, PORTS.marathon, path, { timeoutMs: 5000 }).catch((e: Error) => ({
        status: 0,
        text: e.message,
        json: undefined,
      }));
      if (result.status === 200) return result.json;
      last = `${host.name}: ${result.status} ${result.text}`;
    }
    throw new Error(`Marathon did not answer ${path}: ${last}`);
  }

  /** Ledger entries of tasks that ended LOST (the "nothing lost" check), optionally only after ledger time `since`. */
  lostTasks(since?: string): LedgerEntry[] {
    return this.ledger().filter(
      (e) => e.kind === "task.status" && e.state === "TASK_LOST" && (since === undefined || e.time >= since),
    );
  }

  /** Each host's Docker package, daemon and containers. */
  async status(): Promise<HostStatusReport[]> {
    return Promise.all(
      this.file.hosts.map(async (h) => (await request(this.control(h.name), "/status")).json as HostStatusReport),
    );
  }

  /** Stops every process of the cluster (see `stopCluster`). */
  async stop(): Promise<void> {
    await stopCluster(this.file.stateDir);
  }
}

/** Attaches to the cluster running in `stateDir` (throws if none is running there). */
export function attachCluster(stateDir: string = defaultStateDir()): Cluster {
  const file = readClusterFile(resolve(stateDir));
  if (!file || !Object.values(file.pids).some(alive)) {
    throw new Error(`no simulated cluster is running in ${resolve(stateDir)}; start one with \`npm run sim -- up\``);
  }
  return new Cluster(file);
}

/** A Marathon app as `/v2/apps?embed=apps.tasks` returns it (the fields tests use; the rest is passed through). */
export interface MarathonApp {
  readonly id: string;
  readonly instances: number;
  readonly tasksRunning: number;
  readonly tasksHealthy: number;
  readonly tasksStaged: number;
  readonly tasks: readonly MarathonTaskView[];
  readonly [key: string]: unknown;
}

/** A Marathon task as `/v2/tasks` returns it. */
export interface MarathonTaskView {
  readonly id: string;
  readonly appId: string;
  readonly host: string;
  readonly slaveId: string;
  readonly startedAt: string | null;
  readonly stagedAt: string;
  readonly [key: string]: unknown;
}

/** A hook that runs after the hosts are up and before `startCluster` returns (the Mesos bootstrap). */
export type Bootstrapper = (cluster: Cluster, options: StartOptions, deadline: number) => Promise<void>;

let bootstrapper: Bootstrapper | undefined;

/** Installs the bootstrap hook (sim/bootstrap.ts registers itself). */
export function setBootstrapper(hook: Bootstrapper): void {
  bootstrapper = hook;
}

/**
 * Starts a simulated cluster: validates the spec and options and checks every port before anything runs, generates
 * the user and host keys, starts ZooKeeper and one daemon per host (each in its own process group), and — unless
 * `bootstrap` is false — the Mesos masters, Marathons, agents and apps. On any failure everything started is stopped
 * and a `ClusterStartError` names the problem.
 */
export async function startCluster(spec?: string | ClusterSpec, options: StartOptions = {}): Promise<Cluster> {
  const plan = validate(spec, options);
  await preflight(plan);
  let file = prepareStateDir(plan);
  writeClusterFile(file);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  try {
    // ZooKeeper on a host starts with that host's daemon (sim/host/runtime.ts); otherwise as a process of its own.
    const pids: Record<string, number> = file.zk.host
      ? {}
      : { zk: spawnDetached(file, "sim/zk/main.js", [file.stateDir], join(paths.zkDir(file.stateDir), "zk.log")) };
    file = { ...file, pids };
    writeClusterFile(file);
    for (const host of file.hosts) {
      pids[host.name] = spawnDetached(
        file,
        "sim/host/daemon.js",
        [file.stateDir, host.name],
        paths.daemonLog(file.stateDir, host.name),
      );
      file = { ...file, pids: { ...pids } };
      writeClusterFile(file);
    }
    await waitZk(file, timeoutMs);
    await waitReady(file, timeoutMs);
    const cluster = new Cluster(file);
    if (options.bootstrap !== false && bootstrapper) await bootstrapper(cluster, options, deadline);
    return cluster;
  } catch (error) {
    await stopCluster(file.stateDir);
    throw error instanceof ClusterStartError ? error : new ClusterStartError([(error as Error).message]);
  }
}

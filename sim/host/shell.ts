// Runs commands in a simulated host's shell: /bin/sh -c inside the host's mount namespace and chroot (or, without
// isolation, with the host's root as HOME and its commands first on PATH).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { paths, type ClusterFile, type HostRecord, type Isolation } from "../layout";
import { IN_HOST, type HostView } from "./filesystem";

/** Starts shells for one host. */
export interface HostShell {
  /** Runs `/bin/sh -c command` with the host's environment plus `env`; stdio is piped. */
  spawn(command: string | undefined, env?: Readonly<Record<string, string>>): ChildProcess;
  /** The argv (program first) that `spawn` runs, for servers that exec it themselves (the sshd wrapper). */
  argv(command: string | undefined): string[];
  /** The environment of a host shell. */
  env(extra?: Readonly<Record<string, string>>): NodeJS.ProcessEnv;
  /** Stops the namespace holder. */
  close(): void;
}

/** Whether this machine lets the simulator give hosts their own mount namespace (root with unshare/nsenter). */
export function detectIsolation(): Isolation {
  if (process.getuid?.() !== 0) return "none";
  const probe = spawnSync("unshare", ["--mount", "--uts", "--propagation", "private", "true"], { stdio: "ignore" });
  const nsenter = spawnSync("nsenter", ["--version"], { stdio: "ignore" });
  return probe.status === 0 && nsenter.status === 0 && existsSync("/usr/sbin/chroot") ? "namespace" : "none";
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function bindScript(cluster: ClusterFile, host: HostRecord, view: HostView): string {
  const root = paths.root(cluster.stateDir, host.name);
  const r = (p: string) => quote(join(root, p));
  const lines = [
    "set -e",
    `mount --rbind /usr ${r("usr")}`,
    `mount -o remount,bind,ro ${r("usr")}`,
    `mount --bind ${quote(view.binDir)} ${r(IN_HOST.bin)}`,
    `mount --rbind /proc ${r("proc")}`,
    `mount --rbind /dev ${r("dev")}`,
    `mount --rbind /sys ${r("sys")}`,
    `mount --bind /etc ${r(".host/etc")}`,
    `mount -o remount,bind,ro ${r(".host/etc")}`,
    `mount --bind ${quote(dirname(cluster.nodePath))} ${r(IN_HOST.node)}`,
    `mount -o remount,bind,ro ${r(IN_HOST.node)}`,
    `mount --bind ${quote(cluster.distDir)} ${r(IN_HOST.dist)}`,
    `mount -o remount,bind,ro ${r(IN_HOST.dist)}`,
    `mount --bind ${quote(paths.controlDir(cluster.stateDir, host.name))} ${r("run/sim")}`,
  ];
  // Systems without merged /usr have real /bin, /lib…: bind those read-only as well.
  for (const name of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) {
    const real = `/${name}`;
    if (existsSync(real) && statSync(real).isDirectory() && !isSymlink(real)) {
      lines.push(`mount --rbind ${real} ${r(name)}`, `mount -o remount,bind,ro ${r(name)}`);
    }
  }
  lines.push(`hostname ${quote(host.name)}`);
  lines.push(`exec chroot ${quote(root)} /bin/sh -c 'cd /root && exec sleep 2147483647'`);
  return lines.join("\n");
}

function isSymlink(path: string): boolean {
  return lstatSync(path).isSymbolicLink();
}

/** A shell factory for a host; with namespace isolation it first starts the namespace holder process. */
export async function hostShell(cluster: ClusterFile, host: HostRecord, view: HostView): Promise<HostShell> {
  const base = (extra?: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({
    PATH: view.path,
    HOME: view.home,
    USER: cluster.user,
    LOGNAME: cluster.user,
    SHELL: "/bin/sh",
    LANG: "C.UTF-8",
    SIM_CLUSTER_ID: cluster.id,
    ...extra,
  });
  if (cluster.isolation === "none") {
    const cwd = view.home;
    const argv = (command: string | undefined) => (command === undefined ? ["/bin/sh"] : ["/bin/sh", "-c", command]);
    return {
      argv,
      env: base,
      spawn: (command, env) => {
        const [program, ...args] = argv(command);
        return spawn(program as string, args, { cwd, env: base(env), stdio: "pipe" });
      },
      close: () => undefined,
    };
  }
  const holder = spawn(
    "unshare",
    ["--mount", "--uts", "--propagation", "private", "/bin/sh", "-c", bindScript(cluster, host, view)],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", SIM_CLUSTER_ID: cluster.id },
    },
  );
  let stderr = "";
  holder.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  await waitForChroot(holder, host, () => stderr);
  const argv = (command: string | undefined) => [
    "nsenter",
    "-t",
    String(holder.pid),
    "-m",
    "-u",
    "-r",
    "-w",
    "--",
    "/bin/sh",
    ...(command === undefined ? [] : ["-c", command]),
  ];
  return {
    argv,
    env: base,
    spawn: (command, env) => {
      const [program, ...args] = argv(command);
      return spawn(program as string, args, { env: base(env), stdio: "pipe" });
    },
    close: () => {
      if (holder.exitCode === null) holder.kill("SIGKILL");
    },
  };
}

async function waitForChroot(holder: ChildProcess, host: HostRecord, stderr: () => string): Promise<void> {
  // The holder is ready once its root is the host's root (after the exec of chroot + sleep).
  for (let i = 0; i < 200; i++) {
    if (holder.exitCode !== null) {
      throw new Error(`could not set up the filesystem namespace of host "${host.name}": ${stderr().trim()}`);
    }
    const probe = spawnSync(
      "nsenter",
      ["-t", String(holder.pid), "-m", "-r", "--", "/bin/sh", "-c", "test -e /opt/sim/dist/sim"],
      { stdio: "ignore" },
    );
    if (probe.status === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the filesystem namespace of host "${host.name}" did not come up: ${stderr().trim()}`);
}

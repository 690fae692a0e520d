// Where a simulated cluster keeps its files, and the cluster file every process reads.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Role } from "./spec";
import type { LatencyProfile } from "./time";

/** Which SSH server the hosts run. */
export type SshServerKind = "ssh2" | "openssh";

/** How host shells see the filesystem: in their own mount namespace and chroot, or the machine's own. */
export type Isolation = "namespace" | "none";

/** Versions a cluster starts with. */
export interface StartVersions {
  readonly docker: string;
  readonly mesos: string;
  readonly marathon: string;
}

/** A host as recorded in the cluster file. */
export interface HostRecord {
  readonly name: string;
  readonly address: string;
  readonly sshPort: number;
  readonly roles: readonly Role[];
  /** "SHA256:…" of the host key. */
  readonly hostKeyFingerprint: string;
  /** The host key's public line, for known_hosts. */
  readonly hostKeyPublic: string;
}

/** Everything a simulated cluster's processes need to know, written to `<state>/cluster.json` at `up`. */
export interface ClusterFile {
  /** Random id; every process the cluster starts carries it in SIM_CLUSTER_ID. */
  readonly id: string;
  readonly stateDir: string;
  readonly createdAt: string;
  readonly sshServer: SshServerKind;
  readonly isolation: Isolation;
  readonly profile: LatencyProfile;
  readonly versions: StartVersions;
  /** Login user on every host (the user running the simulator). */
  readonly user: string;
  readonly userPrivateKeyPath: string;
  readonly userPublicKey: string;
  /**
   * The coordination service. `host`: the host that runs it as a service of its own (its daemon serves it at the
   * host's address); unset: a process of its own at `address`. `dataHost` is the host whose filesystem holds its data
   * directory `dataDir` (the ZooKeeper host, else the first Mesos master's): the snapshot is written to
   * `<dataDir>/version-2/` on it.
   */
  readonly zk: {
    readonly address: string;
    readonly port: number;
    readonly host?: string;
    readonly dataHost?: string;
    readonly dataDir?: string;
  };
  readonly hosts: readonly HostRecord[];
  /** Absolute path of the node binary that runs every simulator process and fake host command. */
  readonly nodePath: string;
  /** Absolute path of the compiled project (the directory holding sim/). */
  readonly distDir: string;
  /** Mesos and Marathon answer only the cluster's own processes (sim/host/firewall.ts). */
  readonly firewall?: boolean;
  /** The CPU priority (nice(1)) the cluster's processes were started with, when lowered (StartOptions.niceness). */
  readonly niceness?: number;
  /** The compiled C client of the fake host commands (sim/host/tool-client.ts); absent: the Perl client. */
  readonly toolClient?: string;
  /** The host that is the only SSH address reachable: every other host's SSH port answers only the cluster. */
  readonly bastion?: string;
  /** Process-group leaders the cluster started (ZooKeeper and one daemon per host); `down` kills these groups. */
  readonly pids: Readonly<Record<string, number>>;
}

/** Paths inside a state directory. */
export const paths = {
  clusterFile: (state: string) => join(state, "cluster.json"),
  keysDir: (state: string) => join(state, "keys"),
  userKey: (state: string) => join(state, "keys", "id_ed25519"),
  knownHosts: (state: string) => join(state, "keys", "known_hosts"),
  zkDir: (state: string) => join(state, "zk"),
  /** Where ZooKeeper writes its snapshot: the data directory on its data host, else the state directory. */
  zkSnapshot: (cluster: Pick<ClusterFile, "stateDir" | "zk">) =>
    cluster.zk.dataHost && cluster.zk.dataDir
      ? join(cluster.stateDir, "hosts", cluster.zk.dataHost, "root", cluster.zk.dataDir, "version-2", "snapshot.json")
      : join(cluster.stateDir, "zk", "snapshot.json"),
  hostDir: (state: string, host: string) => join(state, "hosts", host),
  root: (state: string, host: string) => join(state, "hosts", host, "root"),
  hostKey: (state: string, host: string) => join(state, "hosts", host, "ssh_host_ed25519_key"),
  ledger: (state: string, host: string) => join(state, "hosts", host, "ledger.jsonl"),
  zkLedger: (state: string) => join(state, "zk", "ledger.jsonl"),
  daemonLog: (state: string, host: string) => join(state, "hosts", host, "daemon.log"),
  controlDir: (state: string, host: string) => join(state, "hosts", host, "ctl"),
  controlSocket: (state: string, host: string) => join(state, "hosts", host, "ctl", "control.sock"),
  /** Where the host's fake commands reach its daemon (sim/host/tool-wire.ts). */
  toolSocket: (state: string, host: string) => join(state, "hosts", host, "ctl", "tool.sock"),
  hostState: (state: string, host: string) => join(state, "hosts", host, "state.json"),
  sshdConfig: (state: string, host: string) => join(state, "hosts", host, "sshd_config"),
  dockerSocket: (root: string) => join(root, "var", "run", "docker.sock"),
};

/** The default state directory: the project's ignored work area. */
export function defaultStateDir(): string {
  return resolve(__dirname, "..", "..", ".work", "sim");
}

/** Reads the cluster file, or undefined when no cluster was started there. */
export function readClusterFile(stateDir: string): ClusterFile | undefined {
  const file = paths.clusterFile(stateDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as ClusterFile;
}

/** Writes the cluster file atomically (processes that are starting read it while `up` records their pids). */
export function writeClusterFile(cluster: ClusterFile): void {
  const file = paths.clusterFile(cluster.stateDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(cluster, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** A host's record by name; throws naming the known hosts. */
export function hostRecord(cluster: ClusterFile, name: string): HostRecord {
  const host = cluster.hosts.find((h) => h.name === name);
  if (!host) {
    throw new Error(`no host "${name}" in this cluster; hosts are ${cluster.hosts.map((h) => h.name).join(", ")}`);
  }
  return host;
}

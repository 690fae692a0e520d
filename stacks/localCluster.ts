// The local stack's simulated cluster: resume the one kept running in the work area, or start a new one on a clean
// local stack. The only production module that imports sim/; stacks/cli.ts loads it by dynamic import for the local
// stack alone.
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import {
  attachCluster,
  DEFAULT_APPS,
  DEV_APPS,
  parseHostSpec,
  startCluster,
  STACK_ROLE,
  type AppDefinition,
  type Cluster,
} from "../sim";
import { repoRoot, workArea } from "../toolchain/paths";
import { openStack } from "../toolchain/workspace";
import { clusterProgram } from "./program";

// The shapes of simulated cluster `npm start` can converge: the seed's local cluster, or its dev machine (one host).
/** A simulated cluster shape and the stack file whose targets it converges to. */
export interface ClusterShape {
  readonly name: string;
  /** The simulator's host spec; undefined: Pulumi.local.yaml's simulator.hosts (the seed's 3 masters and 4 agents). */
  readonly hosts?: string;
  /** The Marathon apps the cluster starts with. */
  readonly apps: readonly AppDefinition[];
  /** The stack file whose `targets` the local stack takes (the environment this shape stands for). */
  readonly targetsFrom: string;
  /** For the start line. */
  readonly description: string;
  /** The simulator's time scale, when the fast profile's (0.02) is not right for the shape. */
  readonly timeScale?: number;
  /**
   * The host that runs ZooKeeper as a host service; undefined: the simulator's own server, data on the first master.
   */
  readonly zookeeperHost?: string;
}

export const CLUSTER_SHAPES: Readonly<Record<string, ClusterShape>> = {
  local: {
    name: "local",
    apps: DEFAULT_APPS,
    targetsFrom: "Pulumi.local.yaml",
    description: "3 masters with Marathon, 4 agents",
  },
  // The seed's dev machine (开发环境): master, agent, Marathon and ZooKeeper (a host service, not a container) on one host;
  // every app once (UNIQUE hostname constraints cannot place a second instance).
  // Time scale 0.05: an agent's restart over SSH takes about 1.5 s of wall time, all of it on the one host, which at
  // the fast profile's 0.02 is 75 simulated seconds — the master's whole ping window (5 × 15 s): it would remove the
  // agent as a real master never would. At 0.05 the window is 3.75 s of wall time.
  dev: {
    name: "dev",
    hosts: "dev1:master+agent+marathon",
    apps: DEV_APPS,
    targetsFrom: "Pulumi.dev.yaml",
    description: "dev's single host dev1: master, agent, Marathon and ZooKeeper, every app once",
    timeScale: 0.05,
    zookeeperHost: "dev1",
  },
  // Past the seed's table: the seed's starting point on 3 masters with Marathon and 2 agents (a multi-instance app,
  // rabbitmq ×2, and harbor), converged to the newest releases (Pulumi.newest.yaml).
  newest: {
    name: "newest",
    hosts: "m1,m2,m3:master+marathon;a1,a2:agent",
    apps: DEFAULT_APPS.filter((app) => app.id === "/rabbitmq" || app.id === "/harbor"),
    targetsFrom: "Pulumi.newest.yaml",
    description: "3 masters with Marathon, 2 agents, converged to the newest releases (Pulumi.newest.yaml)",
  },
};

/** The local stack's project directory: the repository's files plus the simulator's hosts, key and ZooKeeper host. */
function localProject(cluster: Cluster, shape: ClusterShape): string {
  const dir = path.join(workArea(), "stacks", "local");
  fs.mkdirSync(dir, { recursive: true });
  const settings = fs
    .readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")
    .replace(/^main: .*$/m, `main: ${repoRoot}`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), settings);
  const stackFile = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  stackFile.config["mesos-upgrade:hosts"] = cluster.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    roles: h.roles.map((r) => STACK_ROLE[r]),
    hostKeyFingerprint: h.hostKeyFingerprint,
  }));
  stackFile.config["mesos-upgrade:ssh"] = { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 };
  if (shape.targetsFrom !== "Pulumi.local.yaml") {
    // The environment this shape stands for: its targets (the rest stays the local stack's: no promotion gate, the
    // simulator's gate timeout).
    const source = YAML.parse(fs.readFileSync(path.join(repoRoot, shape.targetsFrom), "utf8")) as {
      config: Record<string, unknown>;
    };
    stackFile.config["mesos-upgrade:targets"] = source.config["mesos-upgrade:targets"];
  }
  const zk = cluster.file.zk;
  if (zk.dataHost && zk.dataDir) {
    stackFile.config["mesos-upgrade:zookeeper"] = {
      ...(stackFile.config["mesos-upgrade:zookeeper"] as object | undefined),
      hosts: [zk.dataHost],
      dataDir: zk.dataDir,
    };
  }
  fs.writeFileSync(path.join(dir, "Pulumi.local.yaml"), YAML.stringify(stackFile, { lineWidth: 0 }));
  return dir;
}

/** Whether a running cluster has exactly the hosts and roles of a spec. */
function sameHosts(cluster: Cluster, spec: string): boolean {
  const wanted = parseHostSpec(spec).hosts.map((h) => `${h.name}:${[...h.roles].sort().join("+")}`);
  const running = cluster.hosts.map((h) => `${h.name}:${[...h.roles].sort().join("+")}`);
  return JSON.stringify(wanted) === JSON.stringify(running);
}

/** Whether the stack's state holds resources (a record of some cluster). */
async function holdsResources(stack: Stack): Promise<boolean> {
  const deployment = (await stack.exportStack()).deployment as { resources?: unknown[] };
  return (deployment.resources ?? []).length > 0;
}

export interface LocalStack {
  readonly stack: Stack;
  readonly cluster: Cluster;
  /**
   * "new": a fresh cluster on a clean local stack; "resumed": the cluster kept running by an earlier `--keep-cluster`.
   */
  readonly origin: "new" | "resumed";
  /** The shape it was started as (its apps are what the downtime watch follows). */
  readonly shape: ClusterShape;
}

/**
 * Opens the local stack on its simulated cluster. A cluster still running in the work area (kept by `--keep-cluster`)
 * is resumed with the stack's record of it; otherwise a new cluster starts at the seed's versions and the local
 * stack's state, which describes the last (stopped) cluster, is removed first: its versions are not this cluster's.
 */
export async function openLocalStack(
  network: string,
  log: (line: string) => void = () => undefined,
  hosts?: string,
  shapeName?: string,
): Promise<LocalStack> {
  const shape = CLUSTER_SHAPES[shapeName ?? "local"] ?? (CLUSTER_SHAPES.local as ClusterShape);
  const file = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, { hosts?: string; sshServer?: "ssh2" | "openssh" }>;
  };
  const simulator = file.config["mesos-upgrade:simulator"] ?? {};
  const stateDir = path.join(workArea(), "sim");
  let cluster: Cluster | undefined;
  try {
    cluster = attachCluster(stateDir);
  } catch {
    cluster = undefined;
  }
  const origin = cluster ? "resumed" : "new";
  if (cluster && shapeName !== undefined && shape.hosts !== undefined && !sameHosts(cluster, shape.hosts)) {
    throw new Error(
      `a simulated cluster kept running in ${stateDir} has hosts ${cluster.hosts.map((h) => `${h.name}:${h.roles.join("+")}`).join(";")}, not the ${shape.name} shape (${shape.hosts}): ` +
        "stop it with `npm run sim -- down` (or resume it without --cluster), then run again",
    );
  }
  if (cluster) {
    log(
      `[converge] resuming the simulated cluster kept running in ${stateDir} (hosts ${cluster.hosts.map((h) => h.name).join(", ")}), with the local stack's record of it`,
    );
  } else {
    const spec =
      hosts ?? shape.hosts ?? (simulator.hosts && simulator.hosts !== "default" ? simulator.hosts : undefined);
    log(
      `[converge] starting a new simulated cluster (${spec ? `hosts ${spec}` : shape.description}${shape.hosts ? `; ${shape.description}` : ""}; Docker 1.7.1, Mesos 0.22.1, Marathon 0.9.1)…`,
    );
    cluster = await startCluster(spec, {
      stateDir,
      network,
      sshServer: simulator.sshServer ?? "ssh2",
      apps: shape.apps,
      ...(shape.timeScale ? { timeScale: shape.timeScale } : {}),
      ...(shape.zookeeperHost && !hosts ? { zookeeperHost: shape.zookeeperHost } : {}),
    });
  }
  const projectDir = localProject(cluster, shape);
  let stack = await openStack({ stack: "local", program: clusterProgram, projectDir });
  if (origin === "new" && (await holdsResources(stack))) {
    log(
      "[converge] removing the local stack's state: it records the last run's cluster, which is gone; the new cluster starts from a clean local stack",
    );
    await stack.workspace.removeStack("local", { force: true, preserveConfig: true });
    stack = await openStack({ stack: "local", program: clusterProgram, projectDir });
  }
  await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
  return { stack, cluster, origin, shape };
}

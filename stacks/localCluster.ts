// The local stack's simulated cluster: resume the one kept running in the work area, or start a new one on a clean local stack.
// The only production module that imports sim/; stacks/cli.ts loads it by dynamic import for the local stack alone.
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { attachCluster, startCluster, STACK_ROLE, type Cluster } from "../sim";
import { repoRoot, workArea } from "../toolchain/paths";
import { openStack } from "../toolchain/workspace";
import { clusterProgram } from "./program";

/** The local stack's project directory: the repository's files plus the simulator's hosts, key and ZooKeeper host. */
function localProject(cluster: Cluster): string {
  const dir = path.join(workArea(), "stacks", "local");
  fs.mkdirSync(dir, { recursive: true });
  const settings = fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), settings);
  const stackFile = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
  stackFile.config["mesos-upgrade:hosts"] = cluster.hosts.map((h) => ({ name: h.name, address: h.address, roles: h.roles.map((r) => STACK_ROLE[r]), hostKeyFingerprint: h.hostKeyFingerprint }));
  stackFile.config["mesos-upgrade:ssh"] = { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 };
  const zk = cluster.file.zk;
  if (zk.dataHost && zk.dataDir) {
    stackFile.config["mesos-upgrade:zookeeper"] = { ...(stackFile.config["mesos-upgrade:zookeeper"] as object | undefined), hosts: [zk.dataHost], dataDir: zk.dataDir };
  }
  fs.writeFileSync(path.join(dir, "Pulumi.local.yaml"), YAML.stringify(stackFile, { lineWidth: 0 }));
  return dir;
}

/** Whether the stack's state holds resources (a record of some cluster). */
async function holdsResources(stack: Stack): Promise<boolean> {
  const deployment = (await stack.exportStack()).deployment as { resources?: unknown[] };
  return (deployment.resources ?? []).length > 0;
}

export interface LocalStack {
  readonly stack: Stack;
  readonly cluster: Cluster;
  /** "new": a fresh cluster on a clean local stack; "resumed": the cluster kept running by an earlier `--keep-cluster`. */
  readonly origin: "new" | "resumed";
}

/**
 * Opens the local stack on its simulated cluster. A cluster still running in the work area (kept by `--keep-cluster`)
 * is resumed with the stack's record of it; otherwise a new cluster starts at the seed's versions and the local
 * stack's state, which describes the last (stopped) cluster, is removed first: its versions are not this cluster's.
 */
export async function openLocalStack(network: string, log: (line: string) => void = () => undefined, hosts?: string): Promise<LocalStack> {
  const file = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, { hosts?: string; sshServer?: "ssh2" | "openssh" }> };
  const simulator = file.config["mesos-upgrade:simulator"] ?? {};
  const stateDir = path.join(workArea(), "sim");
  let cluster: Cluster | undefined;
  try {
    cluster = attachCluster(stateDir);
  } catch {
    cluster = undefined;
  }
  const origin = cluster ? "resumed" : "new";
  if (cluster) {
    log(`[converge] resuming the simulated cluster kept running in ${stateDir} (hosts ${cluster.hosts.map((h) => h.name).join(", ")}), with the local stack's record of it`);
  } else {
    const spec = hosts ?? (simulator.hosts && simulator.hosts !== "default" ? simulator.hosts : undefined);
    log(`[converge] starting a new simulated cluster (${spec ? `hosts ${spec}` : "3 masters with Marathon, 4 agents"}; Docker 1.7.1, Mesos 0.22.1, Marathon 0.9.1)…`);
    cluster = await startCluster(spec, { stateDir, network, sshServer: simulator.sshServer ?? "ssh2" });
  }
  const projectDir = localProject(cluster);
  let stack = await openStack({ stack: "local", program: clusterProgram, projectDir });
  if (origin === "new" && (await holdsResources(stack))) {
    log("[converge] removing the local stack's state: it records the last run's cluster, which is gone; the new cluster starts from a clean local stack");
    await stack.workspace.removeStack("local", { force: true, preserveConfig: true });
    stack = await openStack({ stack: "local", program: clusterProgram, projectDir });
  }
  await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
  return { stack, cluster, origin };
}

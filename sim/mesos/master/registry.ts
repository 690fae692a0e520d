// The master's registry (the agents admitted and removed, maintenance) as one znode under /_sim/registry, standing in
// for Mesos' replicated log, which every master of the quorum reads (src/master/registry.proto).
import type { MasterNode, Registry } from "./state";

function registryPath(node: MasterNode): string {
  return `/_sim/registry${node.state.zkUrl?.path ?? "/mesos"}`;
}

/** The registry as stored; empty without ZooKeeper or before the first write. */
export async function readRegistry(node: MasterNode): Promise<Registry> {
  const data = node.life.zk ? await node.life.zk.get(registryPath(node)) : undefined;
  return data ? (JSON.parse(data) as Registry) : { agents: {}, removed: [] };
}

export async function writeRegistry(node: MasterNode, registry: Registry): Promise<void> {
  if (node.life.zk) await node.life.zk.put(registryPath(node), JSON.stringify(registry));
}

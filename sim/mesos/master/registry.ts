// The master's registry (the agents admitted and removed, maintenance) as one znode under /_sim/registry, standing in
// for Mesos' replicated log, which every master of the quorum reads (src/master/registry.proto). Changes go through
// the registrar's queue, one operation at a time.
import type { MasterNode, Registry } from "./state";

function registryPath(node: MasterNode): string {
  return `/_sim/registry${node.state.zkUrl?.path ?? "/mesos"}`;
}

/** The registry as stored; empty without ZooKeeper or before the first write. */
export async function readRegistry(node: MasterNode): Promise<Registry> {
  const data = node.life.zk ? await node.life.zk.get(registryPath(node)) : undefined;
  return data ? (JSON.parse(data) as Registry) : { agents: {}, removed: [] };
}

/** The last operation queued on each master's registrar. */
const queued = new WeakMap<MasterNode, Promise<unknown>>();

/**
 * Applies one operation to the registry after every operation queued before it, and stores the result: the registrar
 * applies its operations in order, one store at a time (RegistrarProcess::apply / update in src/master/registrar.cpp,
 * 0.22.1), so agents admitted at the same moment all stay admitted. `operation` changes the registry it is given and
 * returns what the caller decides from it (e.g. whether a re-registering agent was removed).
 */
export function updateRegistry<T>(node: MasterNode, operation: (registry: Registry) => T): Promise<T> {
  const applied = (queued.get(node) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const registry = await readRegistry(node);
      const result = operation(registry);
      if (node.life.zk) await node.life.zk.put(registryPath(node), JSON.stringify(registry));
      return result;
    });
  queued.set(node, applied);
  return applied;
}

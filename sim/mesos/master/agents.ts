// Agents on the master: the ping-timeout window after which a silent agent is removed (its tasks LOST with
// REASON_SLAVE_REMOVED, its id kept in the registry as removed so it can never re-register), and the removal itself.
import { glog, sendMessage } from "../common";
import { readRegistry, writeRegistry } from "./registry";
import { agentWord, maxPings, pingTimeout, type AgentEntry, type MasterNode } from "./state";
import { recordStatus } from "./tasks";

/** Removes an agent: its tasks are LOST, the registry marks it removed, and it is told to shut down. */
export async function removeAgent(node: MasterNode, agent: AgentEntry, reason: string, message: string): Promise<void> {
  const { state, ctx } = node;
  state.agents.delete(agent.id);
  for (const task of [...state.tasks.values()].filter((t) => t.task.slave_id === agent.id)) {
    recordStatus(node, task, "TASK_LOST", "REASON_SLAVE_REMOVED", message, agent.info.hostname);
  }
  ctx.ledger.record({ kind: "agent.removed", agentId: agent.id, agentHost: agent.info.hostname, reason: message });
  glog(ctx, "I", "master.cpp:4703", `Removed ${node.traits.agentWord} ${agent.id} (${agent.info.hostname}): ${reason}`);
  const registry = await readRegistry(node);
  delete registry.agents[agent.id];
  if (!registry.removed.includes(agent.id)) registry.removed.push(agent.id);
  await writeRegistry(node, registry);
  void sendMessage(
    agent.info.ip,
    agent.info.port,
    "slave(1)",
    "ShutdownMessage",
    { slave_id: agent.id, message },
    1000,
  ).catch(() => undefined);
}

/**
 * One round of pings from the leader: an agent that does not answer is disconnected at the first miss and removed
 * after the release's maximum of missed pings (SlaveObserver in master.cpp).
 */
export async function pingAgents(node: MasterNode): Promise<void> {
  const { state, ctx } = node;
  if (!state.elected) return;
  await Promise.all(
    [...state.agents.values()].map(async (agent) => {
      const answered = await sendMessage(
        agent.info.ip,
        agent.info.port,
        "slave(1)",
        "PingSlaveMessage",
        { slave_id: agent.id, connected: agent.connected },
        Math.max(200, ctx.clock.ms(pingTimeout(node))),
      )
        .then((r) => r.status === 200)
        .catch(() => false);
      if (answered) {
        agent.missedPings = 0;
        return;
      }
      agent.missedPings++;
      if (agent.missedPings === 1) {
        agent.connected = false;
        glog(ctx, "I", "master.cpp:1083", `${agentWord(node)} ${agent.id} (${agent.info.hostname}) disconnected`);
      }
      if (agent.missedPings >= maxPings(node)) {
        await removeAgent(
          node,
          agent,
          "health check timed out",
          `${agentWord(node)} ${agent.info.hostname} removed: health check timed out`,
        );
      }
    }),
  );
}

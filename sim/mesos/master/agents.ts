// Agents on the master: the ping-timeout window after which a silent agent is removed (its tasks LOST with
// REASON_SLAVE_REMOVED, its id kept in the registry as removed so it can never re-register), and the removal itself.
import { readHostWork } from "../../host-work";
import { modelledSeconds } from "../../time";
import { glog, sendMessage } from "../common";
import { updateRegistry } from "./registry";
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
  await updateRegistry(node, (registry) => {
    delete registry.agents[agent.id];
    if (!registry.removed.includes(agent.id)) registry.removed.push(agent.id);
  });
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
 * Simulated seconds an agent has been silent: since the last answered ping was sent, with the unscaled work its host
 * did meanwhile (the operator's commands swapping its container) counted at wall speed (sim/host-work.ts).
 */
function silenceSeconds(node: MasterNode, agent: AgentEntry, now: number): number {
  const { ctx } = node;
  const host = ctx.cluster.hosts.find((h) => h.address === agent.info.ip)?.name;
  const work = host ? readHostWork(ctx.cluster.stateDir, host, agent.lastHeardMs) : [];
  return modelledSeconds(agent.lastHeardMs, now, work, ctx.clock.profile.timeScale);
}

/**
 * One round of pings from the leader: an agent that does not answer is disconnected at the first miss and removed
 * after the release's maximum of missed pings (SlaveObserver in master.cpp: a ping every ping timeout, a miss counted
 * when the ping sent at the previous timeout got no pong, removal at the maximum). Misses are counted in simulated time, as the whole ping
 * timeouts the agent has been silent for, so a swap whose host work ran at wall speed is timed as a real host's.
 */
export async function pingAgents(node: MasterNode): Promise<void> {
  const { state, ctx } = node;
  if (!state.elected) return;
  await Promise.all(
    [...state.agents.values()].map(async (agent) => {
      const sent = Date.now();
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
        agent.lastHeardMs = sent;
        return;
      }
      // The timeout that follows an answered ping counts nothing (its pong cleared `pinged`); it sends the next ping,
      // and the first miss is counted one timeout after that: 2 timeouts after the answered ping was sent, so the
      // agent is removed (max + 1) timeouts after it, 75–90 s after it stopped at 15 s × 5 (master.cpp 0.26,
      // SlaveObserver::timeout).
      agent.missedPings = Math.max(
        agent.missedPings,
        Math.floor(silenceSeconds(node, agent, Date.now()) / pingTimeout(node)) - 1,
      );
      if (agent.connected) {
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

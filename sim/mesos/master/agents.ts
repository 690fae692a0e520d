// Agents on the master: the ping-timeout window after which a silent agent is removed (its tasks LOST with
// REASON_SLAVE_REMOVED, its id kept in the registry as removed so it can never re-register), and the removal itself.
import { readHostWork, readStalls } from "../../host-work";
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
 * did meanwhile (the operator's commands swapping its container) and the stalls of its host's process and of this
 * master's (the simulator starved by the machine it shares) counted at wall speed (sim/host-work.ts).
 */
function silenceSeconds(node: MasterNode, agent: AgentEntry, now: number): number {
  const { ctx } = node;
  const { stateDir } = ctx.cluster;
  const since = agent.lastHeardMs;
  const host = ctx.cluster.hosts.find((h) => h.address === agent.info.ip)?.name;
  const work = [
    ...(host ? [...readHostWork(stateDir, host, since), ...readStalls(stateDir, host, since)] : []),
    ...readStalls(stateDir, ctx.host.name, since),
  ];
  return modelledSeconds(since, now, work, ctx.clock.profile.timeScale);
}

/** The agent answered the ping sent at `sent`: its pong clears the misses, and its silence starts there. */
function heard(agent: AgentEntry, sent: number): void {
  agent.missedPings = 0;
  agent.lastHeardMs = sent;
}

/** Pings missed in a silence: one per whole ping timeout of it after the first (see pingAgents). */
function missedIn(node: MasterNode, agent: AgentEntry, now: number): number {
  return Math.floor(silenceSeconds(node, agent, now) / pingTimeout(node)) - 1;
}

/** Removes an agent silent past the window, as SlaveObserver::shutdown does ("health check timed out"). */
function removeSilent(node: MasterNode, agent: AgentEntry): Promise<void> {
  const reason = "health check timed out";
  return removeAgent(node, agent, reason, `${agentWord(node)} ${agent.info.hostname} removed: ${reason}`);
}

/** How a ping went: answered; refused or answered "not this agent"; or no answer before the timeout. */
type PingOutcome = "answered" | "unanswered" | "timed out";

function pingOnce(agent: AgentEntry, timeoutMs: number): Promise<PingOutcome> {
  return sendMessage(
    agent.info.ip,
    agent.info.port,
    "slave(1)",
    "PingSlaveMessage",
    { slave_id: agent.id, connected: agent.connected },
    timeoutMs,
  ).then(
    (r): PingOutcome => (r.status === 200 ? "answered" : "unanswered"),
    (error: NodeJS.ErrnoException): PingOutcome => (error.code === "ETIMEDOUT" ? "timed out" : "unanswered"),
  );
}

/**
 * Wall milliseconds the master waits for the answer to its last look at an agent whose ping timed out when its
 * silence reached the removal: a host process the machine starved answers once it runs again, with its stall on record.
 */
export const LAST_LOOK_MS = 5000;

/** Agents the master is taking a last look at (lastLook): the rounds leave them alone meanwhile. */
const lookingAgain = new WeakSet<AgentEntry>();

/**
 * The last look before removing an agent whose ping timed out (its host's process alive but silent): a ping with a
 * long wall timeout. Answered, the silence is timed again with the stalls then on record; removed only if it still
 * reaches the maximum of missed pings (or no answer comes). A refused ping (agent gone) never waits for this.
 */
async function lastLook(node: MasterNode, agent: AgentEntry): Promise<void> {
  lookingAgain.add(agent);
  try {
    const sent = Date.now();
    const outcome = await pingOnce(agent, LAST_LOOK_MS);
    // Meanwhile this master may have lost its leadership, or the agent re-registered or been removed: not its call.
    if (!node.state.elected || node.state.agents.get(agent.id) !== agent) return;
    if (outcome === "answered" && missedIn(node, agent, Date.now()) < maxPings(node)) {
      heard(agent, sent);
      return;
    }
    await removeSilent(node, agent);
  } finally {
    lookingAgain.delete(agent);
  }
}

/**
 * One round of pings from the leader: an agent that does not answer is disconnected at the first miss and removed
 * after the release's maximum of missed pings (SlaveObserver in master.cpp: a ping every ping timeout, a miss counted
 * when the ping sent at the previous timeout got no pong, removal at the maximum). Misses are counted in simulated
 * time, as the whole ping timeouts the agent has been silent for, so a swap whose host work ran at wall speed is
 * timed as a real host's; an agent whose ping timed out gets a last look first (lastLook).
 */
export async function pingAgents(node: MasterNode): Promise<void> {
  const { state, ctx } = node;
  if (!state.elected) return;
  await Promise.all(
    [...state.agents.values()]
      .filter((agent) => !lookingAgain.has(agent))
      .map(async (agent) => {
        const sent = Date.now();
        const outcome = await pingOnce(agent, Math.max(200, ctx.clock.ms(pingTimeout(node))));
        if (outcome === "answered") {
          heard(agent, sent);
          return;
        }
        // The timeout that follows an answered ping counts nothing (its pong cleared `pinged`); it sends the next
        // ping, and the first miss is counted one timeout after that: 2 timeouts after the answered ping was sent, so
        // the agent is removed (max + 1) timeouts after it, 75–90 s after it stopped at 15 s × 5 (master.cpp 0.26,
        // SlaveObserver::timeout).
        agent.missedPings = Math.max(agent.missedPings, missedIn(node, agent, Date.now()));
        if (agent.connected) {
          agent.connected = false;
          glog(ctx, "I", "master.cpp:1083", `${agentWord(node)} ${agent.id} (${agent.info.hostname}) disconnected`);
        }
        if (agent.missedPings < maxPings(node) || state.agents.get(agent.id) !== agent) return;
        if (outcome === "timed out") void lastLook(node, agent);
        else await removeSilent(node, agent);
      }),
  );
}

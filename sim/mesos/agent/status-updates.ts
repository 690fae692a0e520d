// The agent's status update manager: a task's new state is checkpointed and queued, and the queue is sent to the
// leading master in order once the agent is registered; an update leaves the queue when the master acknowledges it.
import { sendMessage } from "../common";
import { TERMINAL, type StatusUpdate, type TaskState } from "../messages";
import { runMeta, writeJson } from "./checkpoint";
import type { AgentNode, RunningTask } from "./state";

/** The flush in flight per agent: one at a time, as the status update manager forwards only the front update. */
const inFlight = new WeakMap<AgentNode, Promise<void>>();

/** Agents with a retry of their queue armed (one at a time). */
const retryArmed = new WeakSet<AgentNode>();

/** Seconds (simulated) after a flush that left updates queued before the queue is sent again. */
const RETRY_SECONDS = 1;

/**
 * Sends the queued updates in order, stopping at the first the master does not acknowledge (retried by the agent's
 * next flush). One flush at a time: the status update manager forwards only the update at the front of a stream and
 * the next one once that is acknowledged (StatusUpdateManagerProcess::update / acknowledgement in
 * src/slave/status_update_manager.cpp, 0.22.1). Two flushes at once would each remove the front on their own
 * acknowledgement, and an update still unacknowledged could leave the queue unsent.
 */
export function flush(node: AgentNode): Promise<void> {
  const running = inFlight.get(node);
  if (running) return running;
  const done = sendQueued(node).finally(() => {
    inFlight.delete(node);
    armRetry(node);
  });
  inFlight.set(node, done);
  return done;
}

/**
 * Updates the master has not taken yet are sent again a simulated second later (and at each registration). The timer
 * runs only while some are queued: an agent with nothing to send does not wake for it.
 */
function armRetry(node: AgentNode): void {
  if (!node.state.pending.length || retryArmed.has(node) || node.life.ended) return;
  retryArmed.add(node);
  node.life.after(RETRY_SECONDS, () => {
    retryArmed.delete(node);
    void flush(node);
  });
}

async function sendQueued(node: AgentNode): Promise<void> {
  const { state } = node;
  if (!state.registered || !state.master) return;
  const master = state.master;
  while (state.pending.length) {
    const update = state.pending[0] as StatusUpdate;
    const sent = await sendMessage(master.ip, master.port, "master", "StatusUpdateMessage", update).catch(
      () => undefined,
    );
    if (!sent || sent.status !== 200) return;
    state.pending.shift();
  }
}

/** Queues a status update for the master and sends the queue. */
export async function sendUpdate(node: AgentNode, update: StatusUpdate): Promise<void> {
  node.state.pending.push(update);
  await flush(node);
}

/** A task's new state: checkpointed, queued for the master; a terminal state ends the task on the agent. */
export function setTaskState(
  node: AgentNode,
  running: RunningTask,
  st: TaskState,
  reason?: string,
  message?: string,
): void {
  const { state } = node;
  running.state = st;
  running.statuses = [...(running.statuses ?? []), { state: st, timestamp: Date.now() / 1000 }];
  const runDir = runMeta(node, running.task.framework_id, running.task.task_id, running.containerId);
  writeJson(node, `${runDir}/tasks/${running.task.task_id}/task.updates`, { state: st, reason, message });
  if (TERMINAL.has(st)) state.tasks.delete(running.task.task_id);
  void sendUpdate(node, {
    task_id: running.task.task_id,
    framework_id: running.task.framework_id,
    slave_id: state.id as string,
    state: st,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    timestamp: Date.now() / 1000,
  });
}

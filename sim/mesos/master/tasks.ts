// Tasks on the master: status updates (a terminal one moves the task to its framework's completed tasks and is a
// ledger event), launches and kills routed to the agent, the update stream frameworks read, reconciliation, and the
// resources each agent's tasks use.
import { sendMessage } from "../common";
import { TERMINAL, type StatusUpdate, type TaskInfo, type TaskState } from "../messages";
import type { Reply } from "../../http";
import { readRegistry } from "./registry";
import type { MasterNode, TaskEntry } from "./state";

/** Records a task's new state as a status update; a terminal state ends the task. */
export function recordStatus(
  node: MasterNode,
  task: TaskEntry,
  taskState: TaskState,
  reason?: string,
  message?: string,
  agentHost?: string,
): void {
  const { state, ctx } = node;
  task.state = taskState;
  task.statuses.push({ state: taskState, timestamp: Date.now() / 1000 });
  const update: StatusUpdate & { seq: number } = {
    seq: state.updates.length,
    task_id: task.task.task_id,
    framework_id: task.task.framework_id,
    slave_id: task.task.slave_id,
    state: taskState,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    timestamp: Date.now() / 1000,
  };
  state.updates.push(update);
  if (TERMINAL.has(taskState)) {
    state.tasks.delete(task.task.task_id);
    state.frameworks.get(task.task.framework_id)?.completed.push(task);
    ctx.ledger.record({
      kind: "task.status",
      taskId: task.task.task_id,
      appId: task.task.labels.MARATHON_APP_ID,
      agentId: task.task.slave_id,
      agentHost: agentHost ?? state.agents.get(task.task.slave_id)?.info.hostname,
      state: taskState,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    });
  }
}

/** The cpus and mem the live tasks of one agent use. */
export function used(node: MasterNode, agentId: string): { cpus: number; mem: number } {
  let cpus = 0;
  let mem = 0;
  for (const t of node.state.tasks.values()) {
    if (t.task.slave_id !== agentId) continue;
    cpus += t.task.resources.cpus;
    mem += t.task.resources.mem;
  }
  return { cpus, mem };
}

/** A status update from an agent: recorded when it changes the task's state. */
export function statusUpdate(node: MasterNode, update: StatusUpdate): Reply {
  const task = node.state.tasks.get(update.task_id);
  if (task && task.state !== update.state) recordStatus(node, task, update.state, update.reason, update.message);
  return { body: { acknowledged: true } };
}

/** Launches tasks on their agents; a task for an agent that is gone or does not accept it is LOST at once. */
export async function launchTasks(node: MasterNode, tasks: readonly TaskInfo[]): Promise<Reply> {
  const { state } = node;
  for (const task of tasks) {
    const entry: TaskEntry = {
      task,
      state: "TASK_STAGING",
      statuses: [{ state: "TASK_STAGING", timestamp: Date.now() / 1000 }],
    };
    state.tasks.set(task.task_id, entry);
    const agent = state.agents.get(task.slave_id);
    if (!agent || !agent.connected) {
      recordStatus(
        node,
        entry,
        "TASK_LOST",
        "REASON_SLAVE_REMOVED",
        "Task launched on an agent that is not registered",
      );
      continue;
    }
    const framework = state.frameworks.get(task.framework_id);
    const sent = await sendMessage(agent.info.ip, agent.info.port, "slave(1)", "RunTaskMessage", {
      framework: framework?.info,
      task,
    }).catch(() => undefined);
    if (!sent || sent.status !== 200) {
      recordStatus(node, entry, "TASK_LOST", "REASON_SLAVE_DISCONNECTED", "Agent did not accept the task");
    }
  }
  return { body: { ok: true } };
}

/** Forwards a kill to the task's agent; the agent's status update ends the task. */
export async function killTask(node: MasterNode, taskId: string): Promise<Reply> {
  const task = node.state.tasks.get(taskId);
  const agent = task ? node.state.agents.get(task.task.slave_id) : undefined;
  if (task && agent) {
    await sendMessage(agent.info.ip, agent.info.port, "slave(1)", "KillTaskMessage", {
      task_id: task.task.task_id,
      framework_id: task.task.framework_id,
    }).catch(() => undefined);
  }
  return { body: { ok: true } };
}

/** A framework's status updates from its cursor on (the simulator's stand-in for pushed updates). */
export function updatesSince(node: MasterNode, frameworkId: unknown, since: number): Reply {
  const { state } = node;
  return {
    body: {
      master_id: state.id,
      updates: state.updates.filter((u) => u.seq >= since && u.framework_id === frameworkId),
      next: state.updates.length,
    },
  };
}

/**
 * Explicit reconciliation: a known task's state; an unknown one on an agent that is removed, never admitted or
 * registered is LOST (REASON_RECONCILIATION); an agent admitted but not yet re-registered gives no answer.
 */
export async function reconcileTasks(
  node: MasterNode,
  frameworkId: string,
  items: ReadonlyArray<{ task_id: string; slave_id: string }>,
): Promise<Reply> {
  const { state } = node;
  const registry = await readRegistry(node);
  const answers: StatusUpdate[] = [];
  for (const item of items) {
    const task = state.tasks.get(item.task_id);
    if (task) {
      answers.push({
        task_id: item.task_id,
        framework_id: frameworkId,
        slave_id: item.slave_id,
        state: task.state,
        timestamp: Date.now() / 1000,
      });
    } else if (
      !registry.agents[item.slave_id] ||
      registry.removed.includes(item.slave_id) ||
      state.agents.has(item.slave_id)
    ) {
      answers.push({
        task_id: item.task_id,
        framework_id: frameworkId,
        slave_id: item.slave_id,
        state: "TASK_LOST",
        reason: "REASON_RECONCILIATION",
        message: "Reconciliation: Task is unknown",
        timestamp: Date.now() / 1000,
      });
    }
  }
  return { body: { updates: answers } };
}

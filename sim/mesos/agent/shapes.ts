// The agent's answers as each release shapes them: /state (state.json) with its frameworks, executors and tasks,
// /flags, and /metrics/snapshot.
import { mesosFlagDefaults, mesosMetricNames } from "../../catalogue/mesos";
import { atLeast } from "../../catalogue/versions";
import { buildInfo } from "../common";
import { flagText } from "../flags";
import type { TaskState } from "../messages";
import { taskModel } from "../task-json";
import type { AgentNode } from "./state";
import { resourceGauges } from "./usage";

/** Every flag with a value: the given ones over the release's defaults (model(flags) in src/common/http.cpp). */
export function flagsJson(node: AgentNode): Record<string, string> {
  return {
    ...mesosFlagDefaults(node.version, "agent"),
    ...Object.fromEntries([...node.state.flags].map(([k, v]) => [k, String(v)])),
  };
}

export function stateJson(node: AgentNode): Record<string, unknown> {
  const { state, version, release } = node;
  return {
    ...buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? ""),
    start_time: state.startTime,
    ...(state.id ? { id: state.id } : {}),
    pid: `slave(1)@${state.info?.ip}:${state.info?.port}`,
    hostname: state.info?.hostname,
    resources: state.info?.resources,
    attributes: state.info?.attributes ?? {},
    ...(state.master && state.registered ? { master_hostname: state.master.hostname } : {}),
    ...(flagText(state.flags, "log_dir") ? { log_dir: flagText(state.flags, "log_dir") } : {}),
    flags: flagsJson(node),
    frameworks: [...state.frameworks.values()].map((f) => ({
      id: f.id,
      name: f.name,
      user: f.user,
      hostname: f.hostname,
      failover_timeout: f.failover_timeout,
      checkpoint: f.checkpoint,
      role: f.role,
      executors: [...state.tasks.values()]
        .filter((t) => t.task.framework_id === f.id)
        .map((t) => ({
          id: t.task.task_id,
          name: `Command Executor (Task: ${t.task.task_id})`,
          source: t.task.task_id,
          container: t.containerId,
          directory: t.sandbox,
          resources: t.task.resources,
          tasks: [taskModel(version, t.task, t.state, t.statuses ?? [], state.id as string)],
          queued_tasks: [],
          completed_tasks: [],
        })),
      completed_executors: [],
    })),
    completed_frameworks: [],
  };
}

/** /metrics/snapshot: every metric of the release, 0 unless modelled here. */
export function metricsJson(node: AgentNode): Record<string, number> {
  const { state, ctx, version } = node;
  const count = (s: TaskState) => [...state.tasks.values()].filter((t) => t.state === s).length;
  return {
    ...Object.fromEntries(mesosMetricNames(version, "agent").map((name) => [name, 0])),
    "slave/registered": state.registered ? 1 : 0,
    "slave/uptime_secs": ctx.clock.since(state.startTime * 1000),
    "slave/recovery_errors": state.recoveryErrors,
    "slave/frameworks_active": state.frameworks.size,
    "slave/tasks_running": count("TASK_RUNNING"),
    "slave/tasks_staging": count("TASK_STAGING"),
    "slave/tasks_starting": 0,
    "slave/executors_running": state.tasks.size,
    ...(atLeast(version, "0.23.0") ? { "slave/container_launch_errors": 0 } : {}),
    ...resourceGauges(state),
  };
}

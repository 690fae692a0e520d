// The master's answers as each release shapes them: /state (state.json), its agents, frameworks and tasks, /flags,
// /state-summary, and /metrics/snapshot.
import { mesosFlagDefaults, mesosMetricNames } from "../../catalogue/mesos";
import { compareVersions } from "../../catalogue/versions";
import { buildInfo } from "../common";
import { flagText } from "../flags";
import type { TaskState } from "../messages";
import { taskModel } from "../task-json";
import type { AgentEntry, FrameworkEntry, MasterNode, TaskEntry } from "./state";
import { used } from "./tasks";

export function taskJson(node: MasterNode, t: TaskEntry): Record<string, unknown> {
  return taskModel(node.version, t.task, t.state, t.statuses, t.task.slave_id);
}

export function agentJson(node: MasterNode, a: AgentEntry): Record<string, unknown> {
  return {
    id: a.id,
    pid: `slave(1)@${a.info.ip}:${a.info.port}`,
    hostname: a.info.hostname,
    registered_time: a.registeredTime,
    ...(a.reregisteredTime ? { reregistered_time: a.reregisteredTime } : {}),
    resources: a.info.resources,
    used_resources: { ...used(node, a.id), disk: 0, ports: "" },
    offered_resources: { cpus: 0, mem: 0, disk: 0 },
    attributes: a.info.attributes,
    active: a.connected,
    ...(node.traits.agentVersionInState ? { version: a.version } : {}),
  };
}

export function frameworkJson(node: MasterNode, f: FrameworkEntry): Record<string, unknown> {
  const tasks = [...node.state.tasks.values()].filter((t) => t.task.framework_id === f.info.id);
  const resources = () => ({
    cpus: tasks.reduce((s, t) => s + t.task.resources.cpus, 0),
    mem: tasks.reduce((s, t) => s + t.task.resources.mem, 0),
  });
  return {
    id: f.info.id,
    name: f.info.name,
    pid: `scheduler-${f.info.id}@${f.info.hostname}:0`,
    user: f.info.user,
    hostname: f.info.hostname,
    failover_timeout: f.info.failover_timeout,
    checkpoint: f.info.checkpoint,
    role: f.info.role,
    registered_time: f.registeredTime,
    unregistered_time: 0,
    active: f.connected,
    resources: resources(),
    used_resources: resources(),
    offered_resources: { cpus: 0, mem: 0 },
    tasks: tasks.map((t) => taskJson(node, t)),
    completed_tasks: f.completed.slice(-100).map((t) => taskJson(node, t)),
    offers: [],
    executors: [],
    ...(f.info.webui_url ? { webui_url: f.info.webui_url } : {}),
  };
}

/** Every flag with a value: the given ones over the release's defaults (model(flags) in src/common/http.cpp). */
export function flagsJson(node: MasterNode): Record<string, string> {
  const out: Record<string, string> = { ...mesosFlagDefaults(node.version, "master") };
  for (const [key, value] of node.state.flags) out[key] = String(value);
  return out;
}

/** /master/state(.json); a master that is not elected lists no agents and no frameworks. */
export function stateJson(node: MasterNode): Record<string, unknown> {
  const { state, traits, version, release } = node;
  const counters: Record<string, number> = {};
  if (traits.stateTaskCounters) {
    const all = [...state.tasks.values(), ...[...state.frameworks.values()].flatMap((f) => f.completed)];
    for (const [key, st] of [
      ["staged_tasks", "TASK_STAGING"],
      ["started_tasks", "TASK_RUNNING"],
      ["finished_tasks", "TASK_FINISHED"],
      ["killed_tasks", "TASK_KILLED"],
      ["failed_tasks", "TASK_FAILED"],
      ["lost_tasks", "TASK_LOST"],
    ] as const) {
      counters[key] = all.filter((t) => t.statuses.some((s) => s.state === st)).length;
    }
  }
  const agents = [...state.agents.values()];
  return {
    ...buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? "2015-01-01"),
    start_time: state.startTime,
    ...(state.elected ? { elected_time: state.electedTime } : {}),
    id: state.id,
    pid: `master@${state.ip}:${state.port}`,
    hostname: state.hostname,
    activated_slaves: agents.filter((a) => a.connected).length,
    deactivated_slaves: agents.filter((a) => !a.connected).length,
    ...(state.leader ? { leader: state.leader.pid } : {}),
    ...(traits.leaderInfo && state.leader
      ? {
          leader_info: {
            id: state.leader.id,
            pid: state.leader.pid,
            port: state.leader.port,
            hostname: state.leader.hostname,
            address: state.leader.address,
          },
        }
      : {}),
    ...(flagText(state.flags, "log_dir") ? { log_dir: flagText(state.flags, "log_dir") } : {}),
    ...(flagText(state.flags, "cluster") ? { cluster: flagText(state.flags, "cluster") } : {}),
    flags: flagsJson(node),
    slaves: state.elected ? agents.map((a) => agentJson(node, a)) : [],
    frameworks: state.elected ? [...state.frameworks.values()].map((f) => frameworkJson(node, f)) : [],
    completed_frameworks: [],
    orphan_tasks: [],
    unregistered_frameworks: [],
    ...counters,
  };
}

/** /master/state-summary (0.23+). */
export function stateSummaryJson(node: MasterNode): Record<string, unknown> {
  const { state } = node;
  return {
    hostname: state.hostname,
    cluster: flagText(state.flags, "cluster") ?? "",
    slaves: [...state.agents.values()].map((a) => agentJson(node, a)),
    frameworks: [...state.frameworks.values()].map((f) => ({ id: f.info.id, name: f.info.name })),
  };
}

/** master/<resource>_total, _used and _percent over the registered agents (Master::_resources_* in master.hpp). */
function resourceGauges(node: MasterNode, agents: readonly AgentEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ["cpus", "mem"] as const) {
    const total = agents.reduce((sum, a) => sum + a.info.resources[name], 0);
    const inUse = agents.reduce((sum, a) => sum + used(node, a.id)[name], 0);
    Object.assign(out, {
      [`master/${name}_total`]: total,
      [`master/${name}_used`]: inUse,
      [`master/${name}_percent`]: total > 0 ? inUse / total : 0,
    });
  }
  return out;
}

/** /metrics/snapshot: every metric of the release, 0 unless modelled here. */
export function metricsJson(node: MasterNode): Record<string, number> {
  const { state, ctx, version } = node;
  const agents = [...state.agents.values()];
  const count = (s: TaskState) => [...state.tasks.values()].filter((t) => t.state === s).length;
  const completed = [...state.frameworks.values()].flatMap((f) => f.completed);
  const done = (s: TaskState) => completed.filter((t) => t.state === s).length;
  return {
    ...Object.fromEntries(mesosMetricNames(version, "master").map((name) => [name, 0])),
    "master/elected": state.elected ? 1 : 0,
    "master/uptime_secs": ctx.clock.since(state.startTime * 1000),
    "master/slaves_active": agents.filter((a) => a.connected).length,
    "master/slaves_connected": agents.filter((a) => a.connected).length,
    "master/slaves_disconnected": agents.filter((a) => !a.connected).length,
    "master/slaves_inactive": agents.filter((a) => !a.connected).length,
    "master/frameworks_active": [...state.frameworks.values()].filter((f) => f.connected).length,
    "master/frameworks_connected": [...state.frameworks.values()].filter((f) => f.connected).length,
    "master/frameworks_disconnected": 0,
    "master/frameworks_inactive": 0,
    "master/outstanding_offers": 0,
    "master/tasks_staging": count("TASK_STAGING"),
    "master/tasks_starting": count("TASK_STARTING"),
    "master/tasks_running": count("TASK_RUNNING"),
    "master/tasks_finished": done("TASK_FINISHED"),
    "master/tasks_failed": done("TASK_FAILED"),
    "master/tasks_killed": done("TASK_KILLED"),
    "master/tasks_lost": done("TASK_LOST"),
    "master/tasks_error": done("TASK_ERROR"),
    ...(compareVersions(version, "0.28.0") >= 0 ? { "master/tasks_killing": 0 } : {}),
    "master/dropped_messages": 0,
    ...resourceGauges(node, agents),
    "registrar/queued_operations": 0,
    "system/cpus_total": 4,
  };
}

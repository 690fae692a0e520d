// The simulated `mesos-master` of a release: ZooKeeper contention with the quorum of masters, agent registration,
// the ping-timeout window after which silent agents are removed and their tasks LOST, framework task routing,
// maintenance primitives (0.25+, modelled in maintenance.ts), and the HTTP endpoints and JSON shapes of that release.
import { randomUUID } from "node:crypto";
import { mesosFlagDefaults, mesosMetricNames, mesosRelease, mesosTraits } from "../catalogue/mesos";
import { taskModel } from "./task-json";
import { compareVersions } from "../catalogue/versions";
import type { ContainerContext, Program } from "../docker/program";
import type { Incoming, Reply } from "../http";
import { formatMesosDuration } from "../time";
import { mesosHttpAccess } from "./http-access";
import { NO_MAINTENANCE, isDown, maintenanceRequest, matchesAgent, type MaintenanceState } from "./maintenance";
import { bindAddress, buildInfo, connectZk, containerFileReader, daemonLife, detectMaster, glog, imageTag, parseZkUrl, routePath, sendMessage, sequenceOf, serveHttp, type MasterInfo, type ZkUrl } from "./common";
import { flagSeconds, flagText, loadMesosFlags, usageText, type MesosFlagValues } from "./flags";
import { TERMINAL, type FrameworkInfo, type ReportedTask, type SlaveInfo, type StatusUpdate, type TaskInfo, type TaskState } from "./messages";

interface AgentEntry {
  readonly id: string;
  info: SlaveInfo;
  version: string;
  registeredTime: number;
  reregisteredTime?: number;
  connected: boolean;
  missedPings: number;
}

interface TaskEntry {
  task: TaskInfo;
  state: TaskState;
  statuses: Array<{ state: TaskState; timestamp: number }>;
}

interface FrameworkEntry {
  info: FrameworkInfo & { id: string };
  registeredTime: number;
  connected: boolean;
  completed: TaskEntry[];
}

/** The registrar's state, kept where every master of the quorum reads it (registry.proto: slaves, machines, schedules). */
interface Registry {
  agents: Record<string, { hostname: string; ip: string }>;
  removed: string[];
  /** Scheduled machines and the schedule: a new leader recovers them, so a machine down stays down. */
  maintenance?: MaintenanceState;
}

function masterId(version: string, ip: string, port: number): string {
  if (compareVersions(version, "1.0.0") >= 0) return randomUUID();
  const now = new Date();
  const date = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const ipInt = ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  return `${date}-${ipInt}-${port}-${process.pid}`;
}

/** Starts a simulated master in a container. */
export function masterProgram(ctx: ContainerContext): Program {
  const release = mesosRelease(imageTag(ctx));
  const version = release?.version ?? "0.22.1";
  const traits = mesosTraits(version);
  const life = daemonLife(ctx);
  const { exit, fatal } = life;
  const loaded = loadMesosFlags("master", version, ctx.args, ctx.env, containerFileReader(ctx));
  const state = {
    flags: new Map() as MesosFlagValues,
    ip: ctx.host.address,
    port: 5050,
    hostname: ctx.host.name,
    id: "",
    info: undefined as MasterInfo | undefined,
    leader: undefined as MasterInfo | undefined,
    elected: false,
    recovered: false,
    electedTime: 0,
    startTime: Date.now() / 1000,
    zkUrl: undefined as ZkUrl | undefined,
    member: undefined as string | undefined,
    quorum: 1,
    agents: new Map<string, AgentEntry>(),
    tasks: new Map<string, TaskEntry>(),
    frameworks: new Map<string, FrameworkEntry>(),
    updates: [] as Array<StatusUpdate & { seq: number }>,
    nextAgent: 0,
    maintenance: NO_MAINTENANCE as MaintenanceState,
  };

  const pingTimeout = () => (traits.pingFlags ? flagSeconds(state.flags, "slave_ping_timeout", flagSeconds(state.flags, "agent_ping_timeout", 15)) : 15);
  const maxPings = () => {
    if (!traits.pingFlags) return 5;
    return Number(flagText(state.flags, "max_slave_ping_timeouts") ?? flagText(state.flags, "max_agent_ping_timeouts") ?? 5);
  };

  const registryPath = () => `/_sim/registry${state.zkUrl?.path ?? "/mesos"}`;
  const readRegistry = async (): Promise<Registry> => {
    const data = life.zk ? await life.zk.get(registryPath()) : undefined;
    return data ? (JSON.parse(data) as Registry) : { agents: {}, removed: [] };
  };
  const writeRegistry = async (registry: Registry) => {
    if (life.zk) await life.zk.put(registryPath(), JSON.stringify(registry));
  };

  const recordStatus = (task: TaskEntry, state_: TaskState, reason?: string, message?: string, agentHost?: string) => {
    task.state = state_;
    task.statuses.push({ state: state_, timestamp: Date.now() / 1000 });
    const update: StatusUpdate & { seq: number } = {
      seq: state.updates.length,
      task_id: task.task.task_id,
      framework_id: task.task.framework_id,
      slave_id: task.task.slave_id,
      state: state_,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
      timestamp: Date.now() / 1000,
    };
    state.updates.push(update);
    if (TERMINAL.has(state_)) {
      state.tasks.delete(task.task.task_id);
      state.frameworks.get(task.task.framework_id)?.completed.push(task);
      ctx.ledger.record({
        kind: "task.status",
        taskId: task.task.task_id,
        appId: task.task.labels.MARATHON_APP_ID,
        agentId: task.task.slave_id,
        agentHost: agentHost ?? state.agents.get(task.task.slave_id)?.info.hostname,
        state: state_,
        ...(reason ? { reason } : {}),
        ...(message ? { message } : {}),
      });
    }
  };

  const removeAgent = async (agent: AgentEntry, reason: string, message: string) => {
    state.agents.delete(agent.id);
    for (const task of [...state.tasks.values()].filter((t) => t.task.slave_id === agent.id)) recordStatus(task, "TASK_LOST", "REASON_SLAVE_REMOVED", message, agent.info.hostname);
    ctx.ledger.record({ kind: "agent.removed", agentId: agent.id, agentHost: agent.info.hostname, reason: message });
    glog(ctx, "I", "master.cpp:4703", `Removed ${traits.agentWord} ${agent.id} (${agent.info.hostname}): ${reason}`);
    const registry = await readRegistry();
    delete registry.agents[agent.id];
    if (!registry.removed.includes(agent.id)) registry.removed.push(agent.id);
    await writeRegistry(registry);
    void sendMessage(agent.info.ip, agent.info.port, "slave(1)", "ShutdownMessage", { slave_id: agent.id, message }, 1000).catch(() => undefined);
  };

  const pingAgents = async () => {
    if (!state.elected) return;
    await Promise.all(
      [...state.agents.values()].map(async (agent) => {
        const answered = await sendMessage(agent.info.ip, agent.info.port, "slave(1)", "PingSlaveMessage", { slave_id: agent.id, connected: agent.connected }, Math.max(200, ctx.clock.ms(pingTimeout())))
          .then((r) => r.status === 200)
          .catch(() => false);
        if (answered) {
          agent.missedPings = 0;
          return;
        }
        agent.missedPings++;
        if (agent.missedPings === 1) {
          agent.connected = false;
          glog(ctx, "I", "master.cpp:1083", `${traits.agentWord === "agent" ? "Agent" : "Slave"} ${agent.id} (${agent.info.hostname}) disconnected`);
        }
        if (agent.missedPings >= maxPings()) {
          await removeAgent(agent, "health check timed out", `${traits.agentWord === "agent" ? "Agent" : "Slave"} ${agent.info.hostname} removed: health check timed out`);
        }
      }),
    );
  };

  const inMaintenanceDown = (info: SlaveInfo) => isDown(state.maintenance, info);

  const registerAgent = async (body: { slave: SlaveInfo; version?: string; slave_id?: string; tasks?: ReportedTask[] }): Promise<Reply> => {
    if (!state.elected || !state.recovered) return { status: 503, body: { message: "Not the leading master" } };
    const agentVersion = body.version ?? "0.22.0";
    if (traits.minimumAgentVersion && compareVersions(agentVersion, traits.minimumAgentVersion) < 0) {
      glog(ctx, "W", "master.cpp:5519", `Ignoring ${body.slave_id ? "re-" : ""}registration attempt from old agent at slave(1)@${body.slave.ip}:${body.slave.port}: agent version is ${agentVersion}, minimum supported agent version is ${traits.minimumAgentVersion}`);
      return { status: 202, body: { ignored: true } };
    }
    if (inMaintenanceDown(body.slave)) {
      return { body: { shutdown: true, message: `${traits.agentWord === "agent" ? "Agent" : "Slave"} attempted to register while its machine is down for maintenance` } };
    }
    const registry = await readRegistry();
    if (body.slave_id) {
      if (registry.removed.includes(body.slave_id)) {
        return { body: { shutdown: true, message: `${traits.agentWord === "agent" ? "Agent" : "Slave"} attempted to re-register after removal` } };
      }
      const existing = state.agents.get(body.slave_id);
      const agent: AgentEntry = existing ?? { id: body.slave_id, info: body.slave, version: agentVersion, registeredTime: Date.now() / 1000, connected: true, missedPings: 0 };
      agent.info = body.slave;
      agent.version = agentVersion;
      agent.connected = true;
      agent.missedPings = 0;
      agent.reregisteredTime = Date.now() / 1000;
      state.agents.set(agent.id, agent);
      const reported = new Set((body.tasks ?? []).map((t) => t.task.task_id));
      for (const task of [...state.tasks.values()].filter((t) => t.task.slave_id === agent.id && !reported.has(t.task.task_id))) {
        recordStatus(task, "TASK_LOST", "REASON_SLAVE_REREGISTERED", "Task was not reported by the re-registered agent");
      }
      for (const reportedTask of body.tasks ?? []) {
        if (TERMINAL.has(reportedTask.state)) continue;
        const known = state.tasks.get(reportedTask.task.task_id);
        if (known) known.state = reportedTask.state;
        else state.tasks.set(reportedTask.task.task_id, { task: reportedTask.task, state: reportedTask.state, statuses: [{ state: reportedTask.state, timestamp: Date.now() / 1000 }] });
      }
      registry.agents[agent.id] = { hostname: body.slave.hostname, ip: body.slave.ip };
      await writeRegistry(registry);
      ctx.ledger.record({ kind: "agent.registered", agentId: agent.id, agentHost: body.slave.hostname, version: agentVersion, detail: { reregistered: true, tasks: reported.size } });
      glog(ctx, "I", "master.cpp:3920", `Re-registered ${traits.agentWord} ${agent.id} at slave(1)@${body.slave.ip}:${body.slave.port} (${body.slave.hostname})`);
      return { body: { slave_id: agent.id, master_id: state.id } };
    }
    // A new registration from the address of a known agent means that agent lost its state: remove the old one.
    for (const old of [...state.agents.values()].filter((a) => a.info.ip === body.slave.ip && a.info.port === body.slave.port)) {
      await removeAgent(old, "re-registered as a new agent", `${traits.agentWord === "agent" ? "Agent" : "Slave"} ${old.info.hostname} removed: registered again as a new agent`);
    }
    const id = `${state.id}-S${state.nextAgent++}`;
    state.agents.set(id, { id, info: body.slave, version: agentVersion, registeredTime: Date.now() / 1000, connected: true, missedPings: 0 });
    const fresh = await readRegistry();
    fresh.agents[id] = { hostname: body.slave.hostname, ip: body.slave.ip };
    await writeRegistry(fresh);
    ctx.ledger.record({ kind: "agent.registered", agentId: id, agentHost: body.slave.hostname, version: agentVersion, detail: { reregistered: false } });
    glog(ctx, "I", "master.cpp:3764", `Registered ${traits.agentWord} ${id} at slave(1)@${body.slave.ip}:${body.slave.port} (${body.slave.hostname})`);
    return { body: { slave_id: id, master_id: state.id } };
  };

  const used = (agentId: string) => {
    let cpus = 0;
    let mem = 0;
    for (const t of state.tasks.values()) {
      if (t.task.slave_id !== agentId) continue;
      cpus += t.task.resources.cpus;
      mem += t.task.resources.mem;
    }
    return { cpus, mem };
  };

  const internal = async (message: string, body: Record<string, unknown>): Promise<Reply> => {
    switch (message) {
      case "RegisterSlaveMessage":
      case "ReregisterSlaveMessage":
        return registerAgent(body as never);
      case "StatusUpdateMessage": {
        const update = body as unknown as StatusUpdate;
        const task = state.tasks.get(update.task_id);
        if (task && task.state !== update.state) recordStatus(task, update.state, update.reason, update.message);
        return { body: { acknowledged: true } };
      }
      case "RegisterFrameworkMessage":
      case "ReregisterFrameworkMessage": {
        if (!state.elected || !state.recovered) return { status: 503, body: { message: "Not the leading master" } };
        const info = body.framework as FrameworkInfo;
        const id = info.id ?? `${state.id}-0000`;
        const existing = state.frameworks.get(id);
        state.frameworks.set(id, { info: { ...info, id }, registeredTime: existing?.registeredTime ?? Date.now() / 1000, connected: true, completed: existing?.completed ?? [] });
        return { body: { framework_id: id, master_id: state.id, master_info: state.info } };
      }
      case "Offers": {
        if (!state.elected) return { status: 503, body: { message: "Not the leading master" } };
        return {
          body: {
            agents: [...state.agents.values()]
              .filter((a) => a.connected && !inMaintenanceDown(a.info))
              .map((a) => ({ slave_id: a.id, hostname: a.info.hostname, ip: a.info.ip, version: a.version, resources: a.info.resources, used: used(a.id), attributes: a.info.attributes })),
          },
        };
      }
      case "LaunchTasksMessage": {
        if (!state.elected) return { status: 503, body: { message: "Not the leading master" } };
        const tasks = body.tasks as TaskInfo[];
        for (const task of tasks) {
          const entry: TaskEntry = { task, state: "TASK_STAGING", statuses: [{ state: "TASK_STAGING", timestamp: Date.now() / 1000 }] };
          state.tasks.set(task.task_id, entry);
          const agent = state.agents.get(task.slave_id);
          if (!agent || !agent.connected) {
            recordStatus(entry, "TASK_LOST", "REASON_SLAVE_REMOVED", "Task launched on an agent that is not registered");
            continue;
          }
          const framework = state.frameworks.get(task.framework_id);
          const sent = await sendMessage(agent.info.ip, agent.info.port, "slave(1)", "RunTaskMessage", { framework: framework?.info, task }).catch(() => undefined);
          if (!sent || sent.status !== 200) recordStatus(entry, "TASK_LOST", "REASON_SLAVE_DISCONNECTED", "Agent did not accept the task");
        }
        return { body: { ok: true } };
      }
      case "KillTaskMessage": {
        const task = state.tasks.get(String(body.task_id));
        const agent = task ? state.agents.get(task.task.slave_id) : undefined;
        if (task && agent) await sendMessage(agent.info.ip, agent.info.port, "slave(1)", "KillTaskMessage", { task_id: task.task.task_id, framework_id: task.task.framework_id }).catch(() => undefined);
        return { body: { ok: true } };
      }
      case "StatusUpdates": {
        if (!state.elected) return { status: 503, body: { message: "Not the leading master" } };
        const since = Number(body.since ?? 0);
        return { body: { master_id: state.id, updates: state.updates.filter((u) => u.seq >= since && u.framework_id === body.framework_id), next: state.updates.length } };
      }
      case "ReconcileTasksMessage": {
        if (!state.elected) return { status: 503, body: { message: "Not the leading master" } };
        const registry = await readRegistry();
        const answers: StatusUpdate[] = [];
        for (const item of body.tasks as Array<{ task_id: string; slave_id: string }>) {
          const task = state.tasks.get(item.task_id);
          if (task) answers.push({ task_id: item.task_id, framework_id: String(body.framework_id), slave_id: item.slave_id, state: task.state, timestamp: Date.now() / 1000 });
          else if (!registry.agents[item.slave_id] || registry.removed.includes(item.slave_id) || state.agents.has(item.slave_id)) {
            answers.push({ task_id: item.task_id, framework_id: String(body.framework_id), slave_id: item.slave_id, state: "TASK_LOST", reason: "REASON_RECONCILIATION", message: "Reconciliation: Task is unknown", timestamp: Date.now() / 1000 });
          }
        }
        return { body: { updates: answers } };
      }
      default:
        return { status: 404, body: { message: `unknown message ${message}` } };
    }
  };

  const taskJson = (t: TaskEntry) => taskModel(version, t.task, t.state, t.statuses, t.task.slave_id);

  const agentJson = (a: AgentEntry) => ({
    id: a.id,
    pid: `slave(1)@${a.info.ip}:${a.info.port}`,
    hostname: a.info.hostname,
    registered_time: a.registeredTime,
    ...(a.reregisteredTime ? { reregistered_time: a.reregisteredTime } : {}),
    resources: a.info.resources,
    used_resources: { ...used(a.id), disk: 0, ports: "" },
    offered_resources: { cpus: 0, mem: 0, disk: 0 },
    attributes: a.info.attributes,
    active: a.connected,
    ...(traits.agentVersionInState ? { version: a.version } : {}),
  });

  const frameworkJson = (f: FrameworkEntry) => {
    const tasks = [...state.tasks.values()].filter((t) => t.task.framework_id === f.info.id);
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
      resources: { cpus: tasks.reduce((s, t) => s + t.task.resources.cpus, 0), mem: tasks.reduce((s, t) => s + t.task.resources.mem, 0) },
      used_resources: { cpus: tasks.reduce((s, t) => s + t.task.resources.cpus, 0), mem: tasks.reduce((s, t) => s + t.task.resources.mem, 0) },
      offered_resources: { cpus: 0, mem: 0 },
      tasks: tasks.map(taskJson),
      completed_tasks: f.completed.slice(-100).map(taskJson),
      offers: [],
      executors: [],
      ...(f.info.webui_url ? { webui_url: f.info.webui_url } : {}),
    };
  };

  // Every flag with a value: the given ones over the release's defaults (model(flags) in src/common/http.cpp).
  const flagsJson = () => {
    const out: Record<string, string> = { ...mesosFlagDefaults(version, "master") };
    for (const [key, value] of state.flags) out[key] = String(value);
    return out;
  };

  const stateJson = () => {
    const counters: Record<string, number> = {};
    if (traits.stateTaskCounters) {
      const all = [...state.tasks.values(), ...[...state.frameworks.values()].flatMap((f) => f.completed)];
      for (const [key, st] of [["staged_tasks", "TASK_STAGING"], ["started_tasks", "TASK_RUNNING"], ["finished_tasks", "TASK_FINISHED"], ["killed_tasks", "TASK_KILLED"], ["failed_tasks", "TASK_FAILED"], ["lost_tasks", "TASK_LOST"]] as const) {
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
      ...(traits.leaderInfo && state.leader ? { leader_info: { id: state.leader.id, pid: state.leader.pid, port: state.leader.port, hostname: state.leader.hostname, address: state.leader.address } } : {}),
      ...(flagText(state.flags, "log_dir") ? { log_dir: flagText(state.flags, "log_dir") } : {}),
      ...(flagText(state.flags, "cluster") ? { cluster: flagText(state.flags, "cluster") } : {}),
      flags: flagsJson(),
      slaves: state.elected ? agents.map(agentJson) : [],
      frameworks: state.elected ? [...state.frameworks.values()].map(frameworkJson) : [],
      completed_frameworks: [],
      orphan_tasks: [],
      unregistered_frameworks: [],
      ...counters,
    };
  };

  // master/<resource>_total, _used and _percent over the registered agents (Master::_resources_* in master.hpp).
  const resourceGauges = (agents: AgentEntry[]) => {
    const out: Record<string, number> = {};
    for (const name of ["cpus", "mem"] as const) {
      const total = agents.reduce((sum, a) => sum + a.info.resources[name], 0);
      const inUse = agents.reduce((sum, a) => sum + used(a.id)[name], 0);
      Object.assign(out, { [`master/${name}_total`]: total, [`master/${name}_used`]: inUse, [`master/${name}_percent`]: total > 0 ? inUse / total : 0 });
    }
    return out;
  };

  const metrics = () => {
    const agents = [...state.agents.values()];
    const count = (s: TaskState) => [...state.tasks.values()].filter((t) => t.state === s).length;
    const completed = [...state.frameworks.values()].flatMap((f) => f.completed);
    const done = (s: TaskState) => completed.filter((t) => t.state === s).length;
    return {
      // Every metric of the release, 0 unless modelled below.
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
      ...resourceGauges(agents),
      "registrar/queued_operations": 0,
      "system/cpus_total": 4,
    };
  };

  /** Answers a maintenance endpoint; a change is written to the registry before the answer, as the registrar does. */
  const maintenance = async (req: Incoming, path: string): Promise<Reply> => {
    const outcome = maintenanceRequest(state.maintenance, { method: req.method, path, body: req.body }, version);
    if (!outcome) return { status: 404, body: "" };
    if (outcome.next) {
      const registry = await readRegistry();
      registry.maintenance = outcome.next;
      await writeRegistry(registry);
      state.maintenance = outcome.next;
    }
    for (const machine of outcome.downed ?? []) {
      for (const agent of [...state.agents.values()].filter((a) => matchesAgent(machine, a.info))) {
        await removeAgent(agent, "Operator initiated 'Machine DOWN'", `${traits.agentWord === "agent" ? "Agent" : "Slave"} ${agent.info.hostname} removed: machine is down for maintenance`);
      }
    }
    return { status: outcome.status, body: outcome.body, ...(outcome.headers ? { headers: outcome.headers } : {}) };
  };

  const STANDBY_REDIRECTED = ["/master/state", "/master/state.json", "/master/state-summary", "/master/tasks", "/master/tasks.json", "/master/frameworks", "/master/slaves", "/master/roles", "/master/roles.json", "/master/teardown", "/master/maintenance/schedule", "/master/maintenance/status", "/master/machine/down", "/master/machine/up"];

  const handle = async (req: Incoming): Promise<Reply> => {
    const path = routePath(req.path, "master", ["master", "metrics", "version", "__processes__", "system", "files", "logging"]);
    const internalMatch = /^\/master\/mesos\.internal\.(\w+)$/.exec(path);
    if (internalMatch && req.method === "POST") return internal(internalMatch[1] as string, (req.json ?? {}) as Record<string, unknown>);
    if (traits.standbyRedirects && !state.elected && STANDBY_REDIRECTED.includes(path)) {
      if (!state.leader) return { status: 503, body: "No leader elected" };
      return { status: 307, headers: { location: `//${state.leader.hostname}:${state.leader.port}${req.path}` } };
    }
    switch (path) {
      case "/master/health":
        // OK() without a body: no Content-Type, Content-Length: 0 (Master::Http::health; libprocess encoder.hpp).
        return { status: 200 };
      case "/master/redirect": {
        if (traits.redirect503WithoutLeader && !state.leader) return { status: 503, body: "No leader elected" };
        const target = state.leader ?? state.info;
        const base = compareVersions(version, "0.23.0") >= 0 ? `//${target?.hostname}:${target?.port}` : `http://${target?.hostname}:${target?.port}`;
        return { status: 307, headers: { location: base } };
      }
      case "/master/state.json":
        return { body: stateJson() };
      case "/master/state":
        return traits.stateWithoutJson ? { body: stateJson() } : { status: 404 };
      case "/master/state-summary":
        return traits.stateSummary
          ? { body: { hostname: state.hostname, cluster: flagText(state.flags, "cluster") ?? "", slaves: [...state.agents.values()].map(agentJson), frameworks: [...state.frameworks.values()].map((f) => ({ id: f.info.id, name: f.info.name })) } }
          : { status: 404 };
      case "/master/stats.json":
      case "/stats.json":
        return traits.statsJson ? { body: { elected: state.elected ? 1 : 0, activated_slaves: state.agents.size, uptime: ctx.clock.since(state.startTime * 1000) } } : { status: 404 };
      case "/master/tasks.json":
      case "/master/tasks":
        if (path === "/master/tasks" && !traits.stateWithoutJson) return { status: 404 };
        return { body: { tasks: [...state.tasks.values()].map(taskJson) } };
      case "/master/slaves":
        return { body: { slaves: [...state.agents.values()].map(agentJson) } };
      case "/master/frameworks":
        return traits.versionEndpoint ? { body: { frameworks: [...state.frameworks.values()].map(frameworkJson), completed_frameworks: [], unregistered_frameworks: [] } } : { status: 404 };
      case "/master/flags":
        return traits.versionEndpoint ? { body: { flags: flagsJson() } } : { status: 404 };
      case "/master/roles.json":
      case "/master/roles":
        return { body: { roles: [{ name: "*", weight: 1, frameworks: [...state.frameworks.keys()], resources: { cpus: 0, mem: 0 } }] } };
      case "/metrics/snapshot":
        return { body: metrics() };
      case "/version":
        return traits.versionEndpoint ? { body: buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? "") } : { status: 404 };
      case "/master/maintenance/schedule":
      case "/master/maintenance/status":
      case "/master/machine/down":
      case "/master/machine/up":
        if (!traits.maintenance) return { status: 404, body: "" };
        if (!state.elected || !state.recovered) return { status: 503, body: "Not the leading master" };
        return maintenance(req, path);
      default:
        return { status: 404 };
    }
  };

  const contend = async () => {
    const url = state.zkUrl as ZkUrl;
    const zk = await connectZk(url, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
    life.zk = zk;
    zk.onDisconnect = () => exit("Lost connection to ZooKeeper", 1);
    state.member = (await zk.create(`${url.path}/${traits.zkLabel}_`, JSON.stringify(state.info), { ephemeral: true, sequential: true })).split("/").pop();
    glog(ctx, "I", "contender.cpp:268", `New candidate (id='${sequenceOf(state.member as string)}') has entered the contest for leadership`);
    let recoveryPending = false;
    const detect = async () => {
      if (life.ended) return;
      const detected = await detectMaster(zk, url.path, version);
      if (detected.error) return exit(`Failed to detect the leading master: ${detected.error}; committing suicide!`);
      const wasElected = state.elected;
      state.leader = detected.leader;
      const leading = detected.members[0] === state.member;
      if (wasElected && !leading) return exit("Lost leadership... committing suicide!");
      if (!leading) return;
      if (!wasElected) {
        state.elected = true;
        state.electedTime = Date.now() / 1000;
        glog(ctx, "I", "master.cpp:1369", "Elected as the leading master!");
        ctx.ledger.record({ kind: "leader.elected", service: "mesos", leader: `${state.info?.hostname}:${state.port}`, version });
      }
      // The registrar needs a quorum of replicas (masters) before the leader can recover and act.
      if (!state.recovered && detected.members.length >= state.quorum) {
        // The registry holds the machines in maintenance and the schedule (registry.proto): a new leader recovers
        // them, so a machine taken down before a restart or a leader change stays down until brought up.
        state.maintenance = (await readRegistry()).maintenance ?? NO_MAINTENANCE;
        if (life.ended || state.recovered) return;
        state.recovered = true;
        glog(ctx, "I", "master.cpp:1482", "Recovered 0 slaves from the Registry");
      } else if (!state.recovered && !recoveryPending) {
        recoveryPending = true;
        const timeout = flagSeconds(state.flags, "registry_fetch_timeout", 60);
        life.after(timeout, () => {
          if (!state.recovered) fatal("master.cpp:1409", `Recovery failed: Failed to recover registrar: Failed to perform fetch within ${formatMesosDuration(timeout)}`);
        });
      }
    };
    await zk.watchChildren(url.path, () => void detect().catch(() => undefined));
    await detect();
  };

  const start = async () => {
    if ("error" in loaded) return exit(usageText("master", version, loaded.error));
    state.flags = loaded.values;
    for (const warning of loaded.warnings) glog(ctx, "W", "main.cpp:230", warning);
    const bind = bindAddress(ctx, flagText(state.flags, "ip"));
    if ("error" in bind) return exit(bind.error);
    state.ip = bind.ip;
    state.port = Number(flagText(state.flags, "port") ?? 5050);
    state.hostname = flagText(state.flags, "hostname") ?? ctx.host.name;
    const registry = flagText(state.flags, "registry") ?? "replicated_log";
    if (registry === "replicated_log" && flagText(state.flags, "work_dir") === undefined) return exit("--work_dir needed for replicated log based registry");
    const zkText = flagText(state.flags, "zk");
    if (zkText !== undefined && registry === "replicated_log" && flagText(state.flags, "quorum") === undefined) {
      return exit("Need to specify --quorum for replicated log based registry when using ZooKeeper");
    }
    state.quorum = Number(flagText(state.flags, "quorum") ?? 1);
    await ctx.clock.sleep(ctx.clock.profile.mesosStartSeconds);
    if (life.ended) return;
    state.id = masterId(version, state.ip, state.port);
    state.info = {
      id: state.id,
      ip: state.ip,
      port: state.port,
      pid: `master@${state.ip}:${state.port}`,
      hostname: state.hostname,
      version,
      address: { ip: state.ip, port: state.port, hostname: state.hostname },
    };
    const access = mesosHttpAccess("master", version, state.flags, ctx.env, containerFileReader(ctx));
    if ("error" in access) return exit(access.error);
    const served = await serveHttp(state.ip, state.port, access.guard(handle), access.tls);
    if ("error" in served) return exit(served.error);
    life.server = served;
    glog(ctx, "I", "master.cpp:312", `Master ${state.id} (${state.hostname}) started on ${state.ip}:${state.port}`);
    glog(ctx, "I", "master.cpp:314", `Flags at startup: ${[...state.flags].map(([k, v]) => `--${k}="${String(v)}"`).join(" ")}`);
    if (zkText === undefined) {
      state.elected = true;
      state.recovered = true;
      state.leader = state.info;
      state.electedTime = Date.now() / 1000;
      ctx.ledger.record({ kind: "leader.elected", service: "mesos", leader: `${state.hostname}:${state.port}`, version });
    } else {
      const url = parseZkUrl(zkText);
      if ("error" in url) return exit(`Error parsing ZooKeeper URL: ${url.error}`);
      state.zkUrl = url;
      await contend();
    }
    life.every(pingTimeout(), pingAgents);
  };

  start().catch((error: Error) => exit(`Failed to start: ${error.message}`));

  return {
    stop: async (signal) => life.end(signal === "SIGKILL" ? 137 : 143),
  };
}

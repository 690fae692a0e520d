// The leader's Mesos framework: registration (with the minimum Mesos check), status updates and reconciliation,
// health checks, and the scaling pass that keeps every app at its instance count, launching on offered agents.
import { randomUUID } from "node:crypto";
import { compareVersions } from "../catalogue/versions";
import { sendMessage, type MasterInfo } from "../mesos/common";
import { TERMINAL, type StatusUpdate, type TaskInfo } from "../mesos/messages";
import { checksOf, healthOf, runDueChecks } from "./health-checker";
import { save, saveFrameworkId } from "./registry";
import { log, self, type AppDefinition, type MarathonNode, type MarathonTask } from "./state";

/** An agent as the master offers it (a stand-in for resource offers). */
interface OfferedAgent {
  slave_id: string;
  hostname: string;
  ip: string;
  version?: string;
  resources: { cpus: number; mem: number };
  used: { cpus: number; mem: number };
}

/** Sends a scheduler message to the leading master; undefined when it does not answer 200. */
export async function masterCall(node: MarathonNode, message: string, body: unknown): Promise<unknown> {
  const master = node.state.master;
  if (!master) return undefined;
  const result = await sendMessage(master.ip, master.port, "master", message, body).catch(() => undefined);
  return result && result.status === 200 ? result.json : undefined;
}

/** Asks the master to kill a task. */
export function killTask(node: MarathonNode, taskId: string): Promise<unknown> {
  return masterCall(node, "KillTaskMessage", { task_id: taskId, framework_id: node.state.frameworkId });
}

async function registerFramework(node: MarathonNode): Promise<boolean> {
  const { state, traits, release, life, ctx } = node;
  const reply = (await masterCall(node, state.frameworkId ? "ReregisterFrameworkMessage" : "RegisterFrameworkMessage", {
    framework: {
      ...(state.frameworkId ? { id: state.frameworkId } : {}),
      name: String(state.values.get("framework_name") ?? "marathon"),
      user: String(state.values.get("mesos_user") ?? "root"),
      hostname: state.hostname,
      checkpoint: state.values.get("checkpoint") !== false,
      failover_timeout: Number(state.values.get("failover_timeout") ?? 604800),
      role: String(state.values.get("mesos_role") ?? "*"),
      webui_url: `http://${self(node)}`,
    },
  })) as { framework_id: string; master_id: string; master_info: MasterInfo } | undefined;
  if (!reply) return false;
  const minimum = traits.checksMasterVersion ? traits.masterMinimum : (release?.minimumMesos ?? "0.20.1");
  log(node, "INFO", `Mesos Master version ${reply.master_info.version}`);
  if (compareVersions(reply.master_info.version, minimum) < 0) {
    log(
      node,
      "ERROR",
      `Mesos Master version ${reply.master_info.version} does not meet minimum required version ${minimum}`,
    );
    log(node, "ERROR", "Committing suicide!");
    ctx.exit(life.end(137));
    return false;
  }
  state.frameworkId = reply.framework_id;
  if (state.masterId !== reply.master_id) state.cursor = 0;
  state.masterId = reply.master_id;
  await saveFrameworkId(node, reply.framework_id);
  log(node, "INFO", `Registered as ${reply.framework_id} to master '${reply.master_id}'`);
  return true;
}

function applyUpdate(node: MarathonNode, update: StatusUpdate): void {
  const { state } = node;
  const task = state.tasks.get(update.task_id);
  if (!task) return;
  if (TERMINAL.has(update.state)) {
    state.tasks.delete(update.task_id);
    if (update.state !== "TASK_KILLED" || task.state !== "killing") {
      state.ended.set(task.appId, [...(state.ended.get(task.appId) ?? []), task.id]);
    }
    return;
  }
  task.state = update.state;
  if (update.state === "TASK_RUNNING" && !task.startedAt) task.startedAt = new Date().toISOString();
}

const uniqueHostname = (app: AppDefinition) =>
  (app.constraints ?? []).some((c) => c[0] === "hostname" && c[1] === "UNIQUE");

/**
 * Runs the due checks of running tasks; a task that failed too often is killed and, once TASK_KILLED arrives,
 * replaced by the scaling pass like any other ended task (HealthCheckActor.checkConsecutiveFailures). For COMMAND
 * checks Mesos' executor kills the task itself after consecutive_failures; the outcome Marathon sees is the same.
 */
function checkHealth(node: MarathonNode): void {
  const { state } = node;
  const checked = [...state.tasks.values()]
    .filter((t) => t.state === "TASK_RUNNING")
    .map((t) => ({ task: { ...t, env: t.env ?? {} }, checks: checksOf(state.apps.get(t.appId) ?? {}) }))
    .filter((t) => t.checks.length > 0);
  runDueChecks(state.health, node.ctx.clock, checked, (task, cause) => {
    log(node, "INFO", `Detected unhealthy task ${task.id} of app [${task.appId}] on host ${task.host}: ${cause}`);
    log(node, "INFO", `Send kill request for task ${task.id} on host ${task.host} to driver`);
    void killTask(node, task.id);
  });
}

/** A copy of `items` in random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Kills surplus tasks and launches missing ones on the offered agents (UNIQUE hostname constraints kept). */
async function scale(node: MarathonNode, app: AppDefinition, agents: OfferedAgent[]): Promise<void> {
  const { state, ctx } = node;
  const tasks = [...state.tasks.values()].filter((t) => t.appId === app.id);
  for (const surplus of tasks.slice(app.instances).reverse()) {
    surplus.state = "killing";
    await killTask(node, surplus.id);
  }
  let missing = app.instances - tasks.length;
  // In the order the master offers them: Mesos' hierarchical allocator shuffles the agents at every allocation
  // (`std::random_shuffle` of the slave ids in `HierarchicalAllocatorProcess::allocate`), and Marathon launches a task
  // on the first offer that fits it, so a task starts on any agent with room, not on the least used one first.
  const candidates = shuffled(
    agents.filter((a) => a.resources.cpus - a.used.cpus >= app.cpus && a.resources.mem - a.used.mem >= app.mem),
  );
  const launches: TaskInfo[] = [];
  for (const agent of candidates) {
    if (missing <= 0) break;
    if (uniqueHostname(app) && tasks.some((t) => t.host === agent.hostname)) continue;
    const id = `${app.id.replace(/^\//, "").replace(/\//g, "_")}.${randomUUID()}`;
    // One host port per service port (app.ports, one per port mapping), from the offer's port range: the agent's
    // 31000–32000 less the ports its tasks hold (Mesos offers only unused ports).
    const held = new Set([...state.tasks.values()].filter((t) => t.slaveId === agent.slave_id).flatMap((t) => t.ports));
    const ports = (app.ports ?? []).map(() => {
      let port = 31000 + Math.floor(Math.random() * 1000);
      while (held.has(port)) port = 31000 + ((port - 31000 + 1) % 1000);
      held.add(port);
      return port;
    });
    const env = {
      ...(app.env ?? {}),
      MARATHON_APP_ID: app.id,
      MARATHON_APP_VERSION: app.version ?? "",
      HOST: agent.hostname,
      ...Object.fromEntries(ports.map((p, i) => [`PORT${i}`, String(p)])),
    };
    const task: MarathonTask = {
      id,
      appId: app.id,
      host: agent.hostname,
      slaveId: agent.slave_id,
      ports,
      stagedAt: new Date().toISOString(),
      startedAt: null,
      version: app.version ?? "",
      state: "TASK_STAGING",
      ...(agent.version ? { agentVersion: agent.version } : {}),
      env,
    };
    state.tasks.set(id, task);
    tasks.push(task);
    missing--;
    agent.used.cpus += app.cpus;
    agent.used.mem += app.mem;
    const replaces = state.ended.get(app.id)?.splice(0, 1) ?? [];
    ctx.ledger.record({
      kind: "task.launch",
      taskId: id,
      appId: app.id,
      agentId: agent.slave_id,
      agentHost: agent.hostname,
      ...(replaces.length ? { replaces } : {}),
    });
    launches.push({
      task_id: id,
      name: app.id.replace(/^\//, "").replace(/\//g, "."),
      framework_id: state.frameworkId as string,
      slave_id: agent.slave_id,
      resources: { cpus: app.cpus, mem: app.mem, disk: app.disk ?? 0, ports: "" },
      container: {
        type: "DOCKER",
        docker: {
          image: app.container?.docker?.image ?? "busybox:latest",
          network: app.container?.docker?.network ?? "BRIDGE",
        },
      },
      env,
      args: app.args ?? (app.cmd ? ["sh", "-c", app.cmd] : []),
      labels: { ...(app.labels ?? {}), MARATHON_APP_ID: app.id },
      ports,
    });
  }
  if (launches.length) {
    await masterCall(node, "LaunchTasksMessage", { framework_id: state.frameworkId, tasks: launches });
  }
}

/**
 * Ends the deployments whose app is at its instance count: running tasks, or healthy ones where the app has health
 * checks (TaskStartActor / TaskReplaceActor wait for HealthStatusChanged(alive = true) then).
 */
function finishDeployments(node: MarathonNode): void {
  const { state } = node;
  for (const [id, deployment] of state.deployments) {
    const app = state.apps.get(deployment.app);
    const tasks = [...state.tasks.values()].filter((t) => t.appId === deployment.app && t.state === "TASK_RUNNING");
    const ready = app?.healthChecks?.length
      ? tasks.filter((t) => healthOf(state.health, t.id) === "healthy").length
      : tasks.length;
    if (!app || ready === app.instances) state.deployments.delete(id);
  }
}

/** One pass of the leader's scheduler (every marathonCycleSeconds). */
export async function schedulerCycle(node: MarathonNode): Promise<void> {
  const { state, life } = node;
  if (!state.isLeader || life.ended) return;
  if (!state.master || !state.masterId) {
    if (!(await registerFramework(node))) return;
  }
  const updates = (await masterCall(node, "StatusUpdates", {
    framework_id: state.frameworkId,
    since: state.cursor,
  })) as { master_id: string; updates: StatusUpdate[]; next: number } | undefined;
  if (!updates || updates.master_id !== state.masterId) {
    state.masterId = undefined;
    return;
  }
  for (const update of updates.updates) applyUpdate(node, update);
  state.cursor = updates.next;
  if (state.cycles++ % 10 === 0 && state.tasks.size) {
    const reconciled = (await masterCall(node, "ReconcileTasksMessage", {
      framework_id: state.frameworkId,
      tasks: [...state.tasks.values()].map((t) => ({ task_id: t.id, slave_id: t.slaveId })),
    })) as { updates: StatusUpdate[] } | undefined;
    for (const update of reconciled?.updates ?? []) applyUpdate(node, update);
  }
  checkHealth(node);
  const offers = (await masterCall(node, "Offers", {})) as { agents: OfferedAgent[] } | undefined;
  for (const app of state.apps.values()) await scale(node, app, offers?.agents ?? []);
  finishDeployments(node);
  await save(node);
}

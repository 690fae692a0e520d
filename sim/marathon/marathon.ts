// The simulated Marathon of a release: scallop flags (and MARATHON_* env via bin/start), leader election in
// ZooKeeper, the Mesos framework that keeps every app at its instance count (restarting lost tasks elsewhere),
// standbys proxying to the leader (503 without one), and the /ping, /v2/info, /v2/leader, /v2/apps, /v2/tasks API.
import { randomUUID } from "node:crypto";
import { marathonFlags, marathonRelease, marathonTraits } from "../catalogue/marathon";
import { compareVersions } from "../catalogue/versions";
import type { ContainerContext, Program } from "../docker/program";
import { request, type Incoming, type Reply } from "../http";
import type { ZkClient } from "../zk/client";
import { bindAddress, connectZk, daemonLife, detectMaster, imageTag, parseZkUrl, sendMessage, sequenceOf, serveHttp, type MasterInfo, type ZkUrl } from "../mesos/common";
import { TERMINAL, type StatusUpdate, type TaskInfo } from "../mesos/messages";
import { healthJson } from "./health";
import { checksOf, emptyHealthState, healthOf, resultsOf, runDueChecks } from "./health-checker";

/** A Marathon app definition (the subset the simulator acts on; other fields are kept and echoed). */
export interface AppDefinition {
  id: string;
  instances: number;
  cpus: number;
  mem: number;
  disk?: number;
  cmd?: string | null;
  args?: string[] | null;
  env?: Record<string, string>;
  constraints?: string[][];
  container?: { type: string; docker?: { image: string; network?: string; privileged?: boolean; portMappings?: Array<{ containerPort: number; hostPort?: number }> } };
  ports?: number[];
  healthChecks?: unknown[];
  labels?: Record<string, string>;
  version?: string;
  [key: string]: unknown;
}

interface MarathonTask {
  id: string;
  appId: string;
  host: string;
  slaveId: string;
  ports: number[];
  stagedAt: string;
  startedAt: string | null;
  version: string;
  state: string;
  /** The agent's Mesos version at launch (COMMAND health results depend on it). */
  agentVersion?: string;
  /** The environment the task was launched with ($HOST, $PORT0… for COMMAND checks). */
  env?: Record<string, string>;
}

function parseArgs(version: string, args: readonly string[], env: Readonly<Record<string, string>>): { values: Map<string, string | boolean> } | { error: string } {
  const known = marathonFlags(version);
  // bin/start turns MARATHON_XXX=yyy into "--xxx yyy" (MARATHON_APP* excluded) and puts them first.
  const words: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("MARATHON_") || key.startsWith("MARATHON_APP")) continue;
    words.push(`--${key.slice("MARATHON_".length).toLowerCase()}`, ...value.split(/\s+/).filter((w) => w !== ""));
  }
  words.push(...args);
  const values = new Map<string, string | boolean>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith("--")) return { error: `Excess arguments provided: '${word}'` };
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(2, eq) : word.slice(2);
    const disabled = name.startsWith("disable_") && known.get(name.slice("disable_".length)) === "toggle";
    const kind = disabled ? "toggle" : known.get(name);
    if (kind === undefined) return { error: `Unknown option '${name}'` };
    if (kind === "toggle" || kind === "flag") {
      values.set(disabled ? name.slice("disable_".length) : name, !disabled);
      continue;
    }
    const value = eq > 0 ? word.slice(eq + 1) : words[i + 1] !== undefined && !(words[i + 1] as string).startsWith("--") ? words[++i] : undefined;
    if (value === undefined) return { error: `Option '${name}' needs one argument` };
    values.set(name, value);
  }
  if (!values.has("master")) return { error: "Required option 'master' not found" };
  return { values };
}

/** Starts a simulated Marathon in a container. */
export function marathonProgram(ctx: ContainerContext): Program {
  const release = marathonRelease(imageTag(ctx));
  const version = release?.version ?? "0.9.1";
  const traits = marathonTraits(version);
  const life = daemonLife(ctx);
  const { exit } = life;
  let zk: ZkClient | undefined;
  const state = {
    values: new Map<string, string | boolean>(),
    hostname: ctx.host.address,
    port: 8080,
    zkUrl: undefined as ZkUrl | undefined,
    member: undefined as string | undefined,
    leader: undefined as string | undefined,
    isLeader: false,
    master: undefined as MasterInfo | undefined,
    masterId: undefined as string | undefined,
    frameworkId: undefined as string | undefined,
    cursor: 0,
    apps: new Map<string, AppDefinition>(),
    tasks: new Map<string, MarathonTask>(),
    ended: new Map<string, string[]>(),
    deployments: new Map<string, { id: string; version: string; app: string }>(),
    cycles: 0,
    health: emptyHealthState(),
  };

  const log = (level: string, message: string) => ctx.stdout(`[${new Date().toISOString()}] ${level} ${message} (mesosphere.marathon.MarathonSchedulerService)`);

  const self = () => `${state.hostname}:${state.port}`;
  const statePath = (name: string) => `${state.zkUrl?.path ?? "/marathon"}/state/${name}`;
  const save = async () => {
    if (!zk) return;
    await zk.put(statePath("apps"), JSON.stringify([...state.apps.values()]));
    await zk.put(statePath("tasks"), JSON.stringify([...state.tasks.values()]));
  };
  const load = async () => {
    if (!zk) return;
    state.apps = new Map(((JSON.parse((await zk.get(statePath("apps"))) ?? "[]") as AppDefinition[]).map((a) => [a.id, a])));
    state.tasks = new Map(((JSON.parse((await zk.get(statePath("tasks"))) ?? "[]") as MarathonTask[]).map((t) => [t.id, t])));
    state.frameworkId = (await zk.get(statePath("framework:id"))) || undefined;
    await zk.put(statePath("internal:storage:version"), JSON.stringify({ version, format: traits.storageFormat }));
  };

  const masterCall = async (message: string, body: unknown) => {
    const master = state.master;
    if (!master) return undefined;
    const result = await sendMessage(master.ip, master.port, "master", message, body).catch(() => undefined);
    return result && result.status === 200 ? result.json : undefined;
  };

  const registerFramework = async () => {
    const reply = (await masterCall(state.frameworkId ? "ReregisterFrameworkMessage" : "RegisterFrameworkMessage", {
      framework: {
        ...(state.frameworkId ? { id: state.frameworkId } : {}),
        name: String(state.values.get("framework_name") ?? "marathon"),
        user: String(state.values.get("mesos_user") ?? "root"),
        hostname: state.hostname,
        checkpoint: state.values.get("checkpoint") !== false,
        failover_timeout: Number(state.values.get("failover_timeout") ?? 604800),
        role: String(state.values.get("mesos_role") ?? "*"),
        webui_url: `http://${self()}`,
      },
    })) as { framework_id: string; master_id: string; master_info: MasterInfo } | undefined;
    if (!reply) return false;
    const minimum = traits.checksMasterVersion ? "1.1.0" : (release?.minimumMesos ?? "0.20.1");
    log("INFO", `Mesos Master version ${reply.master_info.version}`);
    if (compareVersions(reply.master_info.version, minimum) < 0) {
      log("ERROR", `Mesos Master version ${reply.master_info.version} does not meet minimum required version ${minimum}`);
      log("ERROR", "Committing suicide!");
      ctx.exit(life.end(137));
      return false;
    }
    state.frameworkId = reply.framework_id;
    if (state.masterId !== reply.master_id) state.cursor = 0;
    state.masterId = reply.master_id;
    await zk?.put(statePath("framework:id"), reply.framework_id);
    log("INFO", `Registered as ${reply.framework_id} to master '${reply.master_id}'`);
    return true;
  };

  const applyUpdate = (update: StatusUpdate) => {
    const task = state.tasks.get(update.task_id);
    if (!task) return;
    if (TERMINAL.has(update.state)) {
      state.tasks.delete(update.task_id);
      if (update.state !== "TASK_KILLED" || task.state !== "killing") state.ended.set(task.appId, [...(state.ended.get(task.appId) ?? []), task.id]);
      return;
    }
    task.state = update.state;
    if (update.state === "TASK_RUNNING" && !task.startedAt) task.startedAt = new Date().toISOString();
  };

  const uniqueHostname = (app: AppDefinition) => (app.constraints ?? []).some((c) => c[0] === "hostname" && c[1] === "UNIQUE");

  const cycle = async () => {
    if (!state.isLeader || life.ended) return;
    if (!state.master || !state.masterId) {
      if (!(await registerFramework())) return;
    }
    const updates = (await masterCall("StatusUpdates", { framework_id: state.frameworkId, since: state.cursor })) as { master_id: string; updates: StatusUpdate[]; next: number } | undefined;
    if (!updates) {
      state.masterId = undefined;
      return;
    }
    if (updates.master_id !== state.masterId) {
      state.masterId = undefined;
      return;
    }
    for (const update of updates.updates) applyUpdate(update);
    state.cursor = updates.next;
    if (state.cycles++ % 10 === 0 && state.tasks.size) {
      const reconciled = (await masterCall("ReconcileTasksMessage", { framework_id: state.frameworkId, tasks: [...state.tasks.values()].map((t) => ({ task_id: t.id, slave_id: t.slaveId })) })) as { updates: StatusUpdate[] } | undefined;
      for (const update of reconciled?.updates ?? []) applyUpdate(update);
    }
    checkHealth();
    const offers = (await masterCall("Offers", {})) as { agents: Array<{ slave_id: string; hostname: string; ip: string; version?: string; resources: { cpus: number; mem: number }; used: { cpus: number; mem: number } }> } | undefined;
    for (const app of state.apps.values()) {
      const tasks = [...state.tasks.values()].filter((t) => t.appId === app.id);
      for (const surplus of tasks.slice(app.instances).reverse()) {
        surplus.state = "killing";
        await masterCall("KillTaskMessage", { task_id: surplus.id, framework_id: state.frameworkId });
      }
      let missing = app.instances - tasks.length;
      const candidates = [...(offers?.agents ?? [])]
        .filter((a) => a.resources.cpus - a.used.cpus >= app.cpus && a.resources.mem - a.used.mem >= app.mem)
        .sort((a, b) => a.used.cpus - b.used.cpus || a.hostname.localeCompare(b.hostname));
      const launches: TaskInfo[] = [];
      for (const agent of candidates) {
        if (missing <= 0) break;
        if (uniqueHostname(app) && tasks.some((t) => t.host === agent.hostname)) continue;
        const id = `${app.id.replace(/^\//, "").replace(/\//g, "_")}.${randomUUID()}`;
        const ports = (app.ports ?? app.container?.docker?.portMappings ?? []).map(() => 31000 + Math.floor(Math.random() * 1000));
        const env = { ...(app.env ?? {}), MARATHON_APP_ID: app.id, MARATHON_APP_VERSION: app.version ?? "", HOST: agent.hostname, ...Object.fromEntries(ports.map((p, i) => [`PORT${i}`, String(p)])) };
        const task: MarathonTask = { id, appId: app.id, host: agent.hostname, slaveId: agent.slave_id, ports, stagedAt: new Date().toISOString(), startedAt: null, version: app.version ?? "", state: "TASK_STAGING", ...(agent.version ? { agentVersion: agent.version } : {}), env };
        state.tasks.set(id, task);
        tasks.push(task);
        missing--;
        agent.used.cpus += app.cpus;
        agent.used.mem += app.mem;
        const replaces = state.ended.get(app.id)?.splice(0, 1) ?? [];
        ctx.ledger.record({ kind: "task.launch", taskId: id, appId: app.id, agentId: agent.slave_id, agentHost: agent.hostname, ...(replaces.length ? { replaces } : {}) });
        launches.push({
          task_id: id,
          name: app.id.replace(/^\//, "").replace(/\//g, "."),
          framework_id: state.frameworkId as string,
          slave_id: agent.slave_id,
          resources: { cpus: app.cpus, mem: app.mem, disk: app.disk ?? 0, ports: "" },
          container: { type: "DOCKER", docker: { image: app.container?.docker?.image ?? "busybox:latest", network: app.container?.docker?.network ?? "BRIDGE" } },
          env,
          args: app.args ?? (app.cmd ? ["sh", "-c", app.cmd] : []),
          labels: { ...(app.labels ?? {}), MARATHON_APP_ID: app.id },
          ports,
        });
      }
      if (launches.length) await masterCall("LaunchTasksMessage", { framework_id: state.frameworkId, tasks: launches });
    }
    // A deployment step is done when the app's tasks are running, or healthy where it has health checks
    // (TaskStartActor / TaskReplaceActor wait for HealthStatusChanged(alive = true) then).
    for (const [id, deployment] of state.deployments) {
      const app = state.apps.get(deployment.app);
      const tasks = [...state.tasks.values()].filter((t) => t.appId === deployment.app && t.state === "TASK_RUNNING");
      const ready = app?.healthChecks?.length ? tasks.filter((t) => healthOf(state.health, t.id) === "healthy").length : tasks.length;
      if (!app || ready === app.instances) state.deployments.delete(id);
    }
    await save();
  };

  // Runs the due checks of running tasks; a task that failed too often is killed and, once TASK_KILLED arrives,
  // replaced by the scaling pass like any other ended task (HealthCheckActor.checkConsecutiveFailures).
  const checkHealth = () => {
    const checked = [...state.tasks.values()]
      .filter((t) => t.state === "TASK_RUNNING")
      .map((t) => ({ task: { ...t, env: t.env ?? {} }, checks: checksOf(state.apps.get(t.appId) ?? {}) }))
      .filter((t) => t.checks.length > 0);
    runDueChecks(state.health, ctx.clock, checked, (task, cause) => {
      log("INFO", `Detected unhealthy task ${task.id} of app [${task.appId}] on host ${task.host}: ${cause}`);
      log("INFO", `Send kill request for task ${task.id} on host ${task.host} to driver`);
      void masterCall("KillTaskMessage", { task_id: task.id, framework_id: state.frameworkId });
    });
  };

  const taskJson = (t: MarathonTask) => {
    const app = state.apps.get(t.appId);
    return {
      id: t.id,
      host: t.host,
      ports: t.ports,
      startedAt: t.startedAt,
      stagedAt: t.stagedAt,
      version: t.version,
      slaveId: t.slaveId,
      appId: t.appId,
      servicePorts: app?.ports ?? [],
      // Only the checks with a result, and the field only when there is one (Formats.scala `healthCheckResults.nonEmpty`).
      ...(resultsOf(state.health, t.id).length ? { healthCheckResults: resultsOf(state.health, t.id).map(healthJson) } : {}),
    };
  };

  const appJson = (app: AppDefinition, embedTasks: boolean) => {
    const tasks = [...state.tasks.values()].filter((t) => t.appId === app.id);
    const running = tasks.filter((t) => t.state === "TASK_RUNNING").length;
    return {
      cmd: null,
      args: null,
      user: null,
      env: {},
      constraints: [],
      uris: [],
      storeUrls: [],
      ports: [0],
      requirePorts: false,
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 3600,
      container: null,
      dependencies: [],
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      labels: {},
      acceptedResourceRoles: null,
      ...app,
      healthChecks: checksOf(app),
      ...(traits.portDefinitions ? { portDefinitions: (app.ports ?? [0]).map((port) => ({ port, protocol: "tcp", labels: {} })) } : {}),
      versionInfo: { lastScalingAt: app.version, lastConfigChangeAt: app.version },
      tasksStaged: tasks.filter((t) => t.state === "TASK_STAGING").length,
      tasksRunning: running,
      // healthCounts: a task without any result is neither healthy nor unhealthy (MarathonHealthCheckManager).
      tasksHealthy: tasks.filter((t) => healthOf(state.health, t.id) === "healthy").length,
      tasksUnhealthy: tasks.filter((t) => healthOf(state.health, t.id) === "unhealthy").length,
      deployments: [...state.deployments.values()].filter((d) => d.app === app.id).map((d) => ({ id: d.id })),
      ...(embedTasks ? { tasks: tasks.map(taskJson) } : {}),
    };
  };

  const deploy = (appId: string): { version: string; deploymentId: string } => {
    const deployment = { id: randomUUID(), version: new Date().toISOString(), app: appId };
    state.deployments.set(deployment.id, deployment);
    return { version: deployment.version, deploymentId: deployment.id };
  };

  const info = () => ({
    name: "marathon",
    version,
    elected: state.isLeader,
    leader: state.leader ?? null,
    frameworkId: state.frameworkId ?? null,
    marathon_config: {
      master: state.values.get("master"),
      failover_timeout: Number(state.values.get("failover_timeout") ?? 604800),
      framework_name: state.values.get("framework_name") ?? "marathon",
      ha: state.values.get("ha") !== false,
      checkpoint: state.values.get("checkpoint") !== false,
      local_port_min: 10000,
      local_port_max: 20000,
      executor: "//cmd",
      hostname: state.hostname,
      webui_url: null,
      mesos_role: null,
      task_launch_timeout: 300000,
      reconciliation_initial_delay: 15000,
      reconciliation_interval: 300000,
      mesos_user: "root",
      leader_proxy_connection_timeout_ms: 5000,
      leader_proxy_read_timeout_ms: 10000,
      features: [],
      ...(traits.leaderUiUrl ? { mesos_leader_ui_url: state.master ? `http://${state.master.hostname}:${state.master.port}/` : null } : {}),
    },
    zookeeper_config: {
      zk: state.values.get("zk") ?? "zk://localhost:2181/marathon",
      zk_timeout: 10000,
      zk_session_timeout: 1800000,
      zk_max_versions: 25,
    },
    event_subscriber: null,
    http_config: { assets_path: null, http_port: state.port, https_port: 8443 },
  });

  const leaderApi = async (req: Incoming): Promise<Reply> => {
    const path = req.path.replace(/\/+$/, "") || "/";
    if (path === "/ping") return { body: "pong\n" };
    if (path === "/v2/info") return { body: info() };
    if (path === "/v2/leader") {
      if (req.method === "DELETE") {
        setTimeout(() => void abdicate(), 10);
        return { body: { message: "Leadership abdicated" } };
      }
      return { body: { leader: state.leader } };
    }
    if (path === "/v2/tasks") return { body: { tasks: [...state.tasks.values()].filter((t) => t.state !== "killing").map(taskJson) } };
    if (path === "/v2/deployments") {
      return {
        body: [...state.deployments.values()].map((d) => ({ id: d.id, version: d.version, affectedApps: [d.app], steps: [[{ action: "ScaleApplication", app: d.app }]], currentActions: [{ action: "ScaleApplication", app: d.app }], currentStep: 1, totalSteps: 1 })),
      };
    }
    const embed = req.query.getAll("embed").some((e) => e.endsWith("tasks"));
    if (path === "/v2/apps" && req.method === "GET") return { body: { apps: [...state.apps.values()].map((a) => appJson(a, embed)) } };
    if (path === "/v2/apps" && req.method === "POST") {
      const app = req.json as AppDefinition | undefined;
      if (!app?.id) return { status: 422, body: { message: "Object is not valid", details: [{ path: "/id", errors: ["error.path.missing"] }] } };
      const id = `/${app.id.replace(/^\/+/, "")}`;
      if (state.apps.has(id)) return { status: 409, body: { message: `An app with id [${id}] already exists.` } };
      const version = new Date().toISOString();
      const stored: AppDefinition = { ...app, id, instances: app.instances ?? 1, cpus: app.cpus ?? 1, mem: app.mem ?? 128, version };
      state.apps.set(id, stored);
      deploy(id);
      await save();
      return { status: 201, body: appJson(stored, false) };
    }
    const appMatch = /^\/v2\/apps(\/.+?)(\/tasks)?$/.exec(path);
    if (appMatch) {
      const id = appMatch[1] as string;
      const app = state.apps.get(id);
      if (!app && req.method !== "PUT") return { status: 404, body: { message: `App '${id}' does not exist` } };
      if (appMatch[2]) return { body: { tasks: [...state.tasks.values()].filter((t) => t.appId === id).map(taskJson) } };
      if (req.method === "GET") return { body: { app: appJson(app as AppDefinition, true) } };
      if (req.method === "DELETE") {
        state.apps.delete(id);
        for (const task of [...state.tasks.values()].filter((t) => t.appId === id)) {
          task.state = "killing";
          await masterCall("KillTaskMessage", { task_id: task.id, framework_id: state.frameworkId });
        }
        await save();
        return { body: deploy(id) };
      }
      if (req.method === "PUT") {
        const update = (req.json ?? {}) as Partial<AppDefinition>;
        const merged: AppDefinition = { ...(app ?? { id, instances: 1, cpus: 1, mem: 128 }), ...update, id, version: new Date().toISOString() };
        state.apps.set(id, merged);
        await save();
        return { status: app ? 200 : 201, body: deploy(id) };
      }
    }
    return { status: 404, body: { message: `Not found: ${req.path}` } };
  };

  const handle = async (req: Incoming): Promise<Reply | undefined> => {
    if (state.isLeader) {
      const reply = await leaderApi(req);
      return { ...reply, headers: { ...(reply.headers ?? {}), "x-marathon-leader": `http://${self()}` } };
    }
    // LeaderProxyFilter: every request of a standby goes to the leader; no known leader (or ourselves) is a 503.
    if (!state.leader || state.leader === self()) return { status: 503, body: "Could not determine the current leader" };
    const [host, port] = state.leader.split(":");
    try {
      const proxied = await request({ host: host as string, port: Number(port) }, `${req.path}${req.raw.url?.includes("?") ? req.raw.url.slice(req.raw.url.indexOf("?")) : ""}`, {
        method: req.method,
        ...(req.body ? { body: req.body } : {}),
        timeoutMs: 10_000,
      });
      const type = String(proxied.headers["content-type"] ?? "application/json");
      req.res.writeHead(proxied.status, { "content-type": type, "x-marathon-via": `1.1 ${self()}`, ...(proxied.headers["x-marathon-leader"] ? { "x-marathon-leader": String(proxied.headers["x-marathon-leader"]) } : {}) });
      req.res.end(proxied.text);
      return undefined;
    } catch {
      // The filter wraps a failed forward in RuntimeException("while proxying"): the servlet answers 500.
      return { status: 500, body: "while proxying" };
    }
  };

  // The election group and member prefix of this release: twitter-commons `member_N` under <zk>/leader before
  // 1.3, Curator LeaderLatch `_c_<id>-latch-N` under <zk>/leader-curator from 1.3 (see marathonTraits).
  const group = (url: ZkUrl) => `${url.path}/${traits.curatorElection ? "leader-curator" : "leader"}`;
  const memberPrefix = () => (traits.curatorElection ? `_c_${randomUUID()}-latch-` : "member_");
  const TOMBSTONE = "member_-00000000";

  const abdicate = async () => {
    if (!zk || !state.member || !state.zkUrl) return;
    state.isLeader = false;
    if (traits.curatorElection) await zk.remove(`${state.zkUrl.path}/leader/${TOMBSTONE}`);
    await zk.remove(`${group(state.zkUrl)}/${state.member}`);
    state.member = (await zk.create(`${group(state.zkUrl)}/${memberPrefix()}`, self(), { ephemeral: true, sequential: true })).split("/").pop();
  };

  // Serving the API as leader waits until the state is loaded: a half-loaded leader would answer apps without
  // their tasks (every app at 0 running), which real Marathon never shows.
  let electing = false;
  const becomeLeader = async () => {
    if (electing || state.isLeader) return;
    electing = true;
    try {
      await load();
    } finally {
      electing = false;
    }
    if (life.ended) return;
    state.health = emptyHealthState();
    state.isLeader = true;
    log("INFO", "Elected as leader");
    if (traits.curatorElection && zk && state.zkUrl) {
      log("INFO", "Creating tombstone for old twitter commons leader election");
      await zk.remove(`${state.zkUrl.path}/leader/${TOMBSTONE}`);
      await zk.create(`${state.zkUrl.path}/leader/${TOMBSTONE}`, self(), { ephemeral: true });
    }
    ctx.ledger.record({ kind: "leader.elected", service: "marathon", leader: self(), version });
    const masterFlag = String(state.values.get("master"));
    const masterUrl = parseZkUrl(masterFlag);
    if ("error" in masterUrl) {
      const [host, port] = masterFlag.split(":");
      state.master = { id: "", ip: host as string, port: Number(port ?? 5050), pid: `master@${masterFlag}`, hostname: host as string, version: "", address: { ip: host as string, port: Number(port ?? 5050), hostname: host as string } };
    } else {
      const masterZk = await connectZk(masterUrl, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
      const detect = async () => {
        const detected = await detectMaster(masterZk, masterUrl.path, release?.libmesos ?? "0.22.1");
        if (detected.error) return exit(`Failed to detect a master: ${detected.error}`);
        if (detected.leader?.pid !== state.master?.pid) {
          state.master = detected.leader;
          state.masterId = undefined;
        }
      };
      await masterZk.watchChildren(masterUrl.path, () => void detect().catch(() => undefined));
      await detect();
      life.onEnd(() => masterZk.abandon());
    }
    life.every(ctx.clock.profile.marathonCycleSeconds, cycle);
  };

  const elect = async () => {
    const url = state.zkUrl as ZkUrl;
    zk = await connectZk(url, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
    life.zk = zk;
    zk.onDisconnect = () => exit("Lost connection to ZooKeeper", 1);
    if (state.values.get("ha") === false) {
      state.leader = self();
      return becomeLeader();
    }
    state.member = (await zk.create(`${group(url)}/${memberPrefix()}`, self(), { ephemeral: true, sequential: true })).split("/").pop();
    const watch = async () => {
      if (life.ended || !zk) return;
      const children = await zk.children(group(url));
      // Curator orders latch nodes by their sequence suffix; twitter commons orders member names as strings,
      // so the tombstone "member_-00000000" of a 1.3+ leader comes first ("-" sorts before digits).
      const members = traits.curatorElection
        ? children.filter((m) => m.includes("-latch-")).sort((a, b) => sequenceOf(a) - sequenceOf(b))
        : children.filter((m) => m.startsWith("member_")).sort();
      const first = members[0];
      state.leader = first ? await zk.get(`${group(url)}/${first}`) : undefined;
      if (first === state.member && !state.isLeader) await becomeLeader();
    };
    await zk.watchChildren(group(url), () => void watch().catch(() => undefined));
    await watch();
  };

  const start = async () => {
    const parsed = parseArgs(version, ctx.args, ctx.env);
    if ("error" in parsed) {
      ctx.stdout(`[scallop] Error: ${parsed.error}`);
      return ctx.exit(life.end(1));
    }
    state.values = parsed.values;
    const bind = bindAddress(ctx, typeof state.values.get("http_address") === "string" ? String(state.values.get("http_address")) : undefined);
    if ("error" in bind) return exit(bind.error);
    state.hostname = typeof state.values.get("hostname") === "string" ? String(state.values.get("hostname")) : ctx.host.address;
    state.port = Number(state.values.get("http_port") ?? 8080);
    await ctx.clock.sleep(ctx.clock.profile.marathonStartSeconds);
    if (life.ended) return;
    const served = await serveHttp(bind.ip, state.port, handle);
    if ("error" in served) return exit(served.error.replace("Failed to initialize: ", ""));
    life.server = served;
    log("INFO", `Started Marathon ${version} on ${self()}`);
    const zkText = String(state.values.get("zk") ?? "zk://localhost:2181/marathon");
    const url = parseZkUrl(zkText);
    if ("error" in url) return exit(`Invalid zk url: ${zkText}`);
    state.zkUrl = url;
    await elect().catch((error: Error) => exit(`Failed to connect to ZooKeeper at ${zkText}: ${error.message}`));
  };

  // bin/start's first lines; the image carries libmesos ${release.libmesos}.
  ctx.stdout("MESOS_NATIVE_JAVA_LIBRARY is not set. Searching in /usr/lib /usr/local/lib.");
  ctx.stdout("MESOS_NATIVE_LIBRARY, MESOS_NATIVE_JAVA_LIBRARY set to '/usr/lib/libmesos.so'");
  start().catch((error: Error) => exit(`Marathon failed: ${error.message}`));

  return {
    stop: async (signal) => life.end(signal === "SIGKILL" ? 137 : 143),
  };
}

// The simulated `mesos-slave` of a release: flag loading, the Docker containerizer's checks (MESOS-2986), recovery from
// the checkpoint under --work_dir (MESOS-3834, incompatible agent info, orphan containers), registration with the
// leading master, and Docker tasks named mesos-<containerId> (before 0.23) or mesos-<agentId>.<containerId>.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { mesosFlagDefaults, mesosMetricNames, mesosRelease, mesosTraits } from "../catalogue/mesos";
import { taskModel, type TaskStatusEntry } from "./task-json";
import { atLeast } from "../catalogue/versions";
import type { ContainerContext, Program } from "../docker/program";
import type { Incoming, Reply } from "../http";
import { mesosHttpAccess } from "./http-access";
import { bindAddress, buildInfo, connectZk, containerFileReader, daemonLife, detectMaster, glog, imageTag, parseZkUrl, routePath, sendMessage, serveHttp, type MasterInfo } from "./common";
import { flagOn, flagText, loadMesosFlags, usageText, type MesosFlagValues } from "./flags";
import { parseAttributes, parseResources, TERMINAL, type FrameworkInfo, type ReportedTask, type SlaveInfo, type StatusUpdate, type TaskInfo, type TaskState } from "./messages";

interface RunningTask {
  task: TaskInfo;
  state: TaskState;
  containerId: string;
  containerName: string;
  sandbox: string;
  killing: boolean;
  /** Recovered from the checkpoint with its executor gone: reported, then LOST, after re-registration. */
  executorGone?: boolean;
  /** The status updates sent for it (the Task's `statuses` in /state). */
  statuses?: TaskStatusEntry[];
}

const DEFAULT_RESOURCES = { cpus: Math.max(2, os.cpus().length), mem: 7680, disk: 50000, ports: "[31000-32000]" };

/**
 * The ContainerID the Docker containerizer reads from a container name, or undefined for a name it does not own:
 * parse() in apache/mesos src/slave/containerizer/docker.cpp. The prefix is "mesos-" (or "/mesos-"); 0.22 names are
 * mesos-<ContainerID>; from 0.23 mesos-<SlaveID>.<ContainerID>[.executor], and a name without "." still parses as an
 * old-format ContainerID (kept for upgrades from 0.22).
 */
export function mesosContainerId(name: string, version: string): string | undefined {
  const rest = name.startsWith("/mesos-") ? name.slice(7) : name.startsWith("mesos-") ? name.slice(6) : undefined;
  if (rest === undefined) return undefined;
  if (!atLeast(version, "0.23.0") || !rest.includes(".")) return rest;
  const parts = rest.split(".");
  return parts.length === 2 || parts.length === 3 ? parts[1] : undefined;
}

/** Starts a simulated agent in a container. */
export function agentProgram(ctx: ContainerContext): Program {
  const release = mesosRelease(imageTag(ctx));
  const version = release?.version ?? "0.22.1";
  const traits = mesosTraits(version);
  const word = traits.agentWord === "agent" ? "Agent" : "Slave";
  const life = daemonLife(ctx);
  const { exit, fatal } = life;
  const state = {
    flags: new Map() as MesosFlagValues,
    id: undefined as string | undefined,
    info: undefined as SlaveInfo | undefined,
    master: undefined as MasterInfo | undefined,
    registered: false,
    registering: false,
    startTime: Date.now() / 1000,
    workDir: "/tmp/mesos",
    tasks: new Map<string, RunningTask>(),
    frameworks: new Map<string, FrameworkInfo & { id: string }>(),
    pending: [] as StatusUpdate[],
    recoveryErrors: 0,
  };

  const noReregister = () => ctx.faults().some((f) => f.kind === "agent-no-reregister");

  // ---- checkpoint (meta) paths, as src/slave/paths.cpp lays them out ----
  const metaDir = () => `${state.workDir}/meta`;
  const real = (path: string) => ctx.resolvePath(path);
  const writeJson = (path: string, data: unknown) => {
    mkdirSync(dirname(real(path)), { recursive: true });
    writeFileSync(real(path), JSON.stringify(data));
  };
  const readJson = <T>(path: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(real(path), "utf8")) as T;
    } catch {
      return undefined;
    }
  };
  const frameworkMeta = (fid: string) => `${metaDir()}/slaves/${state.id}/frameworks/${fid}`;
  const runMeta = (fid: string, eid: string, cid: string) => `${frameworkMeta(fid)}/executors/${eid}/runs/${cid}`;
  const sandboxOf = (fid: string, eid: string, cid: string) => `${state.workDir}/slaves/${state.id}/frameworks/${fid}/executors/${eid}/runs/${cid}`;

  const checkpointFramework = (framework: FrameworkInfo & { id: string }) => {
    // Mesos 0.22 and earlier did not write the FrameworkID into the checkpointed FrameworkInfo (MESOS-3834).
    const written = atLeast(version, "0.23.0") ? framework : { ...framework, id: undefined };
    writeJson(`${frameworkMeta(framework.id)}/framework.info`, written);
  };

  const sendUpdate = async (update: StatusUpdate) => {
    state.pending.push(update);
    await flush();
  };
  const flush = async () => {
    if (!state.registered || !state.master) return;
    const master = state.master;
    while (state.pending.length) {
      const update = state.pending[0] as StatusUpdate;
      const sent = await sendMessage(master.ip, master.port, "master", "StatusUpdateMessage", update).catch(() => undefined);
      if (!sent || sent.status !== 200) return;
      state.pending.shift();
    }
  };

  const setTaskState = (running: RunningTask, st: TaskState, reason?: string, message?: string) => {
    running.state = st;
    running.statuses = [...(running.statuses ?? []), { state: st, timestamp: Date.now() / 1000 }];
    const runDir = runMeta(running.task.framework_id, running.task.task_id, running.containerId);
    writeJson(`${runDir}/tasks/${running.task.task_id}/task.updates`, { state: st, reason, message });
    if (TERMINAL.has(st)) state.tasks.delete(running.task.task_id);
    void sendUpdate({ task_id: running.task.task_id, framework_id: running.task.framework_id, slave_id: state.id as string, state: st, ...(reason ? { reason } : {}), ...(message ? { message } : {}), timestamp: Date.now() / 1000 });
  };

  const launch = async (framework: FrameworkInfo & { id: string }, task: TaskInfo) => {
    const engine = ctx.engine;
    if (!engine) return;
    state.frameworks.set(framework.id, framework);
    checkpointFramework(framework);
    const containerId = randomUUID();
    const name = traits.containerNameHasAgentId ? `mesos-${state.id}.${containerId}` : `mesos-${containerId}`;
    const sandbox = sandboxOf(framework.id, task.task_id, containerId);
    const running: RunningTask = { task, state: "TASK_STAGING", containerId, containerName: name, sandbox, killing: false };
    state.tasks.set(task.task_id, running);
    const runDir = runMeta(framework.id, task.task_id, containerId);
    writeJson(`${runDir}/tasks/${task.task_id}/task.info`, { task, container_name: name });
    mkdirSync(real(sandbox), { recursive: true });
    try {
      await engine.run({
        name,
        image: task.container.docker.image,
        env: { ...task.env, MESOS_SANDBOX: "/mnt/mesos/sandbox", MESOS_TASK_ID: task.task_id, MESOS_CONTAINER_NAME: name },
        binds: [`${sandbox}:/mnt/mesos/sandbox`],
        networkMode: task.container.docker.network === "HOST" ? "host" : "bridge",
        cmd: task.args,
        labels: task.labels,
      });
      // The executor leaves its marker in the sandbox as the host sees it; recovery looks for it through the
      // agent's own view of --work_dir, which only matches when the work dir is bind-mounted at the same path.
      writeFileSync(join(engine.hostPath(sandbox), "executor.pid"), `${containerId}\n`);
      if (state.tasks.get(task.task_id) === running) setTaskState(running, "TASK_RUNNING");
    } catch (error) {
      setTaskState(running, "TASK_FAILED", "REASON_CONTAINER_LAUNCH_FAILED", `Failed to launch container: ${(error as Error).message}`);
    }
  };

  const kill = async (taskId: string) => {
    const running = state.tasks.get(taskId);
    if (!running || !ctx.engine) return;
    running.killing = true;
    await ctx.engine.stop(running.containerName, { timeoutSeconds: 0 });
    setTaskState(running, "TASK_KILLED", undefined, "Container killed");
  };

  const reportedTasks = (): ReportedTask[] => [...state.tasks.values()].map((t) => ({ task: t.task, state: t.state, container_name: t.containerName }));

  const register = async () => {
    if (state.registering || state.registered || life.ended || !state.master || noReregister()) return;
    state.registering = true;
    try {
      const master = state.master;
      const message = state.id ? "ReregisterSlaveMessage" : "RegisterSlaveMessage";
      const answer = await sendMessage(master.ip, master.port, "master", message, { slave: state.info, version, ...(state.id ? { slave_id: state.id, tasks: reportedTasks() } : {}) }).catch(() => undefined);
      if (!answer || answer.status !== 200) return;
      const body = answer.json as { slave_id?: string; shutdown?: boolean; message?: string };
      if (body.shutdown) return shutdown(body.message ?? "Master asked the agent to shut down");
      const fresh = state.id === undefined;
      state.id = body.slave_id;
      state.registered = true;
      if (fresh) {
        writeJson(`${metaDir()}/slaves/${state.id}/slave.info`, state.info);
        const latest = real(`${metaDir()}/slaves/latest`);
        rmSync(latest, { force: true });
        symlinkSync(state.id as string, latest);
        glog(ctx, "I", "slave.cpp:859", `Registered with master ${master.pid}; given ${traits.agentWord} ID ${state.id}`);
      } else {
        glog(ctx, "I", "slave.cpp:902", `Re-registered with master ${master.pid}`);
        // The executor of these tasks did not survive: the status update manager reports them now, and the
        // containerizer destroys their containers (Slave::reregisterExecutorTimeout → containerizer->destroy).
        for (const gone of [...state.tasks.values()].filter((t) => t.executorGone)) {
          setTaskState(gone, "TASK_LOST", "REASON_EXECUTOR_TERMINATED", "Abnormal executor termination");
          gone.killing = true;
          void ctx.engine?.stop(gone.containerName, { remove: true, timeoutSeconds: 0 }).catch(() => undefined);
        }
      }
      await flush();
    } finally {
      state.registering = false;
    }
  };

  const shutdown = async (message: string) => {
    glog(ctx, "I", "slave.cpp:1911", `${word} asked to shut down by ${state.master?.pid ?? "master"} because '${message}'`);
    for (const running of [...state.tasks.values()]) {
      running.killing = true;
      await ctx.engine?.stop(running.containerName, { timeoutSeconds: 0 });
    }
    // A terminating agent removes meta/slaves/latest so that it starts afresh next time (Slave::finalize).
    rmSync(real(`${metaDir()}/slaves/latest`), { force: true });
    exit(`${word} terminating: ${message}`, 0);
  };

  const ping = (body: { slave_id?: string }): Reply => {
    if (noReregister() || body.slave_id !== state.id || !state.registered) return { status: 409, body: { message: "not this agent" } };
    return { body: { pong: true } };
  };

  const stateJson = () => ({
    ...buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? ""),
    start_time: state.startTime,
    ...(state.id ? { id: state.id } : {}),
    pid: `slave(1)@${state.info?.ip}:${state.info?.port}`,
    hostname: state.info?.hostname,
    resources: state.info?.resources,
    attributes: state.info?.attributes ?? {},
    ...(state.master && state.registered ? { master_hostname: state.master.hostname } : {}),
    ...(flagText(state.flags, "log_dir") ? { log_dir: flagText(state.flags, "log_dir") } : {}),
    flags: { ...mesosFlagDefaults(version, "agent"), ...Object.fromEntries([...state.flags].map(([k, v]) => [k, String(v)])) },
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
  });

  const metrics = () => {
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
    };
  };

  const handle = async (req: Incoming): Promise<Reply> => {
    const path = routePath(req.path, "slave(1)", ["slave(1)", "metrics", "version", "__processes__", "system", "files", "logging"]);
    const internal = /^\/slave\(1\)\/mesos\.internal\.(\w+)$/.exec(path);
    if (internal && req.method === "POST") {
      const body = (req.json ?? {}) as Record<string, unknown>;
      switch (internal[1]) {
        case "PingSlaveMessage":
          return ping(body);
        case "RunTaskMessage":
          if (!state.registered) return { status: 503, body: { message: "not registered" } };
          void launch(body.framework as FrameworkInfo & { id: string }, body.task as TaskInfo);
          return { body: { ok: true } };
        case "KillTaskMessage":
          void kill(String(body.task_id));
          return { body: { ok: true } };
        case "ShutdownMessage":
          if (body.slave_id === state.id) void shutdown(String(body.message ?? "Master requested shutdown"));
          return { body: { ok: true } };
        default:
          return { status: 404, body: "" };
      }
    }
    switch (path) {
      case "/slave(1)/health":
        return { status: 200 };
      case "/slave(1)/state.json":
        return { body: stateJson() };
      case "/slave(1)/state":
        return traits.stateWithoutJson ? { body: stateJson() } : { status: 404, body: "" };
      case "/slave(1)/flags":
        return traits.versionEndpoint ? { body: { flags: { ...mesosFlagDefaults(version, "agent"), ...Object.fromEntries([...state.flags].map(([k, v]) => [k, String(v)])) } } } : { status: 404, body: "" };
      case "/metrics/snapshot":
        return { body: metrics() };
      case "/version":
        return traits.versionEndpoint ? { body: buildInfo(version, release?.gitSha ?? "", release?.buildDate ?? "") } : { status: 404, body: "" };
      default:
        return { status: 404, body: "" };
    }
  };

  const checkDocker = (): string | undefined => {
    const containerizers = (flagText(state.flags, "containerizers") ?? "mesos").split(",");
    const isolation = flagText(state.flags, "isolation") ?? "posix/cpu,posix/mem";
    if (containerizers.includes("mesos") && isolation.split(",").includes("cgroups/mem") && flagOn(state.flags, "cgroups_limit_swap", false)) {
      // The hosts have no swap accounting (docker info warns "No swap limit support").
      return "Failed to create a containerizer: Could not create MesosContainerizer: Failed to create isolator 'cgroups/mem': 'memory.memsw.limit_in_bytes' is not available";
    }
    if (!containerizers.includes("docker")) return undefined;
    const docker = flagText(state.flags, "docker") ?? "docker";
    const engineVersion = ctx.engine?.daemonVersion();
    if (traits.parsesLegacyDockerVersion) {
      // MESOS-2986: `docker version` must print "Client version:", which Docker stopped doing in 1.8.
      if (!engineVersion) return `Failed to create a containerizer: Could not create DockerContainerizer: Failed to execute '${docker} version': exited with status 1`;
      if (atLeast(engineVersion, "1.8.0")) return "Failed to create a containerizer: Could not create DockerContainerizer: Insufficient version of Docker! Please upgrade to >= 1.0.0";
      return undefined;
    }
    if (!engineVersion) {
      const socket = flagText(state.flags, "docker_socket") ?? "/var/run/docker.sock";
      return `Failed to perform recovery: Collect failed: Failed to execute '${docker} -H unix://${socket} ps -a': exited with status 1\nTo remedy this do as follows:\nStep 1: rm -f ${metaDir()}/slaves/latest\n        This ensures slave doesn't recover old live executors.\nStep 2: Restart the slave.`;
    }
    return undefined;
  };

  const recover = async (): Promise<string | undefined> => {
    const latestPath = real(`${metaDir()}/slaves/latest`);
    let checkpointed: string | undefined;
    try {
      checkpointed = readlinkSync(latestPath);
    } catch {
      checkpointed = undefined;
    }
    const liveTasks = new Map<string, RunningTask>();
    if (checkpointed) {
      const old = readJson<SlaveInfo>(`${metaDir()}/slaves/${checkpointed}/slave.info`);
      if (old && (JSON.stringify(old.resources) !== JSON.stringify(state.info?.resources) || JSON.stringify(old.attributes) !== JSON.stringify(state.info?.attributes) || old.hostname !== state.info?.hostname)) {
        if ((flagText(state.flags, "recover") ?? "reconnect") === "reconnect") {
          return [
            `Failed to perform recovery: Incompatible ${traits.agentWord} info detected.`,
            "------------------------------------------------------------",
            `Old ${traits.agentWord} info:\n${JSON.stringify(old)}`,
            "------------------------------------------------------------",
            `New ${traits.agentWord} info:\n${JSON.stringify(state.info)}`,
            "------------------------------------------------------------",
            "To remedy this do as follows:",
            `Step 1: rm -f ${metaDir()}/slaves/latest`,
            "        This ensures slave doesn't recover old live executors.",
            "Step 2: Restart the slave.",
          ].join("\n");
        }
      }
      state.id = checkpointed;
      const frameworksDir = real(`${metaDir()}/slaves/${checkpointed}/frameworks`);
      for (const fid of existsSync(frameworksDir) ? readdirSync(frameworksDir) : []) {
        const info = readJson<FrameworkInfo>(`${frameworkMeta(fid)}/framework.info`);
        const executorsDir = real(`${frameworkMeta(fid)}/executors`);
        const executors = existsSync(executorsDir) ? readdirSync(executorsDir) : [];
        if (executors.length === 0 || !info) continue;
        if (info.id === undefined) {
          if (traits.abortsOnOldFrameworkCheckpoint) return "MESOS-3834";
          if (traits.rewritesOldFrameworkCheckpoint) writeJson(`${frameworkMeta(fid)}/framework.info`, { ...info, id: fid });
        }
        state.frameworks.set(fid, { ...info, id: fid });
        for (const eid of executors) {
          const runsDir = real(`${frameworkMeta(fid)}/executors/${eid}/runs`);
          for (const cid of existsSync(runsDir) ? readdirSync(runsDir) : []) {
            const checkpoint = readJson<{ task: TaskInfo; container_name: string }>(`${runMeta(fid, eid, cid)}/tasks/${eid}/task.info`);
            const last = readJson<{ state: TaskState }>(`${runMeta(fid, eid, cid)}/tasks/${eid}/task.updates`);
            if (!checkpoint || (last && TERMINAL.has(last.state))) continue;
            liveTasks.set(checkpoint.task.task_id, { task: checkpoint.task, state: last?.state ?? "TASK_STAGING", containerId: cid, containerName: checkpoint.container_name, sandbox: sandboxOf(fid, eid, cid), killing: false });
          }
        }
      }
    }
    const engine = ctx.engine;
    const containers = engine ? engine.list("mesos-") : [];
    for (const running of liveTasks.values()) {
      const container = containers.find((c) => c.name === running.containerName);
      const marker = real(`${running.sandbox}/executor.pid`);
      if (container?.running && existsSync(marker)) {
        state.tasks.set(running.task.task_id, { ...running, state: "TASK_RUNNING" });
      } else {
        state.recoveryErrors += container?.running ? 1 : 0;
        state.tasks.set(running.task.task_id, { ...running, executorGone: true });
      }
    }
    // Orphans: every container whose name parse() accepts and that this agent is not tracking is stopped and removed
    // (DockerContainerizerProcess::__recover; --docker_kill_orphans from 0.23, default true; always before). parse()
    // accepts any name starting with "mesos-": `mesos-slave`, `mesos-master` and `mesos-dns` included, the agent's own
    // container too (mesosphere-backup/docker-containers#6: "changed them to mesos-slave/mesos-master and they got
    // killed instantly").
    const killOrphans = !traits.killOrphansFlag || flagOn(state.flags, "docker_kill_orphans", true);
    if (engine && killOrphans) {
      const tracked = new Set([...state.tasks.values()].map((t) => t.containerId));
      for (const c of containers.filter((c) => { const id = mesosContainerId(c.name, version); return id !== undefined && !tracked.has(id); })) {
        glog(ctx, "I", "docker.cpp:783", `Killing orphaned docker container ${c.name}`);
        await engine.stop(c.name, { remove: true, timeoutSeconds: 0 });
      }
    }
    return undefined;
  };

  const followMaster = async (masterFlag: string) => {
    if (!masterFlag.startsWith("zk://")) {
      const [host, port] = masterFlag.replace(/^master@/, "").split(":");
      state.master = { id: "", ip: host as string, port: Number(port ?? 5050), pid: `master@${host}:${port ?? 5050}`, hostname: host as string, version, address: { ip: host as string, port: Number(port ?? 5050), hostname: host as string } };
      return;
    }
    const url = parseZkUrl(masterFlag);
    if ("error" in url) return exit(`Failed to create a master detector: ${url.error}`);
    const zk = await connectZk(url, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
    life.zk = zk;
    const detect = async () => {
      if (life.ended) return;
      const detected = await detectMaster(zk, url.path, version);
      if (detected.error) return exit(`Failed to detect a master: ${detected.error}`);
      if (detected.leader?.pid !== state.master?.pid) {
        state.master = detected.leader;
        state.registered = false;
        if (detected.leader) glog(ctx, "I", "slave.cpp:662", `New master detected at ${detected.leader.pid}`);
        else glog(ctx, "I", "slave.cpp:672", "Lost leading master");
      }
    };
    await zk.watchChildren(url.path, () => void detect().catch(() => undefined));
    await detect();
  };

  /**
   * Whether this agent's executors run in containers of their own, which outlive the agent's container: from 0.23
   * with --docker_mesos_image (docs/docker-containerizer.md), and only recoverable when the agent sees their
   * processes, i.e. runs with --pid=host (mesosphere-backup/docker-containers#80). Otherwise mesos-docker-executor
   * and the command executors are child processes inside the agent's container and die with it
   * (mesosphere-backup/docker-containers#6). Executor containers themselves are not modelled as containers.
   */
  const executorContainers = () =>
    atLeast(version, "0.23.0") && (flagText(state.flags, "docker_mesos_image") ?? "") !== "" && ctx.pidMode === "host";
  life.onEnd(() => {
    if (executorContainers() || !ctx.engine) return;
    // The agent's container stops: its executors die with it; the task containers run on without one.
    for (const running of state.tasks.values()) rmSync(join(ctx.engine.hostPath(running.sandbox), "executor.pid"), { force: true });
  });

  const start = async () => {
    const loaded = loadMesosFlags("agent", version, ctx.args, ctx.env, containerFileReader(ctx));
    if ("error" in loaded) return exit(usageText("agent", version, loaded.error));
    state.flags = loaded.values;
    for (const warning of loaded.warnings) glog(ctx, "W", "main.cpp:230", warning);
    const masterFlag = flagText(state.flags, "master");
    if (masterFlag === undefined) {
      if (!atLeast(version, "0.25.0")) return exit("Missing required option --master");
      return exit(usageText("agent", version, atLeast(version, "1.0.0") ? "Missing required option `--master` or `--master_detector`" : "Missing required option `--master`"));
    }
    const bind = bindAddress(ctx, flagText(state.flags, "ip"));
    if ("error" in bind) return exit(bind.error);
    const port = Number(flagText(state.flags, "port") ?? 5051);
    state.workDir = (flagText(state.flags, "work_dir") ?? "/tmp/mesos").replace(/\/+$/, "");
    state.info = {
      hostname: flagText(state.flags, "hostname") ?? ctx.host.name,
      ip: bind.ip,
      port,
      resources: parseResources(flagText(state.flags, "resources"), DEFAULT_RESOURCES),
      attributes: parseAttributes(flagText(state.flags, "attributes")),
    };
    await ctx.clock.sleep(ctx.clock.profile.mesosStartSeconds);
    if (life.ended) return;
    const dockerProblem = checkDocker();
    if (dockerProblem) return exit(dockerProblem);
    const access = mesosHttpAccess("agent", version, state.flags, ctx.env, containerFileReader(ctx));
    if ("error" in access) return exit(access.error);
    const served = await serveHttp(bind.ip, port, access.guard(handle), access.tls);
    if ("error" in served) return exit(served.error);
    life.server = served;
    glog(ctx, "I", "slave.cpp:191", `${word} started on 1)@${bind.ip}:${port}`);
    const recovered = await recover();
    if (recovered === "MESOS-3834") return fatal(atLeast(version, "0.25.0") ? "slave.cpp:4216" : "slave.cpp:4175", "Check failed: frameworkInfo.has_id()");
    if (recovered) return exit(recovered);
    glog(ctx, "I", "slave.cpp:4573", "Finished recovery");
    if (ctx.engine) {
      life.onEnd(ctx.engine.onExit((_id, name, code) => {
        if (ctx.engine?.daemonStopping()) return;
        const running = [...state.tasks.values()].find((t) => t.containerName === name);
        if (!running || running.killing) return;
        setTaskState(running, code === 0 ? "TASK_FINISHED" : "TASK_FAILED", undefined, `Container exited with status ${code}`);
      }));
    }
    await followMaster(masterFlag);
    life.every(ctx.clock.profile.registrationRetrySeconds, async () => {
      await register();
      await flush();
    });
    await register();
  };

  start().catch((error: Error) => exit(`Failed to start: ${error.message}`));

  return {
    stop: async (signal) => life.end(signal === "SIGKILL" ? 137 : 143),
  };
}

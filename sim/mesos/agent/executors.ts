// Executors and their tasks: a Docker task runs in a container named mesos-<containerId> (before 0.23) or
// mesos-<agentId>.<containerId>, its executor leaves a marker in the sandbox, a kill stops the container, and a
// container that exits on its own ends its task. Whether executors outlive the agent's own container is decided here.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { atLeast } from "../../catalogue/versions";
import { glog } from "../common";
import { flagText } from "../flags";
import type { FrameworkInfo, TaskInfo } from "../messages";
import { checkpointFramework, real, runMeta, sandboxOf, writeJson } from "./checkpoint";
import type { AgentNode, RunningTask } from "./state";
import { sendUpdate, setTaskState } from "./status-updates";

/** Runs a task's container; the task is RUNNING once it started, FAILED if the engine refuses it. */
export async function launch(
  node: AgentNode,
  framework: FrameworkInfo & { id: string },
  task: TaskInfo,
): Promise<void> {
  const { ctx, state, traits } = node;
  const engine = ctx.engine;
  if (!engine) return;
  state.frameworks.set(framework.id, framework);
  checkpointFramework(node, framework);
  const containerId = randomUUID();
  const name = traits.containerNameHasAgentId ? `mesos-${state.id}.${containerId}` : `mesos-${containerId}`;
  const sandbox = sandboxOf(node, framework.id, task.task_id, containerId);
  const running: RunningTask = {
    task,
    state: "TASK_STAGING",
    containerId,
    containerName: name,
    sandbox,
    killing: false,
  };
  state.tasks.set(task.task_id, running);
  const runDir = runMeta(node, framework.id, task.task_id, containerId);
  writeJson(node, `${runDir}/tasks/${task.task_id}/task.info`, { task, container_name: name });
  mkdirSync(real(node, sandbox), { recursive: true });
  try {
    await engine.run({
      name,
      image: task.container.docker.image,
      env: {
        ...task.env,
        MESOS_SANDBOX: "/mnt/mesos/sandbox",
        MESOS_TASK_ID: task.task_id,
        MESOS_CONTAINER_NAME: name,
      },
      binds: [`${sandbox}:/mnt/mesos/sandbox`],
      networkMode: task.container.docker.network === "HOST" ? "host" : "bridge",
      cmd: task.args,
      labels: task.labels,
    });
    // The executor leaves its marker in the sandbox as the host sees it; recovery looks for it through the
    // agent's own view of --work_dir, which only matches when the work dir is bind-mounted at the same path.
    writeFileSync(join(engine.hostPath(sandbox), "executor.pid"), `${containerId}\n`);
    if (state.tasks.get(task.task_id) === running) setTaskState(node, running, "TASK_RUNNING");
  } catch (error) {
    setTaskState(
      node,
      running,
      "TASK_FAILED",
      "REASON_CONTAINER_LAUNCH_FAILED",
      `Failed to launch container: ${(error as Error).message}`,
    );
  }
}

/** Kills a task: its container is stopped at once and the task is KILLED; a task it has no executor for is LOST. */
export async function kill(node: AgentNode, taskId: string, frameworkId: string): Promise<void> {
  const { ctx, state } = node;
  const running = state.tasks.get(taskId);
  if (!running && state.frameworks.has(frameworkId)) {
    // A task of a known framework with no executor here is LOST, so that its framework can replace it (Slave::killTask
    // in src/slave/slave.cpp, 0.22.1–0.28.2: "Cannot kill task … because no corresponding executor is running"). A
    // kill for a framework the agent does not run is ignored.
    glog(
      ctx,
      "W",
      "slave.cpp:1648",
      `Cannot kill task ${taskId} of framework ${frameworkId} because no corresponding executor is running`,
    );
    await sendUpdate(node, {
      task_id: taskId,
      framework_id: frameworkId,
      slave_id: state.id as string,
      state: "TASK_LOST",
      reason: "REASON_EXECUTOR_TERMINATED",
      message: "Cannot find executor",
      timestamp: Date.now() / 1000,
    });
    return;
  }
  if (!running || !ctx.engine) return;
  running.killing = true;
  await ctx.engine.stop(running.containerName, { timeoutSeconds: 0 });
  setTaskState(node, running, "TASK_KILLED", undefined, "Container killed");
}

/**
 * Whether this agent's executors run in containers of their own, which outlive the agent's container: from 0.23
 * with --docker_mesos_image (docs/docker-containerizer.md), and only recoverable when the agent sees their
 * processes, i.e. runs with --pid=host (mesosphere-backup/docker-containers#80). Otherwise mesos-docker-executor
 * and the command executors are child processes inside the agent's container and die with it
 * (mesosphere-backup/docker-containers#6). Executor containers themselves are not modelled as containers.
 */
export function executorContainers(node: AgentNode): boolean {
  return (
    atLeast(node.version, "0.23.0") &&
    (flagText(node.state.flags, "docker_mesos_image") ?? "") !== "" &&
    node.ctx.pidMode === "host"
  );
}

/**
 * When the agent's container stops, executors that live inside it die: their markers go, the task containers run on.
 */
export function executorsDieWithAgent(node: AgentNode): void {
  const { ctx, life, state } = node;
  life.onEnd(() => {
    if (executorContainers(node) || !ctx.engine) return;
    for (const running of state.tasks.values()) {
      rmSync(join(ctx.engine.hostPath(running.sandbox), "executor.pid"), { force: true });
    }
  });
}

/** A task container that exits on its own (not killed, not stopped by an engine restart) ends its task. */
export function watchTaskContainers(node: AgentNode): void {
  const { ctx, life, state } = node;
  if (!ctx.engine) return;
  life.onEnd(
    ctx.engine.onExit((_id, name, code) => {
      if (ctx.engine?.daemonStopping()) return;
      const running = [...state.tasks.values()].find((t) => t.containerName === name);
      if (!running || running.killing) return;
      setTaskState(
        node,
        running,
        code === 0 ? "TASK_FINISHED" : "TASK_FAILED",
        undefined,
        `Container exited with status ${code}`,
      );
    }),
  );
}

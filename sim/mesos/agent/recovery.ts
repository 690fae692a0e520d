// Agent recovery from the checkpoint under --work_dir: the agent info must match (--recover=reconnect), 0.22's
// framework checkpoints without an id (MESOS-3834), tasks whose executor is gone, and orphan containers killed by name.
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { mesosTraits } from "../../catalogue/mesos";
import { atLeast } from "../../catalogue/versions";
import { glog } from "../common";
import { flagOn, flagText } from "../flags";
import { TERMINAL, type FrameworkInfo, type SlaveInfo, type TaskInfo, type TaskState } from "../messages";
import { frameworkMeta, metaDir, readJson, real, runMeta, sandboxOf, writeJson } from "./checkpoint";
import type { AgentNode, RunningTask } from "./state";

/**
 * The ContainerID the Docker containerizer reads from a container name, or undefined for a name it does not own:
 * parse() in apache/mesos src/slave/containerizer/docker.cpp. The prefix is "mesos-" (or "/mesos-"); 0.22 names are
 * mesos-<ContainerID>; from 0.23 mesos-<SlaveID>.<ContainerID>[.executor], and a name without "." still parses as an
 * old-format ContainerID (kept for upgrades from 0.22); from 1.4 names are mesos-<ContainerID> again and every format
 * still parses (the comment above parse() at 1.4.0).
 */
export function mesosContainerId(name: string, version: string): string | undefined {
  const rest = name.startsWith("/mesos-") ? name.slice(7) : name.startsWith("mesos-") ? name.slice(6) : undefined;
  if (rest === undefined) return undefined;
  const parts = rest.split(".");
  const id =
    !atLeast(version, "0.23.0") || !rest.includes(".")
      ? rest
      : parts.length === 2 || parts.length === 3
        ? parts[1]
        : undefined;
  // MESOS-6212 (1.0.2–1.0.4, 1.2.0+): an id that is not a UUID is not Mesos' own, so `mesos-slave`, `mesos-dns`
  // and, from 1.4, an executor's `mesos-<ContainerID>.executor` (whose second part is "executor") are left alone.
  if (id !== undefined && mesosTraits(version).orphanNamesAreUuids && !UUID.test(id)) return undefined;
  return id;
}

/**
 * stout's UUID::fromString: boost's string_generator, 32 hex digits with or without the four dashes, optional braces.
 */
const UUID = /^\{?(?:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})\}?$/;

/** The error Slave::recover fails with when the checkpointed agent info differs from the new one. */
function incompatibleInfo(node: AgentNode, old: SlaveInfo): string {
  const word = node.traits.agentWord;
  return [
    `Failed to perform recovery: Incompatible ${word} info detected.`,
    "------------------------------------------------------------",
    `Old ${word} info:\n${JSON.stringify(old)}`,
    "------------------------------------------------------------",
    `New ${word} info:\n${JSON.stringify(node.state.info)}`,
    "------------------------------------------------------------",
    "To remedy this do as follows:",
    `Step 1: rm -f ${metaDir(node)}/slaves/latest`,
    "        This ensures slave doesn't recover old live executors.",
    "Step 2: Restart the slave.",
  ].join("\n");
}

/**
 * Reads the checkpoint of the agent in meta/slaves/latest: its id, frameworks and the tasks whose last update is not
 * terminal. Returns the tasks, an error to exit with, or "MESOS-3834" for the CHECK failure of that bug.
 */
function readCheckpoint(node: AgentNode): Map<string, RunningTask> | string {
  const { state, traits } = node;
  const liveTasks = new Map<string, RunningTask>();
  let checkpointed: string | undefined;
  try {
    checkpointed = readlinkSync(real(node, `${metaDir(node)}/slaves/latest`));
  } catch {
    return liveTasks;
  }
  const old = readJson<SlaveInfo>(node, `${metaDir(node)}/slaves/${checkpointed}/slave.info`);
  if (
    old &&
    (JSON.stringify(old.resources) !== JSON.stringify(state.info?.resources) ||
      JSON.stringify(old.attributes) !== JSON.stringify(state.info?.attributes) ||
      old.hostname !== state.info?.hostname)
  ) {
    if ((flagText(state.flags, "recover") ?? "reconnect") === "reconnect") return incompatibleInfo(node, old);
  }
  state.id = checkpointed;
  const frameworksDir = real(node, `${metaDir(node)}/slaves/${checkpointed}/frameworks`);
  for (const fid of existsSync(frameworksDir) ? readdirSync(frameworksDir) : []) {
    const info = readJson<FrameworkInfo>(node, `${frameworkMeta(node, fid)}/framework.info`);
    const executorsDir = real(node, `${frameworkMeta(node, fid)}/executors`);
    const executors = existsSync(executorsDir) ? readdirSync(executorsDir) : [];
    if (executors.length === 0 || !info) continue;
    if (info.id === undefined) {
      if (traits.abortsOnOldFrameworkCheckpoint) return "MESOS-3834";
      if (traits.rewritesOldFrameworkCheckpoint) {
        writeJson(node, `${frameworkMeta(node, fid)}/framework.info`, { ...info, id: fid });
      }
    }
    state.frameworks.set(fid, { ...info, id: fid });
    for (const eid of executors) {
      const runsDir = real(node, `${frameworkMeta(node, fid)}/executors/${eid}/runs`);
      for (const cid of existsSync(runsDir) ? readdirSync(runsDir) : []) {
        const checkpoint = readJson<{ task: TaskInfo; container_name: string }>(
          node,
          `${runMeta(node, fid, eid, cid)}/tasks/${eid}/task.info`,
        );
        const last = readJson<{ state: TaskState }>(node, `${runMeta(node, fid, eid, cid)}/tasks/${eid}/task.updates`);
        if (!checkpoint || (last && TERMINAL.has(last.state))) continue;
        liveTasks.set(checkpoint.task.task_id, {
          task: checkpoint.task,
          state: last?.state ?? "TASK_STAGING",
          containerId: cid,
          containerName: checkpoint.container_name,
          sandbox: sandboxOf(node, fid, eid, cid),
          killing: false,
        });
      }
    }
  }
  return liveTasks;
}

/** Recovers the checkpointed tasks and kills orphan containers; returns an error to exit with, or undefined. */
export async function recover(node: AgentNode): Promise<string | undefined> {
  const { ctx, state, traits, version } = node;
  const liveTasks = readCheckpoint(node);
  if (typeof liveTasks === "string") return liveTasks;
  const engine = ctx.engine;
  const containers = engine ? engine.list("mesos-") : [];
  for (const running of liveTasks.values()) {
    const container = containers.find((c) => c.name === running.containerName);
    const marker = real(node, `${running.sandbox}/executor.pid`);
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
    for (const c of containers.filter((c) => {
      const id = mesosContainerId(c.name, version);
      return id !== undefined && !tracked.has(id);
    })) {
      glog(ctx, "I", "docker.cpp:783", `Killing orphaned docker container ${c.name}`);
      await engine.stop(c.name, { remove: true, timeoutSeconds: 0 });
    }
  }
  return undefined;
}

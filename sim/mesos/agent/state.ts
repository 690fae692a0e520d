// The explicit state of one simulated Mesos agent and the handles its modules share (the node).
import os from "node:os";
import { agentWord, type MasterInfo, type MesosNode } from "../common";
import type { MesosFlagValues } from "../flags";
import type { FrameworkInfo, SlaveInfo, StatusUpdate, TaskInfo, TaskState } from "../messages";
import type { TaskStatusEntry } from "../task-json";

/** A task the agent runs in a Docker container, with its executor's run. */
export interface RunningTask {
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

/** Everything one agent knows; what must survive a restart is checkpointed under --work_dir (checkpoint.ts). */
export interface AgentState {
  flags: MesosFlagValues;
  id: string | undefined;
  info: SlaveInfo | undefined;
  /** The leading master, as detected in ZooKeeper or given by --master. */
  master: MasterInfo | undefined;
  registered: boolean;
  registering: boolean;
  startTime: number;
  workDir: string;
  tasks: Map<string, RunningTask>;
  frameworks: Map<string, FrameworkInfo & { id: string }>;
  /** Status updates not yet acknowledged by the master (the status update manager's queue). */
  pending: StatusUpdate[];
  recoveryErrors: number;
}

/** The resources an agent offers without --resources (the host's cpus, at least 2). */
export const DEFAULT_RESOURCES = {
  cpus: Math.max(2, os.cpus().length),
  mem: 7680,
  disk: 50000,
  ports: "[31000-32000]",
};

export function newAgentState(): AgentState {
  return {
    flags: new Map(),
    id: undefined,
    info: undefined,
    master: undefined,
    registered: false,
    registering: false,
    startTime: Date.now() / 1000,
    workDir: "/tmp/mesos",
    tasks: new Map(),
    frameworks: new Map(),
    pending: [],
    recoveryErrors: 0,
  };
}

/** One agent: its container, release, lifecycle and state. */
export interface AgentNode extends MesosNode {
  readonly state: AgentState;
}

export { agentWord };

/** The `agent-no-reregister` fault: the agent neither registers nor answers pings. */
export function noReregister(node: AgentNode): boolean {
  return node.ctx.faults().some((f) => f.kind === "agent-no-reregister");
}

// A task as the master's and the agent's state endpoints show it: `model(const Task&)` in src/common/http.cpp.
import { atLeast } from "../catalogue/versions";
import type { TaskInfo, TaskState } from "./messages";

/** A status update the task received (the Task's `statuses`; TASK_STAGING is its initial state, never an update). */
export interface TaskStatusEntry {
  readonly state: TaskState;
  readonly timestamp: number;
}

/**
 * The task's JSON at `version`: id, name, framework_id, executor_id ("" for a command task), slave_id, state,
 * resources, statuses [{state, timestamp}]; labels as [{key, value}] always in 0.22 (an empty array without any),
 * from 0.23 only when the task has labels; `container` (the ContainerInfo) from 0.27
 * (apache/mesos src/common/http.cpp `model(const Task&)`, `model(const TaskStatus&)` at 0.22.1, 0.23.0, 0.27.0).
 */
export function taskModel(
  version: string,
  task: TaskInfo,
  state: TaskState,
  statuses: readonly TaskStatusEntry[],
  slaveId: string,
): Record<string, unknown> {
  const labels = Object.entries(task.labels).map(([key, value]) => ({ key, value }));
  return {
    id: task.task_id,
    name: task.name,
    framework_id: task.framework_id,
    executor_id: "",
    slave_id: slaveId,
    state,
    resources: {
      cpus: task.resources.cpus,
      mem: task.resources.mem,
      disk: task.resources.disk,
      ports: task.ports.length ? `[${task.ports.map((p) => `${p}-${p}`).join(", ")}]` : "[]",
    },
    statuses: statuses
      .filter((s) => s.state !== "TASK_STAGING")
      .map((s) => ({ state: s.state, timestamp: s.timestamp })),
    ...(!atLeast(version, "0.23.0") || labels.length ? { labels } : {}),
    ...(atLeast(version, "0.27.0")
      ? {
          container: {
            type: "DOCKER",
            docker: {
              image: task.container.docker.image,
              network: task.container.docker.network,
              privileged: task.container.docker.privileged ?? false,
            },
          },
        }
      : {}),
  };
}

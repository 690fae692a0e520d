// The resources an agent's executors hold, for its resource gauges (slave/<name>_total, _used, _percent in
// docs/monitoring.md): Slave::_resources_used in apache/mesos src/slave/slave.cpp sums each executor's resources,
// which are its ExecutorInfo's plus those of its launched, not yet terminal tasks (Executor::addTask,
// Executor::terminateTask); a task without an executor of its own runs under the command executor, whose ExecutorInfo
// carries an allowance of DEFAULT_EXECUTOR_CPUS (0.1) and DEFAULT_EXECUTOR_MEM (32 MB) (Slave::getExecutorInfo,
// src/slave/constants.hpp; 0.22 through 1.x). Totals are the agent's scalar resources (Slave::_resources_total).
import type { AgentState } from "./state";

/** The command executor's allowance, per executor (src/slave/constants.hpp). */
export const COMMAND_EXECUTOR_ALLOWANCE = { cpus: 0.1, mem: 32, disk: 0 } as const;

type Scalar = "cpus" | "mem" | "disk";
const SCALARS: readonly Scalar[] = ["cpus", "mem", "disk"];

/** slave/{cpus,mem,disk}_{total,used,percent}; each simulated task has an executor of its own. */
export function resourceGauges(state: Pick<AgentState, "info" | "tasks">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of SCALARS) {
    const total = state.info?.resources[name] ?? 0;
    let used = 0;
    for (const running of state.tasks.values()) used += running.task.resources[name] + COMMAND_EXECUTOR_ALLOWANCE[name];
    out[`slave/${name}_total`] = total;
    out[`slave/${name}_used`] = used;
    out[`slave/${name}_percent`] = total === 0 ? 0 : used / total;
  }
  return out;
}

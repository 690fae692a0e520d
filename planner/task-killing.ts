/**
 * Which steps kill the tasks on their host: a containerised agent restarted while its executors live inside its
 * container (every 0.22 agent; a 0.23+ agent's first restart into executor containers), and any Docker engine
 * restarted on an agent host (it stops every container: the stacks never turn live-restore on, which would keep them
 * only across patch releases anyway). Facts in catalogue/executors.ts.
 */
import { ENGINE_RESTART_STOPS_CONTAINERS, EXECUTOR_CONTAINERS } from "../catalogue/executors";
import { compareVersions } from "./versions";
import type { HostComponent, HostInput } from "./types";

/** Why moving `component` on `host` from `from` to `to` kills the host's tasks, or undefined when they survive. */
export function taskKillingReason(
  host: HostInput,
  component: HostComponent,
  from: string,
  to: string,
): string | undefined {
  if (!host.roles.includes("mesos-slave")) return undefined;
  if (component === "docker") {
    return compareVersions(from, ENGINE_RESTART_STOPS_CONTAINERS.since) < 0
      ? `Docker ${from} stops every container when the engine restarts (live-restore from ${ENGINE_RESTART_STOPS_CONTAINERS.since})`
      : `Docker ${from} stops every container when the engine restarts: live-restore is off, and would keep them only across patch releases of one line`;
  }
  if (component !== "mesos-slave") return undefined;
  if (compareVersions(from, EXECUTOR_CONTAINERS.since) < 0) {
    return `agent ${from} runs its executors inside its own container, so they die with it (executor containers from ${EXECUTOR_CONTAINERS.since})`;
  }
  if (!host.executorContainers) {
    return `the agent moves its executors into their own containers (--docker_mesos_image, --pid=host) at ${to}; executors started without them die with the old container`;
  }
  return undefined;
}

/**
 * Whether an agent runs its executors in their own containers after a step: the MesosSlave provider starts every
 * agent at EXECUTOR_CONTAINERS.since or later with --docker_mesos_image and --pid=host.
 */
export function runsExecutorContainersAfter(component: HostComponent, to: string): boolean {
  return component === "mesos-slave" && compareVersions(to, EXECUTOR_CONTAINERS.since) >= 0;
}

// Settings changes at the same version are restarts the planner orders like a hop: which settings differ from what
// each host runs, and which value each resource gets this run (the new one only at a step the plan holds for it, so
// no change restarts a whole layer at once).
import type { HostComponent, PlanStep, SettingsChange } from "../planner";
import type { DiscoveredHost } from "./discover";

/** The stack's Docker daemon options that a settings step applies (`docker.logDriver`). */
export interface DockerSettings {
  readonly logDriver: string;
}

/** The restarts the stack's settings need on each host, at the versions the hosts run. */
export function settingsChangesOf(found: readonly DiscoveredHost[], docker: DockerSettings): SettingsChange[] {
  return found.flatMap((host) => (host.dockerLogDriver !== undefined && host.dockerLogDriver !== docker.logDriver
    ? [{ host: host.name, component: "docker" as HostComponent, change: `log driver ${host.dockerLogDriver} → ${docker.logDriver} (docker.logDriver)` }]
    : []));
}

/** The log driver a host's DockerEngine gets this run: the stack's at a step of the plan, else what the host runs. */
export function logDriverThisRun(host: DiscoveredHost, step: PlanStep | undefined, docker: DockerSettings): string {
  return step ? docker.logDriver : host.dockerLogDriver ?? docker.logDriver;
}

// The settings changes a review forecasts without the hosts: the stack file at the base ref is what the hosts run, so
// every setting the change alters (the log driver, a master's, agent's or Marathon's flags, the agent's work dir) is a
// restart of that component on each of its hosts, ordered by the planner like the run would (settings-changes.ts).
import type { HostComponent, SettingsChange } from "../planner";
import type { StackSettings } from "./settings";

type Settings = Pick<StackSettings, "hosts" | "docker" | "mesosMaster" | "mesosSlave" | "marathon">;

const shown = (value: unknown): string => (value === undefined ? "(unset)" : String(value));

/** "flag X a → b (key)" for each flag whose value differs. */
function flagChanges(
  base: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
  key: string,
): string[] {
  const names = [...new Set([...Object.keys(base), ...Object.keys(current)])].sort();
  return names
    .filter((name) => String(base[name]) !== String(current[name]))
    .map((name) => `flag ${name} ${shown(base[name])} → ${shown(current[name])} (${key}.flags)`);
}

/** What each component's next restart changes when the hosts run `base` and the stack says `current`. */
function changesByComponent(base: Settings, current: Settings): Map<HostComponent, string[]> {
  const byComponent = new Map<HostComponent, string[]>();
  if (base.docker.logDriver !== current.docker.logDriver) {
    byComponent.set("docker", [`log driver ${base.docker.logDriver} → ${current.docker.logDriver} (docker.logDriver)`]);
  }
  byComponent.set("mesos-master", flagChanges(base.mesosMaster.flags, current.mesosMaster.flags, "mesosMaster"));
  byComponent.set("mesos-slave", [
    ...flagChanges(base.mesosSlave.flags, current.mesosSlave.flags, "mesosSlave"),
    ...(base.mesosSlave.workDir !== current.mesosSlave.workDir
      ? [`work dir ${base.mesosSlave.workDir} → ${current.mesosSlave.workDir} (mesosSlave.workDir)`]
      : []),
  ]);
  byComponent.set("marathon", flagChanges(base.marathon.flags, current.marathon.flags, "marathon"));
  return byComponent;
}

/** The restarts `current`'s settings need on each of its hosts, the hosts running `base`'s settings. */
export function settingsChangesBetween(base: Settings, current: Settings): SettingsChange[] {
  const byComponent = changesByComponent(base, current);
  return current.hosts.flatMap((host) =>
    (["docker", ...host.roles] as HostComponent[]).flatMap((component) =>
      (byComponent.get(component) ?? []).map((change) => ({ host: host.name, component, change })),
    ),
  );
}

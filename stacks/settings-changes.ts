// Settings changes at the same version are restarts the planner orders like a hop: which settings differ from what
// each host runs, and which value each resource gets this run (the new one only at a step the plan holds for it, so
// no change restarts a whole layer at once).
import {
  checkRequiredAgentSettings,
  flagSchema,
  flagsForVersion,
  toCommandLine,
  type FlagValue,
  type HostComponent,
  type PlanStep,
  type Role,
  type SettingsChange,
} from "../planner";
import { isSecretEnvName } from "../catalogue/secret-env";
import { carriedConfig } from "./carried-config";
import type { DiscoveredHost } from "./discover";
import { marathonFlagsOf, mesosFlagsOf } from "./flags";
import type { StackSettings } from "./settings";

/** The stack's Docker daemon options that a settings step applies (`docker.logDriver`). */
export interface DockerSettings {
  readonly logDriver: string;
}

/** The stack's settings of a containerised component that a restart applies: its flags and (agents) its work dir. */
export interface ContainerStackSettings {
  readonly flags: Readonly<Record<string, FlagValue>>;
  /** The agent's work dir: the `work_dir` flag and the `-v dir:dir` mount. */
  readonly workDir?: string;
}

/** How the stack's settings of one component stand against what its host runs. */
export interface ContainerSettingsState {
  /**
   * What its next restart changes, for people ("flag docker_remove_delay 6hrs → 12hrs (mesosSlave.flags)"); empty:
   * nothing.
   */
  readonly changes: readonly string[];
  /**
   * The settings the component gets while no step of the plan holds for it: the stack's where in effect, else what it
   * runs.
   */
  readonly inEffect: ContainerStackSettings;
}

/** The stack settings key of each containerized role. */
export const STACK_KEY: Readonly<Record<Role, "mesosMaster" | "mesosSlave" | "marathon">> = {
  "mesos-master": "mesosMaster",
  "mesos-slave": "mesosSlave",
  marathon: "marathon",
};

/** The stack's settings of `role`. */
function stackSettingsOf(
  settings: Pick<StackSettings, "mesosMaster" | "mesosSlave" | "marathon">,
  role: Role,
): ContainerStackSettings {
  return role === "mesos-slave"
    ? { flags: settings.mesosSlave.flags, workDir: settings.mesosSlave.workDir }
    : { flags: settings[STACK_KEY[role]].flags };
}

/** A flag as its version's command line writes it (so `true` and "true", or a renamed flag, compare equal). */
function rendered(role: Role, version: string, name: string, value: FlagValue): string {
  try {
    return toCommandLine(role, version, { [name]: value }).join(" ");
  } catch {
    return `--${name}=${String(value)}`;
  }
}

/** A value fit for a log line: a flag whose name says it holds a credential is shown as "(secret)". */
const shown = (name: string, value: FlagValue | undefined): string =>
  value === undefined ? "unset" : isSecretEnvName(`MESOS_${name.toUpperCase()}`, []) ? "(secret)" : String(value);

/**
 * The stack's flag `name` against the running container's flags at `version` (`running`, as that version names them):
 * undefined when it is in effect (the same value, or unset while the version's default is that value) or when the
 * version does not take it (a later hop applies it).
 */
function flagChange(
  role: Role,
  version: string,
  running: Readonly<Record<string, FlagValue>>,
  name: string,
  value: FlagValue,
): { readonly change: string; readonly current?: FlagValue } | undefined {
  const [target] = Object.keys(flagsForVersion(role, version, { [name]: value }).flags);
  if (target === undefined) return undefined;
  const current = running[target] ?? flagSchema(role, version).find((d) => d.name === target)?.default;
  if (current !== undefined && rendered(role, version, target, current) === rendered(role, version, target, value)) {
    return undefined;
  }
  return {
    change: `flag ${target} ${shown(target, current)} → ${shown(target, value)} (${STACK_KEY[role]}.flags)`,
    ...(current !== undefined ? { current } : {}),
  };
}

/**
 * How the stack's flags (and an agent's work dir) stand on one host's running `role` container: each stack flag whose
 * value the container does not run is a change its next restart applies. An agent that the seed's required settings
 * (planner/agent-settings.ts) would refuse without the pending ones keeps the stack's whole settings in its inputs
 * and gets them at its next version hop, as before settings steps existed.
 */
export function containerSettingsState(
  role: Role,
  host: DiscoveredHost,
  settings: Pick<StackSettings, "mesosMaster" | "mesosSlave" | "marathon" | "secretEnv">,
): ContainerSettingsState {
  const stack = stackSettingsOf(settings, role);
  const running = host.containers[role];
  const version = host.versions[role];
  if (!running || version === undefined) return { changes: [], inEffect: stack };
  const runningFlags = role === "marathon" ? marathonFlagsOf(running) : mesosFlagsOf(running, settings.secretEnv);
  // What it runs, as its version names the flags: read once for every stack flag.
  const runningAtVersion = flagsForVersion(role, version, runningFlags).flags;
  const changes: string[] = [];
  const flags: Record<string, FlagValue> = {};
  for (const [name, value] of Object.entries(stack.flags)) {
    const change = flagChange(role, version, runningAtVersion, name, value);
    if (!change) flags[name] = value;
    else {
      changes.push(change.change);
      // Held at the value it runs (its version's default when unset), as the stack's earlier runs recorded it.
      if (change.current !== undefined) flags[name] = change.current;
    }
  }
  let workDir: string | undefined;
  if (stack.workDir !== undefined) {
    const mounted = running.volumes.includes(`${stack.workDir}:${stack.workDir}`);
    const current = runningAtVersion.work_dir;
    if (mounted && current === stack.workDir) workDir = stack.workDir;
    else {
      changes.push(
        `work dir ${shown("work_dir", current)} → ${stack.workDir}${mounted ? "" : `, mounted -v ${stack.workDir}:${stack.workDir}`} (mesosSlave.workDir)`,
      );
    }
  }
  const inEffect: ContainerStackSettings = { flags, ...(workDir !== undefined ? { workDir } : {}) };
  if (changes.length && role === "mesos-slave") {
    const held = carriedConfig(role, running, { ...inEffect, secretEnv: settings.secretEnv });
    if (checkRequiredAgentSettings(version, held).some((p) => p.severity === "error")) {
      return { changes: [], inEffect: stack };
    }
  }
  return { changes, inEffect };
}

/** The restarts the stack's settings need on each host, at the versions the hosts run. */
export function settingsChangesOf(
  found: readonly DiscoveredHost[],
  settings: Pick<StackSettings, "docker" | "mesosMaster" | "mesosSlave" | "marathon" | "secretEnv">,
): SettingsChange[] {
  return found.flatMap((host) => [
    ...(host.dockerLogDriver !== undefined && host.dockerLogDriver !== settings.docker.logDriver
      ? [
          {
            host: host.name,
            component: "docker" as HostComponent,
            change: `log driver ${host.dockerLogDriver} → ${settings.docker.logDriver} (docker.logDriver)`,
          },
        ]
      : []),
    ...host.roles.flatMap((role) =>
      containerSettingsState(role, host, settings).changes.map((change) => ({
        host: host.name,
        component: role as HostComponent,
        change,
      })),
    ),
  ]);
}

/**
 * The stack's settings a host's `role` container gets this run: all of them at a step of the plan, else those in
 * effect.
 */
export function containerSettingsThisRun(
  role: Role,
  host: DiscoveredHost,
  step: PlanStep | undefined,
  settings: Pick<StackSettings, "mesosMaster" | "mesosSlave" | "marathon" | "secretEnv">,
): ContainerStackSettings {
  return step ? stackSettingsOf(settings, role) : containerSettingsState(role, host, settings).inEffect;
}

/**
 * The log driver a host's DockerEngine gets this run: the stack's at a settings step, else what the host runs. The
 * seed (§1.1 "关闭 Docker 日志输出(现阶段暂时不关闭，等完全切换后可关闭)") keeps Docker's log output on until the switch is
 * done, so a version hop keeps the engine's driver and the change is the settings step after the last hop.
 */
export function logDriverThisRun(host: DiscoveredHost, step: PlanStep | undefined, docker: DockerSettings): string {
  return step?.settings !== undefined ? docker.logDriver : (host.dockerLogDriver ?? docker.logDriver);
}

/**
 * Checks an agent's settings against the seed's required ones (work dir mounted out, no swap, container GC, no
 * log_dir).
 */
import type { FlagValue } from "../catalogue/flags/types";
import { REQUIRED_AGENT_SETTINGS, type RequiredAgentSettings } from "../catalogue/seed-settings";
import type { FlagProblem } from "./errors";
import { durationNs } from "./flag-values";
import { flagsForVersion } from "./flags";

/**
 * The seed's required agent settings: work dir `/data/mesos` mounted at the same path, `cgroups_limit_swap`,
 * `docker_remove_delay`, no `log_dir`.
 */
export const requiredAgentSettings: RequiredAgentSettings = REQUIRED_AGENT_SETTINGS;

/** An agent's settings as a stack declares them. */
export interface AgentSettings {
  /** Agent flags, named for any Mesos version. */
  readonly flags: Readonly<Record<string, FlagValue>>;
  /** Docker volume mappings of the agent container, `host:container[:mode]`. */
  readonly volumes: readonly string[];
}

const problem = (flag: string, value: FlagValue | undefined, message: string): FlagProblem => ({
  flag,
  value,
  message,
  severity: "error",
});

/**
 * Problems with an agent's settings at a Mesos version, measured against `requiredAgentSettings`. Empty when they
 * comply.
 */
export function checkRequiredAgentSettings(version: string, settings: AgentSettings): FlagProblem[] {
  const required = requiredAgentSettings;
  const { flags } = flagsForVersion("mesos-slave", version, settings.flags);
  const problems: FlagProblem[] = [];
  if (flags.work_dir !== required.workDir) {
    problems.push(
      problem(
        "work_dir",
        flags.work_dir,
        `--work_dir must be ${required.workDir} (seed), got ${JSON.stringify(flags.work_dir)}; set --work_dir=${required.workDir}`,
      ),
    );
  }
  const mounts = settings.volumes.map((v) => v.split(":"));
  const same = mounts.some(([host, container]) => host === required.workDir && container === required.workDir);
  if (!same) {
    const near = mounts.find(([host, container]) => host === required.workDir || container === required.workDir);
    const got = near === undefined ? "no such volume" : `-v ${near.join(":")}`;
    problems.push(
      problem(
        "work_dir",
        flags.work_dir,
        `the agent container must mount -v ${required.volume}, got ${got}: ${required.workDirReason}`,
      ),
    );
  }
  if (flags.cgroups_limit_swap !== true && flags.cgroups_limit_swap !== "true") {
    problems.push(
      problem(
        "cgroups_limit_swap",
        flags.cgroups_limit_swap,
        `--cgroups_limit_swap must be true (seed: no swap), got ${JSON.stringify(flags.cgroups_limit_swap)}`,
      ),
    );
  }
  const delay = flags.docker_remove_delay;
  const wanted = String(required.flags.docker_remove_delay);
  const delayNs = typeof delay === "string" ? durationNs(delay) : undefined;
  if (delayNs === undefined || delayNs < (durationNs(wanted) as number)) {
    problems.push(
      problem(
        "docker_remove_delay",
        delay,
        `--docker_remove_delay must be set to at least ${wanted} (seed keeps failed containers' logs ${wanted} for now), got ${JSON.stringify(delay)}`,
      ),
    );
  }
  if (settings.flags.log_dir !== undefined) {
    problems.push(
      problem(
        "log_dir",
        settings.flags.log_dir,
        `--log_dir must not be set (seed: no Mesos log files, logs go to stderr), got ${JSON.stringify(settings.flags.log_dir)}; remove it`,
      ),
    );
  }
  return problems;
}

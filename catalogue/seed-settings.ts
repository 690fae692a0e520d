/** The seed plan's required Mesos settings: the agent work dir mounted out, no swap, container GC, no log_dir. */
import { SEED_AGENT_SETTINGS_SOURCE } from "./seed-tables";
import type { FlagComponent, FlagValue } from "./flags/types";
import type { Sourced } from "./types";

/** What every Mesos agent must run with. */
export interface RequiredAgentSettings extends Sourced {
  /** The agent's work dir, the same path on the host and inside the agent container. */
  readonly workDir: string;
  /** The bind mount that keeps the work dir (sandboxes and meta/ checkpoints) across agent restarts. */
  readonly volume: string;
  /** Flags that must be set, with their required values. */
  readonly flags: Readonly<Record<string, FlagValue>>;
  /** Why the work dir must be mounted at the same path. */
  readonly workDirReason: string;
  /** Operator notes that come with these settings. */
  readonly notes: readonly string[];
}

/**
 * The seed's required agent settings (§2.3). `docker_remove_delay` stays at 6hrs for now: the seed keeps failed
 * containers' logs 6 hours.
 */
export const REQUIRED_AGENT_SETTINGS: RequiredAgentSettings = {
  workDir: "/data/mesos",
  volume: "/data/mesos:/data/mesos",
  flags: { work_dir: "/data/mesos", cgroups_limit_swap: true, docker_remove_delay: "6hrs" },
  workDirReason:
    "the Docker containerizer hands the host daemon sandbox paths as the agent sees them, and the meta/ checkpoints must survive agent-container restarts, so the work dir must be the same path on the host and in the container",
  notes: [
    "cgroups_limit_swap only affects the Mesos containerizer's cgroups/mem isolator (the Docker containerizer ignores it) and an agent without kernel swap accounting refuses to start ('memory.memsw.limit_in_bytes' is not available)",
    "the seed plans --docker_remove_delay=1hrs later; keep 6hrs while failed containers' logs are still needed",
  ],
  source: `${SEED_AGENT_SETTINGS_SOURCE}; fact sheet §2.3, §2.4 (rancher/rancher#5188, ContainerSolutions/minimesos#314)`,
};

/** A flag the seed refuses on a component. */
export interface RefusedFlag extends Sourced {
  /** The component. */
  readonly component: FlagComponent;
  /** The refused flag. */
  readonly flag: string;
  /** Why. */
  readonly reason: string;
}

const NO_LOG_DIR =
  "the seed removes Mesos' own log files (double logging): leave --log_dir unset so logs go to stderr and the container log only";

/** Flags the seed refuses. */
export const SEED_REFUSED_FLAGS: readonly RefusedFlag[] = [
  { component: "mesos-master", flag: "log_dir", reason: NO_LOG_DIR, source: SEED_AGENT_SETTINGS_SOURCE },
  { component: "mesos-slave", flag: "log_dir", reason: NO_LOG_DIR, source: SEED_AGENT_SETTINGS_SOURCE },
];

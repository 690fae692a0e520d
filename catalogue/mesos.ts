/** Apache Mesos releases, known-bad versions and the compatibility facts that shape each hop. */
import type { CrossingNote, KnownBadRelease, ReleaseLine, Sourced } from "./types";

const TAGS = "apache/mesos git tags";
const PATCHES = "fact sheet §1.4 (latest patch of each minor)";
const NEWEST = "newest-releases fact sheet §1.1 (git tags, site/data/releases.yml, CHANGELOG headings)";

/** Mesos minor lines, oldest first. Masters and agents share these versions. */
export const MESOS_LINES: readonly ReleaseLine[] = [
  {
    minor: "0.22",
    releases: ["0.22.0", "0.22.1", "0.22.2"],
    latest: "0.22.2",
    source: `${TAGS}; ${PATCHES}: 0.22.2 Sep 2015`,
  },
  {
    minor: "0.23",
    releases: ["0.23.0", "0.23.1"],
    latest: "0.23.1",
    source: `${TAGS}; ${PATCHES}: 0.23.1 Sep 2015; seed table row 0.22.x → 0.23.x`,
  },
  {
    minor: "0.24",
    releases: ["0.24.0", "0.24.1", "0.24.2"],
    latest: "0.24.2",
    source: `${TAGS}; ${PATCHES}: 0.24.2 12 Apr 2016; seed table row 0.23.x → 0.24.x`,
  },
  {
    minor: "0.25",
    releases: ["0.25.0", "0.25.1"],
    latest: "0.25.1",
    source: `${TAGS}; ${PATCHES}: 0.25.1 12 Apr 2016; seed table row 0.24.x → 0.25.x`,
  },
  {
    minor: "0.26",
    releases: ["0.26.0", "0.26.1", "0.26.2"],
    latest: "0.26.2",
    source: `${TAGS}; ${PATCHES}: 0.26.2 has a tag, a CHANGELOG entry (MESOS-4705, MESOS-5449 memory leak) and Mesosphere packages (mesosphere/marathon@v0.15.7:Dockerfile) but is not on the website list; the seed's 0.26.1 predates it`,
  },
  {
    minor: "0.27",
    releases: ["0.27.0", "0.27.1", "0.27.2", "0.27.3"],
    latest: "0.27.3",
    source: `${TAGS}; ${PATCHES}: 0.27.3 12 Jun 2016; the CHANGELOG's 0.27.4 section has no tag and was never released; the seed's 0.27.2 predates 0.27.3`,
  },
  {
    minor: "0.28",
    releases: ["0.28.0", "0.28.1", "0.28.2", "0.28.3"],
    latest: "0.28.3",
    source: `${TAGS}; ${PATCHES}: 0.28.3 5 Dec 2016; the seed's 0.28.2 predates it`,
  },
  {
    minor: "1.0",
    releases: ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4"],
    latest: "1.0.4",
    source: `${TAGS}; ${PATCHES}: 1.0.4 3 May 2017`,
  },
  {
    minor: "1.1",
    releases: ["1.1.0", "1.1.1", "1.1.2", "1.1.3"],
    latest: "1.1.3",
    source: `${TAGS}; ${PATCHES}: 1.1.3 31 Aug 2017`,
  },
  {
    minor: "1.2",
    releases: ["1.2.0", "1.2.1", "1.2.2", "1.2.3"],
    latest: "1.2.3",
    source: `${TAGS}; ${NEWEST}: 1.2.3 2017-12-01`,
  },
  {
    minor: "1.3",
    releases: ["1.3.0", "1.3.1", "1.3.2"],
    latest: "1.3.2",
    source: `${TAGS}; ${NEWEST}: 1.3.2 (tag 2017-12-07); 1.3.3 was cancelled (only 1.3.3-rc1)`,
  },
  {
    minor: "1.4",
    releases: ["1.4.0", "1.4.1", "1.4.2", "1.4.3"],
    latest: "1.4.3",
    source: `${TAGS}; ${NEWEST}: 1.4.3 2019-02-26; 1.4.4 never tagged`,
  },
  {
    minor: "1.5",
    releases: ["1.5.0", "1.5.1", "1.5.2", "1.5.3"],
    latest: "1.5.3",
    source: `${TAGS}; ${NEWEST}: 1.5.3 2019-03-19`,
  },
  {
    minor: "1.6",
    releases: ["1.6.0", "1.6.1", "1.6.2"],
    latest: "1.6.2",
    source: `${TAGS}; ${NEWEST}: 1.6.2 (tag 2019-02-15, not on the site list)`,
  },
  {
    minor: "1.7",
    releases: ["1.7.0", "1.7.1", "1.7.2", "1.7.3"],
    latest: "1.7.3",
    source: `${TAGS}; ${NEWEST}: 1.7.3 (tag 2020-04-28)`,
  },
  { minor: "1.8", releases: ["1.8.0", "1.8.1"], latest: "1.8.1", source: `${TAGS}; ${NEWEST}: 1.8.1 2019-07-29` },
  {
    minor: "1.9",
    releases: ["1.9.0"],
    latest: "1.9.0",
    source: `${TAGS}; ${NEWEST}: 1.9.0 2019-09-05; 1.9.1 never tagged`,
  },
  { minor: "1.10", releases: ["1.10.0"], latest: "1.10.0", source: `${TAGS}; ${NEWEST}: 1.10.0 (tag 2020-05-18)` },
  {
    minor: "1.11",
    releases: ["1.11.0"],
    latest: "1.11.0",
    source: `${TAGS}; ${NEWEST}: 1.11.0 (tag 2020-11-16), the last release (no 1.12 tag)`,
  },
];

/**
 * How far one Mesos hop goes. apache/mesos@1.11.0:docs/versioning.md lets a node jump from one stable
 * release (a line's latest patch) straight to a later one when nothing depends on deprecated features.
 * The planner still moves one minor per hop, also past 1.0: each hop then crosses one set of upgrade notes
 * (docs/upgrades.md is written per adjacent pair), masters and agents stay at most one minor apart during
 * a rolling hop, the previous stable release is one step back, and each Marathon line is only moved onto
 * Mesos lines inside its window (`MarathonLine.maxMesos`). Jumping would save runs, not risk.
 */
export const MESOS_HOP_POLICY: Sourced & { readonly minorsPerHop: 1; readonly reason: string } = {
  minorsPerHop: 1,
  reason:
    "one minor per hop, onto each line's latest patch (adjacent upgrades as docs/upgrades.md describes them; versioning.md's stable-to-stable jumps are not taken)",
  source:
    "apache/mesos@1.11.0:docs/versioning.md; apache/mesos@1.11.0:docs/upgrades.md; newest-releases fact sheet §1.2",
};

/** Masters never leave this line while any agent runs an older one (1.1+ masters never supported 0.x agents). */
export const MESOS_AGENTS_BEFORE_MASTERS_LEAVE: Sourced & { readonly line: string; readonly reason: string } = {
  line: "1.0",
  reason:
    "every agent must run 1.0.x before any master leaves 1.0.x: 1.1+ masters never supported 0.x agents, and from 1.2.1/1.3.0 the master ignores agents below MINIMUM_AGENT_VERSION 1.0.0",
  source:
    "newest-releases fact sheet §0.1; apache/mesos@1.11.0:src/master/constants.hpp (MINIMUM_AGENT_VERSION); apache/mesos@HEAD:docs/upgrades.md (1.2.1, 1.3.x)",
};

const MESOS_3834 =
  "MESOS-3834: its agents abort (CHECK(frameworkInfo.has_id()) in Slave::recoverFramework) when recovering framework checkpoints written by Mesos 0.22 or earlier";
const MESOS_3834_SOURCE =
  "fact sheet §1.2; apache/mesos@0.24.0:src/slave/slave.cpp vs @0.24.2; fix commit 040b0677d is first in 0.26.1 although the 0.26.0 CHANGELOG lists it";

/** Releases never to land on. */
export const MESOS_KNOWN_BAD: readonly KnownBadRelease[] = [
  { version: "0.24.0", reason: MESOS_3834, fixedIn: "0.24.2", source: MESOS_3834_SOURCE },
  { version: "0.24.1", reason: MESOS_3834, fixedIn: "0.24.2", source: MESOS_3834_SOURCE },
  { version: "0.25.0", reason: MESOS_3834, fixedIn: "0.25.1", source: MESOS_3834_SOURCE },
  { version: "0.26.0", reason: MESOS_3834, fixedIn: "0.26.1", source: MESOS_3834_SOURCE },
];

/** A floor on schedulers' libmesos that holds once masters reach a version. */
export interface SchedulerFloor extends Sourced {
  /** The rule applies as soon as any master runs this version or later. */
  readonly mastersFrom: string;
  /** The lowest libmesos a scheduler (Marathon) may link while the rule applies. */
  readonly libmesosAtLeast: string;
  /** Why. */
  readonly reason: string;
}

/** Scheduler libmesos floors that depend on the masters' version. */
export const MESOS_SCHEDULER_FLOORS: readonly SchedulerFloor[] = [
  {
    mastersFrom: "0.24.0",
    libmesosAtLeast: "0.23.0",
    reason:
      "0.24 masters publish their info in ZooKeeper as JSON (json.info_ znodes) and a 0.22 libmesos cannot read it, so schedulers must link libmesos >= 0.23 before any master moves to 0.24",
    source:
      "fact sheet §1.2; apache/mesos@1.0.4:docs/upgrades.md (0.23 → 0.24); apache/mesos@0.24.0:src/master/constants.cpp, src/master/contender.cpp; src/master/detector.cpp at 0.22.2 and 0.23.0",
  },
];

/** The JNI check in libmesos that refuses a Java library (JAR) of another major version. */
export interface JniCheck extends Sourced {
  /** libmesos up to and including this version refuses a JAR whose major version differs from its own. */
  readonly refusingUpTo: string;
  /** What the refusal looks like. */
  readonly reason: string;
}

/** libmesos' JAR major-version check (removed in 0.28.3 and 1.0.0). */
export const MESOS_JNI_CHECK: JniCheck = {
  refusingUpTo: "0.28.2",
  reason:
    "libmesos up to 0.28.2 refuses a Mesos JAR of another major version (UnsatisfiedLinkError: Mesos JAR version X is not backwards compatible with Mesos native library version Y); the check is gone in 0.28.3 and 1.0.0 (MESOS-5571)",
  source: "fact sheet §1.2; apache/mesos@0.28.2:src/java/jni/convert.cpp; CHANGELOG 0.28.3 and 1.0.0 (MESOS-5571)",
};

const STEP_TABLE = "fact sheet §1.3; apache/mesos@1.0.4:docs/upgrades.md";
const UPGRADES_111 = "apache/mesos@1.11.0:docs/upgrades.md; newest-releases fact sheet §1.3";

/** What arriving at each Mesos minor changes for operators (shown with every hop that crosses it). */
export const MESOS_CROSSINGS: readonly CrossingNote[] = [
  {
    at: "0.23.0",
    message:
      "Mesos 0.23: /stats.json removed (use /metrics/snapshot); master flags --slave_ping_timeout and --max_slave_ping_timeouts appear (change them only once every agent runs 0.23); Docker containers are named mesos-<agentId>.<containerId>",
    source: STEP_TABLE,
  },
  {
    at: "0.24.0",
    message:
      "Mesos 0.24: masters publish their ZooKeeper info as JSON; every scheduler must link libmesos >= 0.23 before the first master moves",
    source: STEP_TABLE,
  },
  {
    at: "0.25.0",
    message:
      'Mesos 0.25: *.json endpoints deprecated (still served until 1.8); maintenance primitives appear; the Docker executor publishes the container IP in NetworkInfo (mesos-dns: put "host" first in IPSources for bridged apps)',
    source: `${STEP_TABLE}; mesosphere/mesos-dns@v0.6.0:docs/docs/configuration-parameters.md`,
  },
  {
    at: "0.26.0",
    message:
      "Mesos 0.26: TaskStatus reasons renamed; /state no longer carries ExecutorInfo/TaskInfo data; /version endpoint and agent flag --docker_store_dir appear",
    source: STEP_TABLE,
  },
  {
    at: "0.27.0",
    message: "Mesos 0.27: implicit roles (the --roles whitelist is deprecated); reserved resources count in DRF",
    source: STEP_TABLE,
  },
  {
    at: "0.28.0",
    message: "Mesos 0.28: scalar resources limited to 3 decimal places; TASK_KILLING state introduced",
    source: STEP_TABLE,
  },
  {
    at: "1.0.0",
    message:
      "Mesos 1.0: slave → agent flag renames (old names still load, with a deprecation warning); agent --work_dir has no default and is required; --registry_strict=true makes the master exit; non-leading masters answer 307 to the leader",
    source: STEP_TABLE,
  },
  {
    at: "1.1.0",
    message: "Mesos 1.1: 0.x agents with 1.1+ masters were never supported; partition-aware frameworks",
    source: `${STEP_TABLE}; apache/mesos@HEAD:docs/upgrades.md (1.2.1, 1.3.x)`,
  },
  {
    at: "1.1.0",
    message:
      "Mesos 1.1: the external containerizer is gone (agent flags --containerizer_path and --default_container_image removed); new agent --runtime_dir (default /var/run/mesos) keeps container PIDs, so a containerised agent needs it on a host path; 1.1.0–1.1.2 do not filter mesos-* names by UUID (do not name agent or master containers mesos-*)",
    source: `${UPGRADES_111}; CHANGELOG 1.1.0 (MESOS-3370, MESOS-6204); newest-releases fact sheet §1.3, §1.4 (MESOS-6212)`,
  },
  {
    at: "1.2.0",
    message:
      "Mesos 1.2: an agent that does not finish recovery within --agent_reregister_timeout is marked unreachable (MESOS-6286); from 1.2.1 masters ignore 0.x agents; make install links mesos-slave to mesos-agent",
    source: `${UPGRADES_111}; CHANGELOG 1.2.0; newest-releases fact sheet §1.2, §1.3`,
  },
  {
    at: "1.3.0",
    message:
      "Mesos 1.3: ACLs set_quotas, remove_quotas and shutdown_frameworks are removed (rewrite ACLs before swapping binaries); --authenticate_http_executors and --executor_secret_key appear (enabling them disrupts running HTTP executors)",
    source: UPGRADES_111,
  },
  {
    at: "1.4.0",
    message:
      "Mesos 1.4: an agent keeps its ID across host reboots; Docker containers are named mesos-<ContainerID> again (older names still recovered); --user_sorter → --role_sorter, --allowed_capabilities → --effective_capabilities; from 1.4.3 the agent needs Docker >= 1.8.0",
    source: `${UPGRADES_111}; newest-releases fact sheet §1.3, §1.4 (MESOS-9231)`,
  },
  {
    at: "1.5.0",
    message:
      "Mesos 1.5: built-in executors send TASK_STARTING (schedulers must expect it first: Marathon 1.1.7 and 1.3.14 already handle it, inference from their code); --executor_secret_key → --jwt_secret_key; new --reconfiguration_policy",
    source: `${UPGRADES_111}; newest-releases fact sheet §1.3`,
  },
  {
    at: "1.6.0",
    message:
      "Mesos 1.6: CSI v0.1 removed (remove storage local resource providers first); sandbox permissions go from 0755 to 0750 (non-root log shippers lose access, MESOS-8332)",
    source: `${UPGRADES_111}; MESOS-8332`,
  },
  {
    at: "1.7.0",
    message:
      'Mesos 1.7: every JSON endpoint goes through rapidjson ("/" no longer escaped); Volume.mode RO/RW is honoured',
    source: UPGRADES_111,
  },
  {
    at: "1.8.0",
    message:
      "Mesos 1.8: the *.json endpoint aliases are removed (master state.json, tasks.json, roles.json; agent state.json, monitor/statistics.json; /files/*.json): tools must read /master/state etc. (mesos-dns >= 0.7.0-rc1)",
    source: `${UPGRADES_111}; MESOS-4509; newest-releases fact sheet §1.5`,
  },
  {
    at: "1.9.0",
    message:
      "Mesos 1.9: agent draining (DRAIN_AGENT / REACTIVATE_AGENT); an explicit --agent_features must include AGENT_DRAINING",
    source: `${UPGRADES_111}; apache/mesos@1.9.0:docs/maintenance.md`,
  },
  {
    at: "1.10.0",
    message:
      "Mesos 1.10: an explicit --agent_features must include TASK_RESOURCE_LIMITS; SSL environment variables renamed (old names still work)",
    source: UPGRADES_111,
  },
  {
    at: "1.11.0",
    message:
      'Mesos 1.11 (breaking): credential files in the text format are rejected ("Invalid json format"): convert --credentials files to JSON before this hop',
    source: "CHANGELOG 1.11.0; apache/mesos@1.11.0:src/credentials/credentials.hpp; newest-releases fact sheet §1.2",
  },
];

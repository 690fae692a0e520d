// Mesos releases the simulator can run, their image tags, flag sets and the behaviours that change between them.
// Image tags and repositories come from the project's catalogue (catalogue/images.ts: Mesosphere's package builds).
import { IMAGE_REPOSITORIES, mesosImageTag } from "../../catalogue/images";
import flagData from "./mesos-flags.json";
import flagDefaultData from "./mesos-flag-defaults.json";
import metricData from "./mesos-metrics.json";
import { atLeast, compareVersions } from "./versions";

/** A Mesos release: its tag commit and date (apache/mesos git tags), shown in /state and /version. */
export interface MesosRelease {
  readonly version: string;
  readonly gitSha: string;
  readonly buildDate: string;
  /** Tag of `mesosphere/mesos-master` and `mesosphere/mesos-slave` for this release. */
  readonly imageTag: string;
}

const TAGS: ReadonlyArray<[string, string, string]> = [
  ["0.22.0", "e890e2414903bb69cab730d5204f10b10d2e91bb", "2015-03-17T16:18:14-07:00"],
  ["0.22.1", "d6309f92a7f9af3ab61a878403e3d9c284ea87e0", "2015-04-29T00:54:44-07:00"],
  ["0.22.2", "12e7f4599c077637516cd8415aa4706222ac0968", "2015-09-23T23:10:37-07:00"],
  ["0.23.0", "4ce5475346a0abb7ef4b7ffc9836c5836d7c7a66", "2015-07-17T15:45:20-07:00"],
  ["0.23.1", "a9ea8b104bf94902789d8691a21801335ccf2a9c", "2015-09-21T17:11:46-07:00"],
  ["0.24.0", "8b77e68f8be5d0766a4bbfba18b397d619611f95", "2015-09-01T15:50:10-07:00"],
  ["0.24.1", "44873806c2bb55da37e9adbece938274d8cd7c48", "2015-09-18T17:16:49-07:00"],
  ["0.24.2", "e2eb20b864b119e5f2d0f5b167c435c393f1104a", "2016-04-01T17:30:20-07:00"],
  ["0.25.0", "2dd7f7ee115fe00b8e098b0a10762a4fa8f4600f", "2015-10-09T15:55:26-07:00"],
  ["0.25.1", "c46b9c8ed2fb0cdb58c90fe6fc71dc9e2f49d98c", "2016-04-01T17:38:26-07:00"],
  ["0.26.0", "d3717e5c4d1bf4fca5c41cd7ea54fae489028faa", "2015-12-10T20:52:36+01:00"],
  ["0.26.1", "a041e3a35db6d3c3dea57b4f0033eebced6d55ad", "2016-04-01T18:02:20-07:00"],
  ["0.26.2", "5edc7bab79649341c44df21c8842e05fb6d6c2bb", "2016-06-20T11:03:01-07:00"],
  ["0.27.0", "c29b3b6801846cda270aab17a670542ec5d238f5", "2016-01-27T22:47:32-08:00"],
  ["0.27.1", "864fe8eabd4a83b78ce9140c501908ee3cb90beb", "2016-02-16T16:06:31-08:00"],
  ["0.27.2", "3c9ec4a0f34420b7803848af597de00fedefe0e2", "2016-02-26T20:37:15-08:00"],
  ["0.27.3", "68dd1f6a12c321a21a7e6e257d5a23b41d127273", "2016-06-07T10:04:44-07:00"],
  ["0.28.0", "961edbd82e691a619a4c171a7aadc9c32957fa73", "2016-03-11T14:37:42-05:00"],
  ["0.28.1", "555db235a34afbb9fb49940376cc33a66f1f85f0", "2016-04-05T18:19:49-07:00"],
  ["0.28.2", "ceecad69bd9656cf405ca7378ad021c4ad51aaed", "2016-05-25T08:21:24-07:00"],
  ["0.28.3", "52a0b0a41482da35dc736ec2fd445b6099e7a4e7", "2016-11-22T20:46:02-08:00"],
  ["1.0.0", "c9b70582e9fccab8f6863b0bd3a812b5969a8c24", "2016-07-22T16:51:58-07:00"],
  ["1.0.1", "3611eb0b7eea8d144e9b2e840e0ba16f2f659ee3", "2016-08-10T16:57:40-07:00"],
  ["1.0.2", "94abcf7c45cde0ce37ec30c32a29611626bc16d4", "2016-11-03T21:27:43+01:00"],
  ["1.0.3", "c673fdd00e7f93ab7844965435d57fd691fb4d8d", "2017-01-25T17:59:04-05:00"],
  ["1.0.4", "4154f66d6c6dde8fd2cf2bbf0bfa155f24ac55d4", "2017-04-25T03:11:15+02:00"],
  ["1.1.0", "a44b077ea0df54b77f05550979e1e97f39b15873", "2016-11-03T22:51:32+01:00"],
  ["1.1.1", "b9d8202a7444d0d1e49476bfc9817eb4583beaff", "2017-02-25T13:56:09+01:00"],
  ["1.1.2", "37d98c55e1f43d6734729b5cdbed242ebc3263ed", "2017-05-12T16:13:30+02:00"],
  ["1.1.3", "ce77d91bd3a59227d5684ce0783b460c54ea311f", "2017-08-25T14:25:14+02:00"],
  ["1.2.0", "de306b5786de3c221bae1457c6f2ccaeb38eef9f", "2017-02-23T19:12:28-08:00"],
  ["1.2.1", "7a0cc5522f2ae42ed153860bbbceff1b56476b4e", "2017-05-11T14:25:51-07:00"],
  ["1.2.2", "f954bb01e21d30ddc0d5f87244bc4c22478e6961", "2017-08-02T01:26:52-07:00"],
  ["1.2.3", "7559c9352c78912526820f6222ed2b17ad3b19cf", "2017-11-15T19:29:50-08:00"],
  ["1.3.0", "904729ed37802545ec650e46177e49e1c35c84a8", "2017-05-24T15:20:28-07:00"],
  ["1.3.1", "1beaede8c13f0832d4921121da34f924deec8950", "2017-07-28T17:06:53-07:00"],
  ["1.3.2", "17ab9ff8b35f5ec877f08698e28301bec030d010", "2017-12-07T10:47:58-08:00"],
  ["1.4.0", "b3fd2e7ab26e118222fe18af4b92c53a3c01e6cc", "2017-09-09T09:03:35-04:00"],
  ["1.4.1", "c844db9ac7c0cef59be87438c6781bfb71adcc42", "2017-11-09T19:53:50-05:00"],
  ["1.4.2", "612ec2c63a68b4d5b60d1d864e6703fde1c2a023", "2018-08-08T17:11:47-04:00"],
  ["1.4.3", "1fee9b5365bf2424e4768dc1d5209c6c78dfece6", "2019-02-12T15:44:00-08:00"],
  ["1.5.0", "f7e3872b0359c6095f8eeaefe408cb7dcef5bb83", "2018-02-01T16:36:54-08:00"],
  ["1.5.1", "1b27db1c406b3460a252aea2ee7c75f3a430e50c", "2018-05-11T09:08:22-07:00"],
  ["1.5.2", "3088295d4156eb58d092ad9b3529b85fd33bd36e", "2019-01-15T00:32:28-08:00"],
  ["1.5.3", "b1dbba03af23b0222d11f2b7ae936d77ef42650d", "2019-03-05T21:58:33-08:00"],
  ["1.6.0", "c7df5eadc075adcf525ea091f65786aaffb9b072", "2018-05-07T18:22:23-07:00"],
  ["1.6.1", "ae82dd5cc6f415916702897acfd3085b6387b118", "2018-07-11T12:08:34-07:00"],
  ["1.6.2", "a40aab9d0642b883c52504b1672878dc38438f36", "2019-02-15T17:19:12-08:00"],
  ["1.7.0", "8419b870c571ac11825c883fa20ea3b7d4348d34", "2018-09-07T16:29:35-07:00"],
  ["1.7.1", "d5678c3c5500cec72e22e775d9d048c55c128954", "2019-01-15T16:54:35-08:00"],
  ["1.7.2", "58cc918e9acc2865bb07047d3d2dff156d1708b2", "2019-02-15T15:59:20-08:00"],
  ["1.7.3", "5f617044c969ebcfca281d043a2474c1a6b39f23", "2020-04-28T23:12:14-07:00"],
  ["1.8.0", "acefa90695a32f8e8d6361f8192a6522aeaadbb9", "2019-04-26T16:53:41+02:00"],
  ["1.8.1", "4ae06448466408d9ec96ede953208057609f0744", "2019-07-10T15:47:57+02:00"],
  ["1.9.0", "5e79a584e6ec3e9e2f96e8bf418411df9dafac2e", "2019-08-30T11:56:37-03:00"],
  ["1.10.0", "1fb36dcc5a0099f147cd01bd82cd7b4f0aec2256", "2020-05-18T20:57:49+02:00"],
  ["1.11.0", "04bc7ee1984d86fbb0bd782ccc69ce44c13ae4b9", "2020-11-16T16:43:57+01:00"],
];

/** Every Mesos release the simulator runs, oldest first. */
export const MESOS_RELEASES: readonly MesosRelease[] = TAGS.map(([version, gitSha, buildDate]) => ({
  version,
  gitSha,
  buildDate,
  imageTag: mesosImageTag(version) as string,
}));

/** Docker repositories of the Mesos daemons (Mesosphere's images; entrypoints mesos-master / mesos-slave). */
export const MESOS_MASTER_IMAGE = IMAGE_REPOSITORIES["mesos-master"].repository;
export const MESOS_AGENT_IMAGE = IMAGE_REPOSITORIES["mesos-slave"].repository;

/** The release whose image tag or version is given. */
export function mesosRelease(versionOrTag: string): MesosRelease | undefined {
  return MESOS_RELEASES.find((r) => r.version === versionOrTag || r.imageTag === versionOrTag);
}

/** How a flag's value is parsed: boolean, duration, number or free text. */
export type FlagKind = "b" | "d" | "n" | "s";

/** A flag a Mesos binary accepts, with its deprecated alias if any (1.0's slave→agent renames). */
export interface FlagSpec {
  readonly kind: FlagKind;
  readonly alias?: string;
}

interface FlagSet {
  readonly versions: readonly string[];
  readonly master: Readonly<Record<string, string>>;
  readonly agent: Readonly<Record<string, string>>;
}

/** The flags `mesos-master` or `mesos-slave` of a release accepts (generated from the release tags; see JSON). */
export function mesosFlags(version: string, binary: "master" | "agent"): ReadonlyMap<string, FlagSpec> {
  const sets = (flagData as unknown as { sets: FlagSet[] }).sets;
  const set = [...sets].reverse().find((s) => compareVersions(s.versions[0] as string, version) <= 0) ?? sets[0];
  const flags = new Map<string, FlagSpec>();
  for (const [name, spec] of Object.entries(set![binary])) {
    const [kind, alias] = spec.split(":");
    flags.set(name, alias ? { kind: kind as FlagKind, alias } : { kind: kind as FlagKind });
  }
  // stout's FlagsBase adds --help to every binary.
  flags.set("help", { kind: "b" });
  return flags;
}

/** Behaviour that changes between Mesos releases; each line cites where it comes from. */
export function mesosTraits(version: string) {
  return {
    /** 0.22–0.23 masters publish `info_N` (protobuf), 0.24+ `json.info_N` (src/master/constants.cpp). */
    zkLabel: atLeast(version, "0.24.0") ? "json.info" : "info",
    /** 0.22 detectors only parse `info` znodes; 0.23+ parse both (src/master/detector.cpp). */
    readsJsonLabel: atLeast(version, "0.23.0"),
    /** stout reads env and argv into one map up to 0.24, so MESOS_X plus --x is a duplicate (flags.hpp). */
    envDuplicatesFail: !atLeast(version, "0.25.0"),
    /** Ping timeout flags exist from 0.23 (reference §2.2); 0.22 hard-codes 15secs × 5. */
    pingFlags: atLeast(version, "0.23.0"),
    /** 1.0 renamed slave flags to agent flags; the old names stay as deprecated aliases. */
    agentNames: atLeast(version, "1.0.0"),
    /** 1.0 agents require --work_dir (reference §1.3). */
    workDirRequired: atLeast(version, "1.0.0"),
    /**
     * Docker task container names: mesos-<containerId> before 0.23 and again from 1.4 (commit 55d7c9f76 "Changed
     * naming of Docker containers to the pre-0.23 scheme"), mesos-<agentId>.<containerId> from 0.23 to 1.3
     * (src/slave/containerizer/docker.hpp at each tag).
     */
    containerNameHasAgentId: atLeast(version, "0.23.0") && !atLeast(version, "1.4.0"),
    /**
     * parse() accepts a mesos-… name only when the ContainerID it reads is a UUID (MESOS-6212): in 1.0.2–1.0.4 and
     * from 1.2.0, not in 1.1.x nor before (src/slave/containerizer/docker.cpp at each tag, "Check if id is a valid
     * UUID").
     */
    orphanNamesAreUuids: (atLeast(version, "1.0.2") && !atLeast(version, "1.1.0")) || atLeast(version, "1.2.0"),
    /**
     * The lowest Docker the agent's Docker containerizer starts with (Docker::create's validateVersion): 1.8.0 from
     * MESOS-9231 (`docker inspect --type=container`) in 1.4.3, 1.5.2+, 1.6.2, 1.7.1+ and 1.8+, else 1.0.0
     * (src/docker/docker.cpp at each tag; docs/docker-containerizer.md at 1.11.0).
     */
    dockerMinimum:
      ["1.4.3", "1.5.2", "1.5.3", "1.6.2"].includes(version) || atLeast(version, "1.7.1") ? "1.8.0" : "1.0.0",
    /**
     * The `*.json` aliases (master state.json, tasks.json, roles.json; agent state.json) are routed up to 1.7 and
     * gone from 1.8 (MESOS-4509: route lists of src/master/master.cpp and src/slave/slave.cpp at 1.7.3 vs 1.8.0).
     */
    jsonAliases: !atLeast(version, "1.8.0"),
    /**
     * Credentials files in the deprecated text format ("principal secret" lines) are read up to 1.10; from 1.11 only
     * JSON, else "Invalid json format: …" (CHANGELOG 1.11.0; src/credentials/credentials.hpp at 1.10.0 vs 1.11.0).
     */
    textCredentials: !atLeast(version, "1.11.0"),
    /** 0.22.1 and older parse `docker version` for "Client version:" (MESOS-2986); 0.22.2+ run `docker --version`. */
    parsesLegacyDockerVersion: !atLeast(version, "0.22.2"),
    /** --docker_kill_orphans flag from 0.23; orphans are always killed before. */
    killOrphansFlag: atLeast(version, "0.23.0"),
    /** MESOS-3834: these agents abort recovering a framework checkpoint written by 0.22 (no FrameworkID). */
    abortsOnOldFrameworkCheckpoint: ["0.24.0", "0.24.1", "0.25.0", "0.26.0"].includes(version),
    /** 0.24.2/0.25.1/0.26.1/0.27.0+ fill in the FrameworkID and re-checkpoint it. */
    rewritesOldFrameworkCheckpoint:
      atLeast(version, "0.24.0") && !["0.24.0", "0.24.1", "0.25.0", "0.26.0"].includes(version),
    /** 0.22 state.json carries staged_tasks, …, lost_tasks counters; removed in 0.23. */
    stateTaskCounters: !atLeast(version, "0.23.0"),
    /** /master/state-summary from 0.23. */
    stateSummary: atLeast(version, "0.23.0"),
    /** /stats.json exists (deprecated) up to 0.22; removed in 0.23. */
    statsJson: !atLeast(version, "0.23.0"),
    /** /state (without .json) from 0.25. */
    stateWithoutJson: atLeast(version, "0.25.0"),
    /** /version and /flags endpoints from 0.26. */
    versionEndpoint: atLeast(version, "0.26.0"),
    /** master state slaves[] carry `version` from 0.26. */
    agentVersionInState: atLeast(version, "0.26.0"),
    /** maintenance primitives from 0.25. */
    maintenance: atLeast(version, "0.25.0"),
    /** 1.0 non-leading masters answer 307 for most endpoints (503 without a leader). */
    standbyRedirects: atLeast(version, "1.0.0"),
    /** /master/redirect answers 503 without a leader from 1.0; before, it redirects to itself. */
    redirect503WithoutLeader: atLeast(version, "1.0.0"),
    /** 1.1 adds leader_info to /master/state. */
    leaderInfo: atLeast(version, "1.1.0"),
    /** 1.2.1+ masters ignore registration from agents older than 1.0.0 (MINIMUM_AGENT_VERSION). */
    minimumAgentVersion: atLeast(version, "1.2.1") ? "1.0.0" : undefined,
    /** The word used in log lines and messages. */
    agentWord: atLeast(version, "1.0.0") ? "agent" : "slave",
  };
}

/**
 * The metric names of /metrics/snapshot of a master or agent of `version` (mesos-metrics.json, read from each
 * release's metrics sources; names made of runtime values such as roles or removal reasons are not listed).
 */
export function mesosMetricNames(version: string, binary: "master" | "agent"): readonly string[] {
  const sets = (metricData as unknown as { sets: Array<{ versions: string[]; master: string[]; agent: string[] }> })
    .sets;
  const set = [...sets].reverse().find((s) => compareVersions(s.versions[0] as string, version) <= 0) ?? sets[0];
  return set![binary];
}

/**
 * The default of every flag of `mesos-master` or `mesos-slave` at `version` that has one, as stout prints it
 * ("1mins", "replicated_log"): what /state's `flags` shows for a flag not given (mesos-flag-defaults.json, read from
 * each release's flags sources). Flags without a default appear in /state only when given.
 */
export function mesosFlagDefaults(version: string, binary: "master" | "agent"): Readonly<Record<string, string>> {
  const sets = (
    flagDefaultData as unknown as {
      sets: Array<{ versions: string[]; master: Record<string, string>; agent: Record<string, string> }>;
    }
  ).sets;
  const set = [...sets].reverse().find((s) => compareVersions(s.versions[0] as string, version) <= 0) ?? sets[0];
  return set![binary];
}

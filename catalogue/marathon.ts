/** Marathon releases, their minimum Mesos per policy, the libmesos they ship with, and the hop graph. */
import type { CrossingNote, ReleaseLine, Sourced } from "./types";

/** A Marathon minor line and what it needs from Mesos. */
export interface MarathonLine extends ReleaseLine {
  /** Minimum Mesos per Marathon's own docs ("Requirements"): the hard rule. */
  readonly minMesosDocs: string;
  /** Minimum Mesos per the seed's table (the team's stricter plan): the `seed-table` policy. */
  readonly minMesosSeed: string;
  /**
   * The libmesos inside the `mesosphere/marathon` image of this line. Marathon runs from that image
   * (issue 4: components run as containers), so this is the library that talks to the masters.
   */
  readonly libmesos: string;
  /** Releases of the line that moved to another libmesos. @default none */
  readonly libmesosFrom?: readonly { readonly release: string; readonly libmesos: string }[];
  /** The Mesos JAR the line is built with (the JNI check compares its major version). */
  readonly jar: string;
  /**
   * The newest Mesos line this Marathon line is planned against: a Mesos hop past it waits until
   * Marathon has moved on (a forced Marathon hop). Set from the line the next Marathon line asks for.
   * @default no known bound
   */
  readonly maxMesos?: string;
  /** The Marathon lines this line may be entered from (storage migrations). @default the previous line */
  readonly enterFrom?: readonly string[];
}

const REQS = (tag: string) => `mesosphere/marathon@${tag}:docs/docs/index.md ("Requirements")`;
const BUILT = "fact sheet §4.1 (project/build.scala MesosUtils and Dockerfile)";
const SEED = (rows: string) => `seed Marathon table rows ${rows}`;
const TAGS_NEW = "mesosphere/marathon git tags (newest-releases fact sheet §2.1)";
const WINDOW =
  "Mesos moves only as far as the next Marathon line asks for, then Marathon follows (newest-releases fact sheet §5)";

/** Releases `<minor>.<first>` … `<minor>.<last>`, every patch tagged. */
function range(minor: string, first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, i) => `${minor}.${first + i}`);
}

/**
 * Marathon minor lines, oldest first (0.12 and 1.2 were never released; 1.0 exists only as 1.0.0-RC1).
 * Lines before 1.3 link a 0.x libmesos and end their window at Mesos 1.0: Marathon 1.3, the first line
 * built against Mesos 1.x, requires Mesos 1.0, so Mesos waits there for Marathon (newest-releases fact sheet §5).
 */
export const MARATHON_LINES: readonly MarathonLine[] = [
  {
    minor: "0.9",
    releases: ["0.9.0", "0.9.1", "0.9.2"],
    latest: "0.9.2",
    minMesosDocs: "0.20.1",
    minMesosSeed: "0.22.1",
    libmesos: "0.22.1",
    jar: "0.22.1",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags (v0.9.3 only RC1); ${REQS("v0.9.0")}; ${SEED("1 (Mesos 0.22.1)")}; ${BUILT}: mesos-utils 0.22.1-1, mesosphere/mesos:0.22.1-1.0.ubuntu1404`,
  },
  {
    minor: "0.10",
    releases: ["0.10.0", "0.10.1"],
    latest: "0.10.1",
    minMesosDocs: "0.20.1",
    minMesosSeed: "0.22.1",
    libmesos: "0.22.1",
    jar: "0.22.1",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags (0.10.2 only RCs); ${REQS("v0.10.0")}; ${SEED("2-3 (Mesos 0.22.1)")}; ${BUILT}`,
  },
  {
    minor: "0.11",
    releases: ["0.11.0", "0.11.1"],
    latest: "0.11.1",
    minMesosDocs: "0.22.1",
    minMesosSeed: "0.23.0",
    libmesos: "0.23.0",
    jar: "0.23.0",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags; ${REQS("v0.11.0")}; ${SEED("4-5 (Mesos 0.23)")}; ${BUILT}: mesos=0.23.0-1.0.debian81`,
  },
  {
    minor: "0.13",
    releases: ["0.13.0", "0.13.1"],
    latest: "0.13.1",
    minMesosDocs: "0.22.1",
    minMesosSeed: "0.23.0",
    libmesos: "0.24.1",
    jar: "0.25.0",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags; ${REQS("v0.13.0")}; ${SEED("6-7 (Mesos 0.23)")}; ${BUILT}: JAR 0.25.0, mesos=0.24.1-0.2.35.debian81`,
  },
  {
    minor: "0.14",
    releases: ["0.14.0", "0.14.1", "0.14.2", "0.14.3"],
    latest: "0.14.3",
    minMesosDocs: "0.24.0",
    minMesosSeed: "0.26.0",
    libmesos: "0.26.0",
    libmesosFrom: [{ release: "0.14.3", libmesos: "0.26.2" }],
    jar: "0.26.0",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags; ${REQS("v0.14.0")}; ${SEED("8-9 (Mesos 0.26)")}; ${BUILT}: 0.14.3 moved to libmesos 0.26.2`,
  },
  {
    minor: "0.15",
    releases: ["0.15.0", "0.15.1", "0.15.2", "0.15.3", "0.15.4", "0.15.5", "0.15.6", "0.15.7"],
    latest: "0.15.7",
    minMesosDocs: "0.24.0",
    minMesosSeed: "0.26.0",
    libmesos: "0.26.0",
    libmesosFrom: [{ release: "0.15.6", libmesos: "0.26.2" }],
    jar: "0.26.0",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags; ${REQS("v0.15.0")}; ${SEED("10-15 (Mesos 0.26)")}; ${BUILT}: 0.15.6 "Updated Mesos to 0.26.2 which fixes a memory leak in libmesos"`,
  },
  {
    minor: "1.0",
    releases: ["1.0.0-RC1"],
    latest: "1.0.0-RC1",
    minMesosDocs: "0.28.0",
    minMesosSeed: "0.28.0",
    libmesos: "0.28.0",
    jar: "0.28.0",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags: only v1.0.0-RC1, no final v1.0.0 (changelog jumps to "1.0.0 to 1.1.0"); ${REQS("v1.0.0-RC1")}; ${SEED("16 (Mesos 0.28)")}; ${BUILT}`,
  },
  {
    minor: "1.1",
    releases: ["1.1.0", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7"],
    latest: "1.1.7",
    minMesosDocs: "0.28.0",
    minMesosSeed: "0.28.0",
    libmesos: "0.28.0",
    libmesosFrom: [{ release: "1.1.7", libmesos: "0.28.2" }],
    jar: "0.28.0",
    maxMesos: "1.0",
    source: `mesosphere/marathon git tags (v1.1.0 … v1.1.7); ${REQS("v1.1.0")}; ${SEED("17-18 (Mesos 0.28)")}; ${BUILT}: 1.1.7 moved to libmesos 0.28.2; the next line (1.3, 1.2 skipped) requires Mesos 1.0 and a full-cluster stop; maxMesos 1.0: ${WINDOW} (1.1.7 on 1.0.x masters is the fact sheet's step 1, not documented: unconfirmed)`,
  },
  {
    minor: "1.3",
    releases: range("1.3", 0, 14),
    latest: "1.3.14",
    minMesosDocs: "1.0.0",
    minMesosSeed: "1.0.0",
    libmesos: "1.0.1",
    jar: "1.0.0",
    maxMesos: "1.2",
    enterFrom: ["1.1"],
    source: `${TAGS_NEW}; changelog "1.0.0 or later is required" (no check in code); Dockerfile libmesos 1.0.1; maxMesos 1.2: Marathon 1.4 recommends Mesos 1.2.0+ (${WINDOW})`,
  },
  {
    minor: "1.4",
    releases: range("1.4", 0, 13),
    latest: "1.4.13",
    minMesosDocs: "1.1.0",
    minMesosSeed: "1.1.0",
    libmesos: "1.1.3",
    jar: "1.1.3",
    maxMesos: "1.3",
    enterFrom: ["1.3"],
    source: `${TAGS_NEW}; LibMesos.scala (master and libmesos >= 1.1.0, else crash); project/Dependencies.scala libmesos 1.1.3; maxMesos 1.3: Marathon 1.5 recommends Mesos 1.3.0+ (${WINDOW}); 1.3 cannot read 1.4's storage`,
  },
  {
    minor: "1.5",
    releases: range("1.5", 0, 15),
    latest: "1.5.15",
    minMesosDocs: "1.1.0",
    minMesosSeed: "1.1.0",
    libmesos: "1.4.0",
    jar: "1.4.0",
    maxMesos: "1.5",
    enterFrom: ["1.4"],
    source: `${TAGS_NEW} (v1.5.1.1 and v1.5.1.2 are four-part hotfix tags, left out); changelog 1.5.0: the upgrade "can be performed only from 1.4.x"; LibMesos.scala >= 1.1.0; libmesos 1.4.0; maxMesos 1.5: Marathon 1.6 recommends and 1.7 requires Mesos 1.5.0 (${WINDOW})`,
  },
  {
    minor: "1.6",
    releases: [
      "1.6.322",
      "1.6.352",
      "1.6.392",
      "1.6.486",
      "1.6.488",
      "1.6.490",
      "1.6.493",
      "1.6.496",
      "1.6.535",
      "1.6.544",
      "1.6.549",
      "1.6.564",
      "1.6.567",
      "1.6.590",
    ],
    latest: "1.6.590",
    minMesosDocs: "1.1.0",
    minMesosSeed: "1.1.0",
    libmesos: "1.5.0",
    jar: "1.5.0",
    maxMesos: "1.5",
    enterFrom: ["1.5"],
    source: `${TAGS_NEW}: versions are commit counts from 1.6, v1.6.322 the first public one (v1.6.0 and v1.6.0-pre are not releases); storage >= 1.4.0; libmesos 1.5.0; maxMesos 1.5: Marathon 1.7 needs Mesos 1.5.0 (${WINDOW})`,
  },
  {
    minor: "1.7",
    releases: [
      "1.7.37",
      "1.7.50",
      "1.7.149",
      "1.7.174",
      "1.7.188",
      "1.7.189",
      "1.7.202",
      "1.7.203",
      "1.7.216",
      "1.7.230",
      "1.7.236",
    ],
    latest: "1.7.236",
    minMesosDocs: "1.5.0",
    minMesosSeed: "1.5.0",
    libmesos: "1.7.1-rc1",
    jar: "1.7.1-rc1",
    maxMesos: "1.7",
    enterFrom: ["1.6"],
    source: `${TAGS_NEW}; LibMesos.scala: master and libmesos >= 1.5.0, else crash; docs/docs/mesos-compatibility.md; JAR 1.7.1-rc1; maxMesos 1.7: the N-2 comment of LibMesos.scala (Marathon 1.N supports Mesos 1.N, 1.N-1, 1.N-2), inference for lines before 1.10`,
  },
  {
    minor: "1.8",
    releases: ["1.8.180", "1.8.207", "1.8.218", "1.8.222", "1.8.230", "1.8.232", "1.8.244"],
    latest: "1.8.244",
    minMesosDocs: "1.5.0",
    minMesosSeed: "1.5.0",
    libmesos: "1.8.0",
    jar: "1.8.0",
    maxMesos: "1.8",
    enterFrom: ["1.6", "1.7"],
    source: `${TAGS_NEW}; changelog 1.8: the upgrade is possible "only … from 1.6.x and 1.7.x" (storage >= 1.6.0); LibMesos.scala >= 1.5.0; libmesos 1.8.0; maxMesos 1.8: N-2 comment (inference)`,
  },
  {
    minor: "1.9",
    releases: ["1.9.32", "1.9.34", "1.9.64", "1.9.71", "1.9.73", "1.9.81", "1.9.100", "1.9.109"],
    latest: "1.9.109",
    minMesosDocs: "1.5.0",
    minMesosSeed: "1.5.0",
    libmesos: "1.9.0",
    jar: "1.9.0",
    maxMesos: "1.9",
    enterFrom: ["1.8"],
    source: `${TAGS_NEW} (1.9.136 is in the changelog but untagged: unconfirmed, left out); storage >= 1.6.0; LibMesos.scala >= 1.5.0; libmesos 1.9.0; maxMesos 1.9: N-2 comment (inference)`,
  },
  {
    minor: "1.10",
    releases: ["1.10.5", "1.10.17", "1.10.26"],
    latest: "1.10.26",
    minMesosDocs: "1.5.0",
    minMesosSeed: "1.5.0",
    libmesos: "1.10.0",
    jar: "1.10.0",
    maxMesos: "1.11",
    enterFrom: ["1.9"],
    source: `${TAGS_NEW}; LibMesos.scala @v1.10.26: >= 1.5.0 and "Marathon 1.10 should support Mesos 1.10, 1.9 and 1.8"; maxMesos 1.11: the fact sheet's §5 path ends with Mesos 1.11.0 under Marathon 1.10.26 (outside the N-2 comment: inference; Marathon 1.11 was never tagged, so it is not catalogued)`,
  },
];

/** One edge of the Marathon hop graph. */
export interface MarathonHop extends Sourced {
  /** The version the edge starts from; it also applies to later releases of the same line below `to`. */
  readonly from: string;
  /** The version the hop lands on. */
  readonly to: string;
}

const SEED_ROW = (n: number) => `seed Marathon table row ${n} (Marathon releases page)`;

/**
 * The hop graph: the seed's table, row by row. Besides these edges, a release may move to any later
 * release of its own line in one hop (patch releases; see `planner/marathon-graph.ts`).
 */
export const MARATHON_HOPS: readonly MarathonHop[] = [
  { from: "0.9.1", to: "0.9.2", source: SEED_ROW(1) },
  { from: "0.9.0", to: "0.10.0", source: SEED_ROW(2) },
  { from: "0.10.0", to: "0.10.1", source: SEED_ROW(3) },
  { from: "0.10.0", to: "0.11.0", source: SEED_ROW(4) },
  { from: "0.11.0", to: "0.11.1", source: SEED_ROW(5) },
  { from: "0.11.1", to: "0.13.0", source: SEED_ROW(6) },
  { from: "0.13.0", to: "0.13.1", source: SEED_ROW(7) },
  { from: "0.13.0", to: "0.14.0", source: SEED_ROW(8) },
  { from: "0.14.0", to: "0.14.1", source: SEED_ROW(9) },
  { from: "0.14.0", to: "0.15.0", source: SEED_ROW(10) },
  { from: "0.15.0", to: "0.15.1", source: SEED_ROW(11) },
  { from: "0.15.1", to: "0.15.2", source: SEED_ROW(12) },
  { from: "0.15.2", to: "0.15.3", source: SEED_ROW(13) },
  { from: "0.15.3", to: "0.15.4", source: SEED_ROW(14) },
  { from: "0.15.4", to: "0.15.5", source: SEED_ROW(15) },
  { from: "0.15.3", to: "1.0.0-RC1", source: SEED_ROW(16) },
  {
    from: "1.0.0-RC1",
    to: "1.1.0",
    source: `${SEED_ROW(17)}, which says 1.0.0: no final 1.0.0 was tagged, so the edge starts at 1.0.0-RC1 (fact sheet §4.1)`,
  },
  { from: "1.1.0", to: "1.1.1", source: SEED_ROW(18) },
];

/**
 * From the 1.1 line on, the hop graph is line by line: each hop lands on the next line's latest patch
 * (or the target, in its line), because "It is recommended not to skip Marathon releases"
 * (mesosphere/marathon@v1.10.26:docs/docs/upgrade/index.md) and the storage minimums enforce it for
 * 1.5 (only from 1.4.x) and 1.8+ (only from 1.6.x/1.7.x): see each line's `enterFrom`.
 */
export const MARATHON_LINE_BY_LINE_FROM: Sourced & { readonly minor: string } = {
  minor: "1.1",
  source:
    "mesosphere/marathon@v1.10.26:docs/docs/upgrade/index.md; changelog.md (1.5.0, 1.8); newest-releases fact sheet §0.2, §2.3",
};

/**
 * A Marathon version that cannot be reached by a rolling restart: every instance stops, then all start at the new
 * version.
 */
export interface WholeClusterRestart extends Sourced {
  /** Applies to a hop `from → to` when `from < before` and `to >= at`. */
  readonly at: string;
  /** Instances older than this cannot run beside the new version. */
  readonly before: string;
  /** Why. */
  readonly reason: string;
}

/** Hops that need every Marathon instance stopped first. */
export const MARATHON_WHOLE_CLUSTER_RESTARTS: readonly WholeClusterRestart[] = [
  {
    at: "1.3.0",
    before: "1.2.0",
    reason:
      "Marathon 1.3's Curator leader election is not compatible with Marathon versions prior to 1.2.0: stop every older instance before the new version starts (Marathon is unavailable until the first 1.3 instance leads)",
    source:
      "mesosphere/marathon changelog 1.1.0 → 1.3.0; mesosphere/marathon@v1.4.13:docs/docs/upgrade/index.md; newest-releases fact sheet §2.2",
  },
];

/** Flags and endpoints a Marathon version no longer has (a removed flag is an unknown option: start-up fails). */
export interface MarathonRemoval extends Sourced {
  /** First version without them. */
  readonly at: string;
  /** Command-line flags gone (without dashes). */
  readonly flags: readonly string[];
  /** HTTP endpoints gone. */
  readonly endpoints: readonly string[];
}

/** What each Marathon line removed. */
export const MARATHON_REMOVALS: readonly MarathonRemoval[] = [
  {
    at: "1.4.0",
    flags: ["marathon_store_timeout", "enable_metrics", "enable_tracing"],
    endpoints: [],
    source: "mesosphere/marathon changelog 1.4.0; newest-releases fact sheet §2.4",
  },
  {
    at: "1.5.0",
    flags: ["event_subscriber", "http_endpoints", "artifact_store", "max_tasks_per_offer"],
    endpoints: ["/v2/eventSubscriptions", "/v2/artifacts"],
    source:
      'mesosphere/marathon changelog 1.5.0 ("--artifact_store … will throw an error if specified"); flag strings absent from src/main/scala at v1.5.0; newest-releases fact sheet §2.4',
  },
  {
    at: "1.8.180",
    flags: ["save_tasks_to_launch_timeout"],
    endpoints: [],
    source: "mesosphere/marathon changelog 1.8 (refuses to start with it); newest-releases fact sheet §2.4",
  },
  {
    at: "1.10.5",
    flags: ["revive_offers_for_new_apps", "revive_offers_repetitions"],
    endpoints: [],
    source: "mesosphere/marathon code at v1.10.26 (no-ops in 1.9, gone in 1.10); newest-releases fact sheet §2.4",
  },
];

const UPGRADE_GUIDE = "mesosphere/marathon@v1.1.7:docs/docs/upgrade/index.md; changelog.md; fact sheet §4.2";
const NEW_GUIDE =
  "mesosphere/marathon@v1.10.26:docs/docs/upgrade/index.md and changelog.md; newest-releases fact sheet §2.3, §2.4";

/** What arriving at a Marathon version implies (storage migrations, breaking changes). */
export const MARATHON_CROSSINGS: readonly CrossingNote[] = [
  {
    at: "0.11.0",
    migratesStorage: true,
    message:
      "Marathon 0.11: needs Java 8; migrates its ZooKeeper storage on first start (back up ZooKeeper first); --revive_offers_for_new_apps becomes the default",
    source: UPGRADE_GUIDE,
  },
  {
    at: "0.13.0",
    migratesStorage: true,
    message:
      "Marathon 0.13 (breaking): task keys and storage format change and earlier versions cannot read migrated tasks — back up ZooKeeper state first; nodes over --zk_compression_threshold (64KB) are compressed",
    source: UPGRADE_GUIDE,
  },
  {
    at: "0.14.0",
    message:
      "Marathon 0.14: refuses to start if registering with the stored framework ID fails (it used to register as a new framework)",
    source: UPGRADE_GUIDE,
  },
  {
    at: "1.0.0-RC1",
    message:
      "Marathon 1.0.0-RC1 is a release candidate (no final 1.0.0 exists); new defaults --launch_tokens 100, --max_tasks_per_offer 5, --reconciliation_interval 600000; the auth plugin interface changed; portDefinitions deprecates ports",
    source: `${UPGRADE_GUIDE}; changelog "Changes from 0.15.3 to 1.0.0"`,
  },
  {
    at: "1.0.0-RC1",
    message:
      "JNI check: Marathon 1.0/1.1 ship the Mesos 0.28.0 JAR with libmesos 0.28 in their image; a host libmesos (MESOS_NATIVE_JAVA_LIBRARY) must stay on major 0, since libmesos <= 0.28.2 refuses a JAR of another major version (Marathon 1.3+ carries the 1.0.0 JAR)",
    source:
      "fact sheet §1.2 (scheduler JNI version check), §4.1; apache/mesos@0.28.2:src/java/jni/convert.cpp; MESOS-5571",
  },
  {
    at: "1.1.5",
    migratesStorage: true,
    message: "Marathon 1.1.5: a storage migration moves app groups stored in the wrong place (back up ZooKeeper first)",
    source: `${UPGRADE_GUIDE}; mesosphere/marathon@v1.1.7:src/main/scala/mesosphere/marathon/state/Migration.scala`,
  },
  {
    at: "1.3.0",
    migratesStorage: true,
    message:
      "Marathon 1.3: needs Mesos >= 1.0.0; every instance stops before the new version starts (Curator leader election); migrations 1.2.0 and 1.3.5 run; framework authentication needs an explicit --mesos_authentication; TASK_LOST GC default 24h → 75s",
    source: `${NEW_GUIDE}; changelog 1.1.0 → 1.3.0; Migration.scala @v1.3.14`,
  },
  {
    at: "1.4.0",
    migratesStorage: true,
    message:
      "Marathon 1.4: storage moves from the legacy layout to the nested persistence store, which 1.3 cannot read; needs Mesos master and libmesos >= 1.1.0; removes --marathon_store_timeout, --enable_metrics, --enable_tracing; a lost leadership ends the process (the container restart policy brings it back)",
    source: `${NEW_GUIDE}; changelog 1.4.0; storage/migration/Migration.scala @v1.4.13`,
  },
  {
    at: "1.5.0",
    migratesStorage: true,
    message:
      'Marathon 1.5 (only from 1.4.x): /v2/eventSubscriptions and --event_subscriber, --http_endpoints, --artifact_store, --max_tasks_per_offer are gone (a removed flag stops start-up; bamboo needs "UseEventStream": true before this hop); app JSON no longer emits ports, ipAddress, portMappings or uris; packages read only /etc/default/marathon',
    source: `${NEW_GUIDE}; changelog 1.5.0; QubitProducts/bamboo README (HEAD)`,
  },
  {
    at: "1.6.322",
    migratesStorage: true,
    message:
      "Marathon 1.6: versions become commit counts; Scala 2.12 (2.11 plugins fail to load); storage migration 1.6.0",
    source: `${NEW_GUIDE}; changelog 1.6; Migration.scala`,
  },
  {
    at: "1.7.37",
    migratesStorage: true,
    message:
      "Marathon 1.7: crashes if the Mesos master or libmesos is older than 1.5.0; a standby answers /v2/events with a 302 to the leader (it used to proxy); maintenance mode is on by default; the image runs as nobody; storage version 17",
    source: `${NEW_GUIDE}; changelog 1.7; LibMesos.scala`,
  },
  {
    at: "1.8.180",
    migratesStorage: true,
    message:
      "Marathon 1.8 (only from 1.6.x or 1.7.x): refuses to start with --deprecated_features api_heavy_events, proxy_events or kamon_metrics, or with save_tasks_to_launch_timeout; offers suppressed by default; storage migrations 18 … 18.200",
    source: `${NEW_GUIDE}; changelog 1.8`,
  },
  {
    at: "1.9.32",
    migratesStorage: true,
    message:
      "Marathon 1.9: multi-role; --default_accepted_resource_roles deprecated for --accepted_resource_roles_default_behavior; --gpu_scheduling_behavior=undefined is illegal; storage migrations 19.x (MARATHON-8712: fails with mid-deployment scheduled instances)",
    source: `${NEW_GUIDE}; changelog 1.9`,
  },
  {
    at: "1.10.5",
    migratesStorage: true,
    message:
      "Marathon 1.10: text/plain /v2/tasks answers 406 unless --deprecated_features text_plain_tasks; invalid acceptedResourceRoles rejected; supports Mesos 1.8–1.10 (N-2); storage migration 110.100",
    source: `${NEW_GUIDE}; changelog 1.10; LibMesos.scala @v1.10.26`,
  },
];

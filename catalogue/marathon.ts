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
}

const REQS = (tag: string) => `mesosphere/marathon@${tag}:docs/docs/index.md ("Requirements")`;
const BUILT = "fact sheet §4.1 (project/build.scala MesosUtils and Dockerfile)";
const SEED = (rows: string) => `seed Marathon table rows ${rows}`;

/** Marathon minor lines, oldest first (0.12 was never released; 1.0 exists only as 1.0.0-RC1). */
export const MARATHON_LINES: readonly MarathonLine[] = [
  {
    minor: "0.9",
    releases: ["0.9.0", "0.9.1", "0.9.2"],
    latest: "0.9.2",
    minMesosDocs: "0.20.1",
    minMesosSeed: "0.22.1",
    libmesos: "0.22.1",
    jar: "0.22.1",
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
    source: `mesosphere/marathon git tags (v1.1.0 … v1.1.7); ${REQS("v1.1.0")}; ${SEED("17-18 (Mesos 0.28)")}; ${BUILT}: 1.1.7 moved to libmesos 0.28.2; the next line (1.3, 1.2 skipped) requires Mesos 1.0 and a full-cluster stop`,
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

const UPGRADE_GUIDE = "mesosphere/marathon@v1.1.7:docs/docs/upgrade/index.md; changelog.md; fact sheet §4.2";

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
    source: "fact sheet §1.2 (scheduler JNI version check), §4.1; apache/mesos@0.28.2:src/java/jni/convert.cpp; MESOS-5571",
  },
  {
    at: "1.1.5",
    migratesStorage: true,
    message: "Marathon 1.1.5: a storage migration moves app groups stored in the wrong place (back up ZooKeeper first)",
    source: `${UPGRADE_GUIDE}; mesosphere/marathon@v1.1.7:src/main/scala/mesosphere/marathon/state/Migration.scala`,
  },
];

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CONTAINERIZER_LIMITS,
  DOCKER_CROSSINGS,
  DOCKER_LINES,
  FRAMEWORK_CEILINGS,
  FRAMEWORK_JARS,
  FRAMEWORK_NOTES,
  MARATHON_CROSSINGS,
  MARATHON_FLAGS,
  MARATHON_HOPS,
  MARATHON_LINES,
  MESOS_AGENT_FLAGS,
  MESOS_CROSSINGS,
  MESOS_KNOWN_BAD,
  MESOS_LINES,
  MESOS_MASTER_FLAGS,
  MESOS_SCHEDULER_FLOORS,
  type ReleaseLine,
  type Sourced,
} from "../../../catalogue";
import { compareVersions, isKnownRelease, minorOf } from "../../../planner";

const ALL_SOURCED: readonly (readonly Sourced[])[] = [
  MESOS_LINES, MESOS_KNOWN_BAD, MESOS_SCHEDULER_FLOORS, MESOS_CROSSINGS, DOCKER_LINES, DOCKER_CROSSINGS, MARATHON_LINES, MARATHON_HOPS,
  MARATHON_CROSSINGS, CONTAINERIZER_LIMITS, FRAMEWORK_CEILINGS, FRAMEWORK_JARS, FRAMEWORK_NOTES, MESOS_MASTER_FLAGS, MESOS_AGENT_FLAGS, MARATHON_FLAGS,
];

function checkLines(lines: readonly ReleaseLine[]): void {
  for (const line of lines) {
    assert.equal(line.releases[line.releases.length - 1], line.latest, `${line.minor}: latest must be the last release`);
    for (const r of line.releases) assert.equal(minorOf(r), line.minor, `${r} belongs to ${line.minor}`);
    const sorted = [...line.releases].sort(compareVersions);
    assert.deepEqual(line.releases, sorted, `${line.minor}: releases oldest first`);
  }
  const minors = lines.map((l) => `${l.minor}.0`);
  assert.deepEqual(minors, [...minors].sort(compareVersions), "lines oldest first");
}

describe("catalogue", () => {
  it("names a source beside every datum", () => {
    for (const table of ALL_SOURCED) for (const datum of table) assert.ok(datum.source.trim().length > 10, JSON.stringify(datum).slice(0, 80));
  });

  it("lists every line's releases oldest first with the latest patch last", () => {
    checkLines(MESOS_LINES);
    checkLines(DOCKER_LINES);
    checkLines(MARATHON_LINES);
  });

  it("never makes a known-bad Mesos release the latest patch of its line", () => {
    for (const bad of MESOS_KNOWN_BAD) {
      assert.notEqual(MESOS_LINES.find((l) => l.minor === minorOf(bad.version))?.latest, bad.version);
      assert.ok(isKnownRelease("mesos", bad.fixedIn));
    }
  });

  it("builds Marathon hops only between catalogued releases, always upward", () => {
    for (const hop of MARATHON_HOPS) {
      assert.ok(isKnownRelease("marathon", hop.from), hop.from);
      assert.ok(isKnownRelease("marathon", hop.to), hop.to);
      assert.ok(compareVersions(hop.from, hop.to) < 0, `${hop.from} -> ${hop.to}`);
    }
  });

  it("gives every Marathon line a stricter or equal seed minimum than the docs", () => {
    for (const line of MARATHON_LINES) assert.ok(compareVersions(line.minMesosSeed, line.minMesosDocs) >= 0, line.minor);
  });

  it("names only catalogued flags in flag renames and keeps defaults oldest first", () => {
    for (const spec of [...MESOS_MASTER_FLAGS, ...MESOS_AGENT_FLAGS, ...MARATHON_FLAGS]) {
      const since = (spec.defaults ?? []).map((d) => d.since);
      assert.deepEqual(since, [...since].sort(compareVersions), spec.name);
    }
  });
});

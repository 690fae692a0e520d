import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CONTAINERIZER_LIMITS,
  DOCKER_MINIMUMS,
  DOCKER_PACKAGE_RULES,
  MARATHON_LINE_BY_LINE_FROM,
  MARATHON_REMOVALS,
  MARATHON_WHOLE_CLUSTER_RESTARTS,
  MESOS_AGENTS_BEFORE_MASTERS_LEAVE,
  MESOS_HOP_POLICY,
  dockerPackage,
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
  MESOS_LINES,
  MESOS_KNOWN_BAD,
  MESOS_SCHEDULER_FLOORS,
  MESOS_CROSSINGS,
  DOCKER_LINES,
  DOCKER_CROSSINGS,
  MARATHON_LINES,
  MARATHON_HOPS,
  MARATHON_CROSSINGS,
  CONTAINERIZER_LIMITS,
  FRAMEWORK_CEILINGS,
  FRAMEWORK_JARS,
  FRAMEWORK_NOTES,
  MESOS_MASTER_FLAGS,
  MESOS_AGENT_FLAGS,
  MARATHON_FLAGS,
  MARATHON_WHOLE_CLUSTER_RESTARTS,
  MARATHON_REMOVALS,
  DOCKER_MINIMUMS,
  DOCKER_PACKAGE_RULES,
  [MARATHON_LINE_BY_LINE_FROM, MESOS_HOP_POLICY, MESOS_AGENTS_BEFORE_MASTERS_LEAVE],
];

function checkLines(lines: readonly ReleaseLine[]): void {
  for (const line of lines) {
    assert.equal(
      line.releases[line.releases.length - 1],
      line.latest,
      `${line.minor}: latest must be the last release`,
    );
    for (const r of line.releases) {
      assert.equal(minorOf(r), minorOf(`${line.minor}.0`), `${r} belongs to ${line.minor}`);
    }
    const sorted = [...line.releases].sort(compareVersions);
    assert.deepEqual(line.releases, sorted, `${line.minor}: releases oldest first`);
  }
  const minors = lines.map((l) => `${l.minor}.0`);
  assert.deepEqual(minors, [...minors].sort(compareVersions), "lines oldest first");
}

describe("catalogue", () => {
  it("names a source beside every datum", () => {
    for (const table of ALL_SOURCED) {
      for (const datum of table) assert.ok(datum.source.trim().length > 10, JSON.stringify(datum).slice(0, 80));
    }
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
    for (const line of MARATHON_LINES) {
      assert.ok(compareVersions(line.minMesosSeed, line.minMesosDocs) >= 0, line.minor);
    }
  });

  it("names only catalogued flags in flag renames and keeps defaults oldest first", () => {
    for (const spec of [...MESOS_MASTER_FLAGS, ...MESOS_AGENT_FLAGS, ...MARATHON_FLAGS]) {
      const since = (spec.defaults ?? []).map((d) => d.since);
      assert.deepEqual(since, [...since].sort(compareVersions), spec.name);
    }
  });
});

describe("Docker package rule (one home: catalogue/docker-packages.ts)", () => {
  it("names docker-engine <version>-0~trusty up to 1.12.3 and -0~ubuntu-trusty from 1.12.4", () => {
    assert.deepEqual(
      { name: dockerPackage("1.7.1").name, version: dockerPackage("1.7.1").version },
      { name: "docker-engine", version: "1.7.1-0~trusty" },
    );
    assert.deepEqual(
      { name: dockerPackage("1.12.3").name, version: dockerPackage("1.12.3").version },
      { name: "docker-engine", version: "1.12.3-0~trusty" },
    );
    assert.deepEqual(
      { name: dockerPackage("1.12.4").name, version: dockerPackage("1.12.4").version },
      { name: "docker-engine", version: "1.12.4-0~ubuntu-trusty" },
    );
    assert.deepEqual(
      { name: dockerPackage("1.13.1").name, version: dockerPackage("1.13.1").version },
      { name: "docker-engine", version: "1.13.1-0~ubuntu-trusty" },
    );
  });

  it("names docker-engine ~ce builds up to 17.05 and docker-ce from 17.06, with 18.06's ~ce~3 build", () => {
    const D = "deb https://apt.dockerproject.org/repo ubuntu-trusty main";
    const C = "deb [arch=amd64] https://download.docker.com/linux/ubuntu trusty stable";
    assert.deepEqual(dockerPackage("17.03.2"), {
      name: "docker-engine",
      version: "17.03.2~ce-0~ubuntu-trusty",
      repository: D,
    });
    assert.deepEqual(dockerPackage("17.05.0"), {
      name: "docker-engine",
      version: "17.05.0~ce-0~ubuntu-trusty",
      repository: D,
    });
    assert.deepEqual(dockerPackage("17.06.2"), { name: "docker-ce", version: "17.06.2~ce-0~ubuntu", repository: C });
    assert.deepEqual(dockerPackage("18.03.1"), { name: "docker-ce", version: "18.03.1~ce-0~ubuntu", repository: C });
    assert.deepEqual(dockerPackage("18.06.3"), { name: "docker-ce", version: "18.06.3~ce~3-0~ubuntu", repository: C });
  });

  it("reads the apt.dockerproject.org suite name ubuntu-trusty as trusty, and other codenames as given", () => {
    assert.equal(dockerPackage("1.11.2", "ubuntu-trusty").version, "1.11.2-0~trusty");
    assert.equal(dockerPackage("1.13.1", "xenial").version, "1.13.1-0~ubuntu-xenial");
  });

  it("covers every catalogued engine release with exactly one rule", () => {
    for (const release of DOCKER_LINES.flatMap((l) => l.releases)) {
      const covering = DOCKER_PACKAGE_RULES.filter(
        (r) =>
          (r.versions.from === undefined || compareVersions(release, r.versions.from) >= 0) &&
          (r.versions.before === undefined || compareVersions(release, r.versions.before) < 0),
      );
      assert.equal(covering.length, 1, release);
    }
  });

  it("throws naming a version that is not major.minor.patch", () => {
    assert.throws(() => dockerPackage("18.06.3-ce"), {
      name: "RangeError",
      message: 'Docker version "18.06.3-ce" is not major.minor.patch, e.g. "1.11.2" or "18.06.3"',
    });
  });
});

describe("catalogue past the seed's table", () => {
  it("ends Mesos at 1.11.0, Marathon at 1.10.26 and Docker at 18.06.3, the last releases (for trusty)", () => {
    assert.equal(MESOS_LINES[MESOS_LINES.length - 1]?.latest, "1.11.0");
    assert.equal(MARATHON_LINES[MARATHON_LINES.length - 1]?.latest, "1.10.26");
    assert.equal(DOCKER_LINES[DOCKER_LINES.length - 1]?.latest, "18.06.3");
  });

  it("gives every Marathon line a Mesos window no lower than its minimum, and windows that never shrink", () => {
    let previous = "0.0";
    for (const line of MARATHON_LINES) {
      assert.ok(line.maxMesos !== undefined, `${line.minor} has a window`);
      assert.ok(
        compareVersions(`${line.maxMesos}.0`, line.minMesosDocs) >= 0,
        `${line.minor}: window ${line.maxMesos} below minimum ${line.minMesosDocs}`,
      );
      assert.ok(compareVersions(`${line.maxMesos}.0`, `${previous}.0`) >= 0, `${line.minor}: window shrinks`);
      previous = line.maxMesos;
    }
  });

  it("lets each line past 1.1 be entered only from catalogued lines before it (1.5 only from 1.4, 1.8 from 1.6 or 1.7)", () => {
    const minors = MARATHON_LINES.map((l) => l.minor);
    for (const line of MARATHON_LINES.filter((l) => l.enterFrom !== undefined)) {
      for (const from of line.enterFrom ?? []) {
        assert.ok(
          minors.indexOf(from) >= 0 && minors.indexOf(from) < minors.indexOf(line.minor),
          `${line.minor} from ${from}`,
        );
      }
    }
    assert.deepEqual(MARATHON_LINES.find((l) => l.minor === "1.5")?.enterFrom, ["1.4"]);
    assert.deepEqual(MARATHON_LINES.find((l) => l.minor === "1.8")?.enterFrom, ["1.6", "1.7"]);
    assert.ok(minors.includes(MARATHON_LINE_BY_LINE_FROM.minor));
  });

  it("marks a storage migration on arriving at every Marathon line from 1.3 on", () => {
    for (const line of MARATHON_LINES.filter((l) => compareVersions(`${l.minor}.0`, "1.3.0") >= 0)) {
      assert.ok(
        MARATHON_CROSSINGS.some((c) => c.at === line.releases[0] && c.migratesStorage === true),
        line.minor,
      );
    }
  });

  it("names removed Marathon flags and endpoints only at catalogued releases", () => {
    for (const removal of MARATHON_REMOVALS) assert.ok(isKnownRelease("marathon", removal.at), removal.at);
    for (const restart of MARATHON_WHOLE_CLUSTER_RESTARTS) {
      assert.ok(isKnownRelease("marathon", restart.at), restart.at);
    }
  });

  it("asks Docker >= 1.8.0 of Mesos 1.4.3, 1.5.2+, 1.6.2 and 1.7.1+, not of 1.4.2 or 1.7.0", () => {
    const needs = (mesos: string) =>
      DOCKER_MINIMUMS.some(
        (m) =>
          (m.mesos.from === undefined || compareVersions(mesos, m.mesos.from) >= 0) &&
          (m.mesos.before === undefined || compareVersions(mesos, m.mesos.before) < 0),
      );
    assert.deepEqual(["1.4.2", "1.4.3", "1.5.1", "1.5.2", "1.6.2", "1.7.0", "1.7.1", "1.11.0"].map(needs), [
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      true,
    ]);
  });

  it("keeps the one-minor Mesos hop and the 1.0 line every agent reaches before masters leave it", () => {
    assert.equal(MESOS_HOP_POLICY.minorsPerHop, 1);
    assert.equal(MESOS_AGENTS_BEFORE_MASTERS_LEAVE.line, "1.0");
  });
});

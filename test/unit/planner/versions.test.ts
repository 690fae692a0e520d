import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareVersions, isKnownBad, isKnownRelease, latestPatch, minorOf } from "../../../planner";

describe("compareVersions", () => {
  it("orders by major, minor and patch numerically", () => {
    assert.ok(compareVersions("0.9.2", "0.10.0") < 0);
    assert.ok(compareVersions("0.28.2", "0.28.10") < 0);
    assert.ok(compareVersions("1.0.0", "0.28.3") > 0);
    assert.equal(compareVersions("0.22.1", "0.22.1"), 0);
  });

  it("sorts a release candidate before its release and after the previous release", () => {
    assert.ok(compareVersions("1.0.0-RC1", "1.0.0") < 0);
    assert.ok(compareVersions("1.0.0-RC1", "0.15.7") > 0);
  });

  it("throws a TypeError naming a string that is not a version", () => {
    assert.throws(() => compareVersions("0.28", "0.28.2"), { name: "TypeError", message: /"0\.28"/ });
  });
});

describe("latestPatch", () => {
  it("gives each Mesos line's latest patch from the catalogue", () => {
    assert.deepEqual(
      ["0.22", "0.23", "0.24", "0.25", "0.26", "0.27", "0.28", "1.0", "1.1"].map((m) => latestPatch("mesos", m)),
      ["0.22.2", "0.23.1", "0.24.2", "0.25.1", "0.26.2", "0.27.3", "0.28.3", "1.0.4", "1.1.3"],
    );
  });

  it("gives Docker and Marathon latest patches", () => {
    assert.equal(latestPatch("docker", "1.11"), "1.11.2");
    assert.equal(latestPatch("marathon", "1.1"), "1.1.7");
    assert.equal(latestPatch("marathon", "1.0"), "1.0.0-RC1");
  });

  it("is undefined for a line the catalogue does not know", () => {
    assert.equal(latestPatch("mesos", "0.29"), undefined);
  });
});

describe("isKnownRelease", () => {
  it("knows released versions and refuses versions never released", () => {
    assert.equal(isKnownRelease("mesos", "0.22.1"), true);
    assert.equal(isKnownRelease("mesos", "0.27.4"), false, "0.27.4 has a CHANGELOG section but no tag");
    assert.equal(isKnownRelease("marathon", "1.0.0"), false, "only 1.0.0-RC1 was tagged");
    assert.equal(isKnownRelease("marathon", "0.12.0"), false);
    assert.equal(isKnownRelease("docker", "1.7.1"), true);
  });
});

describe("isKnownBad", () => {
  it("flags exactly the MESOS-3834 releases with the fix of their line", () => {
    for (const [version, fixedIn] of [
      ["0.24.0", "0.24.2"],
      ["0.24.1", "0.24.2"],
      ["0.25.0", "0.25.1"],
      ["0.26.0", "0.26.1"],
    ]) {
      const bad = isKnownBad("mesos", version as string);
      assert.equal(bad?.fixedIn, fixedIn);
      assert.match(bad?.reason ?? "", /MESOS-3834/);
    }
    for (const good of ["0.24.2", "0.25.1", "0.26.1", "0.26.2", "0.27.0"]) {
      assert.equal(isKnownBad("mesos", good), undefined);
    }
  });

  it("knows no bad Docker or Marathon releases", () => {
    assert.equal(isKnownBad("docker", "1.10.0"), undefined);
    assert.equal(isKnownBad("marathon", "0.13.0"), undefined);
  });
});

describe("minorOf", () => {
  it("cuts a version to its line", () => {
    assert.equal(minorOf("0.28.2"), "0.28");
    assert.equal(minorOf("1.0.0-RC1"), "1.0");
  });
});

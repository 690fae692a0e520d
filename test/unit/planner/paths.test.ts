import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findPath, isKnownBad, PlanInputError } from "../../../planner";

describe("findPath for Mesos", () => {
  it("moves one minor per hop through each line's latest patch and ends on the target", () => {
    assert.deepEqual(findPath("mesos", "0.22.1", "0.28.2"), [
      "0.23.1",
      "0.24.2",
      "0.25.1",
      "0.26.2",
      "0.27.3",
      "0.28.2",
    ]);
    assert.deepEqual(findPath("mesos", "0.27.3", "1.1.3"), ["0.28.3", "1.0.4", "1.1.3"]);
  });

  it("never lands on a known-bad release, even starting from one", () => {
    for (const from of ["0.22.0", "0.23.0", "0.24.0", "0.24.1", "0.25.0", "0.26.0"]) {
      for (const hop of findPath("mesos", from, "1.1.3")) {
        assert.equal(isKnownBad("mesos", hop), undefined, `${from} -> ${hop}`);
      }
    }
  });

  it("takes a patch of the same line in one hop", () => {
    assert.deepEqual(findPath("mesos", "0.22.1", "0.22.2"), ["0.22.2"]);
  });

  it("is empty when from and to are the same", () => {
    assert.deepEqual(findPath("mesos", "0.28.2", "0.28.2"), []);
  });

  it("throws naming to when the target is known-bad, with the fix", () => {
    assert.throws(
      () => findPath("mesos", "0.23.1", "0.24.1"),
      (e: unknown) => {
        assert.ok(e instanceof PlanInputError);
        assert.equal(e.field, "to");
        assert.equal(e.value, "0.24.1");
        assert.deepEqual(e.choices, ["0.24.2"]);
        assert.match(
          e.message,
          /^to must be a Mesos release that is not known-bad \(MESOS-3834: .*\), got "0\.24\.1"; use "0\.24\.2"$/,
        );
        return true;
      },
    );
  });

  it("throws naming to for a downgrade", () => {
    assert.throws(() => findPath("mesos", "0.28.2", "0.27.3"), {
      field: "to",
      message: 'to must be "0.28.2" or newer, got "0.27.3"; the planner never downgrades Mesos',
    });
  });

  it("throws naming each unknown version with the nearest release", () => {
    assert.throws(
      () => findPath("mesos", "0.21.1", "0.29.0"),
      (e: unknown) => {
        assert.ok(e instanceof PlanInputError);
        assert.deepEqual(
          e.problems.map((p) => p.message),
          [
            'from must be a known Mesos release, got "0.21.1"; did you mean "0.22.0"?',
            'to must be a known Mesos release, got "0.29.0"; did you mean "0.28.3"?',
          ],
        );
        return true;
      },
    );
  });
});

describe("findPath for Docker", () => {
  it("goes straight to the target from an engine without live-restore (each restart stops all containers anyway)", () => {
    assert.deepEqual(findPath("docker", "1.7.1", "1.11.2"), ["1.11.2"]);
    assert.deepEqual(findPath("docker", "1.9.1", "1.13.1"), ["1.13.1"]);
  });

  it("moves one minor per hop from 1.12 on, where live-restore is only promised between consecutive minors", () => {
    assert.deepEqual(findPath("docker", "1.12.0", "1.13.1"), ["1.13.1"]);
    assert.deepEqual(findPath("docker", "1.12.0", "1.12.6"), ["1.12.6"]);
  });
});

describe("findPath for Marathon", () => {
  it("follows the seed's hop graph to the highest release that runs on Mesos 0.28", () => {
    assert.deepEqual(findPath("marathon", "0.9.0", "1.1.7"), [
      "0.10.0",
      "0.11.0",
      "0.11.1",
      "0.13.0",
      "0.14.0",
      "0.15.0",
      "0.15.3",
      "1.0.0-RC1",
      "1.1.0",
      "1.1.7",
    ]);
  });

  it("reaches the seed table's last version, 1.1.1", () => {
    assert.deepEqual(findPath("marathon", "0.9.0", "1.1.1").slice(-3), ["1.0.0-RC1", "1.1.0", "1.1.1"]);
  });

  it("lets later patches of a line use the line's outgoing edge", () => {
    assert.deepEqual(findPath("marathon", "0.9.2", "0.10.0"), ["0.10.0"]);
    assert.deepEqual(findPath("marathon", "0.15.7", "1.0.0-RC1"), ["1.0.0-RC1"]);
    assert.deepEqual(findPath("marathon", "0.10.1", "0.11.0"), ["0.11.0"]);
  });

  it("needs 0.11.1 before 0.13.0 because the seed's only edge into 0.13 starts there", () => {
    assert.deepEqual(findPath("marathon", "0.11.0", "0.13.0"), ["0.11.1", "0.13.0"]);
  });

  it("takes patch releases of the same line in one hop", () => {
    assert.deepEqual(findPath("marathon", "1.1.0", "1.1.7"), ["1.1.7"]);
  });

  it("refuses the never-released 1.0.0 with 1.0.0-RC1 as the choice", () => {
    assert.throws(() => findPath("marathon", "0.15.3", "1.0.0"), { field: "to", choices: ["1.0.0-RC1"] });
  });
});

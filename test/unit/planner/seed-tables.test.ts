import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SEED_MARATHON_ROWS, SEED_MESOS_ROWS } from "../../../catalogue";
import {
  compareVersions,
  findPath,
  isKnownBad,
  isKnownRelease,
  latestPatch,
  minMesosFor,
  minorOf,
} from "../../../planner";

describe("seed Mesos table", () => {
  for (const row of SEED_MESOS_ROWS) {
    const from = row.from.replace(".x", "");
    const to = row.to.replace(".x", "");
    it(`row ${row.from} → ${row.to}: one hop onto the line's latest patch (${row.latest} in the seed)`, () => {
      // GIVEN any release of the old line
      for (const start of [`${from}.0`, latestPatch("mesos", from) as string]) {
        // WHEN planning the path to the new line's latest patch
        const latest = latestPatch("mesos", to) as string;
        const hops = findPath("mesos", start, latest);
        // THEN it is exactly one hop, onto a release that is not known-bad
        assert.deepEqual(hops, [latest]);
        assert.equal(isKnownBad("mesos", latest), undefined);
      }
      // AND the seed's "latest" is a real release of that line that the catalogue's latest equals or supersedes
      assert.ok(isKnownRelease("mesos", row.latest));
      assert.equal(minorOf(row.latest), to);
      assert.ok(compareVersions(latestPatch("mesos", to) as string, row.latest) >= 0);
    });
  }

  it("chains the rows into the seed's 0.22 → 0.28 upgrade, one minor per hop", () => {
    assert.deepEqual(findPath("mesos", "0.22.1", "0.28.2"), [
      "0.23.1",
      "0.24.2",
      "0.25.1",
      "0.26.2",
      "0.27.3",
      "0.28.2",
    ]);
  });
});

describe("seed Marathon table", () => {
  for (const row of SEED_MARATHON_ROWS) {
    it(`row Mesos ${row.mesos}: Marathon ${row.from} → ${row.to} is one hop allowed on that Mesos by the seed-table policy`, () => {
      // GIVEN the row's start (the seed's 1.0.0 only exists as 1.0.0-RC1)
      const from = isKnownRelease("marathon", row.from) ? row.from : `${row.from}-RC1`;
      assert.ok(isKnownRelease("marathon", from), `${row.from} is catalogued`);
      // WHEN planning the row's hop
      const hops = findPath("marathon", from, row.to);
      // THEN it is a single hop
      assert.deepEqual(hops, [row.to]);
      // AND the seed-table policy allows it on the row's Mesos, never more strictly than the Marathon docs
      const mesos = row.mesos.split(".").length === 2 ? `${row.mesos}.0` : row.mesos;
      assert.ok(
        compareVersions(minMesosFor(row.to, "seed-table"), mesos) <= 0,
        `${row.to} needs ${minMesosFor(row.to, "seed-table")}`,
      );
      assert.ok(compareVersions(minMesosFor(row.to, "marathon-docs"), minMesosFor(row.to, "seed-table")) <= 0);
    });
  }

  it("refuses the seed's 1.0.0 as a start, pointing at 1.0.0-RC1 (no final 1.0.0 was tagged)", () => {
    assert.throws(() => findPath("marathon", "1.0.0", "1.1.0"), {
      name: "PlanInputError",
      field: "from",
      message: 'from must be a known Marathon release, got "1.0.0"; did you mean "1.0.0-RC1"?',
    });
  });
});

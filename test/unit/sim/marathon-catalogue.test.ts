// The simulator's Marathon releases at the planner's stops past 1.1 (1.3.14, 1.4.13), from the release tags.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MARATHON_REMOVALS } from "../../../catalogue/marathon";
import { MARATHON_RELEASES, marathonFlags, marathonRelease, marathonTraits } from "../../../sim/catalogue/marathon";
import { compareVersions } from "../../../sim/catalogue/versions";

test("runs the planner's 1.3 and 1.4 stops with the libmesos of their images", () => {
  assert.deepEqual(marathonRelease("v1.3.14"), { version: "1.3.14", libmesos: "1.0.1", minimumMesos: "1.0.0" });
  assert.deepEqual(marathonRelease("1.4.13"), { version: "1.4.13", libmesos: "1.1.3", minimumMesos: "1.1.0" });
});

test("takes each release's options: 1.3.14 as 1.3.13, 1.4.13 adds zk_connection_timeout and lacks the options 1.4 removed", () => {
  assert.deepEqual([...marathonFlags("1.3.14").keys()].sort(), [...marathonFlags("1.3.13").keys()].sort());
  const v1413 = marathonFlags("1.4.13");
  assert.equal(v1413.get("zk_connection_timeout"), "value");
  assert.equal(marathonFlags("1.4.1").has("zk_connection_timeout"), false);
  for (const removed of ["marathon_store_timeout", "enable_metrics", "enable_tracing"]) assert.equal(v1413.has(removed), false, removed);
});

test("elects with Curator from 1.3 on, with twitter commons before", () => {
  assert.deepEqual(["1.1.7", "1.3.0", "1.3.14", "1.4.13"].map((v) => marathonTraits(v).curatorElection), [false, true, true, true]);
});

test("agrees with the catalogue's Marathon removals wherever it runs the release (its option table is generated from the tags)", () => {
  let checked = 0;
  for (const removal of MARATHON_REMOVALS) {
    const before = MARATHON_RELEASES.filter((r) => compareVersions(r.version, removal.at) < 0).at(-1);
    if (marathonRelease(removal.at) === undefined || before === undefined) continue;
    for (const flag of removal.flags) {
      assert.equal(marathonFlags(before.version).has(flag), true, `${flag} in ${before.version}`);
      assert.equal(marathonFlags(removal.at).has(flag), false, `${flag} gone in ${removal.at}`);
      checked++;
    }
  }
  assert.ok(checked >= 3, "at least the 1.4.0 removals are checked");
});

// The simulator's Marathon releases at the planner's stops past 1.1 (1.3.14, 1.4.13), from the release tags.
import assert from "node:assert/strict";
import { describe, test as it, test } from "node:test";
import { MARATHON_REMOVALS } from "../../../catalogue/marathon";
import { MARATHON_RELEASES, marathonFlags, marathonRelease, marathonTraits } from "../../../sim/catalogue/marathon";
import { compareVersions } from "../../../sim/catalogue/versions";
import { storageRefusal } from "../../../sim/marathon/registry";

test("runs the planner's 1.3 and 1.4 stops with the libmesos of their images", () => {
  assert.deepEqual(marathonRelease("v1.3.14"), { version: "1.3.14", libmesos: "1.0.1", minimumMesos: "1.0.0" });
  assert.deepEqual(marathonRelease("1.4.13"), { version: "1.4.13", libmesos: "1.1.3", minimumMesos: "1.1.0" });
});

test("takes each release's options: 1.3.14 as 1.3.13, 1.4.13 adds zk_connection_timeout and lacks the options 1.4 removed", () => {
  assert.deepEqual([...marathonFlags("1.3.14").keys()].sort(), [...marathonFlags("1.3.13").keys()].sort());
  const v1413 = marathonFlags("1.4.13");
  assert.equal(v1413.get("zk_connection_timeout"), "value");
  assert.equal(marathonFlags("1.4.1").has("zk_connection_timeout"), false);
  for (const removed of ["marathon_store_timeout", "enable_metrics", "enable_tracing"]) {
    assert.equal(v1413.has(removed), false, removed);
  }
});

test("elects with Curator from 1.3 on, with twitter commons before", () => {
  assert.deepEqual(
    ["1.1.7", "1.3.0", "1.3.14", "1.4.13"].map((v) => marathonTraits(v).curatorElection),
    [false, true, true, true],
  );
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

describe("Marathon 1.5–1.10 in the simulator", () => {
  it("runs the last tag of each line up to 1.10.26, with the Mesos minimum the code enforces (1.1.0 to 1.6, 1.5.0 from 1.7)", () => {
    assert.deepEqual(
      ["1.5.15", "1.6.590", "1.7.236", "1.8.244", "1.9.109", "1.10.26"].map((v) => [
        v,
        marathonTraits(v).masterMinimum,
      ]),
      [
        ["1.5.15", "1.1.0"],
        ["1.6.590", "1.1.0"],
        ["1.7.236", "1.5.0"],
        ["1.8.244", "1.5.0"],
        ["1.9.109", "1.5.0"],
        ["1.10.26", "1.5.0"],
      ],
    );
  });

  it("drops the event subscriber, http_endpoints, artifact_store and max_tasks_per_offer in 1.5, and the revive flags in 1.10", () => {
    for (const name of ["event_subscriber", "http_endpoints", "artifact_store", "max_tasks_per_offer"]) {
      assert.ok(marathonFlags("1.4.13").has(name), `1.4.13 has ${name}`);
      assert.ok(!marathonFlags("1.5.15").has(name), `1.5.15 lacks ${name}`);
    }
    assert.ok(marathonFlags("1.5.15").has("backup_location"));
    assert.ok(
      marathonFlags("1.7.236").has("save_tasks_to_launch_timeout") &&
        !marathonFlags("1.8.244").has("save_tasks_to_launch_timeout"),
    );
    assert.ok(
      marathonFlags("1.9.109").has("revive_offers_for_new_apps") &&
        !marathonFlags("1.10.26").has("revive_offers_for_new_apps"),
    );
  });

  it("migrates storage only from the allowed previous lines, and never from a newer release", () => {
    const refusal = (version: string, stored: string) =>
      storageRefusal(version, marathonTraits(version).minimumStorage, stored);
    assert.equal(refusal("1.5.15", "1.4.13"), undefined);
    assert.equal(
      refusal("1.5.15", "1.3.14"),
      "Migration from versions < 1.4.0 are not supported. Your version: 1.3.14",
    );
    assert.equal(refusal("1.8.244", "1.7.236"), undefined);
    assert.equal(
      refusal("1.8.244", "1.5.15"),
      "Migration from versions < 1.6.0 are not supported. Your version: 1.5.15",
    );
    assert.equal(refusal("1.5.15", "1.6.590"), "Migration from 1.6.590 is not supported as it is newer than 1.5.15.");
    assert.equal(refusal("1.3.14", "1.1.7"), undefined, "1.3 has no storage minimum modelled");
  });
});

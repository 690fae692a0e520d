// A run's changes for people: updates one per line in host order, creates folded per component.
import assert from "node:assert/strict";
import { test } from "node:test";
import { changeLines } from "../../../stacks/change-lines";
import type { PreviewChange } from "../../../stacks/events";

const create = (name: string): PreviewChange => ({ op: "create", name, diffs: [] });

test("folds the creates of a first run per component, hosts named as runs, the engine first", () => {
  const agents = Array.from({ length: 197 }, (_, i) => `a${197 - i}`);
  const changes = [
    ...agents.flatMap((host) => [create(`${host}-mesos-slave`), create(`${host}-docker`)]),
    ...["m3", "m1", "m2"].flatMap((host) => [
      create(`${host}-marathon`),
      create(`${host}-mesos-master`),
      create(`${host}-docker`),
    ]),
  ];
  assert.deepEqual(changeLines(changes), [
    "  + docker on 200 hosts (a1..a197, m1..m3)  (create)",
    "  + mesos-master on 3 hosts (m1..m3)  (create)",
    "  + marathon on 3 hosts (m1..m3)  (create)",
    "  + mesos-slave on 197 hosts (a1..a197)  (create)",
  ]);
});

test("folds host resources that change alike per component, with what changes, one host by its resource's name", () => {
  const hop = ["version: 0.25.1 → 0.26.2"];
  const changes: PreviewChange[] = [
    ...Array.from({ length: 12 }, (_, i) => ({ op: "update", name: `a${12 - i}-mesos-slave`, diffs: hop })),
    { op: "update", name: "m2-mesos-master", diffs: hop },
    { op: "update", name: "a5-docker", diffs: ["version: 1.11.2 → 1.12.6"] },
    { op: "update", name: "m1-mesos-master", diffs: hop },
    { op: "update", name: "m3-mesos-master", diffs: hop },
    { op: "update", name: "a13-mesos-slave", diffs: ["killsTasks: (none) → agent …", ...hop] },
    create("a14-docker"),
    { op: "update", name: "pre-pull", diffs: [] },
    create("zookeeper-backup-marathon-0.10.0-0.11.0"),
  ];
  assert.deepEqual(changeLines(changes), [
    "  ~ a5-docker  version: 1.11.2 → 1.12.6",
    "  + a14-docker  (create)",
    "  ~ mesos-master on 3 hosts (m1..m3)  version: 0.25.1 → 0.26.2",
    "  ~ mesos-slave on 12 hosts (a1..a12)  version: 0.25.1 → 0.26.2",
    "  ~ a13-mesos-slave  killsTasks: (none) → agent …; version: 0.25.1 → 0.26.2",
    "  ~ pre-pull",
    "  + zookeeper-backup-marathon-0.10.0-0.11.0  (create)",
  ]);
});

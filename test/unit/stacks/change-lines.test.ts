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

test("lists updates and single creates one per line in the order people count hosts, with what changes", () => {
  const changes: PreviewChange[] = [
    { op: "update", name: "a10-mesos-slave", diffs: ["version: 0.25.1 → 0.26.2"] },
    { op: "update", name: "a2-mesos-slave", diffs: ["version: 0.25.1 → 0.26.2"] },
    create("a11-docker"),
    { op: "delete", name: "zookeeper-backup-0", diffs: [] },
  ];
  assert.deepEqual(changeLines(changes), [
    "  ~ a2-mesos-slave  version: 0.25.1 → 0.26.2",
    "  ~ a10-mesos-slave  version: 0.25.1 → 0.26.2",
    "  + a11-docker  (create)",
    "  - zookeeper-backup-0",
  ]);
});

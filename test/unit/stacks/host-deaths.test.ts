import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RolloutStep } from "../../../stacks/events";
import { hostTaskLines } from "../../../stacks/host-deaths";

const step = (
  host: string,
  component: RolloutStep["component"],
  from: string,
  to: string,
  extra: Partial<RolloutStep> = {},
): RolloutStep =>
  ({ run: 1, hosts: [host], component, op: "update", from, to, start: 0, end: 1, ...extra }) as RolloutStep;

describe("the main job's per-host account of task-killing restarts and lost tasks", () => {
  it("puts each host's done and forecast task-killing restarts next to the tasks lost there", () => {
    const lines = hostTaskLines(
      ["a1 docker 1.7.1 → 1.11.2", "a1 mesos-slave 0.22.2 → 0.23.1", "a2 docker 1.7.1 → 1.11.2"],
      [
        step("a1", "docker", "1.7.1", "1.11.2"),
        step("a1", "mesos-slave", "0.22.2", "0.23.1", { killsTasks: "agent 0.22.2 …" }),
        step("a2", "docker", "1.7.1", "1.11.2", { error: "gate failed" }),
        step("m1", "mesos-master", "0.22.2", "0.23.1"),
      ],
      new Map([
        ["a1", 6],
        ["a2", 3],
      ]),
    );
    assert.deepEqual(lines, [
      "a1: task-killing restarts 2 done / 2 forecast (docker 1.7.1 → 1.11.2, mesos-slave 0.22.2 → 0.23.1); tasks lost 6",
      "a2: task-killing restarts 0 done / 1 forecast (docker 1.7.1 → 1.11.2); tasks lost 3",
    ]);
  });

  it("marks tasks lost on a host no plan forecast a task-killing restart for", () => {
    assert.deepEqual(hostTaskLines([], [], new Map([["a3", 2]])), [
      "a3: task-killing restarts 0 done / 0 forecast; tasks lost 2 — not forecast",
    ]);
  });
});

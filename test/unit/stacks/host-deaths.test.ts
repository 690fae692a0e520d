import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planRun, renderPlanTable, type PlanInput } from "../../../planner";
import type { RolloutStep } from "../../../stacks/events";
import { forecastOfPlan, hostTaskLines, lostSince } from "../../../stacks/host-deaths";
import { agent, master } from "../planner/helpers";

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

  it("counts only the tasks lost from the invocation's start on, so a resumed cluster's earlier losses are left out", () => {
    const start = Date.parse("2026-01-01T10:00:00.000Z");
    const lost = lostSince(
      [
        { time: "2026-01-01T09:59:59.999Z", agentHost: "127.0.141.2" },
        { time: "2026-01-01T10:00:00.000Z", agentHost: "127.0.141.2" },
        { time: "2026-01-01T10:05:00.000Z", agentHost: "127.0.141.3" },
        { time: "2026-01-01T10:06:00.000Z", agentHost: "127.0.141.9" },
      ],
      start,
      new Map([
        ["127.0.141.2", "a1"],
        ["127.0.141.3", "a2"],
      ]),
    );
    assert.equal(lost.total, 3);
    assert.deepEqual(
      [...lost.byHost],
      [
        ["a1", 1],
        ["a2", 1],
        ["127.0.141.9", 1],
      ],
    );
  });

  it("reads the task-killing restarts from the previewed plan's table, whatever the run's outcome", () => {
    const plan = [
      "plan (mesos):",
      "host  docker  mesos-slave",
      "a1    1.11.2  0.22.2 → 0.23.1",
      "",
      "task-killing restarts (hosts without Marathon tasks first; together only on hosts that share no multi-instance app; each waits until its host's multi-instance apps are whole and no other restart stops one of them, then until every multi-instance app is healthy again):",
      "  a1 mesos-slave 0.22.2 → 0.23.1: the first agent at ≥ 0.23 moves its executors into containers",
      "  a2 docker 1.7.1 → 1.11.2: Docker before 1.12 stops every container",
      "",
      "notes:",
      "  [mesos] something → else: not a restart (source: x)",
    ].join("\n");
    assert.deepEqual(
      forecastOfPlan([
        { severity: "info", message: "first run of stack" },
        { severity: "info", message: plan },
      ]),
      ["a1 mesos-slave 0.22.2 → 0.23.1", "a2 docker 1.7.1 → 1.11.2"],
    );
    assert.deepEqual(forecastOfPlan([{ severity: "info", message: "plan (adopting):\nhost  docker" }]), []);
  });

  it("reads back every host of a plan table whose task-killing restarts share a line", () => {
    const input: PlanInput = {
      desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "0.23.1", marathon: "0.11.0" }, ["mesos-master", "marathon"]),
        ...["a1", "a2", "a3", "a4", "a6"].map((name) => agent(name, { docker: "1.11.2", mesos: "0.22.2" })),
      ],
      rollout: { maxUnavailableSlaves: 1 },
    };
    const plan = planRun(input);
    const table = renderPlanTable(plan, input);
    assert.match(table, /\n {2}mesos-slave 0\.22\.2 → 0\.23\.1 on 5 hosts \(a1\.\.a4, a6\): /);
    assert.deepEqual(
      forecastOfPlan([{ severity: "info", message: `plan (${plan.phase}):\n${table}` }]),
      plan.steps.filter((s) => s.killsTasks).map((s) => `${s.host} ${s.component} ${s.from} → ${s.to}`),
    );
  });
});

// Which task-killing restart may go now: every multi-instance app on its host whole and held by no other step.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { budgetVerdict, type BudgetApp } from "../../../providers/app-budget";

const a1 = { name: "a1", address: "10.0.0.11" };

const app = (id: string, instances: number, hosts: string[], running = hosts.length, healthy = running): BudgetApp => ({
  id,
  instances,
  tasksRunning: running,
  tasksHealthy: healthy,
  healthChecks: [{ protocol: "TCP" }],
  tasks: hosts.map((host) => ({ host })),
});

describe("budgetVerdict", () => {
  it("lets a step go when every multi-instance app on its host is whole, and holds those apps", () => {
    const verdict = budgetVerdict(
      [app("/redis", 3, ["10.0.0.11", "10.0.0.12", "10.0.0.13"]), app("/queue", 2, ["10.0.0.12", "10.0.0.13"])],
      a1,
      new Map(),
    );
    assert.deepEqual(verdict, { go: true, apps: ["/redis"], observed: "holding /redis (whole)" });
  });

  it("matches a task's host by the agent's name as well as its address", () => {
    const verdict = budgetVerdict([app("/redis", 2, ["a1", "a2"])], a1, new Map());
    assert.equal(verdict.go && verdict.apps.join(), "/redis");
  });

  it("waits while another step holds an app of the host, naming it and that step's host", () => {
    const verdict = budgetVerdict(
      [app("/redis", 3, ["10.0.0.11", "10.0.0.12", "a3"])],
      a1,
      new Map([["/redis", "a2"]]),
    );
    assert.deepEqual(verdict, { go: false, observed: "waiting for /redis (its restart on a2 is under way)" });
  });

  it("goes on an app its own host holds (the same step looking again)", () => {
    const verdict = budgetVerdict([app("/redis", 2, ["10.0.0.11", "a2"])], a1, new Map([["/redis", "a1"]]));
    assert.equal(verdict.go, true);
  });

  it("waits while an app of the host is not whole: an instance down elsewhere, or running but not yet healthy", () => {
    assert.deepEqual(budgetVerdict([app("/redis", 3, ["10.0.0.11", "a2"])], a1, new Map()), {
      go: false,
      observed: "waiting for /redis 2/3 healthy",
    });
    assert.deepEqual(budgetVerdict([app("/redis", 2, ["10.0.0.11", "a2"], 2, 1)], a1, new Map()), {
      go: false,
      observed: "waiting for /redis 1/2 healthy",
    });
  });

  it("ignores single-instance apps and apps with no task on the host: nothing to hold, nothing to wait for", () => {
    const verdict = budgetVerdict(
      [app("/harbor", 1, ["10.0.0.11"]), app("/queue", 2, ["a2"], 1), app("/redis", 2, ["a2", "a3"])],
      a1,
      new Map([["/redis", "a2"]]),
    );
    assert.deepEqual(verdict, { go: true, apps: [], observed: "no multi-instance app on the host" });
  });
});

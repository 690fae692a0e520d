// Which task-killing restart may go now: every multi-instance app on its host whole and held by no other step.
import assert from "node:assert/strict";
import * as http from "node:http";
import { after, before, describe, it } from "node:test";
import { budgetVerdict, holdApps, holdNote, type BudgetApp } from "../../../providers/app-budget";

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

describe("a step's hold, against a stand-in Marathon over real HTTP", () => {
  // Marathon's /v2/apps?embed=apps.tasks: /redis ×2 on a1 and a2, one instance unhealthy for the first `degraded`
  // answers. The address is this file's own: no other test listens on 127.0.219.x.
  const marathon = "127.0.219.1";
  const a1Here = { name: "a1", address: "127.0.219.11" };
  let degraded = 0;
  let server: http.Server;
  before(async () => {
    server = http.createServer((_req, res) => {
      const healthy = degraded > 0 ? (degraded--, 1) : 2;
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ apps: [app("/redis", 2, ["127.0.219.11", "127.0.219.12"], 2, healthy)] }));
    });
    await new Promise<void>((resolve) => server.listen(8080, marathon, resolve));
  });
  after(() => server.close());
  const scope = { host: a1Here, marathons: [marathon], timeoutSeconds: 10, intervalSeconds: 0.05 };

  it("says how long the step waited before stopping anything and what its first look waited for", async () => {
    degraded = 2;
    const hold = await holdApps(scope);
    hold.release();
    assert.deepEqual(hold.apps, ["/redis"]);
    assert.match(hold.waited?.for ?? "", /^\/redis\b.*healthy$/);
    assert.ok(
      (hold.waited?.seconds ?? -1) >= 0.1,
      `two looks an interval apart before the third: ${hold.waited?.seconds}`,
    );
    assert.match(holdNote(hold), /^waited \d+(\.\d)?s before stopping anything, for \/redis\b.*healthy; $/);
  });

  it("says nothing of a hold whose first look let the step go", async () => {
    degraded = 0;
    const hold = await holdApps(scope);
    hold.release();
    assert.equal(hold.waited, undefined);
    assert.equal(holdNote(hold), "");
    assert.equal(holdNote(undefined), "", "a step that holds nothing");
  });
});

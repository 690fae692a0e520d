// The app-health judgement the agent and Docker engine gates share.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { degradedApps, type MarathonApp } from "../../../observe/services";

const app = (id: string, instances: number, running: number, healthy: number, checks: boolean): MarathonApp => ({
  id,
  instances,
  tasksRunning: running,
  tasksHealthy: healthy,
  ...(checks ? { healthChecks: [{ protocol: "TCP" }] } : {}),
});

describe("degradedApps", () => {
  test("waits for healthy tasks of an app with health checks: running is not enough", () => {
    assert.deepEqual(degradedApps([app("/redis", 3, 3, 2, true)]), ["/redis 2/3"]);
    assert.deepEqual(degradedApps([app("/redis", 3, 3, 3, true)]), []);
  });

  test("judges an app without health checks by its running tasks", () => {
    assert.deepEqual(degradedApps([app("/queue", 2, 1, 0, false)]), ["/queue 1/2"]);
    assert.deepEqual(degradedApps([app("/queue", 2, 2, 0, false)]), []);
  });

  test("leaves single-instance apps out: their downtime is accepted", () => {
    assert.deepEqual(degradedApps([app("/harbor", 1, 0, 0, true)]), []);
  });
});

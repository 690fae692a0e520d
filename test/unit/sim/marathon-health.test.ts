// Marathon's health rules as pure functions: defaults, the grace period, the kill rule, counts; which Mesos
// releases report COMMAND checks of Docker tasks; the check commands the simulator can run.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { applyResult, healthJson, taskHealthState, withDefaults, type Health } from "../../../sim/marathon/health";
import {
  mesosHealthStep,
  NEW_MESOS_HEALTH_CHECKER,
  reportsDockerCommandChecks,
  runCheckCommand,
  type MesosHealthChecker,
} from "../../../sim/mesos/command-health";

const task = (startedAtMs: number | null, nowMs: number, graceMs = 300_000) => ({ startedAtMs, nowMs, graceMs });
const check = withDefaults({ protocol: "TCP" });

describe("Marathon health checks", () => {
  test("fill in Marathon's defaults", () => {
    assert.deepEqual(withDefaults({}), {
      path: "/",
      protocol: "HTTP",
      portIndex: 0,
      gracePeriodSeconds: 300,
      intervalSeconds: 60,
      timeoutSeconds: 20,
      maxConsecutiveFailures: 3,
      ignoreHttp1xx: false,
    });
    assert.deepEqual(
      withDefaults({ protocol: "COMMAND", command: { value: "true" }, maxConsecutiveFailures: 0 }).command,
      { value: "true" },
    );
  });

  test("ignore a failure inside the grace period while the task has never been healthy, and before it started", () => {
    assert.deepEqual(applyResult(check, undefined, "t", { ok: false, cause: "refused" }, task(1000, 2000), "T1"), {
      kind: "ignore",
    });
    assert.deepEqual(applyResult(check, undefined, "t", { ok: false, cause: "refused" }, task(null, 2000), "T1"), {
      kind: "ignore",
    });
  });

  test("record a failure inside the grace period once the task has been healthy", () => {
    const healthy = applyResult(check, undefined, "t", { ok: true }, task(1000, 2000), "T1");
    assert.equal(healthy.kind, "record");
    const failed = applyResult(
      check,
      (healthy as { health: Health }).health,
      "t",
      { ok: false, cause: "refused" },
      task(1000, 3000),
      "T2",
    );
    assert.deepEqual(failed, {
      kind: "record",
      health: {
        taskId: "t",
        firstSuccess: "T1",
        lastSuccess: "T1",
        lastFailure: "T2",
        lastFailureCause: "refused",
        consecutiveFailures: 1,
      },
    });
    assert.equal(taskHealthState([(failed as { health: Health }).health]), "unhealthy");
  });

  test("kill on the failure after maxConsecutiveFailures recorded ones; never with maxConsecutiveFailures 0", () => {
    let health: Health | undefined;
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = applyResult(check, health, "t", { ok: false, cause: "refused" }, task(0, 400_000), `T${i}`);
      kinds.push(decision.kind);
      if (decision.kind !== "ignore") health = decision.health;
    }
    assert.deepEqual(kinds, ["record", "record", "record", "kill"]);
    const never = withDefaults({ protocol: "TCP", maxConsecutiveFailures: 0 });
    assert.equal(
      applyResult(
        never,
        { ...health!, consecutiveFailures: 10 },
        "t",
        { ok: false, cause: "refused" },
        task(0, 400_000),
        "T9",
      ).kind,
      "record",
    );
  });

  test("count a task without results as neither healthy nor unhealthy; omit a null lastFailureCause", () => {
    assert.equal(taskHealthState([]), "unknown");
    const health: Health = {
      taskId: "t",
      firstSuccess: "T1",
      lastSuccess: "T1",
      lastFailure: null,
      lastFailureCause: null,
      consecutiveFailures: 0,
    };
    assert.equal(taskHealthState([health]), "healthy");
    assert.deepEqual(healthJson(health), {
      alive: true,
      consecutiveFailures: 0,
      firstSuccess: "T1",
      lastFailure: null,
      lastSuccess: "T1",
      taskId: "t",
    });
  });
});

describe("Mesos COMMAND checks of Docker tasks with the agent in a container", () => {
  test("report only from 0.24.2, 0.25.1 and 0.26.0 (MESOS-3136, MESOS-3738)", () => {
    const versions = [
      "0.22.1",
      "0.23.0",
      "0.23.1",
      "0.24.0",
      "0.24.1",
      "0.24.2",
      "0.25.0",
      "0.25.1",
      "0.26.0",
      "0.28.2",
      "1.0.1",
    ];
    assert.deepEqual(versions.filter(reportsDockerCommandChecks), ["0.24.2", "0.25.1", "0.26.0", "0.28.2", "1.0.1"]);
  });

  test("run true/false/exit and curl -f against a real server with $HOST and $PORT0 expanded", async () => {
    const server = createServer((req, res) => res.writeHead(req.url === "/health" ? 200 : 404).end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    const env = { HOST: "127.0.0.1", PORT0: String(port) };
    try {
      assert.equal((await runCheckCommand("true", env, 1000)).code, 0);
      assert.equal((await runCheckCommand("exit 3", env, 1000)).code, 3);
      assert.equal((await runCheckCommand("curl -f -X GET http://$HOST:$PORT0/health", env, 1000)).code, 0);
      assert.deepEqual(await runCheckCommand("curl -f http://$HOST:$PORT0/missing", env, 1000), {
        code: 22,
        output: "curl: (22) The requested URL returned error: 404",
      });
      assert.equal(
        (await runCheckCommand("curl http://$HOST:$PORT0/missing", env, 1000)).code,
        0,
        "without -f an error page is a success",
      );
      assert.equal((await runCheckCommand("redis-cli ping", env, 1000)).code, 127);
    } finally {
      server.close();
    }
  });
});

describe("Mesos' health checker of a COMMAND check", () => {
  /** The reports sent for a run of outcomes ("ok", "fail", "grace": a failure inside the grace period). */
  const reports = (outcomes: ReadonlyArray<"ok" | "fail" | "grace">, limit = 3) => {
    let checker: MesosHealthChecker = NEW_MESOS_HEALTH_CHECKER;
    return outcomes.map((o) => {
      const step = mesosHealthStep(checker, o === "ok", o === "grace", limit);
      checker = step.next;
      return step.report === undefined
        ? "-"
        : `${step.report.healthy ? "healthy" : "unhealthy"}${step.killTask ? "+kill" : ""}`;
    });
  };

  test("sends the first success and no later one while the task stays healthy", () => {
    assert.deepEqual(reports(["ok", "ok", "ok"]), ["healthy", "-", "-"]);
  });

  test("sends every failure after the grace period, then the first success after them", () => {
    assert.deepEqual(reports(["ok", "fail", "fail", "ok", "ok"], 5), [
      "healthy",
      "unhealthy",
      "unhealthy",
      "healthy",
      "-",
    ]);
  });

  test("sends nothing for failures inside the grace period, even after a success", () => {
    assert.deepEqual(reports(["grace", "grace", "ok", "grace", "ok"]), ["-", "-", "healthy", "-", "-"]);
  });

  test("kills the task at consecutive_failures failures in a row, and at the first with 0", () => {
    assert.deepEqual(reports(["fail", "fail", "ok", "fail", "fail"], 2), [
      "unhealthy",
      "unhealthy+kill",
      "healthy",
      "unhealthy",
      "unhealthy+kill",
    ]);
    assert.deepEqual(reports(["grace", "fail"], 0), ["-", "unhealthy+kill"]);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NO_MAINTENANCE, isDown, maintenanceRequest, type MaintenanceState } from "../../../sim/mesos/maintenance";

const A1 = { hostname: "a1", ip: "10.0.0.4" };
const A2 = { hostname: "a2", ip: "10.0.0.5" };
const window = (...machines: object[]) => ({
  machine_ids: machines,
  unavailability: { start: { nanoseconds: 1e18 }, duration: { nanoseconds: 3.6e12 } },
});

function ask(state: MaintenanceState, method: string, path: string, body: unknown = "", version = "0.28.2") {
  const outcome = maintenanceRequest(
    state,
    { method, path, body: typeof body === "string" ? body : JSON.stringify(body) },
    version,
  );
  assert.ok(outcome);
  return outcome;
}

/** Applies requests in turn, failing on any answer other than 200. */
function after(...requests: Array<[string, string, unknown]>): MaintenanceState {
  let state = NO_MAINTENANCE;
  for (const [method, path, body] of requests) {
    const outcome = ask(state, method, path, body);
    assert.equal(outcome.status, 200, String(outcome.body));
    state = outcome.next ?? state;
  }
  return state;
}

const scheduled = () => after(["POST", "/master/maintenance/schedule", { windows: [window(A1)] }]);
const down = () =>
  after(["POST", "/master/maintenance/schedule", { windows: [window(A1)] }], ["POST", "/master/machine/down", [A1]]);

describe("the simulated master's maintenance endpoints, as the real master answers", () => {
  it("answers an empty schedule and an empty status as `{}` (protobuf JSON leaves empty lists out)", () => {
    assert.deepEqual(ask(NO_MAINTENANCE, "GET", "/master/maintenance/schedule").body, {});
    assert.deepEqual(ask(NO_MAINTENANCE, "GET", "/master/maintenance/status").body, {});
  });

  it("schedules a machine DRAINING, then DOWN, then UP and out of the schedule", () => {
    let state = scheduled();
    assert.deepEqual(ask(state, "GET", "/master/maintenance/status").body, { draining_machines: [{ id: A1 }] });
    assert.deepEqual(ask(state, "GET", "/master/maintenance/schedule").body, { windows: [window(A1)] });
    const downed = ask(state, "POST", "/master/machine/down", [A1]);
    assert.deepEqual(downed.downed, [A1]);
    state = downed.next as MaintenanceState;
    assert.deepEqual(ask(state, "GET", "/master/maintenance/status").body, { down_machines: [A1] });
    assert.equal(isDown(state, A1), true);
    state = ask(state, "POST", "/master/machine/up", [A1]).next as MaintenanceState;
    assert.deepEqual(state, NO_MAINTENANCE);
  });

  it("refuses a wrong method with each release's answer", () => {
    assert.deepEqual(ask(NO_MAINTENANCE, "PUT", "/master/maintenance/schedule", "", "0.25.1"), {
      status: 400,
      body: "Expecting GET or POST, got 'PUT'",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "GET", "/master/machine/down", "", "0.26.2"), {
      status: 400,
      body: "Expecting POST, got 'GET'",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/status", "", "0.25.1"), {
      status: 400,
      body: "Expecting GET, got 'POST'",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "PUT", "/master/maintenance/schedule", "", "0.28.2"), {
      status: 405,
      body: "Expecting 'GET' or 'POST', received 'PUT'",
      headers: { Allow: "GET, POST" },
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "GET", "/master/machine/up", "", "0.27.3"), {
      status: 405,
      body: "Expecting 'POST', received 'GET'",
      headers: { Allow: "POST" },
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "DELETE", "/master/machine/up", "", "1.0.1"), {
      status: 405,
      body: "Expecting one of { 'POST' }, but received 'DELETE'",
      headers: { Allow: "POST" },
    });
  });

  it("refuses a malformed body with stout's parse errors", () => {
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", "not json"), {
      status: 400,
      body: "syntax error at line 1 near: ot json",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", "[]"), {
      status: 400,
      body: "Unexpected JSON type parsed",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", '{"windows":[]} x'), {
      status: 400,
      body: "Parsed JSON included non-whitespace trailing characters: x",
    });
    assert.deepEqual(
      ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", { windows: [{ machine_ids: [A1] }] }),
      { status: 400, body: "Missing required fields: windows[0].unavailability" },
    );
    assert.deepEqual(
      ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", {
        windows: [{ machine_ids: [A1], unavailability: { start: {} } }],
      }),
      { status: 400, body: "Missing required fields: windows[0].unavailability.start.nanoseconds" },
    );
    assert.deepEqual(
      ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", {
        windows: [{ machine_ids: [{ hostname: 7 }], unavailability: { start: { nanoseconds: 1 } } }],
      }),
      { status: 400, body: "Not expecting a JSON number for field 'hostname'" },
    );
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/machine/down", { hostname: "a1" }), {
      status: 400,
      body: "Unexpected JSON type parsed",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/machine/down", ""), {
      status: 400,
      body: "syntax error at line 1 near: ",
    });
  });

  it("refuses schedules that fail validation", () => {
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", { windows: [window()] }), {
      status: 400,
      body: "List of machines in the maintenance window is empty",
    });
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", { windows: [window({})] }), {
      status: 400,
      body: "Both 'hostname' and 'ip' for a machine are empty",
    });
    assert.deepEqual(
      ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", { windows: [window({ ip: "10.0.0" })] }),
      { status: 400, body: "Failed to parse the IP" },
    );
    assert.deepEqual(
      ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", { windows: [window(A1), window(A1)] }),
      { status: 400, body: `Machine '{"hostname":"a1","ip":"10.0.0.4"}' appears more than once in the schedule` },
    );
    const negative = {
      windows: [{ machine_ids: [A1], unavailability: { start: { nanoseconds: 1 }, duration: { nanoseconds: -1 } } }],
    };
    assert.deepEqual(ask(NO_MAINTENANCE, "POST", "/master/maintenance/schedule", negative), {
      status: 400,
      body: "Unavailability 'duration' is negative",
    });
    assert.deepEqual(ask(down(), "POST", "/master/maintenance/schedule", { windows: [window(A2)] }), {
      status: 400,
      body: `Machine '{"hostname":"a1","ip":"10.0.0.4"}' is deactivated and cannot be removed from the schedule`,
    });
  });

  it("never changes the state on a refused request (a malformed schedule does not wipe the schedule)", () => {
    const state = scheduled();
    for (const body of ["not json", "{}x", { windows: [window()] }, { windows: [{ machine_ids: [A2] }] }]) {
      const outcome = ask(state, "POST", "/master/maintenance/schedule", body);
      assert.equal(outcome.status, 400);
      assert.equal(outcome.next, undefined);
    }
    assert.deepEqual(ask(state, "GET", "/master/maintenance/schedule").body, { windows: [window(A1)] });
  });

  it("refuses an empty machine list, a machine not scheduled, down of a machine down, and up of one only draining", () => {
    assert.deepEqual(ask(scheduled(), "POST", "/master/machine/down", []), {
      status: 400,
      body: "List of machines is empty",
    });
    assert.deepEqual(ask(scheduled(), "POST", "/master/machine/up", []), {
      status: 400,
      body: "List of machines is empty",
    });
    assert.deepEqual(ask(scheduled(), "POST", "/master/machine/down", [A2]), {
      status: 400,
      body: `Machine '{"hostname":"a2","ip":"10.0.0.5"}' is not part of a maintenance schedule`,
    });
    assert.deepEqual(ask(down(), "POST", "/master/machine/down", [A1]), {
      status: 400,
      body: `Machine '{"hostname":"a1","ip":"10.0.0.4"}' is not in DRAINING mode and cannot be brought down`,
    });
    assert.deepEqual(ask(scheduled(), "POST", "/master/machine/up", [A1]), {
      status: 400,
      body: `Machine '{"hostname":"a1","ip":"10.0.0.4"}' is not in DOWN mode and cannot be brought up`,
    });
    assert.deepEqual(ask(scheduled(), "POST", "/master/machine/down", [A1, A1]), {
      status: 400,
      body: `Machine '{"hostname":"a1","ip":"10.0.0.4"}' appears more than once in the schedule`,
    });
  });

  it("keeps a down machine down when the schedule is replaced, and brings an unscheduled draining machine back UP", () => {
    const state = ask(down(), "POST", "/master/maintenance/schedule", { windows: [window(A1, A2)] })
      .next as MaintenanceState;
    assert.deepEqual(state.machines, [
      { id: A1, mode: "DOWN" },
      { id: A2, mode: "DRAINING" },
    ]);
    const dropped = ask(state, "POST", "/master/maintenance/schedule", { windows: [window(A1)] })
      .next as MaintenanceState;
    assert.deepEqual(dropped.machines, [{ id: A1, mode: "DOWN" }]);
  });
});

// The simulated master's maintenance primitives over HTTP: the real master's errors, and machine state kept in the
// registry across a leader's restart and a leader change (Mesos 0.28).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS } from "../../../sim";
import { request } from "../../../sim/http";
import { eventually, ssh, useCluster } from "./helpers";
import { agentMetrics } from "./mesos-helpers";

describe("maintenance on simulated 0.28 masters", () => {
  const cluster = useCluster("m1,m2,m3:master;a1:agent", {
    network: "127.0.171",
    versions: { mesos: "0.28.2" },
    apps: [],
  });
  const leaderAddress = async () => (await eventually("a leading master", () => cluster().mesosLeader())).address;
  const ask = async (path: string, method = "GET", body?: unknown) =>
    request({ host: await leaderAddress(), port: PORTS.master }, path, {
      method,
      ...(body === undefined ? {} : { body }),
      timeoutMs: 3000,
    });
  const machine = () => ({ hostname: cluster().host("a1").address, ip: cluster().host("a1").address });

  test("answers the real master's errors and leaves the schedule as it was", async () => {
    assert.deepEqual(
      [(await ask("/master/maintenance/schedule")).json, (await ask("/master/maintenance/status")).json],
      [{}, {}],
    );
    const wrong = await ask("/master/maintenance/schedule", "PUT", {});
    assert.deepEqual(
      [wrong.status, wrong.text, wrong.headers.allow],
      [405, "Expecting 'GET' or 'POST', received 'PUT'", "GET, POST"],
    );
    const window = { machine_ids: [machine()], unavailability: { start: { nanoseconds: Date.now() * 1e6 } } };
    assert.equal((await ask("/master/maintenance/schedule", "POST", { windows: [window] })).status, 200);
    const malformed = await ask("/master/maintenance/schedule", "POST", { windows: [{ machine_ids: [machine()] }] });
    assert.deepEqual([malformed.status, malformed.text], [400, "Missing required fields: windows[0].unavailability"]);
    const empty = await ask("/master/machine/down", "POST", []);
    assert.deepEqual([empty.status, empty.text], [400, "List of machines is empty"]);
    const upDraining = await ask("/master/machine/up", "POST", [machine()]);
    assert.deepEqual(
      [upDraining.status, upDraining.text],
      [400, `Machine '${JSON.stringify(machine())}' is not in DOWN mode and cannot be brought up`],
    );
    assert.deepEqual((await ask("/master/maintenance/schedule")).json, { windows: [window] });
    assert.deepEqual((await ask("/master/maintenance/status")).json, { draining_machines: [{ id: machine() }] });
  });

  test("a machine down stays down across the leader's restart and a leader change, until brought up", async () => {
    assert.equal((await ask("/master/machine/down", "POST", [machine()])).status, 200);
    const again = await ask("/master/machine/down", "POST", [machine()]);
    assert.deepEqual(
      [again.status, again.text],
      [400, `Machine '${JSON.stringify(machine())}' is not in DRAINING mode and cannot be brought down`],
    );
    const before = await eventually("a leading master", () => cluster().mesosLeader());
    await ssh(cluster(), before.name, "docker restart mesos_master");
    const after = await eventually("a leader after the restart", async () => {
      const leader = await cluster().mesosLeader();
      const status = leader
        ? await request({ host: leader.address, port: PORTS.master }, "/master/maintenance/status", { timeoutMs: 3000 })
        : undefined;
      return status?.status === 200 ? { leader, status: status.json } : undefined;
    });
    assert.deepEqual(
      after.status,
      { down_machines: [machine()] },
      `the new leader ${after.leader?.name} recovered the machine's mode from the registry`,
    );
    const agent = await agentMetrics(cluster(), "a1").catch(() => ({}) as Record<string, number>);
    assert.notEqual(agent["slave/registered"], 1, "the agent of a machine down is refused (told to shut down)");
    assert.equal((await ask("/master/machine/up", "POST", [machine()])).status, 200);
    assert.deepEqual(
      [(await ask("/master/maintenance/schedule")).json, (await ask("/master/maintenance/status")).json],
      [{}, {}],
    );
    await eventually(
      "a1 registered again",
      async () =>
        (await agentMetrics(cluster(), "a1").catch(() => ({}) as Record<string, number>))["slave/registered"] === 1
          ? true
          : undefined,
      60_000,
    );
  });
});

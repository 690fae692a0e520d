// The master's window for a silent agent (ping timeout × max pings, 15 s × 5) against an agent swap, at the fast
// profile: the swap's host work (the operator's commands, run at machine speed) counts at its wall duration, as on a
// real host, so slow host work does not cost 50 times its length, nor does a stall of the host's own process (the
// simulator starved by the machine); modelled time past the window still removes the agent.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { PORTS } from "../../../sim";
import { eventually, ssh, useCluster } from "./helpers";
import { getJson, runCommand } from "./mesos-helpers";

describe("an agent swap against the master's 75 s window", () => {
  const cluster = useCluster("m1:master;a1:agent", { network: "127.0.57", apps: [] });
  const mark = () => new Date().toISOString();
  const agentId = async () =>
    ((await getJson(cluster(), "a1", PORTS.agent, "/state.json")).json as { id?: string }).id || undefined;
  const registrations = (since: string) =>
    cluster()
      .ledger("m1")
      .filter((e) => e.kind === "agent.registered" && e.time >= since)
      .map((e) => [e.agentId, (e.detail as { reregistered: boolean }).reregistered]);
  const removals = (since: string) =>
    cluster()
      .ledger("m1")
      .filter((e) => e.kind === "agent.removed" && e.time >= since);

  test("keeps the agent's ID when the swap's host work takes 3 wall seconds (150 simulated seconds if it were scaled)", async () => {
    const before = await eventually("a1 registered", agentId);
    const since = mark();
    // `sleep 3` is host work at machine speed, like slow SSH round trips and process starts on a loaded machine: a
    // real host doing it takes 3 s of the master's 75 s, so the agent comes back within the window.
    const swap = await ssh(
      cluster(),
      "a1",
      `docker stop mesos_slave >/dev/null && sleep 3 && docker rm mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave")}`,
    );
    assert.equal(swap.code, 0, swap.stderr);
    await eventually("a1 re-registered", () => (registrations(since).length > 0 ? true : undefined));
    assert.deepEqual(
      new Set(registrations(since).map((r) => JSON.stringify(r))),
      new Set([JSON.stringify([before, true])]),
      "the same agent, re-registered (a ping missed under load may add a re-registration, never a new agent)",
    );
    assert.deepEqual(removals(since), [], "never removed");
    assert.equal(await agentId(), before);
  });

  test("keeps the agent's ID when its host's process runs nothing for 3 wall seconds: the simulator starved, not the agent silent", async () => {
    const before = await eventually("a1 registered", agentId);
    const since = mark();
    // SIGSTOP stands for a machine so loaded that a host's daemon is not scheduled (CI runs test files side by side):
    // 3 wall s are 150 simulated seconds at 0.02, twice the 75 s window, yet a real agent would have answered.
    const daemon = cluster().file.pids.a1 as number;
    process.kill(daemon, "SIGSTOP");
    try {
      await sleep(3000);
    } finally {
      process.kill(daemon, "SIGCONT");
    }
    await eventually("a1 answering again", agentId);
    // Long enough for the master's last look and a re-registration (a ping missed under load forces one).
    await sleep(1000);
    assert.deepEqual(removals(since), [], "never removed");
    assert.deepEqual(
      new Set(registrations(since).map((r) => JSON.stringify(r))),
      new Set([JSON.stringify([before, true])]),
      "the same agent, re-registered after its missed pings, never a new agent",
    );
    assert.equal(await agentId(), before);
  });

  test("reactivates an agent the master marked disconnected at a missed ping: the next ping makes it re-register (MESOS-1529)", async () => {
    const before = await eventually("a1 registered", agentId);
    const active = async () =>
      ((await getJson(cluster(), "m1", PORTS.master, "/metrics/snapshot")).json as Record<string, number>)[
        "master/slaves_active"
      ];
    await eventually("a1 active", async () => ((await active()) === 1 ? true : undefined));
    const since = mark();
    // The agent misses pings for a moment, far inside the window (a loaded agent answering late does the same).
    await cluster().inject("a1", { kind: "agent-no-reregister" });
    await eventually("a1 marked disconnected", async () => ((await active()) === 0 ? true : undefined));
    await cluster().clear("a1");
    await eventually("a1 active again", async () => ((await active()) === 1 ? true : undefined), 10_000);
    assert.deepEqual(
      new Set(registrations(since).map((r) => JSON.stringify(r))),
      new Set([JSON.stringify([before, true])]),
      "the same agent, re-registered (a ping missed under load may add a re-registration, never a new agent)",
    );
    assert.deepEqual(removals(since), []);
  });

  test("removes the agent when the swap lasts past the window in modelled time, and it registers as a new agent", async () => {
    const before = await eventually("a1 registered", agentId);
    const since = mark();
    const stop = await ssh(cluster(), "a1", "docker stop mesos_slave >/dev/null");
    assert.equal(stop.code, 0, stop.stderr);
    const stopped = Date.now();
    // Nothing runs on a1 now: the wait is modelled time, 50 simulated seconds per wall second.
    const removed = await eventually("a1 removed", () => removals(since).at(0));
    const windowMs = 75 * 1000 * cluster().file.profile.timeScale;
    assert.ok(
      Date.parse(removed.time) - stopped >= windowMs * 0.8,
      `not before the window: removed ${Date.parse(removed.time) - stopped} ms after the stop`,
    );
    assert.equal(removed.agentId, before);
    const start = await ssh(
      cluster(),
      "a1",
      `docker rm mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave")}`,
    );
    assert.equal(start.code, 0, start.stderr);
    const fresh = await eventually("a1 registered as a new agent", () =>
      registrations(since).find(([id, again]) => id !== before && again === false),
    );
    assert.notEqual(fresh[0], before);
  });
});

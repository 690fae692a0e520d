// Injected faults during an upgrade step, seen from the outside: over SSH, over HTTP and in the ledger.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AppDefinition } from "../../../sim";
import { eventually, ssh, useCluster } from "./helpers";
import { agentMetrics, runCommand, taskIdsOn } from "./mesos-helpers";

const APPS: AppDefinition[] = [
  {
    id: "/influxdb",
    instances: 2,
    cpus: 0.25,
    mem: 128,
    container: { type: "DOCKER", docker: { image: "tutum/influxdb:0.13", network: "BRIDGE" } },
  },
];

describe("faults during an upgrade", () => {
  const cluster = useCluster("m1,m2,m3:master+marathon;a1,a2:agent", { network: "127.0.49", apps: APPS });

  test("a new agent version that crash-loops loses the host's tasks after the window; clearing it lets the hop finish", async () => {
    const image = "mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404";
    await cluster().inject("a1", { kind: "crash-loop", image });
    const since = new Date().toISOString();
    const before = await taskIdsOn(cluster(), "a1");
    const run = await ssh(
      cluster(),
      "a1",
      `docker pull ${image} >/dev/null && docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave", { version: "0.23.1" })}`,
    );
    assert.equal(run.code, 0, run.stderr);
    await eventually("the new agent crashing again and again", () =>
      cluster()
        .ledger("a1")
        .filter(
          (e) => e.kind === "container.stop" && e.name === "mesos_slave" && e.reason === "crashed" && e.time >= since,
        ).length >= 2
        ? true
        : undefined,
    );
    // Lost either way: the 0.22 agent's executors died with its container, and the new one never stays up.
    await eventually("every task a1 ran LOST", () =>
      before.every((id) =>
        cluster()
          .lostTasks(since)
          .some((e) => e.taskId === id),
      )
        ? true
        : undefined,
    );
    await cluster().clear("a1", "crash-loop");
    await eventually("a1 back as an agent", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 ? true : undefined,
    );
  });

  test("a slow pull of the new image outlasts the window when the agent is stopped before pulling", async () => {
    await cluster().inject("a2", { kind: "pull-slow", image: "mesosphere/mesos-slave", seconds: 120 });
    const since = new Date().toISOString();
    const before = await taskIdsOn(cluster(), "a2");
    assert.ok(before.length > 0);
    await ssh(
      cluster(),
      "a2",
      `docker stop mesos_slave >/dev/null && docker rm mesos_slave >/dev/null && ${runCommand(cluster(), "a2", "mesos_slave", { version: "0.23.1" })}`,
    );
    assert.deepEqual(
      cluster()
        .lostTasks(since)
        .map((e) => e.taskId)
        .sort(),
      before,
      "120 s of pulling > 75 s window",
    );
    await cluster().clear("a2");
  });

  test("the leader fails a while after a trigger command", async () => {
    const leader = await cluster().mesosLeader();
    await cluster().inject("m1", { kind: "leader-fails", trigger: "docker stop marathon", afterSeconds: 5 });
    const started = Date.now();
    await ssh(cluster(), "m1", "docker stop marathon && docker start marathon");
    const crash = await eventually("the leader crashed", () =>
      cluster()
        .ledger(leader!.name)
        .find((e) => e.kind === "container.stop" && e.name === "mesos_master" && e.reason === "crashed"),
    );
    assert.ok(Date.parse(crash.time) - started >= 5 * 1000 * cluster().file.profile.timeScale * 0.8);
    assert.deepEqual(
      (await cluster().status()).find((s) => s.host === "m1")?.faults,
      [],
      "the fault is spent once triggered",
    );
  });
});

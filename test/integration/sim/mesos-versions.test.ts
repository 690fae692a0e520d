// Behaviour that belongs to particular Mesos and Marathon releases: 1.0 redirects, version checks between masters and
// agents, flag loading errors, maintenance primitives (0.25+).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS, type AppDefinition } from "../../../sim";
import { request } from "../../../sim/http";
import { eventually, ssh, useCluster } from "./helpers";
import { agentMetrics, allAppsRunning, getJson, runCommand, taskIdsOn } from "./mesos-helpers";

describe("Mesos 1.0 masters", () => {
  const cluster = useCluster("m1,m2,m3:master", { network: "127.0.44", versions: { mesos: "1.0.1" } });

  test("standbys answer 307 to the leader (scheme-relative, path kept); /version exists", async () => {
    const leader = await eventually("a leader", () => cluster().mesosLeader());
    const standby = ["m1", "m2", "m3"].find((m) => m !== leader.name) as string;
    const state = await getJson(cluster(), standby, PORTS.master, "/master/state");
    assert.deepEqual([state.status, state.headers.location], [307, `//${leader.address}:5050/master/state`]);
    const routed = await getJson(cluster(), standby, PORTS.master, "/state");
    assert.deepEqual([routed.status, routed.headers.location], [307, `//${leader.address}:5050/state`]);
    const redirect = await getJson(cluster(), standby, PORTS.master, "/master/redirect");
    assert.deepEqual([redirect.status, redirect.headers.location], [307, `//${leader.address}:5050`]);
    assert.equal((await getJson(cluster(), standby, PORTS.master, "/metrics/snapshot")).status, 200);
    const version = (await getJson(cluster(), standby, PORTS.master, "/version")).json as Record<string, unknown>;
    assert.deepEqual([version.version, version.git_sha], ["1.0.1", "3611eb0b7eea8d144e9b2e840e0ba16f2f659ee3"]);
  });

  test("logs 1.0's deprecated flag names and refuses a flag given under both names", async () => {
    const base = runCommand(cluster(), "m1", "mesos_master");
    const deprecated = await ssh(
      cluster(),
      "m1",
      `docker rm -f mesos_master >/dev/null && ${base.replace(" mesosphere/", " -e MESOS_SLAVE_PING_TIMEOUT=30secs mesosphere/")} >/dev/null && sleep 0.2 && docker logs mesos_master 2>&1 | grep deprecated`,
    );
    assert.match(deprecated.stdout, /^W\d{4} .* main\.cpp:230\] Loaded deprecated flag 'slave_ping_timeout'\n$/);
    const both = await ssh(
      cluster(),
      "m1",
      `docker rm -f mesos_master >/dev/null && ${base} --agent_ping_timeout=20secs --slave_ping_timeout=30secs >/dev/null && sleep 0.1; docker logs mesos_master 2>&1 | head -1`,
    );
    assert.equal(both.stdout, "Flag 'slave_ping_timeout' is already loaded via name 'agent_ping_timeout'\n");
  });
});

describe("version skew between masters and agents", () => {
  const cluster = useCluster("m1:master;a1:agent", { network: "127.0.45", versions: { mesos: "1.3.0" } });

  test("a 1.3 master ignores a 0.28 agent (1.2.1+: MINIMUM_AGENT_VERSION 1.0.0)", async () => {
    const result = await ssh(
      cluster(),
      "a1",
      `docker pull mesosphere/mesos-slave:0.28.2-2.0.27.ubuntu1404 >/dev/null && docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave", { version: "0.28.2", mount: null })}`,
    );
    assert.equal(result.code, 0, result.stderr);
    const logs = await eventually("the master ignores it", async () => {
      const out = (await ssh(cluster(), "m1", "docker logs mesos_master 2>&1 | grep Ignoring | tail -1")).stdout;
      return out !== "" ? out : undefined;
    });
    assert.match(
      logs,
      new RegExp(
        `Ignoring registration attempt from old agent at slave\\(1\\)@${cluster().host("a1").address}:5051: agent version is 0\\.28\\.2, minimum supported agent version is 1\\.0\\.0\\n$`,
      ),
    );
    assert.equal((await agentMetrics(cluster(), "a1"))["slave/registered"], 0);
  });

  test("a 1.0+ agent needs --work_dir; an unknown flag stops a binary with its usage", async () => {
    const noWorkDir = await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave").replace("-e MESOS_WORK_DIR=/data/mesos ", "")} >/dev/null && sleep 0.2; docker logs mesos_slave 2>&1 | head -3`,
    );
    assert.equal(
      noWorkDir.stdout,
      "Flag 'work_dir' is required, but it was not provided\n\nUsage: mesos-agent [options]\n",
    );
    const unknown = await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave")} --log_dirr=/var/log >/dev/null && sleep 0.2; docker logs mesos_slave 2>&1 | head -1; docker inspect --format '{{.State.ExitCode}}' mesos_slave`,
    );
    assert.equal(unknown.stdout, "Failed to load unknown flag 'log_dirr'\n1\n");
  });
});

describe("a 0.22 agent and a 0.24 master", () => {
  const cluster = useCluster("m1:master;a1:agent", {
    network: "127.0.46",
    versions: { mesos: "0.24.2", marathon: "0.11.1" },
  });

  test("the 0.22 agent cannot read the master's json.info znode and exits", async () => {
    await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave", { version: "0.22.1" }).replace("--restart=always ", "")}`,
    );
    const result = await eventually("the agent exited", async () => {
      const out = await ssh(
        cluster(),
        "a1",
        "docker inspect --format '{{.State.Running}} {{.State.ExitCode}}' mesos_slave",
      );
      return out.stdout.startsWith("false") ? out.stdout : undefined;
    });
    assert.equal(result, "false 1\n");
    assert.match(
      (await ssh(cluster(), "a1", "docker logs mesos_slave 2>&1 | tail -1")).stdout,
      /^Failed to detect a master: Failed to parse data of unknown label 'json\.info'\n$/,
    );
  });

  test("0.24 flags: MESOS_QUORUM with --quorum is a duplicate (environment and argv share one map up to 0.24)", async () => {
    const result = await ssh(
      cluster(),
      "m1",
      `docker rm -f mesos_master >/dev/null && ${runCommand(cluster(), "m1", "mesos_master")} --quorum=1 >/dev/null && sleep 0.2; docker logs mesos_master 2>&1 | head -3`,
    );
    assert.equal(result.stdout, "Duplicate flag 'quorum' on command line\nUsage: mesos-master [...]\n\n");
  });
});

describe("maintenance primitives (Mesos 0.25+)", () => {
  const apps: AppDefinition[] = [
    {
      id: "/drone",
      instances: 2,
      cpus: 0.25,
      mem: 128,
      container: { type: "DOCKER", docker: { image: "drone/drone:0.4", network: "BRIDGE" } },
    },
  ];
  const cluster = useCluster("m1:master+marathon;a1,a2:agent", {
    network: "127.0.47",
    versions: { mesos: "0.25.1", marathon: "0.11.1" },
    apps,
  });

  test("schedule, down (tasks LOST, moved by Marathon), status and up", async () => {
    await allAppsRunning(cluster());
    const a1 = cluster().host("a1");
    const machine = [{ hostname: a1.address, ip: a1.address }];
    const master = { host: cluster().host("m1").address, port: PORTS.master };
    const schedule = {
      windows: [{ machine_ids: machine, unavailability: { start: { nanoseconds: Date.now() * 1e6 } } }],
    };
    assert.equal(
      (await request(master, "/master/maintenance/schedule", { method: "POST", body: schedule })).status,
      200,
    );
    const onA1 = await taskIdsOn(cluster(), "a1");
    const since = new Date().toISOString();
    assert.equal((await request(master, "/master/machine/down", { method: "POST", body: machine })).status, 200);
    const status = (await request(master, "/master/maintenance/status")).json as { down_machines: unknown[] };
    assert.deepEqual(status.down_machines, machine);
    await eventually("a1's tasks LOST", () => (cluster().lostTasks(since).length === onA1.length ? true : undefined));
    await eventually("Marathon moved them off a1", async () =>
      (await taskIdsOn(cluster(), "a1")).length === 0 ? true : undefined,
    );
    await allAppsRunning(cluster());
    assert.equal((await request(master, "/master/machine/up", { method: "POST", body: machine })).status, 200);
    await eventually("a1 registered again", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 ? true : undefined,
    );
    const notScheduled = await request(master, "/master/machine/down", { method: "POST", body: machine });
    assert.equal(notScheduled.status, 400);
  });
});

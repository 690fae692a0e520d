// Masters and Marathon on the default 0.22.1 / 0.9.1 cluster: leader election, redirects, failover, quorum, proxying.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS, type AppDefinition } from "../../../sim";
import { ZkClient } from "../../../sim/zk/client";
import { eventually, ssh, useCluster } from "./helpers";
import { allAppsRunning, getJson } from "./mesos-helpers";

const APPS: AppDefinition[] = [
  {
    id: "/redis",
    instances: 2,
    cpus: 0.25,
    mem: 128,
    constraints: [["hostname", "UNIQUE"]],
    container: { type: "DOCKER", docker: { image: "redis:3.0.7", network: "BRIDGE" } },
    healthChecks: [{ protocol: "COMMAND", command: { value: "true" } }],
  },
  {
    id: "/alert",
    instances: 1,
    cpus: 0.25,
    mem: 128,
    container: { type: "DOCKER", docker: { image: "prom/alertmanager:0.1.1", network: "BRIDGE" } },
  },
];

describe("Mesos masters and Marathon", () => {
  const cluster = useCluster("m1,m2,m3:master+marathon;a1,a2:agent", { network: "127.0.43", apps: APPS });
  const masters = ["m1", "m2", "m3"];

  test("elect one leader among the masters; 0.22 standbys redirect to it with an http:// URL", async () => {
    const leader = await cluster().mesosLeader();
    assert.ok(leader);
    for (const name of masters) {
      const metrics = (await getJson(cluster(), name, PORTS.master, "/metrics/snapshot")).json as Record<
        string,
        number
      >;
      assert.equal(metrics["master/elected"], name === leader.name ? 1 : 0);
      const redirect = await getJson(cluster(), name, PORTS.master, "/master/redirect");
      assert.deepEqual([redirect.status, redirect.headers.location], [307, `http://${leader.address}:5050`]);
      const state = (await getJson(cluster(), name, PORTS.master, "/state.json")).json as Record<string, unknown>;
      assert.equal(state.leader, `master@${leader.address}:5050`);
      assert.equal("elected_time" in state, name === leader.name);
      assert.ok("lost_tasks" in state, "0.22's state.json has the task counters");
    }
    assert.equal((await getJson(cluster(), "m1", PORTS.master, "/master/state")).status, 404);
    assert.equal((await getJson(cluster(), "m1", PORTS.master, "/version")).status, 404);
    const zk = await ZkClient.connect(cluster().zk.address, cluster().zk.port, 1000);
    assert.deepEqual(
      (await zk.children("/mesos")).map((m) => m.replace(/\d+$/, "")),
      ["info_", "info_", "info_"],
    );
    await zk.close();
  });

  test("Marathon standbys proxy to the leader; /ping, /v2/info and /v2/leader have 0.9's shapes", async () => {
    const leader = ((await getJson(cluster(), "m1", PORTS.marathon, "/v2/leader")).json as { leader: string }).leader;
    const standby = masters.find((m) => `${cluster().host(m).address}:8080` !== leader) as string;
    const ping = await getJson(cluster(), standby, PORTS.marathon, "/ping");
    assert.deepEqual(
      [ping.status, ping.text, ping.headers["x-marathon-via"], ping.headers["x-marathon-leader"]],
      [200, "pong\n", `1.1 ${cluster().host(standby).address}:8080`, `http://${leader}`],
    );
    const info = (await getJson(cluster(), standby, PORTS.marathon, "/v2/info")).json as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), [
      "name",
      "version",
      "elected",
      "leader",
      "frameworkId",
      "marathon_config",
      "zookeeper_config",
      "event_subscriber",
      "http_config",
    ]);
    assert.deepEqual([info.version, info.elected, info.leader], ["0.9.1", true, leader]);
    assert.ok(!("mesos_leader_ui_url" in (info.marathon_config as object)), "added in 0.11");
  });

  test("the leading Marathon writes its apps to ZooKeeper when they change, not at every pass of its scheduler", async () => {
    await allAppsRunning(cluster());
    const zk = await ZkClient.connect(cluster().zk.address, cluster().zk.port, 1000);
    try {
      const stored = (await zk.get("/marathon/state/apps")) as string;
      assert.deepEqual((JSON.parse(stored) as AppDefinition[]).map((a) => a.id).sort(), ["/alert", "/redis"]);
      // The same apps, written differently: a leader that rewrote its registry at every pass would put its own back.
      const rewritten = `${stored}\n`;
      await zk.put("/marathon/state/apps", rewritten);
      const passes = 25;
      await new Promise((resolve) => setTimeout(resolve, passes * 1000 * cluster().file.profile.timeScale));
      assert.equal(await zk.get("/marathon/state/apps"), rewritten, `${passes} scheduler passes wrote nothing`);
      await zk.put("/marathon/state/apps", stored);
    } finally {
      await zk.close();
    }
  });

  test("the leading master fails mid-upgrade: another is elected, agents and Marathon follow, no task is lost", async () => {
    await allAppsRunning(cluster());
    const since = new Date().toISOString();
    const before = await cluster().mesosLeader();
    await cluster().inject("a1", { kind: "leader-fails", trigger: "docker pull" });
    await ssh(cluster(), "a1", "docker pull busybox:latest");
    const after = await eventually("a new leader with both agents", async () => {
      const leader = await cluster().mesosLeader();
      if (!leader || leader.name === before?.name) return undefined;
      const metrics = (await getJson(cluster(), leader.name, PORTS.master, "/metrics/snapshot")).json as Record<
        string,
        number
      >;
      return metrics["master/slaves_active"] === 2 && metrics["master/frameworks_active"] === 1 ? leader : undefined;
    });
    assert.notEqual(after.name, before?.name);
    assert.ok(
      cluster()
        .ledger("a1")
        .some(
          (e) =>
            e.kind === "fault" && e.action === "triggered" && (e.detail as { leader: string }).leader === before?.name,
        ),
    );
    assert.ok(
      cluster()
        .ledger(before!.name)
        .some(
          (e) =>
            e.kind === "container.stop" && e.name === "mesos_master" && e.exitCode === 134 && e.reason === "crashed",
        ),
    );
    await allAppsRunning(cluster());
    assert.deepEqual(cluster().lostTasks(since), []);
  });

  test("a newly elected Marathon answers with every app's tasks from its first reply", async () => {
    await allAppsRunning(cluster());
    const before = ((await getJson(cluster(), "m1", PORTS.marathon, "/v2/leader")).json as { leader: string }).leader;
    const leaderHost = masters.find((m) => `${cluster().host(m).address}:8080` === before) as string;
    const seen: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const apps = await cluster()
          .apps()
          .catch(() => undefined);
        const redis = apps?.find((a) => a.id === "/redis");
        if (redis) seen.push(redis.tasksRunning);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    assert.equal((await ssh(cluster(), leaderHost, "docker stop marathon")).code, 0);
    await eventually("another Marathon leads", async () => {
      const result = await getJson(
        cluster(),
        masters.find((m) => m !== leaderHost) as string,
        PORTS.marathon,
        "/v2/leader",
      );
      return result.status === 200 && (result.json as { leader: string }).leader !== before ? true : undefined;
    });
    await allAppsRunning(cluster());
    polling = false;
    await poll;
    assert.ok(seen.length > 0, "the apps were read during the failover");
    assert.ok(
      seen.every((n) => n >= 1),
      `redis showed 0 running tasks in ${seen.filter((n) => n === 0).length} of ${seen.length} replies`,
    );
    assert.equal((await ssh(cluster(), leaderHost, "docker start marathon")).code, 0);
  });

  test("Marathon answers 503 when it cannot determine the leader, and proxies once there is one", async () => {
    const zk = await ZkClient.connect(cluster().zk.address, cluster().zk.port, 200);
    // A member without leader data sorts first: the new instance cannot tell where the leader is.
    await zk.create("/marathon-503/leader/member_", "", { ephemeral: true, sequential: true });
    const command = `docker run -d --name marathon-503 --net host mesosphere/marathon:v0.9.1 --master zk://${cluster().zk.address}:2181/mesos --zk zk://${cluster().zk.address}:2181/marathon-503 --http_port 8081 --hostname ${cluster().host("m3").address}`;
    assert.equal((await ssh(cluster(), "m3", command)).code, 0);
    const refused = await eventually("the standby up", async () => {
      const result = await getJson(cluster(), "m3", 8081, "/v2/apps");
      return result.status === 503 ? result : undefined;
    });
    assert.equal(refused.text, "Could not determine the current leader");
    await zk.close();
    await eventually("the instance leads", async () =>
      (await getJson(cluster(), "m3", 8081, "/v2/apps")).status === 200 ? true : undefined,
    );
  });

  test("Marathon shuts down on a Mesos older than it requires (1.1 needs 0.28)", async () => {
    const command = `docker run -d --name marathon-new --net host mesosphere/marathon:v1.1.1 --master zk://${cluster().zk.address}:2181/mesos --zk zk://${cluster().zk.address}:2181/marathon-new --http_port 8082 --hostname ${cluster().host("m2").address}`;
    assert.equal((await ssh(cluster(), "m2", command)).code, 0, "the image is pulled and the container started");
    const code = await eventually("marathon-new exited", async () => {
      const result = await ssh(
        cluster(),
        "m2",
        "docker inspect --format '{{.State.Running}} {{.State.ExitCode}}' marathon-new",
      );
      return result.stdout.startsWith("false") ? result.stdout.trim() : undefined;
    });
    assert.equal(code, "false 137");
    const logs = await ssh(cluster(), "m2", "docker logs marathon-new");
    assert.match(
      logs.stdout,
      /ERROR Mesos Master version 0\.22\.1 does not meet minimum required version 0\.28\.0 .*\n.*ERROR Committing suicide!/,
    );
  });

  test("a Docker restart before 1.12 stops the tasks with the agent; Marathon restarts them", async () => {
    await allAppsRunning(cluster());
    const since = new Date().toISOString();
    const result = await ssh(cluster(), "a2", "service docker restart");
    assert.equal(result.code, 0, result.stderr);
    const stopped = cluster()
      .ledger("a2")
      .filter((e) => e.kind === "container.stop" && e.reason === "engine stop" && e.time >= since)
      .map((e) => e.name);
    assert.ok(stopped.includes("mesos_slave") && stopped.some((n) => n?.startsWith("mesos-") && n !== "mesos_slave"));
    await eventually("the stopped tasks reported LOST", () =>
      cluster().lostTasks(since).length > 0 ? true : undefined,
    );
    assert.ok(
      cluster()
        .lostTasks(since)
        .every((e) => e.reason === "REASON_EXECUTOR_TERMINATED"),
    );
    await allAppsRunning(cluster());
  });

  test("masters need a quorum to recover: a lone master aborts after the registry fetch timeout", async () => {
    for (const m of masters) await ssh(cluster(), m, "docker stop mesos_master");
    const since = new Date().toISOString();
    await new Promise((r) =>
      setTimeout(r, cluster().file.profile.zkSessionTimeoutSeconds * 1000 * cluster().file.profile.timeScale * 2),
    );
    assert.equal((await ssh(cluster(), "m1", "docker start mesos_master")).code, 0);
    const abort = await eventually("the lone master aborts", () =>
      cluster()
        .ledger("m1")
        .find((e) => e.kind === "container.stop" && e.name === "mesos_master" && e.time >= since && e.exitCode === 134),
    );
    assert.ok(abort);
    const logs = await ssh(cluster(), "m1", "docker logs mesos_master 2>&1 | grep '^F' | tail -1");
    assert.match(
      logs.stdout,
      /master\.cpp:\d+\] Recovery failed: Failed to recover registrar: Failed to perform fetch within 1mins\n$/,
    );
    assert.equal((await ssh(cluster(), "m2", "docker start mesos_master")).code, 0);
    const leader = await eventually("a leader with a quorum of two", () => cluster().mesosLeader());
    assert.ok(["m1", "m2"].includes(leader.name));
  });
});

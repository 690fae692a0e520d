// Mesos agents on the default 0.22.1 cluster: recovery within the window, LOST after it, the upgrade traps.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS, type AppDefinition } from "../../../sim";
import { eventually, onHost, ssh, useCluster } from "./helpers";
import { agentMetrics, allAppsRunning, getJson, replacedOn, runCommand, taskIdsOn } from "./mesos-helpers";

const APPS: AppDefinition[] = [
  {
    id: "/redis",
    instances: 2,
    cpus: 0.25,
    mem: 128,
    constraints: [["hostname", "UNIQUE"]],
    container: { type: "DOCKER", docker: { image: "redis:3.0.7", network: "BRIDGE" } },
  },
  {
    id: "/drone",
    instances: 3,
    cpus: 0.25,
    mem: 128,
    container: { type: "DOCKER", docker: { image: "drone/drone:0.4", network: "BRIDGE" } },
  },
];

describe("Mesos agents", () => {
  const cluster = useCluster("m1:master+marathon;a1..a3:agent", { network: "127.0.41", apps: APPS });
  const mark = () => new Date().toISOString();

  test("serve 0.22's endpoints: state.json and stats.json but no /state or /version", async () => {
    const state = (await getJson(cluster(), "a1", PORTS.agent, "/state.json")).json as Record<string, unknown>;
    assert.equal(state.version, "0.22.1");
    assert.equal(state.master_hostname, cluster().host("m1").address);
    assert.equal((await getJson(cluster(), "a1", PORTS.agent, "/slave(1)/state")).status, 404);
    assert.equal((await getJson(cluster(), "a1", PORTS.agent, "/version")).status, 404);
    assert.equal((await agentMetrics(cluster(), "a1"))["slave/registered"], 1);
  });

  test("re-register with their tasks when the only master restarts at the same address: a new master id is a new master", async () => {
    await allAppsRunning(cluster());
    const since = mark();
    assert.equal((await ssh(cluster(), "m1", "docker restart mesos_master")).code, 0);
    const agents = ["a1", "a2", "a3"].map((h) => cluster().host(h).address).sort();
    const reregistered = await eventually("every agent re-registered with the restarted master", () => {
      const seen = cluster()
        .ledger("m1")
        .filter((e) => e.kind === "agent.registered" && e.time >= since);
      return seen.length >= agents.length ? seen : undefined;
    });
    assert.deepEqual(
      reregistered.map((e) => [e.agentHost, (e.detail as { reregistered: boolean }).reregistered]).sort(),
      agents.map((a) => [a, true]),
    );
    const metrics = (await getJson(cluster(), "m1", PORTS.master, "/metrics/snapshot")).json as Record<string, number>;
    assert.equal(metrics["master/slaves_active"], 3);
    await allAppsRunning(cluster());
    assert.deepEqual(cluster().lostTasks(since), [], "the restarted master learns every task from its agent");
  });

  test("lose their tasks at a 0.22.1 → 0.23.1 hop even with the work dir mounted: 0.22's executors die with the agent's container", async () => {
    const since = mark();
    const before = await taskIdsOn(cluster(), "a1");
    assert.ok(before.length > 0);
    // Pull first: a pull can take longer than the master's window (the reason providers pre-pull).
    assert.equal((await ssh(cluster(), "a1", "docker pull mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404")).code, 0);
    const restart = await ssh(
      cluster(),
      "a1",
      `docker stop mesos_slave && docker rm mesos_slave && ${runCommand(cluster(), "a1", "mesos_slave", { version: "0.23.1" })}`,
    );
    assert.equal(restart.code, 0, restart.stderr);
    await eventually("a1 re-registered at 0.23.1", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 ? true : undefined,
    );
    const reregistered = cluster()
      .ledger("m1")
      .filter((e) => e.kind === "agent.registered" && e.time >= since);
    assert.deepEqual(
      reregistered.map((e) => [e.agentHost, e.version, (e.detail as { reregistered: boolean }).reregistered]),
      [[cluster().host("a1").address, "0.23.1", true]],
      "the same agent, recovered from its checkpoint",
    );
    const lost = await eventually("a1's tasks LOST", () =>
      cluster().lostTasks(since).length >= before.length ? cluster().lostTasks(since) : undefined,
    );
    assert.deepEqual(
      lost.map((e) => [e.taskId, e.reason]).sort(),
      before.map((id) => [id, "REASON_EXECUTOR_TERMINATED"]),
    );
    await allAppsRunning(cluster());
  });

  test("abort at 0.24.0 on a framework checkpoint written by 0.22 (MESOS-3834); 0.24.2 recovers and rewrites it", async () => {
    await ssh(
      cluster(),
      "a2",
      "docker pull mesosphere/mesos-slave:0.24.0-0.2.35.ubuntu1404 && docker pull mesosphere/mesos-slave:0.24.2-2.0.35.ubuntu1404",
    );
    const since = mark();
    const before = await taskIdsOn(cluster(), "a2");
    assert.ok(before.length > 0);
    // The crash and the fix in one session: the master removes an agent silent for 15 s × 5 (1.5 s at the tests' time
    // scale) and tells it to shut down when it comes back, so it registers afresh, new ID, empty checkpoint.
    // Each SSH session costs simulated seconds; a second one left 0.24.2 outside the window.
    const crash = await ssh(
      cluster(),
      "a2",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a2", "mesos_slave", { version: "0.24.0" })} >/dev/null 2>&1; sleep 0.1; docker logs mesos_slave 2>&1 | tail -2; docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a2", "mesos_slave", { version: "0.24.2" })} >/dev/null 2>&1`,
    );
    assert.match(
      crash.stdout,
      /^F\d{4} [\d:.]+ +\d+ slave\.cpp:4175\] Check failed: frameworkInfo\.has_id\(\)\n\*\*\* Check failure stack trace: \*\*\*\n$/,
    );
    assert.equal(crash.code, 0, crash.stderr);
    assert.ok(
      cluster()
        .ledger("a2")
        .some((e) => e.kind === "container.stop" && e.name === "mesos_slave" && e.exitCode === 134 && e.time >= since),
    );
    await eventually("a2 re-registered", async () =>
      (await agentMetrics(cluster(), "a2"))["slave/registered"] === 1 ? true : undefined,
    );
    const reregistered = cluster()
      .ledger("m1")
      .filter((e) => e.kind === "agent.registered" && e.time >= since);
    assert.deepEqual(
      reregistered.map((e) => [e.agentHost, e.version, (e.detail as { reregistered: boolean }).reregistered]),
      [[cluster().host("a2").address, "0.24.2", true]],
      "the same agent, recovered from its checkpoint within the window",
    );
    // The executors' meta dirs stay until --gc_delay, so Slave::recoverFramework (slave.cpp) recovers the framework
    // and rewrites its FrameworkInfo with the id even though the executors themselves are gone.
    const fixed = await eventually("0.24.2 rewrote the framework checkpoint", async () => {
      const out = (
        await ssh(
          cluster(),
          "a2",
          `cat ${onHost(cluster(), "a2", "/data/mesos/meta/slaves/latest/frameworks")}/*/framework.info`,
        )
      ).stdout;
      return /"id":"/.test(out) ? out : undefined;
    });
    assert.match(fixed, /"id":"[^"]+-0000"/);
    // Recovery does not save the tasks: 0.22's executors died with the agent's container (as at the 0.22.1 → 0.23.1
    // hop above), so 0.24.2 finds them without an executor and they are LOST.
    const lost = await eventually("a2's tasks LOST", () =>
      cluster().lostTasks(since).length >= before.length ? cluster().lostTasks(since) : undefined,
    );
    assert.deepEqual(
      lost.map((e) => [e.taskId, e.reason]).sort(),
      before.map((id) => [id, "REASON_EXECUTOR_TERMINATED"]),
    );
  });

  test("refuse to start the Docker containerizer at 0.22.1 once Docker is 1.8 or newer (MESOS-2986)", async () => {
    const result = await ssh(
      cluster(),
      "a3",
      "docker rm -f mesos_slave >/dev/null && apt-get install -y docker-engine=1.8.3-0~trusty >/dev/null && " +
        runCommand(cluster(), "a3", "mesos_slave") +
        " >/dev/null && sleep 0.3 && docker logs mesos_slave",
    );
    assert.equal(
      result.stderr
        .split("\n")
        .filter((l) => l.startsWith("Failed"))
        .at(0),
      "Failed to create a containerizer: Could not create DockerContainerizer: Insufficient version of Docker! Please upgrade to >= 1.0.0",
    );
  });

  test("lose their tasks once silent past ping timeout × max pings (15 s × 5), and Marathon restarts them elsewhere", async () => {
    // a3's agent is down since the previous test; its tasks must be LOST only after the 75 s window.
    const lost = await eventually("a3's tasks LOST", () => {
      const entries = cluster()
        .ledger("m1")
        .filter((e) => e.kind === "task.status" && e.agentHost === cluster().host("a3").address);
      return entries.length > 0 ? entries : undefined;
    });
    assert.ok(
      lost.every(
        (e) =>
          e.state === "TASK_LOST" &&
          e.reason === "REASON_SLAVE_REMOVED" &&
          e.message === `Slave ${cluster().host("a3").address} removed: health check timed out`,
      ),
    );
    const stopped = cluster()
      .ledger("a3")
      .find((e) => e.kind === "container.stop" && e.name === "mesos_slave");
    const windowMs = 75 * 1000 * cluster().file.profile.timeScale;
    assert.ok(
      Date.parse(lost[0]!.time) - Date.parse(stopped!.time) >= windowMs * 0.8,
      "not before the window has passed",
    );
    // Only the replacements of a3's tasks: the earlier tests' losses on a1 and a2 were replaced too, some on a3.
    const lostIds = new Set(lost.map((e) => e.taskId as string));
    const relaunched = await eventually("replacements", () => {
      const launches = cluster()
        .ledger("m1")
        .filter((e) => e.kind === "task.launch" && e.replaces?.some((id) => lostIds.has(id)));
      return launches.length >= 1 ? launches : undefined;
    });
    assert.ok(relaunched.every((e) => e.agentHost !== cluster().host("a3").address));
    // Back to Docker 1.7.1: a3 registers again as a new agent.
    await ssh(
      cluster(),
      "a3",
      "docker rm -f mesos_slave >/dev/null; apt-get install -y --force-yes docker-engine=1.7.1-0~trusty >/dev/null && " +
        runCommand(cluster(), "a3", "mesos_slave"),
    );
    await eventually("a3 registered again", async () =>
      (await agentMetrics(cluster(), "a3"))["slave/registered"] === 1 ? true : undefined,
    );
  });

  test("lose tasks when the work dir is not mounted: the new agent kills the old task containers as orphans", async () => {
    // The previous test brought a3 back: Marathon may still be placing replacements, some of them on a1.
    await allAppsRunning(cluster());
    const since = mark();
    const before = await taskIdsOn(cluster(), "a1");
    const run = await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave", { version: "0.23.1", mount: null })}`,
    );
    assert.equal(run.code, 0, run.stderr);
    // Only a1's: a replacement Marathon was still placing elsewhere may be LOST too (an offer of an agent that has
    // since registered anew).
    const lostOnA1 = () =>
      cluster()
        .lostTasks(since)
        .filter((e) => e.agentHost === cluster().host("a1").address);
    const lostIds = () => new Set(lostOnA1().map((e) => e.taskId));
    await eventually("a1's old tasks LOST", () => (before.every((id) => lostIds().has(id)) ? true : undefined));
    // Beside them, only a task Marathon placed on a1 after they were read may be LOST there: a replacement for one
    // the last test's agent lost, reported late (an agent registers after a random wait, as Mesos' does).
    const launchedOnA1Since = new Set(
      cluster()
        .ledger()
        .filter((e) => e.kind === "task.launch" && e.time >= since && e.agentHost === cluster().host("a1").address)
        .map((e) => e.taskId),
    );
    const others = [...lostIds()].filter((id) => !before.includes(id as string));
    assert.deepEqual(
      others.filter((id) => !launchedOnA1Since.has(id)),
      [],
      `every task LOST on a1 ran there before the restart (${before.join(", ")}) or was launched there since`,
    );
    const orphans = cluster()
      .ledger("a1")
      .filter((e) => e.kind === "container.remove" && e.time >= since && e.name !== "mesos_slave")
      .map((e) => e.name);
    assert.ok(
      orphans.length >= before.length && orphans.length <= before.length + others.length,
      `the new agent removed the containers of the ${before.length} old tasks (and of any launched since): ${orphans.join(", ")}`,
    );
  });

  test("an agent that never re-registers loses its tasks after the window", async () => {
    await allAppsRunning(cluster());
    const since = mark();
    const before = await taskIdsOn(cluster(), "a2");
    await cluster().inject("a2", { kind: "agent-no-reregister" });
    await ssh(cluster(), "a2", "docker restart mesos_slave");
    await eventually("a2's tasks LOST", () => (cluster().lostTasks(since).length >= before.length ? true : undefined));
    assert.deepEqual(
      cluster()
        .lostTasks(since)
        .map((e) => e.taskId)
        .sort(),
      before,
    );
    await cluster().clear("a2");
  });

  test("lose tasks when the work dir is mounted at a different path: the executor's sandbox is not where the agent looks", async () => {
    await eventually("a2 registered again", async () =>
      (await agentMetrics(cluster(), "a2"))["slave/registered"] === 1 ? true : undefined,
    );
    const moved = await ssh(
      cluster(),
      "a2",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a2", "mesos_slave", { mount: "/data/mesos:/var/lib/mesos", workDir: "/var/lib/mesos" })}`,
    );
    assert.equal(moved.code, 0, moved.stderr);
    await eventually("a2 registered with the moved work dir", async () =>
      (await agentMetrics(cluster(), "a2"))["slave/registered"] === 1 ? true : undefined,
    );
    const marathon = cluster().host("m1");
    const { request } = await import("../../../sim/http");
    // Marathon launches on whichever agent it is offered first: scale up until a task runs on a2.
    let instances = 3;
    const launched = await eventually("a task on a2", async () => {
      if ((await agentMetrics(cluster(), "a2"))["slave/tasks_running"] >= 1) return await taskIdsOn(cluster(), "a2");
      instances += 2;
      await request({ host: marathon.address, port: PORTS.marathon }, "/v2/apps/drone", {
        method: "PUT",
        body: { instances },
      });
      await allAppsRunning(cluster());
      return undefined;
    });
    assert.ok(launched.length >= 1);
    // Marathon may still be launching the scale-up: a task staged on a2 after the list below would be lost too.
    await allAppsRunning(cluster());
    const since = mark();
    const onA2 = await taskIdsOn(cluster(), "a2");
    await ssh(cluster(), "a2", "docker restart mesos_slave");
    const lostOnA2 = () =>
      cluster()
        .lostTasks(since)
        .filter((e) => e.agentHost === cluster().host("a2").address);
    const lost = await eventually("a2's tasks LOST", () => (lostOnA2().length >= onA2.length ? lostOnA2() : undefined));
    assert.deepEqual(
      lost.map((e) => [e.taskId, e.reason, e.message]).sort(),
      onA2.map((id) => [id, "REASON_EXECUTOR_TERMINATED", "Abnormal executor termination"]),
    );
  });
});

describe("Mesos agents and containers named mesos-… (parse() in src/slave/containerizer/docker.cpp)", () => {
  const cluster = useCluster("m1:master+marathon;a1:agent", {
    network: "127.0.48",
    apps: [{ ...APPS[0]!, instances: 1 }],
  });
  const mark = () => new Date().toISOString();

  test("stop, on recovery, every container whose name starts with mesos- that they do not track, their own included (parse())", async () => {
    await eventually("a1 registered", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 ? true : undefined,
    );
    const since = mark();
    const before = await taskIdsOn(cluster(), "a1");
    for (const name of ["mesos-dns", "mesos-master", "mesos_tools"]) {
      assert.equal((await ssh(cluster(), "a1", `docker run -d --name ${name} busybox sleep 100000`)).code, 0);
    }
    assert.equal((await ssh(cluster(), "a1", "docker restart mesos_slave")).code, 0);
    const removed = await eventually("the mesos- containers removed", () => {
      const names = cluster()
        .ledger("a1")
        .filter((e) => e.kind === "container.remove" && e.time >= since)
        .map((e) => e.name as string);
      return names.includes("mesos-dns") && names.includes("mesos-master") ? names : undefined;
    });
    assert.deepEqual(removed.filter((n) => !/^mesos-[0-9a-f-]{36}$/.test(n)).sort(), ["mesos-dns", "mesos-master"]);
    const left = (await ssh(cluster(), "a1", "docker ps | awk '{print $NF}'")).stdout.split("\n"); // Docker 1.7 has no --format
    assert.ok(
      left.includes("mesos_tools") && left.includes("mesos_slave"),
      `names without the prefix survive: ${left.join(" ")}`,
    );
    await eventually("a1 registered again", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 ? true : undefined,
    );
    assert.ok(before.length > 0, "the agent had tasks: their containers are its own, whatever happens to them");
    // An agent container named mesos-slave is a container the agent does not track: it stops itself at start.
    const self = mark();
    const run = await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave").replace("--name mesos_slave", "--name mesos-slave")}`,
    );
    assert.equal(run.code, 0, run.stderr);
    await eventually("the agent named mesos-slave removed by itself", () =>
      cluster()
        .ledger("a1")
        .some((e) => e.kind === "container.remove" && e.name === "mesos-slave" && e.time >= self)
        ? true
        : undefined,
    );
  });
});

describe("Mesos agents with executor containers (--docker_mesos_image, 0.23+, and --pid=host)", () => {
  const cluster = useCluster("m1:master+marathon;a1:agent", {
    network: "127.0.42",
    versions: { mesos: "0.23.1" },
    apps: [{ ...APPS[1]!, instances: 2 }],
  });
  const mark = () => new Date().toISOString();
  const EXECUTOR_IMAGE = "mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404";

  test("lose their tasks at a restart without executor containers, at 0.23 too", async () => {
    const before = await taskIdsOn(cluster(), "a1");
    assert.equal(before.length, 2);
    const since = mark();
    assert.equal((await ssh(cluster(), "a1", "docker restart mesos_slave")).code, 0);
    const lost = await eventually("a1's tasks LOST", () =>
      cluster().lostTasks(since).length >= before.length ? cluster().lostTasks(since) : undefined,
    );
    assert.deepEqual(
      lost.map((e) => [e.taskId, e.reason]).sort(),
      before.map((id) => [id, "REASON_EXECUTOR_TERMINATED"]),
    );
    await replacedOn(cluster(), "a1", before, before.length);
  });

  test("lose the tasks started without them at the switch to executor containers, then keep every task across restarts", async () => {
    const before = await taskIdsOn(cluster(), "a1");
    const switched = mark();
    const run = await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave", { extra: `-e MESOS_DOCKER_MESOS_IMAGE=${EXECUTOR_IMAGE}` })}`,
    );
    assert.equal(run.code, 0, run.stderr);
    await eventually("the tasks started without executor containers LOST", () =>
      cluster().lostTasks(switched).length >= before.length ? true : undefined,
    );
    const launched = await replacedOn(cluster(), "a1", before, before.length);
    const since = mark();
    assert.equal((await ssh(cluster(), "a1", "docker restart mesos_slave")).code, 0);
    await eventually("a1 re-registered", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 &&
      cluster()
        .ledger("m1")
        .some((e) => e.kind === "agent.registered" && e.time >= since)
        ? true
        : undefined,
    );
    assert.deepEqual(await taskIdsOn(cluster(), "a1"), launched);
    assert.deepEqual(cluster().lostTasks(since), []);
  });

  test("lose their tasks with executor containers but without --pid=host: the agent cannot see the executors", async () => {
    const before = await taskIdsOn(cluster(), "a1");
    const since = mark();
    const run = await ssh(
      cluster(),
      "a1",
      `docker rm -f mesos_slave >/dev/null && ${runCommand(cluster(), "a1", "mesos_slave", { extra: `-e MESOS_DOCKER_MESOS_IMAGE=${EXECUTOR_IMAGE}` }).replace(" --pid host", "")}`,
    );
    assert.equal(run.code, 0, run.stderr);
    await allAppsRunning(cluster());
    const restarted = mark();
    assert.equal((await ssh(cluster(), "a1", "docker restart mesos_slave")).code, 0);
    const lost = await eventually("a1's tasks LOST", () =>
      cluster().lostTasks(restarted).length > 0 ? cluster().lostTasks(restarted) : undefined,
    );
    assert.ok(
      lost.every((e) => e.reason === "REASON_EXECUTOR_TERMINATED"),
      JSON.stringify(lost),
    );
    assert.ok(before.length > 0 && since <= restarted);
  });
});

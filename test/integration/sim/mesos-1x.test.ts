// Mesos 1.4–1.11 on the simulated cluster: task containers named mesos-<ContainerID> again from 1.4, the Docker
// minimum 1.8.0 at agent start (1.4.3+, MESOS-9231), the *.json aliases gone from 1.8 (MESOS-4509), flags per tag.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS, type AppDefinition } from "../../../sim";
import { eventually, ssh, useCluster } from "./helpers";
import { agentMetrics, allAppsRunning, getJson, runCommand } from "./mesos-helpers";

const APPS: AppDefinition[] = [
  {
    id: "/drone",
    instances: 1,
    cpus: 0.25,
    mem: 128,
    container: { type: "DOCKER", docker: { image: "drone/drone:0.4", network: "BRIDGE" } },
  },
];

/** Replaces a1's agent with `version`'s image (pulled first) and returns its first log lines once it stopped. */
async function agentExit(cluster: ReturnType<ReturnType<typeof useCluster>>, version: string, extra = "") {
  const image = `mesosphere/mesos-slave:${version}`;
  const run = await ssh(
    cluster,
    "a1",
    `docker pull ${image} >/dev/null && docker rm -f mesos_slave >/dev/null && ${runCommand(cluster, "a1", "mesos_slave", { version })}${extra} >/dev/null`,
  );
  assert.equal(run.code, 0, run.stderr);
  return eventually(`the ${version} agent exits`, async () => {
    const inspect = await ssh(
      cluster,
      "a1",
      "docker inspect --format '{{.State.Running}} {{.State.Restarting}} {{.State.ExitCode}}' mesos_slave",
    );
    // Started with --restart=always: once it exited, Docker says Running and Restarting while it waits to restart it.
    const [running, restarting, exitCode] = inspect.stdout.trim().split(" ");
    if (running === "true" && restarting !== "true") return undefined;
    const logs = (await ssh(cluster, "a1", "docker logs mesos_slave 2>&1")).stdout;
    return { exitCode, logs };
  });
}

describe("Mesos 1.4 agents on Docker 1.7.1", () => {
  const cluster = useCluster("m1:master+marathon;a1:agent", {
    network: "127.0.246",
    versions: { mesos: "1.4.2", marathon: "1.4.13" },
    apps: APPS,
  });

  test("name task containers mesos-<ContainerID>, without the agent ID of 0.23–1.3", async () => {
    await allAppsRunning(cluster());
    const names = (await ssh(cluster(), "a1", "docker ps | awk 'NR>1 {print $NF}'")).stdout.split("\n");
    const tasks = names.filter((n) => n.startsWith("mesos-"));
    assert.equal(tasks.length, 1, names.join(" "));
    assert.match(tasks[0] as string, /^mesos-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test("refuse to start from 1.4.3 below Docker 1.8.0 with Mesos' message (1.4.2 runs on it)", async () => {
    assert.equal((await agentMetrics(cluster(), "a1"))["slave/registered"], 1, "1.4.2 runs on Docker 1.7.1");
    const { exitCode, logs } = await agentExit(cluster(), "1.4.3");
    assert.equal(exitCode, "1");
    assert.match(
      logs,
      /Failed to create a containerizer: Could not create DockerContainerizer: Failed to create docker: Insufficient version '1\.7\.1' of Docker\. Please upgrade to >=' 1\.8\.0'/,
    );
  });
});

describe("Mesos 1.8 masters and agents", () => {
  const cluster = useCluster("m1,m2,m3:master;a1:agent", {
    network: "127.0.247",
    versions: { docker: "1.11.2", mesos: "1.8.1" },
    apps: [],
  });

  test("answer 404 for the *.json aliases, leader and standby alike; /master/state and /state stay", async () => {
    const leader = await eventually("a leader", () => cluster().mesosLeader());
    const standby = ["m1", "m2", "m3"].find((m) => m !== leader.name) as string;
    for (const path of ["/master/state.json", "/master/tasks.json", "/master/roles.json"]) {
      assert.equal((await getJson(cluster(), leader.name, PORTS.master, path)).status, 404, path);
      assert.equal((await getJson(cluster(), standby, PORTS.master, path)).status, 404, `standby ${path}`);
    }
    const state = await getJson(cluster(), leader.name, PORTS.master, "/master/state");
    assert.deepEqual([state.status, (state.json as { version: string }).version], [200, "1.8.1"]);
    const redirected = await getJson(cluster(), standby, PORTS.master, "/master/state");
    assert.equal(redirected.status, 307);
    await eventually("a1 registered", async () =>
      (await agentMetrics(cluster(), "a1"))["slave/registered"] === 1 ? true : undefined,
    );
    assert.equal((await getJson(cluster(), "a1", PORTS.agent, "/state.json")).status, 404);
    const agent = await getJson(cluster(), "a1", PORTS.agent, "/state");
    assert.deepEqual([agent.status, (agent.json as { version: string }).version], [200, "1.8.1"]);
    const version = (await getJson(cluster(), "a1", PORTS.agent, "/version")).json as Record<string, unknown>;
    assert.deepEqual([version.version, version.git_sha], ["1.8.1", "4ae06448466408d9ec96ede953208057609f0744"]);
  });

  test("know each tag's flags: 1.9's --docker_ignore_runtime stops a 1.8.1 agent", async () => {
    const { exitCode, logs } = await agentExit(cluster(), "1.8.1", " --docker_ignore_runtime");
    assert.deepEqual([exitCode, logs.split("\n")[0]], ["1", "Failed to load unknown flag 'docker_ignore_runtime'"]);
  });
});

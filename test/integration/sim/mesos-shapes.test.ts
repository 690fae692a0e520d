// Answers of the simulated Mesos 0.22.1 master and agent shaped as the real ones: /health, unknown routes, the
// metric names of /metrics/snapshot, and tasks (statuses, labels) in the agent's state.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PORTS, type AppDefinition } from "../../../sim";
import { eventually, ssh, useCluster } from "./helpers";
import { allAppsRunning, getJson } from "./mesos-helpers";

const APPS: AppDefinition[] = [
  {
    id: "/redis",
    instances: 1,
    cpus: 0.5,
    mem: 256,
    container: {
      type: "DOCKER",
      docker: { image: "redis:3.0.7", network: "BRIDGE", portMappings: [{ containerPort: 6379, hostPort: 0 }] },
    },
  },
];

describe("Mesos 0.22.1 shapes", () => {
  const cluster = useCluster("m1:master+marathon;a1:agent", { network: "127.0.215", apps: APPS });

  test("/health answers 200 with no body and no Content-Type on master and agent; /ping is no route", async () => {
    for (const [host, port, path] of [
      ["m1", PORTS.master, "/master/health"],
      ["m1", PORTS.master, "/health"],
      ["a1", PORTS.agent, "/slave(1)/health"],
      ["a1", PORTS.agent, "/health"],
    ] as const) {
      const health = await getJson(cluster(), host, port, path);
      assert.deepEqual(
        [health.status, health.text, health.headers["content-type"], health.headers["content-length"]],
        [200, "", undefined, "0"],
        `${host} ${path}`,
      );
    }
    const ping = await getJson(cluster(), "m1", PORTS.master, "/ping");
    assert.deepEqual([ping.status, ping.text, ping.headers["content-type"]], [404, "", undefined]);
  });

  test("/metrics/snapshot carries 0.22's metric names, with resource gauges of the running tasks", async () => {
    await allAppsRunning(cluster());
    const master = (await getJson(cluster(), "m1", PORTS.master, "/metrics/snapshot")).json as Record<string, number>;
    for (const name of [
      "master/messages_launch_tasks",
      "master/valid_status_updates",
      "master/slave_shutdowns_scheduled",
      "registrar/state_store_ms",
      "registrar/registry_size_bytes",
      "system/load_1min",
      "master/disk_percent",
    ]) {
      assert.ok(name in master, `master metric ${name}`);
    }
    assert.ok(!("master/tasks_killing" in master), "TASK_KILLING arrives in 0.28");
    assert.ok(!("master/cpus_revocable_total" in master), "revocable resources arrive in 0.23");
    const used = await eventually("the task's cpus counted", async () => {
      const m = (await getJson(cluster(), "m1", PORTS.master, "/metrics/snapshot")).json as Record<string, number>;
      return m["master/cpus_used"] === 0.5 ? m : undefined;
    });
    assert.equal(used["master/cpus_percent"], 0.5 / used["master/cpus_total"]!);
    const agent = (await getJson(cluster(), "a1", PORTS.agent, "/metrics/snapshot")).json as Record<string, number>;
    for (const name of [
      "slave/executors_registering",
      "slave/valid_status_updates",
      "slave/tasks_lost",
      "system/mem_total_bytes",
    ]) {
      assert.ok(name in agent, `agent metric ${name}`);
    }
    assert.ok(!("slave/container_launch_errors" in agent), "added in 0.23");
  });

  test("the agent's /metrics/snapshot counts its running task's resources and its command executor's allowance", async () => {
    await allAppsRunning(cluster());
    const agent = await eventually("the agent's task counted", async () => {
      const m = (await getJson(cluster(), "a1", PORTS.agent, "/metrics/snapshot")).json as Record<string, number>;
      return m["slave/tasks_running"] === 1 ? m : undefined;
    });
    // redis: 0.5 cpus, 256 MB, no disk; the command executor adds 0.1 cpus and 32 MB (Slave::getExecutorInfo).
    assert.deepEqual([agent["slave/cpus_used"], agent["slave/mem_used"], agent["slave/disk_used"]], [0.6, 288, 0]);
    assert.ok(
      agent["slave/cpus_total"]! >= 2 && agent["slave/mem_total"] === 7680 && agent["slave/disk_total"] === 50000,
      JSON.stringify(agent),
    );
    assert.equal(agent["slave/cpus_percent"], 0.6 / agent["slave/cpus_total"]!);
    assert.equal(agent["slave/mem_percent"], 288 / 7680);
  });

  test("the agent's state shows each task's status updates and its labels (always an array in 0.22), no container", async () => {
    await allAppsRunning(cluster());
    const state = (await getJson(cluster(), "a1", PORTS.agent, "/state.json")).json as {
      frameworks: Array<{ executors: Array<{ tasks: Array<Record<string, unknown>> }> }>;
    };
    const task = state.frameworks[0]?.executors[0]?.tasks[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(task), [
      "id",
      "name",
      "framework_id",
      "executor_id",
      "slave_id",
      "state",
      "resources",
      "statuses",
      "labels",
    ]);
    assert.deepEqual(
      (task.statuses as Array<{ state: string }>).map((s) => s.state),
      ["TASK_RUNNING"],
    );
    assert.deepEqual(task.labels, [{ key: "MARATHON_APP_ID", value: "/redis" }]);
  });

  test("/state lists every flag with a value: the given ones and 0.22's defaults", async () => {
    const master = (await getJson(cluster(), "m1", PORTS.master, "/state.json")).json as {
      flags: Record<string, string>;
    };
    assert.deepEqual(
      [master.flags.quorum, master.flags.registry_fetch_timeout, master.flags.allocation_interval, master.flags.help],
      ["1", "1mins", "1secs", "false"],
    );
    assert.ok(!("offer_timeout" in master.flags), "a flag without a default is absent unless given");
    const agent = (await getJson(cluster(), "a1", PORTS.agent, "/state.json")).json as {
      flags: Record<string, string>;
    };
    assert.deepEqual(
      [agent.flags.work_dir, agent.flags.containerizers, agent.flags.docker_stop_timeout, agent.flags.recovery_timeout],
      ["/data/mesos", "docker,mesos", "0ns", "15mins"],
    );
  });

  // Last: it restarts a1's engine.
  test("an engine restart stops a shell running as PID 1 with SIGKILL after the timeout (137), an image's service with SIGTERM (0)", async () => {
    const started = await ssh(
      cluster(),
      "a1",
      "docker run -d --name shell busybox sh -c 'sleep 1000' >/dev/null && docker run -d --name cache redis:3.0.7 >/dev/null && echo ok",
    );
    assert.equal(started.stdout, "ok\n", started.stderr);
    assert.equal((await ssh(cluster(), "a1", "service docker restart")).code, 0);
    const codes = await ssh(
      cluster(),
      "a1",
      "docker inspect --format '{{.Name}} {{.State.Running}} {{.State.ExitCode}}' shell cache",
    );
    assert.equal(codes.stdout, "/shell false 137\n/cache false 0\n");
  });
});

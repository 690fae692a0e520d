// Marathon's health checks in the simulator: HTTP and TCP run by the leader against the task's host port, COMMAND
// run by Mesos (and silent for Docker tasks before MESOS-3136/MESOS-3738), grace periods, kills and replacements.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { PORTS, type AppDefinition, type Cluster } from "../../../sim";
import { request } from "../../../sim/http";
import { eventually, useCluster } from "./helpers";
import { getJson } from "./mesos-helpers";

interface AppView {
  readonly id: string;
  readonly instances: number;
  readonly tasksRunning: number;
  readonly tasksHealthy: number;
  readonly tasksUnhealthy: number;
  readonly healthChecks: ReadonlyArray<Record<string, unknown>>;
  readonly deployments: ReadonlyArray<{ id: string }>;
  readonly tasks: ReadonlyArray<{
    id: string;
    host: string;
    ports: number[];
    startedAt: string | null;
    healthCheckResults?: Array<Record<string, unknown>>;
  }>;
}

async function createApp(cluster: Cluster, app: AppDefinition): Promise<void> {
  const marathon = cluster.hosts.find((h) => h.roles.includes("marathon"))!;
  // Retried while Marathon is still electing itself (503).
  const created = await eventually(`${app.id} created`, async () => {
    const result = await request({ host: marathon.address, port: PORTS.marathon }, "/v2/apps", {
      method: "POST",
      body: app,
      timeoutMs: 5000,
    });
    return result.status === 503 ? undefined : result;
  });
  assert.equal(created.status, 201, created.text);
}

async function appView(cluster: Cluster, id: string): Promise<AppView> {
  const apps = (await cluster.apps()) as unknown as AppView[];
  return apps.find((a) => a.id === id) as AppView;
}

const docker = (
  image: string,
  extra: Partial<AppDefinition> = {},
): Pick<AppDefinition, "cpus" | "mem" | "container"> & Partial<AppDefinition> => ({
  cpus: 0.1,
  mem: 64,
  container: {
    type: "DOCKER",
    docker: { image, network: "BRIDGE", portMappings: [{ containerPort: 80, hostPort: 0 }] },
  },
  ...extra,
});

describe("health checks on Mesos 0.22.1 and Marathon 0.9.1", () => {
  const cluster = useCluster("m1:master+marathon;a1,a2:agent", { network: "127.0.213", apps: [] });

  test("an HTTP check reaches the task's host port: the task is unknown until its first check, then healthy, and the deployment ends then", async () => {
    await createApp(cluster(), {
      id: "/web",
      instances: 2,
      ...docker("nginx:1.9"),
      healthChecks: [
        {
          protocol: "HTTP",
          path: "/health",
          portIndex: 0,
          gracePeriodSeconds: 300,
          intervalSeconds: 30,
          timeoutSeconds: 20,
          maxConsecutiveFailures: 3,
        },
      ],
    });
    const running = await eventually("both tasks running", async () => {
      const app = await appView(cluster(), "/web");
      return app.tasksRunning === 2 ? app : undefined;
    });
    // Marathon has not checked yet: running is not healthy (healthCounts counts a task without results as unknown).
    assert.deepEqual([running.tasksHealthy, running.tasksUnhealthy], [0, 0]);
    assert.ok(
      running.tasks.every((t) => t.healthCheckResults === undefined),
      "no results before the first check",
    );
    assert.equal(running.deployments.length, 1, "the deployment waits for healthy tasks");
    const healthy = await eventually("both tasks healthy", async () => {
      const app = await appView(cluster(), "/web");
      return app.tasksHealthy === 2 ? app : undefined;
    });
    assert.deepEqual(healthy.healthChecks, [
      {
        path: "/health",
        protocol: "HTTP",
        portIndex: 0,
        gracePeriodSeconds: 300,
        intervalSeconds: 30,
        timeoutSeconds: 20,
        maxConsecutiveFailures: 3,
        ignoreHttp1xx: false,
      },
    ]);
    for (const task of healthy.tasks) {
      const [result] = task.healthCheckResults ?? [];
      assert.deepEqual(Object.keys(result ?? {}), [
        "alive",
        "consecutiveFailures",
        "firstSuccess",
        "lastFailure",
        "lastSuccess",
        "taskId",
      ]);
      assert.deepEqual(
        [result?.alive, result?.consecutiveFailures, result?.lastFailure, result?.taskId],
        [true, 0, null, task.id],
      );
      // The check went to the task's own host port, where the task's service answers.
      const direct = await request({ host: task.host, port: task.ports[0] as number }, "/health", { timeoutMs: 2000 });
      assert.equal(direct.status, 200);
    }
    await eventually("the deployment done", async () =>
      (await appView(cluster(), "/web")).deployments.length === 0 ? true : undefined,
    );
  });

  test("a task failing its TCP check is killed after maxConsecutiveFailures once its grace period is over, and replaced", async () => {
    // `sleep` serves nothing: the check finds its port closed.
    await createApp(cluster(), {
      id: "/mute",
      instances: 1,
      ...docker("busybox:latest", { args: ["sleep", "3600"] }),
      healthChecks: [
        {
          protocol: "TCP",
          portIndex: 0,
          gracePeriodSeconds: 100,
          intervalSeconds: 10,
          timeoutSeconds: 5,
          maxConsecutiveFailures: 2,
        },
      ],
    });
    const first = await eventually("the task running", async () =>
      (await appView(cluster(), "/mute")).tasks.find((t) => t.startedAt !== null),
    );
    const started = Date.now();
    const unhealthy = await eventually("the task unhealthy", async () => {
      const app = await appView(cluster(), "/mute");
      return app.tasksUnhealthy === 1 ? app : undefined;
    });
    // No failure is recorded inside the grace period (100 s of simulated time: 2 s at the test's time scale).
    assert.ok(Date.now() - started >= 1500, `unhealthy after ${Date.now() - started} ms, inside the grace period`);
    const result = unhealthy.tasks[0]?.healthCheckResults?.[0];
    assert.deepEqual(
      [result?.alive, result?.lastFailureCause, result?.firstSuccess],
      [false, "ConnectException: Connection refused", null],
    );
    const replacement = await eventually("a replacement task", async () =>
      (await appView(cluster(), "/mute")).tasks.find((t) => t.id !== first.id && t.startedAt !== null),
    );
    const killed = cluster()
      .ledger()
      .find((e) => e.kind === "task.status" && e.taskId === first.id && e.state === "TASK_KILLED");
    assert.ok(killed, `the unhealthy task ${first.id} was killed`);
    const launch = cluster()
      .ledger()
      .find((e) => e.kind === "task.launch" && e.taskId === replacement.id);
    assert.deepEqual((launch as { replaces?: string[] } | undefined)?.replaces, [first.id]);
  });

  test("Marathon 0.9 stores an app with its defaults and service ports, refuses a health check port index out of range, and has 0.9's /v2/info and /v2/leader", async () => {
    await createApp(cluster(), { id: "/defaults", instances: 0, ...docker("redis:3.0.7") });
    const stored = (await getJson(cluster(), "m1", PORTS.marathon, "/v2/apps/defaults")).json as {
      app: Record<string, unknown>;
    };
    const { app } = stored;
    assert.deepEqual(
      [
        app.cmd,
        app.args,
        app.user,
        app.env,
        app.disk,
        app.executor,
        app.uris,
        app.storeUrls,
        app.requirePorts,
        app.backoffSeconds,
        app.backoffFactor,
        app.maxLaunchDelaySeconds,
        app.dependencies,
        app.upgradeStrategy,
        app.labels,
        app.healthChecks,
      ],
      [
        null,
        null,
        null,
        {},
        0,
        "",
        [],
        [],
        false,
        1,
        1.15,
        3600,
        [],
        { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
        {},
        [],
      ],
    );
    // Service ports come from --local_port_min (10000) on, one per port mapping, skipping those other apps hold.
    const ports = app.ports as number[];
    assert.equal(ports.length, 1);
    assert.ok(ports[0]! >= 10000 && ports[0]! < 20000, `service port ${ports[0]}`);
    const mapping = (app.container as { docker: { portMappings: unknown[] } }).docker.portMappings;
    assert.deepEqual(mapping, [{ containerPort: 80, hostPort: 0, servicePort: ports[0], protocol: "tcp" }]);
    const apps = (await cluster().apps()) as unknown as Array<{ id: string; ports: number[] }>;
    const all = apps.flatMap((a) => a.ports);
    assert.equal(new Set(all).size, all.length, `service ports are unique: ${all.join(", ")}`);
    const marathon = cluster().host("m1");
    const refused = await request({ host: marathon.address, port: PORTS.marathon }, "/v2/apps", {
      method: "POST",
      body: { id: "/bad-index", ...docker("redis:3.0.7"), healthChecks: [{ protocol: "TCP", portIndex: 1 }] },
      timeoutMs: 5000,
    });
    assert.deepEqual(
      [refused.status, refused.json],
      [
        422,
        {
          message:
            "assertion failed: Health check port indices must address an element of the ports array or container port mappings.",
        },
      ],
    );
    const info = (await getJson(cluster(), "m1", PORTS.marathon, "/v2/info")).json as {
      marathon_config: Record<string, unknown>;
    };
    assert.equal(info.marathon_config.marathon_store_timeout, 2000, "0.9–0.11 report marathon_store_timeout");
    assert.ok(
      !("features" in info.marathon_config) && !("task_reservation_timeout" in info.marathon_config),
      "added in 1.0",
    );
    const unknown = await getJson(cluster(), "m1", PORTS.marathon, "/v2/nothing");
    assert.deepEqual([unknown.status, unknown.json], [404, { message: "URI not found: /v2/nothing" }]);
  });

  test("a COMMAND check of a Docker task never reports on Mesos 0.22: the task stays unknown and the deployment does not end", async () => {
    await createApp(cluster(), {
      id: "/silent",
      instances: 1,
      ...docker("redis:3.0.7"),
      healthChecks: [
        {
          protocol: "COMMAND",
          command: { value: "true" },
          gracePeriodSeconds: 10,
          intervalSeconds: 5,
          timeoutSeconds: 5,
          maxConsecutiveFailures: 1,
        },
      ],
    });
    await eventually("the task running", async () =>
      (await appView(cluster(), "/silent")).tasksRunning === 1 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1500)); // 75 s simulated: 15 intervals
    const app = await appView(cluster(), "/silent");
    assert.deepEqual([app.tasksRunning, app.tasksHealthy, app.tasksUnhealthy, app.deployments.length], [1, 0, 0, 1]);
  });
});

describe("COMMAND health checks on Mesos 0.28.2 and Marathon 1.1.7", () => {
  const cluster = useCluster("m1:master+marathon;a1:agent", {
    network: "127.0.214",
    apps: [],
    versions: { mesos: "0.28.2", marathon: "1.1.7" },
  });

  test("a COMMAND check that fails through its grace period is ignored, and the same task turns healthy once the check passes", async () => {
    let ready = false;
    const server: Server = createServer((_req, res) => {
      res.writeHead(ready ? 200 : 503).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      await createApp(cluster(), {
        id: "/slow",
        instances: 1,
        ...docker("rabbitmq:3.6.1-management"),
        healthChecks: [
          {
            protocol: "COMMAND",
            command: { value: `curl -f -X GET http://127.0.0.1:${port}/ready` },
            gracePeriodSeconds: 150,
            intervalSeconds: 10,
            timeoutSeconds: 10,
            maxConsecutiveFailures: 2,
          },
        ],
      });
      const task = await eventually("the task running", async () =>
        (await appView(cluster(), "/slow")).tasks.find((t) => t.startedAt !== null),
      );
      await new Promise((r) => setTimeout(r, 2000)); // 100 s of a 150 s grace period; more than 2 failures
      const during = await appView(cluster(), "/slow");
      assert.deepEqual([during.tasks.map((t) => t.id), during.tasksHealthy, during.tasksUnhealthy], [[task.id], 0, 0]);
      ready = true;
      const healthy = await eventually("the task healthy", async () => {
        const app = await appView(cluster(), "/slow");
        return app.tasksHealthy === 1 ? app : undefined;
      });
      assert.deepEqual(
        healthy.tasks.map((t) => t.id),
        [task.id],
        "the task was never replaced",
      );
      const result = healthy.tasks[0]?.healthCheckResults?.[0];
      assert.deepEqual(
        [result?.alive, result?.consecutiveFailures, result?.lastFailure],
        [true, 0, null],
        "failures inside the grace period are not recorded",
      );
    } finally {
      server.close();
    }
  });

  test("a passing COMMAND check is sent once by Mesos' health checker: the task's lastSuccess stays at its first success", async () => {
    await createApp(cluster(), {
      id: "/steady",
      instances: 1,
      ...docker("redis:3.0.7"),
      healthChecks: [
        {
          protocol: "COMMAND",
          command: { value: "true" },
          gracePeriodSeconds: 10,
          intervalSeconds: 2,
          timeoutSeconds: 2,
          maxConsecutiveFailures: 3,
        },
      ],
    });
    const first = await eventually("the task healthy", async () => {
      const app = await appView(cluster(), "/steady");
      return app.tasksHealthy === 1 ? app.tasks[0]?.healthCheckResults?.[0] : undefined;
    });
    assert.equal(first.lastSuccess, first.firstSuccess);
    await new Promise((r) => setTimeout(r, 1000)); // 50 s: about 25 more checks, each passing
    const later = (await appView(cluster(), "/steady")).tasks[0]?.healthCheckResults?.[0];
    assert.deepEqual(
      [later?.alive, later?.firstSuccess, later?.lastSuccess, later?.consecutiveFailures],
      [true, first.firstSuccess, first.firstSuccess, 0],
      "no success after the first reaches Marathon",
    );
  });

  test("Marathon 1.1 has 1.x's /v2/info keys and abdicates with the corrected message", async () => {
    const info = (await getJson(cluster(), "m1", PORTS.marathon, "/v2/info")).json as {
      marathon_config: Record<string, unknown>;
    };
    assert.deepEqual(
      [
        info.marathon_config.task_reservation_timeout,
        info.marathon_config.features,
        "marathon_store_timeout" in info.marathon_config,
      ],
      [20000, [], false],
    );
    assert.ok("mesos_leader_ui_url" in info.marathon_config);
    const marathon = cluster().host("m1");
    const abdicated = await request({ host: marathon.address, port: PORTS.marathon }, "/v2/leader", {
      method: "DELETE",
      timeoutMs: 5000,
    });
    assert.deepEqual([abdicated.status, abdicated.json], [200, { message: "Leadership abdicated" }]);
    await eventually("the only instance leads again", async () =>
      (await getJson(cluster(), "m1", PORTS.marathon, "/v2/leader")).status === 200 ? true : undefined,
    );
  });

  test("a failing COMMAND check gets the task killed and replaced", async () => {
    await createApp(cluster(), {
      id: "/failing",
      instances: 1,
      ...docker("redis:3.0.7"),
      healthChecks: [
        {
          protocol: "COMMAND",
          command: { value: "exit 1" },
          gracePeriodSeconds: 20,
          intervalSeconds: 5,
          timeoutSeconds: 5,
          maxConsecutiveFailures: 1,
        },
      ],
    });
    const first = await eventually("the task running", async () =>
      (await appView(cluster(), "/failing")).tasks.find((t) => t.startedAt !== null),
    );
    const replacement = await eventually("a replacement", async () =>
      (await appView(cluster(), "/failing")).tasks.find((t) => t.id !== first.id),
    );
    assert.notEqual(replacement.id, first.id);
    const version = (await getJson(cluster(), "m1", PORTS.marathon, "/v2/info")).json as { version: string };
    assert.equal(version.version, "1.1.7");
  });
});

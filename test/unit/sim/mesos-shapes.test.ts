// Shapes of Mesos answers per release: metric names and task JSON.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MESOS_RELEASES, mesosFlagDefaults, mesosFlags, mesosMetricNames } from "../../../sim/catalogue/mesos";
import type { TaskInfo } from "../../../sim/mesos/messages";
import { taskModel } from "../../../sim/mesos/task-json";

const task = (labels: Record<string, string>): TaskInfo => ({
  task_id: "redis.1",
  name: "redis",
  framework_id: "f-0000",
  slave_id: "s-S0",
  resources: { cpus: 0.25, mem: 128, disk: 0, ports: "" },
  container: { type: "DOCKER", docker: { image: "redis:3.0.7", network: "BRIDGE" } },
  env: {},
  args: [],
  labels,
  ports: [31001],
});

describe("Mesos metric names", () => {
  test("follow each release's sources: TASK_KILLING in 0.28, GPUs in 1.0, the agent's container_launch_errors in 0.23", () => {
    assert.ok(!mesosMetricNames("0.27.2", "master").includes("master/tasks_killing"));
    assert.ok(mesosMetricNames("0.28.2", "master").includes("master/tasks_killing"));
    assert.ok(!mesosMetricNames("0.28.2", "master").includes("master/gpus_total"));
    assert.ok(mesosMetricNames("1.0.1", "master").includes("master/gpus_total"));
    assert.ok(!mesosMetricNames("0.22.1", "agent").includes("slave/container_launch_errors"));
    assert.ok(mesosMetricNames("0.23.1", "agent").includes("slave/container_launch_errors"));
    assert.ok(
      mesosMetricNames("0.22.1", "master").every((name) => !name.endsWith("/")),
      "no bare prefixes",
    );
  });
});

describe("a task in /state", () => {
  const statuses = [
    { state: "TASK_STAGING", timestamp: 1 },
    { state: "TASK_RUNNING", timestamp: 2 },
  ] as const;

  test("0.22: labels always, empty when none; statuses without the initial TASK_STAGING; no container", () => {
    const json = taskModel("0.22.1", task({}), "TASK_RUNNING", statuses, "s-S0");
    assert.deepEqual(
      [json.labels, json.statuses, "container" in json],
      [[], [{ state: "TASK_RUNNING", timestamp: 2 }], false],
    );
  });

  test("0.23+: labels only when the task has some; 0.27+: its container", () => {
    assert.ok(!("labels" in taskModel("0.23.0", task({}), "TASK_RUNNING", statuses, "s-S0")));
    const json = taskModel("0.28.2", task({ MARATHON_APP_ID: "/redis" }), "TASK_RUNNING", statuses, "s-S0");
    assert.deepEqual(
      [json.labels, json.container],
      [
        [{ key: "MARATHON_APP_ID", value: "/redis" }],
        { type: "DOCKER", docker: { image: "redis:3.0.7", network: "BRIDGE", privileged: false } },
      ],
    );
  });
});

describe("Mesos flag defaults", () => {
  test("are stout's printing of each release's defaults", () => {
    const master = mesosFlagDefaults("0.22.1", "master");
    assert.deepEqual(
      [
        master.registry_fetch_timeout,
        master.registry_store_timeout,
        master.zk_session_timeout,
        master.recovery_slave_removal_limit,
        master.port,
        master.webui_dir,
      ],
      ["1mins", "5secs", "10secs", "100%", "5050", "/usr/share/mesos/webui"],
    );
    assert.ok(!("quorum" in master) && !("work_dir" in master), "no default: only when given");
    const agent = mesosFlagDefaults("0.22.1", "agent");
    assert.deepEqual(
      [
        agent.work_dir,
        agent.docker_remove_delay,
        agent.gc_delay,
        agent.docker_stop_timeout,
        agent.executor_registration_timeout,
        agent.launcher_dir,
        agent.port,
      ],
      ["/tmp/mesos", "6hrs", "1weeks", "0ns", "1mins", "/usr/libexec/mesos", "5051"],
    );
    assert.ok(!("docker_mesos_image" in mesosFlagDefaults("0.28.2", "agent")));
  });

  test("name only flags the release's flag table knows (two readings of the same sources agree)", () => {
    for (const release of MESOS_RELEASES) {
      for (const binary of ["master", "agent"] as const) {
        const known = mesosFlags(release.version, binary);
        const unknown = Object.keys(mesosFlagDefaults(release.version, binary)).filter((name) => !known.has(name));
        assert.deepEqual(unknown, [], `${binary} ${release.version}`);
      }
    }
  });
});

// The agent's resource gauges as Mesos computes them: each task's resources plus its command executor's allowance,
// over the agent's scalar resources.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RunningTask } from "../../../sim/mesos/agent/state";
import { resourceGauges } from "../../../sim/mesos/agent/usage";
import type { SlaveInfo, TaskInfo } from "../../../sim/mesos/messages";

const info: SlaveInfo = {
  hostname: "a1",
  ip: "10.0.0.1",
  port: 5051,
  resources: { cpus: 4, mem: 8192, disk: 50000, ports: "[31000-32000]" },
  attributes: {},
};

function running(taskId: string, cpus: number, mem: number, disk: number): RunningTask {
  const task = { task_id: taskId, resources: { cpus, mem, disk, ports: "" } } as unknown as TaskInfo;
  return {
    task,
    state: "TASK_RUNNING",
    containerId: taskId,
    containerName: `mesos-${taskId}`,
    sandbox: "/tmp",
    killing: false,
  };
}

describe("Mesos agent resource gauges", () => {
  test("are 0 used of the agent's totals without tasks", () => {
    assert.deepEqual(resourceGauges({ info, tasks: new Map() }), {
      "slave/cpus_total": 4,
      "slave/cpus_used": 0,
      "slave/cpus_percent": 0,
      "slave/mem_total": 8192,
      "slave/mem_used": 0,
      "slave/mem_percent": 0,
      "slave/disk_total": 50000,
      "slave/disk_used": 0,
      "slave/disk_percent": 0,
    });
  });

  test("count each task's resources plus 0.1 cpus and 32 MB for its command executor", () => {
    const tasks = new Map([
      ["t1", running("t1", 0.5, 256, 100)],
      ["t2", running("t2", 1, 512, 0)],
    ]);
    const gauges = resourceGauges({ info, tasks });
    assert.equal(gauges["slave/cpus_used"]?.toFixed(6), "1.700000");
    assert.equal(gauges["slave/mem_used"], 256 + 512 + 64);
    assert.equal(gauges["slave/disk_used"], 100);
    assert.equal(gauges["slave/mem_percent"], 832 / 8192);
    assert.equal(gauges["slave/disk_percent"], 100 / 50000);
  });

  test("report a percent of 0 when the agent has none of a resource", () => {
    const gauges = resourceGauges({
      info: { ...info, resources: { ...info.resources, disk: 0 } },
      tasks: new Map([["t1", running("t1", 0.5, 256, 0)]]),
    });
    assert.equal(gauges["slave/disk_percent"], 0);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { taskKillingReason } from "../../../planner";
import { agent, master } from "./helpers";

describe("which restarts kill the tasks of their host", () => {
  const withExecutorContainers = { ...agent("a1", { mesos: "1.0.4" }), executorContainers: true };

  it("counts every Docker engine restart on an agent host, before and after live-restore appeared", () => {
    for (const [from, to] of [
      ["1.11.2", "1.12.6"],
      ["1.12.6", "1.13.1"],
      ["17.03.2", "17.06.2"],
      ["18.06.3", "18.06.3"],
    ]) {
      assert.match(
        taskKillingReason(withExecutorContainers, "docker", from!, to!) ?? "",
        /stops every container when the engine restarts/,
        `Docker ${from} → ${to}`,
      );
    }
  });

  it("says why an engine from 1.12 on still stops them: live-restore is off and covers patch releases only", () => {
    assert.match(
      taskKillingReason(withExecutorContainers, "docker", "17.03.2", "17.06.2") ?? "",
      /live-restore is off, and would keep them only across patch releases/,
    );
  });

  it("leaves an engine restart on a host without an agent out", () => {
    assert.equal(taskKillingReason(master("m1"), "docker", "1.12.6", "1.13.1"), undefined);
  });

  it("keeps an agent restart with executor containers task-preserving", () => {
    assert.equal(taskKillingReason(withExecutorContainers, "mesos-slave", "1.0.4", "1.1.3"), undefined);
  });
});

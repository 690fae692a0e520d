import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { taskDeathsLine } from "../../../stacks/task-deaths";

describe("the main job's count of tasks that died", () => {
  it("counts terminal statuses by state and reason, leaving out tasks killed on request or finished", () => {
    const status = (state: string, reason?: string) => ({ kind: "task.status", state, ...(reason ? { reason } : {}) });
    assert.equal(
      taskDeathsLine([
        status("TASK_LOST", "REASON_EXECUTOR_TERMINATED"),
        status("TASK_LOST", "REASON_EXECUTOR_TERMINATED"),
        status("TASK_LOST", "REASON_SLAVE_REMOVED"),
        status("TASK_FAILED"),
        status("TASK_KILLED"),
        status("TASK_FINISHED"),
        { kind: "task.launch" },
      ]),
      "4 tasks died (TASK_FAILED (no reason): 1, TASK_LOST REASON_EXECUTOR_TERMINATED: 2, TASK_LOST REASON_SLAVE_REMOVED: 1)",
    );
    assert.equal(taskDeathsLine([]), "0 tasks died");
  });
});

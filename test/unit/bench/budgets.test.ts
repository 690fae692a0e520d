// The benchmark's stated budgets and the verdict printed beside each scale measure.
import assert from "node:assert/strict";
import { test } from "node:test";
import { budgetVerdict, SIM_MEMORY_MB_PER_HOST, THOUSAND_PREVIEW_FLOOR_RATIO } from "../../../bench/budgets";

test("a measure at or under its budget is within it, one over it is named OVER", () => {
  assert.equal(budgetVerdict(70, 100, "100 MB per host process"), "within the budget of 100 MB per host process");
  assert.equal(budgetVerdict(3, 3, "3× the engine's floor"), "within the budget of 3× the engine's floor");
  assert.equal(budgetVerdict(3.01, 3, "3× the engine's floor"), "OVER the budget of 3× the engine's floor");
});

test("3 masters and 100 agents fit the memory budget in under half of this machine's 24 GB", () => {
  assert.ok((SIM_MEMORY_MB_PER_HOST * 103) / 1024 < 12, `${SIM_MEMORY_MB_PER_HOST} MB × 103 hosts`);
  assert.ok(THOUSAND_PREVIEW_FLOOR_RATIO > 1, "the program's preview costs at least the engine's floor");
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MARATHON_FLAGS, MARATHON_REMOVALS } from "../../../catalogue";
import { flagChanges, validateFlags } from "../../../planner";

describe("Marathon flags past 1.1", () => {
  it("reports --event_subscriber and --max_tasks_per_offer deprecated on the hop to 1.4 and removed on the hop to 1.5", () => {
    assert.deepEqual(flagChanges("marathon", "1.3.14", "1.4.13"), [
      "Marathon 1.4.0: --event_subscriber is deprecated",
      "Marathon 1.4.0: --max_tasks_per_offer is deprecated",
    ]);
    assert.deepEqual(flagChanges("marathon", "1.4.13", "1.5.15"), [
      "Marathon 1.5.0: --event_subscriber is removed",
      "Marathon 1.5.0: --max_tasks_per_offer is removed",
    ]);
  });

  it("refuses --event_subscriber from 1.5 (an unknown option stops Marathon), naming the flag and the fix", () => {
    assert.deepEqual(
      validateFlags("marathon", "1.4.13", { event_subscriber: "http_callback" }, { partial: true }).filter(
        (p) => p.severity === "error",
      ),
      [],
    );
    assert.deepEqual(validateFlags("marathon", "1.5.15", { event_subscriber: "http_callback" }, { partial: true }), [
      {
        flag: "event_subscriber",
        value: "http_callback",
        severity: "error",
        message: "--event_subscriber was removed in 1.5.0 and Marathon 1.5.15 refuses it; leave it out",
      },
    ]);
  });

  it("agrees with MARATHON_REMOVALS for every managed flag it names", () => {
    for (const removal of MARATHON_REMOVALS) {
      for (const name of removal.flags) {
        const spec = MARATHON_FLAGS.find((f) => f.name === name);
        if (spec !== undefined) assert.equal(spec.removedIn, removal.at, name);
      }
    }
  });
});

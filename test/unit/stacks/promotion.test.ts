import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PlanStep } from "../../../planner";
import { agentSilenceWindowSeconds, durationSeconds, silenceWindowProblem } from "../../../stacks/preflight";
import { completedOf, promotionRefusals } from "../../../stacks/promotion";

const step = (host: string, component: PlanStep["component"], from: string, to: string): PlanStep => ({
  seq: 1,
  wave: 1,
  host,
  component,
  from,
  to,
});

describe("the promotion gate", () => {
  it("records what a stack has completed as the lowest version of each layer", () => {
    assert.deepEqual(
      completedOf([
        { versions: { docker: "1.11.2", "mesos-master": "0.24.2", marathon: "0.11.1" } },
        { versions: { docker: "1.11.2", "mesos-slave": "0.23.1" } },
      ]),
      { docker: "1.11.2", mesos: "0.23.1", marathon: "0.11.1" },
    );
  });

  it("refuses a hop the previous stack has not completed, naming the hop and the fix", () => {
    assert.deepEqual(
      promotionRefusals(
        [step("m1", "mesos-master", "0.23.1", "0.24.2"), step("m2", "mesos-master", "0.23.1", "0.24.2")],
        "demo",
        { mesos: "0.23.1" },
      ),
      [
        'mesos 0.23.1 → 0.24.2 is not completed in stack "demo" (it runs mesos 0.23.1); upgrade "demo" first, or set promotionOverride to a reason',
      ],
    );
  });

  it("allows hops the previous stack has completed", () => {
    assert.deepEqual(
      promotionRefusals([step("a1", "docker", "1.7.1", "1.11.2")], "demo", { docker: "1.11.2", mesos: "0.28.2" }),
      [],
    );
  });

  it("refuses everything while the previous stack has no recorded versions", () => {
    assert.match(
      promotionRefusals([step("a1", "docker", "1.7.1", "1.11.2")], "dev", undefined)[0],
      /stack "dev" \(promotedFrom\) has no recorded versions/,
    );
  });

  it("refuses everything while the previous stack does not exist, saying to run it first or override", () => {
    assert.deepEqual(promotionRefusals([], "dev", null), [
      'stack "dev" (promotedFrom) does not exist in this backend: run it first, or set promotionOverride to a reason',
    ]);
  });

  it("has nothing to say for a stack that is promoted from none", () => {
    assert.deepEqual(promotionRefusals([step("a1", "docker", "1.7.1", "1.11.2")], "", undefined), []);
  });
});

describe("the masters' window for a silent agent", () => {
  it("reads Mesos durations", () => {
    assert.equal(durationSeconds("15secs"), 15);
    assert.equal(durationSeconds("2mins"), 120);
    assert.equal(durationSeconds("fast"), undefined);
  });

  it("is 75s on 0.22 whatever the flags say, and ping timeout × max pings from 0.23", () => {
    assert.equal(agentSilenceWindowSeconds("0.22.1", { slave_ping_timeout: "1mins" }), 75);
    assert.equal(
      agentSilenceWindowSeconds("0.23.1", { slave_ping_timeout: "30secs", max_slave_ping_timeouts: 10 }),
      300,
    );
    assert.equal(agentSilenceWindowSeconds("1.0.0", { agent_ping_timeout: "20secs" }), 100);
  });

  it("says which flags to raise when an agent restart would outlast the window", () => {
    assert.equal(silenceWindowProblem("0.23.1", {}, 30), undefined);
    assert.equal(
      silenceWindowProblem("0.23.1", {}, 90),
      "the masters declare a silent agent lost after 75s, but an agent restart takes up to 90s: its tasks would be LOST. Raise --slave_ping_timeout / --max_slave_ping_timeouts on the masters so the product exceeds 90s",
    );
    assert.match(silenceWindowProblem("0.22.1", {}, 90) ?? "", /upgrade the masters to 0\.23 first/);
  });
});

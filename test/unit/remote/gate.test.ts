import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { componentGatePace, HealthGateTimeoutError, waitForGate } from "../../../remote/gate";

describe("health gates", () => {
  it("passes once the check has passed the required number of times in a row", async () => {
    const answers = [false, true, false, true, true];
    let looks = 0;
    const result = await waitForGate({
      description: "agent a1 re-registered",
      check: async () => ({ passed: answers[looks++] ?? true, observed: `look ${looks}` }),
      timeoutSeconds: 5,
      intervalSeconds: 0.01,
      stableChecks: 2,
    });
    assert.equal(looks, 5, "the flap at look 3 reset the streak");
    assert.equal(result.observed, "look 5");
  });

  it("looks again sooner once a look has passed, and at the gate's interval while the component is not up", async () => {
    const answers = [false, false, true, true];
    const times: number[] = [];
    await waitForGate({
      description: "agent a1 re-registered",
      check: async () => {
        times.push(Date.now());
        return { passed: answers[times.length - 1] ?? true, observed: `look ${times.length}` };
      },
      timeoutSeconds: 5,
      intervalSeconds: 0.4,
      stableChecks: 2,
      stableIntervalSeconds: 0.01,
    });
    const gaps = times.slice(1).map((time, i) => time - (times[i] as number));
    assert.equal(times.length, 4);
    assert.ok((gaps[0] as number) >= 390 && (gaps[1] as number) >= 390, `the not-yet looks were paced: ${gaps}`);
    assert.ok((gaps[2] as number) < (gaps[1] as number) / 2, `the confirming look came sooner: ${gaps}`);
  });

  it("paces a component's gate at half a second unless told, the first look an interval in, the confirming one half an interval after", () => {
    assert.deepEqual(componentGatePace(), {
      firstLookAfterSeconds: 0.5,
      intervalSeconds: 0.5,
      stableChecks: 2,
      stableIntervalSeconds: 0.25,
    });
    assert.deepEqual(componentGatePace(0.1), {
      firstLookAfterSeconds: 0.1,
      intervalSeconds: 0.1,
      stableChecks: 2,
      stableIntervalSeconds: 0.05,
    });
  });

  it("makes its first look only once the pause before it has passed, and counts that pause in its time", async () => {
    const began = Date.now();
    let firstLook: number | undefined;
    const result = await waitForGate({
      description: "mesos-master on m1 serves 0.27.2",
      check: async () => {
        firstLook ??= Date.now() - began;
        return { passed: true, observed: "m1 at 0.27.2" };
      },
      timeoutSeconds: 5,
      firstLookAfterSeconds: 0.3,
      intervalSeconds: 0.01,
    });
    assert.ok((firstLook as number) >= 290, `the first look came ${firstLook} ms in`);
    assert.ok(result.seconds >= 0.3, `the gate took ${result.seconds} s`);
  });

  it("times out naming the gate, the limit, the last observation and the fix", async () => {
    await assert.rejects(
      waitForGate({
        description: "marathon on m1 answers /ping",
        check: async () => ({ passed: false, observed: "503 Could not determine the current leader" }),
        timeoutSeconds: 0.05,
        intervalSeconds: 0.01,
      }),
      (error: unknown) => {
        assert.ok(error instanceof HealthGateTimeoutError);
        assert.equal(
          error.message,
          'health gate "marathon on m1 answers /ping" did not pass within 0.05s; last seen: 503 Could not determine the current leader. Fix the component, or raise rollout.gateTimeoutSeconds, then run `pulumi up` again',
        );
        return true;
      },
    );
  });

  it("treats a check that throws as not yet passed", async () => {
    let looks = 0;
    const result = await waitForGate({
      description: "docker answers",
      check: async () => {
        if (++looks < 3) throw new Error("connect ECONNREFUSED");
        return { passed: true, observed: "1.11.2" };
      },
      timeoutSeconds: 5,
      intervalSeconds: 0.01,
    });
    assert.equal(result.observed, "1.11.2");
  });

  it("confirms beside the look that completes a streak, not after it, and drops that confirmation when the look fails", async () => {
    const events: string[] = [];
    const answers = [true, false, true, true];
    let looks = 0;
    let confirmations = 0;
    await waitForGate({
      description: "mesos-slave on a1 re-registered",
      check: async () => {
        const look = ++looks;
        events.push(`look ${look}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`look ${look} done`);
        return { passed: answers[look - 1] ?? true, observed: `look ${look}` };
      },
      confirm: async () => {
        const confirmation = ++confirmations;
        events.push(`confirm ${confirmation}`);
        return { passed: true, observed: "container mesos_slave runs" };
      },
      timeoutSeconds: 5,
      intervalSeconds: 0.01,
      stableChecks: 2,
    });
    assert.deepEqual(events, [
      "look 1",
      "look 1 done",
      "confirm 1",
      "look 2",
      "look 2 done",
      "look 3",
      "look 3 done",
      "confirm 2",
      "look 4",
      "look 4 done",
    ]);
  });

  it("starts the streak over when the confirmation says the looks saw different runs, and says so on timeout", async () => {
    let confirmations = 0;
    const result = await waitForGate({
      description: "mesos-master on m1 serves 0.27.2",
      check: async () => ({ passed: true, observed: "m1 at 0.27.2" }),
      confirm: async () => ({ passed: ++confirmations > 1, observed: "container mesos_master restarted 1 time" }),
      timeoutSeconds: 5,
      intervalSeconds: 0.01,
      stableChecks: 2,
    });
    assert.equal(confirmations, 2, "the first completed streak was not confirmed, the next one was");
    assert.equal(result.observed, "m1 at 0.27.2");

    await assert.rejects(
      waitForGate({
        description: "mesos-master on m1 serves 0.27.2",
        check: async () => ({ passed: true, observed: "m1 at 0.27.2" }),
        confirm: async () => ({ passed: false, observed: "container mesos_master restarted 3 times" }),
        timeoutSeconds: 0.05,
        intervalSeconds: 0.01,
        stableChecks: 3,
      }),
      /last seen: m1 at 0\.27\.2; container mesos_master restarted 3 times\./,
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { breakdownLine, breakdownOf, slowWindows, slowWindowsLine } from "../../../bench/rollout-breakdown";

const at = (seconds: number): number => 1_000_000 + seconds * 1000;

describe("where a run's wall time went against its limit", () => {
  it("splits the run into the lead, each window's span, the gaps between windows and the tail", () => {
    const run = { start: at(0), end: at(30) };
    const steps = [
      // wave 1: two steps, the window spans from the first start to the last end
      { run: 1, wave: 1, start: at(8), end: at(11) },
      { run: 1, wave: 1, start: at(8.5), end: at(12) },
      // wave 2 opens 1.5 s after wave 1 closed
      { run: 1, wave: 2, start: at(13.5), end: at(17) },
    ];
    const b = breakdownOf(
      run,
      steps,
      new Map([
        [1, 3],
        [2, 3],
      ]),
    );
    assert.equal(b.leadSeconds, 8);
    assert.equal(b.windowSeconds, 4 + 3.5);
    assert.equal(b.limitWindowSeconds, 6);
    assert.equal(b.gapSeconds, 1.5);
    assert.equal(b.tailSeconds, 13);
    assert.equal(b.windows, 2);
    assert.equal(b.staggerSeconds, 0.5, "wave 1's second step began 0.5 s after its first");
    assert.equal(b.meanStepSeconds, (3 + 3.5 + 3.5) / 3);
    assert.match(
      breakdownLine(b, 5),
      /^lead 8\.0 s \(limit's pulls 5\.0 s\); 2 windows 7\.5 s \(limit 6\.0 s, 0\.8 s over per window; a window's steps begin over 0\.3 s, a step takes 3\.3 s\); gaps between windows 1\.5 s; tail 13\.0 s$/,
    );
  });

  it("says how far into each window its last step's first command reached its host, where every step says", () => {
    const run = { start: at(0), end: at(30) };
    const steps = [
      // wave 1: both steps begin at 8 s by the engine's events; the second's host hears from it 0.7 s later
      { run: 1, wave: 1, start: at(8), end: at(11), reached: at(8.1) },
      { run: 1, wave: 1, start: at(8), end: at(12), reached: at(8.7) },
      // wave 2: its host heard nothing of the step (the record does not say): left out of the average
      { run: 1, wave: 2, start: at(13), end: at(17) },
      // wave 3: one step, at once
      { run: 1, wave: 3, start: at(18), end: at(20), reached: at(18.3) },
    ];
    const b = breakdownOf(run, steps, new Map());
    assert.equal(b.reachWindows, 2);
    assert.ok(Math.abs(b.reachSeconds - (0.7 + 0.3)) < 1e-9, `${b.reachSeconds}`);
    assert.match(
      breakdownLine(b, 5),
      /a window's steps begin over 0\.0 s, its last step's first command reaches its host 0\.5 s in, a step takes/,
    );
  });

  it("counts a run without windows as all lead", () => {
    const { leadSeconds, ...rest } = breakdownOf({ start: at(0), end: at(4) }, [], new Map());
    assert.equal(leadSeconds, 4);
    assert.ok(Object.keys(rest).length >= 7, `every other part is reported: ${Object.keys(rest)}`);
    for (const [part, value] of Object.entries(rest)) assert.equal(value, 0, part);
  });
});

describe("the windows of a run far over their limit", () => {
  it("names each window more than the given seconds over its limit's window, with the step that ended it", () => {
    const steps = [
      // wave 1: 3.5 s against 3 s: within 2 s of its limit
      { run: 1, wave: 1, start: at(8), end: at(11), host: "a1" },
      { run: 1, wave: 1, start: at(8), end: at(11.5), host: "a2" },
      // wave 2: a3 waited at its hold for a4's apps: 16 s against 3 s
      { run: 1, wave: 2, start: at(12), end: at(28), host: "a3" },
      { run: 1, wave: 2, start: at(12), end: at(15), host: "a4" },
    ];
    const limits = new Map([
      [1, 3],
      [2, 3],
    ]);
    const slow = slowWindows(steps, limits, 2);
    assert.deepEqual(slow, [{ wave: 2, seconds: 16, limitSeconds: 3, slowest: { host: "a3", seconds: 16 } }]);
    assert.equal(
      slowWindowsLine(slow, 2),
      "windows more than 2 s over the limit's: wave 2 16.0 s against 3.0 s (last to end: a3, 16.0 s)",
    );
    assert.equal(slowWindowsLine(slowWindows(steps, limits, 20), 20), "windows more than 20 s over the limit's: none");
  });
});

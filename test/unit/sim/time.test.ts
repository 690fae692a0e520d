// Simulated time and Mesos durations.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FAST, formatMesosDuration, modelledSeconds, parseMesosDuration, simClock } from "../../../sim/time";

test("parses and formats stout durations", () => {
  assert.equal(parseMesosDuration("15secs"), 15);
  assert.equal(parseMesosDuration("1hrs"), 3600);
  assert.equal(parseMesosDuration("100ms"), 0.1);
  assert.equal(parseMesosDuration("10 mins"), 600);
  assert.equal(parseMesosDuration("15s"), undefined);
  assert.equal(formatMesosDuration(60), "1mins");
  assert.equal(formatMesosDuration(75), "75secs");
  assert.equal(formatMesosDuration(0.25), "250ms");
});

test("scales a 75 s window to 1.5 s of wall time in the fast profile", () => {
  assert.equal(simClock(FAST).ms(75), 1500);
  assert.equal(simClock({ ...FAST, timeScale: 1 }).ms(75), 75_000);
});

test("counts a span without host work at 1/timeScale: 1.5 wall seconds are 75 simulated seconds at 0.02", () => {
  assert.equal(modelledSeconds(10_000, 11_500, [], 0.02), 75);
});

test("counts unscaled host work at its wall duration, overlapping spans once, only inside the span", () => {
  // 3 s of a 4 s silence were host work (two overlapping spans, one partly before the silence): 3 + 1 / 0.02.
  const work = [
    [9_000, 11_000],
    [10_500, 13_000],
    [20_000, 21_000],
  ] as const;
  assert.equal(modelledSeconds(10_000, 14_000, work, 0.02), 3 + 50);
  // At real speed the host's work and the modelled time count alike.
  assert.equal(modelledSeconds(10_000, 14_000, work, 1), 4);
});

// Simulated time and Mesos durations.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FAST, formatMesosDuration, parseMesosDuration, simClock } from "../../../sim/time";

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

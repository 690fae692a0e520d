import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { floorWaves, hopFloorLine, waveOverheads } from "../../../bench/hop-floor";
import { hostOfStep } from "../../../bench/preview-floor";
import type { HopStep } from "../../../bench/rollout-limit";

const step = (host: string, run: number, wave: number): HopStep => ({
  host,
  component: host.startsWith("m") ? "mesos-master" : "mesos-slave",
  to: "0.27.2",
  run,
  wave,
});

describe("the engine's floor for a hop", () => {
  it("takes one run's waves in order, each host's step lasting its window of the limit at the time scale", () => {
    const steps = [step("m1", 2, 1), step("a1", 2, 2), step("a2", 2, 2), step("a1", 3, 1)];
    const windows = [
      { run: 2, wave: 1, seconds: 3 },
      { run: 2, wave: 2, seconds: 4 },
      { run: 3, wave: 1, seconds: 20 },
    ];
    assert.deepEqual(floorWaves(steps, 2, windows, 0.2), [
      { hosts: ["m1"], seconds: 0.6000000000000001 },
      { hosts: ["a1", "a2"], seconds: 0.8 },
    ]);
  });

  it("reads a step's host back from its URN, and nothing from another resource's", () => {
    assert.equal(hostOfStep("urn:pulumi:s::bench-hop-floor::pulumi-nodejs:dynamic/bench:NoOp::a12-step"), "a12");
    assert.equal(hostOfStep("urn:pulumi:s::bench-hop-floor::pulumi-nodejs:dynamic/bench:NoOp::a12-c0"), undefined);
  });

  it("counts a wave from its first step's start to its last step's end, less the steps' own time", () => {
    const waves = [
      { hosts: ["m1"], seconds: 0.6 },
      { hosts: ["a1", "a2"], seconds: 0.8 },
    ];
    const starts = new Map([
      ["m1", 1000],
      ["a1", 2000],
      ["a2", 2100],
    ]);
    const ends = new Map([
      ["m1", 1650],
      ["a1", 2900],
      ["a2", 3300],
    ]);
    const overheads = waveOverheads(waves, starts, ends).map((over) => Math.round(over * 1000) / 1000);
    assert.deepEqual(overheads, [0.05, 0.5]);
    assert.ok(Number.isNaN(waveOverheads([{ hosts: ["a3"], seconds: 1 }], starts, ends)[0]), "a step never seen");
    assert.equal(
      hopFloorLine(2, { overheads: [0.05, 0.5], resources: 209 }, waves),
      "the engine alone on run 2's 2 waves (209 no-op resources, each step lasting its window of the limit): 0.55 s over the limit's windows in all, 0.28 s per window, 0.50 s at most for a wave of 2",
    );
  });
});

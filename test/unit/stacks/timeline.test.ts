import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RolloutStep } from "../../../stacks/events";
import { COMPONENT_COLOURS, LAYOUT, timelineHtml, timelineModel, type TimelineInput } from "../../../stacks/timeline";

const T0 = Date.UTC(2026, 11, 2, 5, 0, 0);
const step = (
  hosts: string[],
  component: RolloutStep["component"],
  start: number,
  end: number,
  extra: Partial<RolloutStep> = {},
): RolloutStep => ({
  run: 1,
  hosts,
  component,
  op: "update",
  from: "0.22.1",
  to: "0.22.2",
  start: T0 + start * 1000,
  end: T0 + end * 1000,
  ...extra,
});

const INPUT: TimelineInput = {
  title: 'Rollout of stack "local"',
  runs: [{ run: 1, start: T0, end: T0 + 100_000, outcome: "mesos" }],
  steps: [
    step(["a1"], "mesos-slave", 50, 80, { wave: 2, gate: "registered (after 10s)", gateSeconds: 10 }),
    step(["m1"], "mesos-master", 10, 40, { wave: 1 }),
    step(["a2"], "mesos-slave", 80, 100, { wave: 3, error: "health gate failed" }),
    step(["m1", "m2"], "zookeeper-backup", 0, 5, { op: "create", to: "marathon-0.10.0-0.11.0" }),
  ],
};

describe("the rollout timeline", () => {
  it("has a row per host, masters first", () => {
    assert.deepEqual(
      timelineModel(INPUT).hosts.map((h) => h.host),
      ["m1", "m2", "a1", "a2"],
    );
  });

  it("puts each bar where its step started and ended", () => {
    const model = timelineModel(INPUT);
    const scale = LAYOUT.chartWidth / 100;
    const bar = model.bars.find((b) => b.host === "a1")!;
    assert.equal(bar.x, LAYOUT.chartLeft + 50 * scale);
    assert.equal(bar.width, 30 * scale);
    assert.equal(bar.gateWidth, 10 * scale);
    assert.equal(bar.y, model.hosts.find((h) => h.host === "a1")!.y + (LAYOUT.rowHeight - LAYOUT.barHeight) / 2);
  });

  it("draws a step on several hosts once on each host's row", () => {
    assert.deepEqual(
      timelineModel(INPUT)
        .bars.filter((b) => b.step.component === "zookeeper-backup")
        .map((b) => b.host),
      ["m1", "m2"],
    );
  });

  it("splits a row into lanes where steps overlap on the host", () => {
    const model = timelineModel({
      ...INPUT,
      steps: [step(["a1"], "docker", 0, 10), step(["a1"], "mesos-slave", 5, 12)],
    });
    const [first, second] = model.bars;
    assert.equal(first!.height, LAYOUT.barHeight / 2);
    assert.equal(second!.y, first!.y + LAYOUT.barHeight / 2);
  });

  it("keeps full-height bars on a host's row outside the group of steps that overlap", () => {
    const model = timelineModel({
      ...INPUT,
      steps: [step(["a1"], "docker", 0, 10), step(["a1"], "mesos-slave", 5, 12), step(["a1"], "mesos-slave", 20, 30)],
    });
    assert.deepEqual(
      model.bars.map((b) => b.height),
      [LAYOUT.barHeight / 2, LAYOUT.barHeight / 2, LAYOUT.barHeight],
    );
  });

  it("outlines each wave from its first start to its last end", () => {
    const wave = timelineModel(INPUT).waves.find((w) => w.wave === 2)!;
    assert.deepEqual(
      [wave.x, wave.width],
      [LAYOUT.chartLeft + 50 * (LAYOUT.chartWidth / 100), 30 * (LAYOUT.chartWidth / 100)],
    );
  });

  it("renders a self-contained page: inline SVG, nothing fetched from elsewhere", () => {
    const html = timelineHtml(INPUT);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" id="timeline"/);
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\((?!#)/);
  });

  it("colours bars by component, marks failures and gate waits, and says so in the legend", () => {
    const html = timelineHtml(INPUT);
    assert.match(
      html,
      new RegExp(`data-host="a1" data-component="mesos-slave"[\\s\\S]*?fill="${COMPONENT_COLOURS["mesos-slave"]}"`),
    );
    assert.match(html, /<g class="step failed" data-host="a2"[\s\S]*?class="failure"/);
    assert.match(html, /class="gate"[^>]*fill="url\(#gate-wait\)"/);
    for (const word of [
      "docker",
      "mesos-master",
      "mesos-slave",
      "marathon",
      "zookeeper-backup",
      "health gate waiting",
      "failed",
      "wave",
    ]) {
      assert.match(html, new RegExp(`</i>[^<]*${word}|</b> ${word}`), word);
    }
  });

  it("escapes what it prints", () => {
    const html = timelineHtml({
      ...INPUT,
      title: "<b>&",
      steps: [step(["<x>"], "docker", 0, 1, { error: '"quoted" <tag>' })],
    });
    assert.doesNotMatch(html, /<b>&|<x>|<tag>/);
  });
});

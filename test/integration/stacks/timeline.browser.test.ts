// The rollout timeline in a real browser (Debian's Chromium, headless): every bar is drawn where its step's events say.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RolloutStep } from "../../../stacks/events";
import { LAYOUT, timelineHtml, timelineModel, type TimelineInput } from "../../../stacks/timeline";

const T0 = Date.UTC(2026, 11, 2, 5, 0, 0);
const at = (seconds: number) => T0 + seconds * 1000;
const hop = (
  run: number,
  host: string,
  component: RolloutStep["component"],
  from: string,
  to: string,
  start: number,
  end: number,
  extra: Partial<RolloutStep> = {},
): RolloutStep => ({ run, hosts: [host], component, op: "update", from, to, start: at(start), end: at(end), ...extra });

/** Two runs as the engine reported them: masters one by one, then agents, a failed agent, a backup on two hosts. */
const INPUT: TimelineInput = {
  title: 'Rollout of stack "local" (browser test)',
  runs: [
    { run: 1, start: at(0), end: at(62), outcome: "mesos" },
    { run: 2, start: at(75), end: at(140), outcome: "failed" },
  ],
  steps: [
    hop(1, "m1", "mesos-master", "0.22.1", "0.22.2", 2, 14, {
      wave: 1,
      gate: "leader elected (after 3s)",
      gateSeconds: 3,
    }),
    hop(1, "m2", "mesos-master", "0.22.1", "0.22.2", 14, 27, {
      wave: 2,
      gate: "leader elected (after 2s)",
      gateSeconds: 2,
    }),
    hop(1, "a1", "mesos-slave", "0.22.1", "0.22.2", 27, 45, { wave: 3, gate: "registered (after 6s)", gateSeconds: 6 }),
    hop(1, "a2", "mesos-slave", "0.22.1", "0.22.2", 45, 60, { wave: 4 }),
    {
      run: 2,
      hosts: ["m1", "m2"],
      component: "zookeeper-backup",
      op: "create",
      to: "marathon-0.10.0-0.11.0",
      start: at(76),
      end: at(80),
      gate: "2 archive(s) written",
    },
    hop(2, "m1", "marathon", "0.10.0", "0.11.0", 80, 100, { wave: 1 }),
    hop(2, "a1", "docker", "1.7.1", "1.11.2", 100, 125, { wave: 2, gateSeconds: 5 }),
    hop(2, "a2", "docker", "1.7.1", "1.11.2", 125, 140, {
      wave: 3,
      error: "health gate failed: agent a2 not registered after 60s",
    }),
  ],
};

/** Measures every bar and host label in the page and writes the numbers into the DOM for --dump-dom. */
const MEASURE = `<script>
const svg = document.getElementById("timeline").getBoundingClientRect();
const bars = [...document.querySelectorAll("g.step")].map((g) => {
  const r = g.querySelector("rect.bar").getBoundingClientRect();
  const gate = g.querySelector("rect.gate");
  return { host: g.dataset.host, component: g.dataset.component, start: Number(g.dataset.start), end: Number(g.dataset.end), failed: g.classList.contains("failed"),
    left: r.left - svg.left, right: r.right - svg.left, top: r.top - svg.top, bottom: r.bottom - svg.top, colour: getComputedStyle(g.querySelector("rect.bar")).fill,
    gateWidth: gate ? gate.getBoundingClientRect().width : 0, marked: Boolean(g.querySelector(".failure")) };
});
const rows = [...document.querySelectorAll("g.host")].map((g) => { const r = g.querySelector("text").getBoundingClientRect(); return { host: g.dataset.host, middle: (r.top + r.bottom) / 2 - svg.top }; });
const pre = document.createElement("pre"); pre.id = "measured"; pre.textContent = JSON.stringify({ bars, rows }); document.body.appendChild(pre);
</script>`;

interface Measured {
  bars: Array<{
    host: string;
    component: string;
    start: number;
    end: number;
    failed: boolean;
    left: number;
    right: number;
    top: number;
    bottom: number;
    colour: string;
    gateWidth: number;
    marked: boolean;
  }>;
  rows: Array<{ host: string; middle: number }>;
}

/** Debian's Chromium, or a failure that says how to install it. */
function chromium(): string {
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error("Chromium is not installed; install Debian's package: apt-get install -y chromium (.ci/run does)");
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--hide-scrollbars",
  "--no-first-run",
  "--window-size=1320,560",
];

describe("the rollout timeline in headless Chromium", () => {
  let dir: string;
  let measured: Measured;
  const model = timelineModel(INPUT);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "timeline-"));
    const page = path.join(dir, "measured.html");
    fs.writeFileSync(page, timelineHtml(INPUT).replace("</body>", `${MEASURE}</body>`));
    const dom = execFileSync(
      chromium(),
      [...FLAGS, `--user-data-dir=${path.join(dir, "profile")}`, "--dump-dom", `file://${page}`],
      { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "ignore"] },
    );
    const json = /<pre id="measured">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
    assert.ok(json, `Chromium's DOM has the measurements: ${dom.slice(0, 300)}`);
    measured = JSON.parse(
      json
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&"),
    ) as Measured;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("draws one bar per step per host it touched", () => {
    assert.equal(
      measured.bars.length,
      INPUT.steps.reduce((n, s) => n + s.hosts.length, 0),
    );
  });

  it("starts and ends each bar at its step's times on the time axis", () => {
    for (const bar of measured.bars) {
      const left = LAYOUT.chartLeft + ((bar.start - model.origin) / 1000) * model.pxPerSecond;
      const right = LAYOUT.chartLeft + ((bar.end - model.origin) / 1000) * model.pxPerSecond;
      assert.ok(
        Math.abs(bar.left - left) < 1,
        `${bar.host} ${bar.component} starts at ${left}px, drawn at ${bar.left}px`,
      );
      assert.ok(
        Math.abs(bar.right - right) < 1,
        `${bar.host} ${bar.component} ends at ${right}px, drawn at ${bar.right}px`,
      );
    }
  });

  it("puts each bar on its host's row", () => {
    for (const bar of measured.bars) {
      const row = measured.rows.find((r) => r.host === bar.host);
      assert.ok(
        row && bar.top < row.middle && row.middle < bar.bottom,
        `${bar.host} ${bar.component} (${bar.top}–${bar.bottom}) is on row ${bar.host} (${row?.middle})`,
      );
    }
    assert.deepEqual(
      measured.rows.map((r) => r.host),
      ["m1", "m2", "a1", "a2"],
    );
  });

  it("keeps steps in the order the events say: each wave after the one before", () => {
    const ordered = [...measured.bars].sort((a, b) => a.start - b.start);
    for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i]!.left >= ordered[i - 1]!.left - 0.5);
  });

  it("colours bars by component, marks the failed step, and hatches gate waits to their length", () => {
    const colours = new Map<string, Set<string>>();
    for (const bar of measured.bars) {
      colours.set(bar.component, (colours.get(bar.component) ?? new Set()).add(bar.colour));
    }
    for (const [component, set] of colours) assert.equal(set.size, 1, `${component} has one colour`);
    assert.equal(
      new Set([...colours.values()].map((s) => [...s][0])).size,
      colours.size,
      "each component its own colour",
    );
    const failed = measured.bars.filter((b) => b.failed);
    assert.deepEqual(
      failed.map((b) => [b.host, b.component, b.marked]),
      [["a2", "docker", true]],
    );
    const gated = measured.bars.find((b) => b.host === "a1" && b.component === "mesos-slave")!;
    assert.ok(
      Math.abs(gated.gateWidth - 6 * model.pxPerSecond) < 1,
      `the gate's 6s wait is ${6 * model.pxPerSecond}px, drawn ${gated.gateWidth}px`,
    );
  });

  it("renders a screenshot", () => {
    const shot = path.join(dir, "timeline.png");
    const page = path.join(dir, "timeline.html");
    fs.writeFileSync(page, timelineHtml(INPUT));
    execFileSync(
      chromium(),
      [...FLAGS, `--user-data-dir=${path.join(dir, "profile")}`, `--screenshot=${shot}`, `file://${page}`],
      { timeout: 60_000, stdio: "ignore" },
    );
    const png = fs.readFileSync(shot);
    assert.equal(png.subarray(1, 4).toString(), "PNG");
    assert.ok(png.length > 10_000, `a drawn page, not a blank one (${png.length} bytes)`);
    if (process.env.TIMELINE_SCREENSHOT) fs.copyFileSync(shot, process.env.TIMELINE_SCREENSHOT);
  });
});

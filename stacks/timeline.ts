// The rollout timeline: steps of one or more runs → a layout model → a self-contained HTML page with inline SVG. Pure.
import type { RolloutStep, StepComponent } from "./events";
import { byHostName } from "../planner/host-runs";

/** One run of a converge, for the run bands. */
export interface TimelineRun {
  readonly run: number;
  readonly start: number;
  readonly end: number;
  /** What the run ended as: converged, a phase name, failed, interrupted. */
  readonly outcome: string;
}

export interface TimelineInput {
  readonly title: string;
  readonly runs: readonly TimelineRun[];
  readonly steps: readonly RolloutStep[];
  /** Summary lines printed above the chart. */
  readonly summary?: readonly string[];
}

/** Where everything goes, in SVG user units. */
export interface TimelineModel {
  readonly width: number;
  readonly height: number;
  readonly hosts: ReadonlyArray<{ readonly host: string; readonly y: number }>;
  readonly bars: ReadonlyArray<TimelineBar>;
  readonly runs: ReadonlyArray<{
    readonly run: number;
    readonly x: number;
    readonly width: number;
    readonly outcome: string;
  }>;
  readonly waves: ReadonlyArray<{
    readonly run: number;
    readonly wave: number;
    readonly x: number;
    readonly width: number;
  }>;
  readonly ticks: ReadonlyArray<{ readonly x: number; readonly label: string }>;
  /** The time at x = chartLeft and the scale, so anyone can check a bar against its times. */
  readonly origin: number;
  readonly pxPerSecond: number;
}

export interface TimelineBar {
  readonly step: RolloutStep;
  readonly host: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  /** Less than the bar height when steps overlap on the host (one lane each). */
  readonly height: number;
  /** The gate's wait, at the end of the bar. */
  readonly gateWidth: number;
}

export const COMPONENT_COLOURS: Readonly<Record<StepComponent, string>> = {
  docker: "#2f7ed8",
  "mesos-master": "#7b4bb7",
  "mesos-slave": "#19a187",
  marathon: "#e68a00",
  "zookeeper-backup": "#7a8591",
};

export const LAYOUT = { chartLeft: 120, chartWidth: 1080, top: 64, rowHeight: 30, barHeight: 18, bottom: 40 } as const;

/** Hosts in a stable, readable order: masters (and Marathon hosts) before agents, names in numeric order. */
function hostOrder(steps: readonly RolloutStep[]): (a: string, b: string) => number {
  const isMaster = (host: string) =>
    steps.some(
      (s) =>
        s.hosts.includes(host) &&
        (s.component === "mesos-master" || s.component === "marathon" || s.component === "zookeeper-backup"),
    );
  return (a, b) => Number(isMaster(b)) - Number(isMaster(a)) || byHostName(a, b);
}

/**
 * Lanes within each host's row, so steps that overlap in time on one host sit side by side rather than on top of
 * each other; only a group of overlapping steps is split, the rest of the row keeps full-height bars.
 */
function lanesOf(steps: readonly RolloutStep[], host: string): Map<RolloutStep, { lane: number; lanes: number }> {
  const mine = steps.filter((s) => s.hosts.includes(host)).sort((a, b) => a.start - b.start);
  const placed = new Map<RolloutStep, { lane: number; lanes: number }>();
  let group: Array<{ step: RolloutStep; lane: number }> = [];
  let laneEnds: number[] = [];
  const close = () => {
    for (const { step, lane } of group) placed.set(step, { lane, lanes: Math.max(1, laneEnds.length) });
    group = [];
    laneEnds = [];
  };
  for (const step of mine) {
    if (laneEnds.length && Math.max(...laneEnds) <= step.start) close();
    let index = laneEnds.findIndex((end) => end <= step.start);
    if (index < 0) index = laneEnds.push(0) - 1;
    laneEnds[index] = step.end ?? step.start;
    group.push({ step, lane: index });
  }
  close();
  return placed;
}

/** A tick step in seconds giving about 8–14 ticks. */
function tickSeconds(span: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => span / s <= 14) ?? 3600;
}

const clock = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, "0")}`;

/** Lays out the timeline: a row per host, x by time, one bar per step per host it touches. */
export function timelineModel(input: TimelineInput): TimelineModel {
  const hosts = [...new Set(input.steps.flatMap((s) => s.hosts))].sort(hostOrder(input.steps));
  const times = [
    ...input.runs.flatMap((r) => [r.start, r.end]),
    ...input.steps.flatMap((s) => [s.start, s.end ?? s.start]),
  ];
  const origin = times.length ? Math.min(...times) : 0;
  const last = times.length ? Math.max(...times) : 1;
  const span = Math.max(1, (last - origin) / 1000);
  const pxPerSecond = LAYOUT.chartWidth / span;
  const x = (time: number) => LAYOUT.chartLeft + ((time - origin) / 1000) * pxPerSecond;
  const rowY = new Map(hosts.map((host, i) => [host, LAYOUT.top + i * LAYOUT.rowHeight]));
  const lanes = new Map(hosts.map((host) => [host, lanesOf(input.steps, host)]));
  const bars: TimelineBar[] = input.steps.flatMap((step) =>
    step.hosts.map((host) => {
      const left = x(step.start);
      const width = Math.max(2, x(step.end ?? step.start) - left);
      const { lane, lanes: count } = lanes.get(host)?.get(step) ?? { lane: 0, lanes: 1 };
      const height = LAYOUT.barHeight / count;
      const y = (rowY.get(host) as number) + (LAYOUT.rowHeight - LAYOUT.barHeight) / 2 + lane * height;
      return {
        step,
        host,
        x: left,
        y,
        width,
        height,
        gateWidth: Math.min(width, (step.gateSeconds ?? 0) * pxPerSecond),
      };
    }),
  );
  const waveKeys = [...new Set(input.steps.filter((s) => s.wave !== undefined).map((s) => `${s.run}/${s.wave}`))];
  const waves = waveKeys.map((key) => {
    const [run, wave] = key.split("/").map(Number) as [number, number];
    const members = input.steps.filter((s) => s.run === run && s.wave === wave);
    const start = Math.min(...members.map((s) => s.start));
    const end = Math.max(...members.map((s) => s.end ?? s.start));
    return { run, wave, x: x(start), width: Math.max(2, x(end) - x(start)) };
  });
  const every = tickSeconds(span);
  const ticks = Array.from({ length: Math.floor(span / every) + 1 }, (_, i) => ({
    x: LAYOUT.chartLeft + i * every * pxPerSecond,
    label: clock(i * every),
  }));
  return {
    width: LAYOUT.chartLeft + LAYOUT.chartWidth + 20,
    height: LAYOUT.top + Math.max(1, hosts.length) * LAYOUT.rowHeight + LAYOUT.bottom,
    hosts: hosts.map((host) => ({ host, y: rowY.get(host) as number })),
    bars,
    runs: input.runs.map((r) => ({
      run: r.run,
      x: x(r.start),
      width: Math.max(1, x(r.end) - x(r.start)),
      outcome: r.outcome,
    })),
    waves,
    ticks,
    origin,
    pxPerSecond,
  };
}

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (value: number): string => String(Math.round(value * 100) / 100);

/** The step's one-line description for its tooltip. */
function describe(step: RolloutStep): string {
  const hop =
    step.component === "zookeeper-backup"
      ? `ZooKeeper backup before marathon ${step.to ?? ""}`
      : step.op === "create"
        ? `adopt ${step.component} ${step.to ?? ""}`
        : `${step.component} ${step.from ?? "?"} → ${step.to ?? "?"}`;
  const seconds = ((step.end ?? step.start) - step.start) / 1000;
  return `run ${step.run}${step.wave !== undefined ? `, wave ${step.wave}` : ""}: ${step.hosts.join(", ")} ${hop}, ${seconds.toFixed(1)}s${step.gate ? `; gate: ${step.gate}` : ""}${step.error ? `; FAILED: ${step.error}` : ""}`;
}

/** The timeline as an SVG element (inline; no external assets). */
export function timelineSvg(model: TimelineModel): string {
  const chartTop = LAYOUT.top - 8;
  const chartBottom = model.height - LAYOUT.bottom + 4;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="timeline" width="${n(model.width)}" height="${n(model.height)}" viewBox="0 0 ${n(model.width)} ${n(model.height)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12" data-origin="${model.origin}" data-px-per-second="${model.pxPerSecond}" data-chart-left="${LAYOUT.chartLeft}">`,
  );
  parts.push(
    `<defs><pattern id="gate-wait" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="rgba(255,255,255,0.0)"/><line x1="0" y1="0" x2="0" y2="6" stroke="rgba(255,255,255,0.75)" stroke-width="3"/></pattern></defs>`,
  );
  model.runs.forEach((r, i) => {
    parts.push(
      `<g class="run" data-run="${r.run}"><rect x="${n(r.x)}" y="${chartTop - 26}" width="${n(r.width)}" height="${n(chartBottom - chartTop + 26)}" fill="${i % 2 ? "#eef2f7" : "#f7f9fc"}"/>`,
    );
    parts.push(
      `<text x="${n(r.x + 3)}" y="${chartTop - 14}" fill="${/fail|interrupt|blocked/.test(r.outcome) ? "#c62828" : "#4a5563"}" font-weight="600">${r.width > 36 ? `run ${r.run}` : r.run}${r.width > 110 ? ` · ${escape(r.outcome)}` : ""}</text></g>`,
    );
  });
  for (const w of model.waves) {
    parts.push(
      `<g class="wave" data-run="${w.run}" data-wave="${w.wave}"><rect x="${n(w.x)}" y="${chartTop}" width="${n(w.width)}" height="${n(chartBottom - chartTop)}" fill="none" stroke="#9aa5b1" stroke-dasharray="3 3"/>`,
    );
    parts.push(
      w.width > 22
        ? `<text x="${n(w.x + 2)}" y="${chartTop - 2}" fill="#6b7683" font-size="10">w${w.wave}</text></g>`
        : `</g>`,
    );
  }
  for (const t of model.ticks) {
    parts.push(
      `<line x1="${n(t.x)}" y1="${chartBottom}" x2="${n(t.x)}" y2="${chartBottom + 5}" stroke="#6b7683"/><text x="${n(t.x)}" y="${chartBottom + 18}" text-anchor="middle" fill="#4a5563">${t.label}</text>`,
    );
  }
  parts.push(
    `<line x1="${LAYOUT.chartLeft}" y1="${chartBottom}" x2="${LAYOUT.chartLeft + LAYOUT.chartWidth}" y2="${chartBottom}" stroke="#6b7683"/>`,
  );
  for (const h of model.hosts) {
    parts.push(
      `<g class="host" data-host="${escape(h.host)}"><line x1="${LAYOUT.chartLeft}" y1="${h.y + LAYOUT.rowHeight}" x2="${LAYOUT.chartLeft + LAYOUT.chartWidth}" y2="${h.y + LAYOUT.rowHeight}" stroke="#dde3ea"/><text x="${LAYOUT.chartLeft - 10}" y="${h.y + LAYOUT.rowHeight / 2 + 4}" text-anchor="end" font-weight="600" fill="#1f2933">${escape(h.host)}</text></g>`,
    );
  }
  for (const b of model.bars) {
    const colour = COMPONENT_COLOURS[b.step.component];
    const failed = b.step.error !== undefined;
    parts.push(
      `<g class="step${failed ? " failed" : ""}" data-host="${escape(b.host)}" data-component="${b.step.component}" data-run="${b.step.run}" data-start="${b.step.start}" data-end="${b.step.end ?? b.step.start}"><title>${escape(describe(b.step))}</title>`,
    );
    const adopted = b.step.op === "create" && b.step.component !== "zookeeper-backup";
    parts.push(
      `<rect class="bar" x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="3" fill="${colour}"${adopted ? ` fill-opacity="0.35"` : ""}${failed ? ` stroke="#c62828" stroke-width="2"` : ""}/>`,
    );
    if (b.gateWidth >= 1) {
      parts.push(
        `<rect class="gate" x="${n(b.x + b.width - b.gateWidth)}" y="${n(b.y)}" width="${n(b.gateWidth)}" height="${n(b.height)}" rx="3" fill="url(#gate-wait)"/>`,
      );
    }
    const label = b.step.component === "zookeeper-backup" ? "backup" : (b.step.to ?? "");
    if (!adopted && label && b.width - b.gateWidth > label.length * 6.2 + 6 && b.height >= 12) {
      parts.push(
        `<text x="${n(b.x + 4)}" y="${n(b.y + b.height / 2 + 4)}" fill="#fff" font-size="11" font-weight="600" pointer-events="none">${escape(label)}</text>`,
      );
    }
    if (failed) {
      parts.push(
        `<text class="failure" x="${n(b.x + b.width + 3)}" y="${n(b.y + b.height / 2 + 5)}" fill="#c62828" font-weight="700">✗</text>`,
      );
    }
    parts.push(`</g>`);
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}

/** The legend: components by colour, gate waits, failures, waves. */
function legend(): string {
  const items = Object.entries(COMPONENT_COLOURS).map(
    ([component, colour]) => `<span class="key"><i style="background:${colour}"></i>${component}</span>`,
  );
  items.push(`<span class="key"><i style="background:rgba(47,126,216,.35)"></i>adopted (nothing restarted)</span>`);
  items.push(
    `<span class="key"><i style="background:#19a187;background-image:repeating-linear-gradient(45deg,rgba(255,255,255,.75) 0 3px,transparent 3px 6px)"></i>health gate waiting</span>`,
  );
  items.push(
    `<span class="key"><i style="background:#fff;border:2px solid #c62828"></i><b style="color:#c62828">✗</b> failed</span>`,
  );
  items.push(`<span class="key"><i style="background:#fff;border:1px dashed #9aa5b1"></i>wave (w1, w2…)</span>`);
  items.push(`<span class="key"><i style="background:#eef2f7"></i>run</span>`);
  return `<div class="legend">${items.join("")}</div>`;
}

/** A self-contained HTML page: title, summary, legend, the SVG; no scripts, fonts or images from elsewhere. */
export function timelineHtml(input: TimelineInput): string {
  const model = timelineModel(input);
  const summary = (input.summary ?? []).map((line) => `<li>${escape(line)}</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:24px;background:#fff}
h1{font-size:20px;margin:0 0 6px}
ul.summary{margin:0 0 12px;padding:0;list-style:none;color:#4a5563;display:flex;flex-wrap:wrap;gap:4px 18px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0 12px;font-size:13px}
.key i{display:inline-block;width:22px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
svg .step:hover .bar{filter:brightness(1.15)}
</style></head>
<body>
<h1>${escape(input.title)}</h1>
<ul class="summary">${summary}</ul>
${legend()}
${timelineSvg(model)}
</body></html>
`;
}

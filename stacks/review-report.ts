// The review of a stack as text: every problem, then every remaining run with its steps by wave, restarts and downtime.
import type { PlanStep } from "../planner";
import { hostRuns, hostsAlike, onHosts } from "../planner/host-runs";
import type { RolloutForecast } from "./rollout";

/** Where the host versions of a forecast came from, for the header. */
export type VersionsSource =
  | { readonly kind: "recorded"; readonly backend: string }
  | { readonly kind: "hosts-file"; readonly file: string; readonly why: string };

/** The planner's "no leader marked" note: the program finds the leaders at run time, so a forecast leaves it out. */
const LEADER_NOTE_SOURCE = "planner/waves.ts";

function waveLines(steps: readonly PlanStep[]): string[] {
  const waves = [...new Set(steps.map((s) => s.wave))].sort((a, b) => a - b);
  return waves.map(
    (wave) =>
      `    wave ${wave}${steps.some((s) => s.wave === wave && s.restart === "whole-cluster") ? " (whole-cluster: every instance stops, then all start)" : ""}: ${waveSteps(
        steps.filter((s) => s.wave === wave),
      ).join(", ")}`,
  );
}

/** A wave's steps for people: one host's step by its host, the same step on several hosts once, naming them. */
function waveSteps(steps: readonly PlanStep[]): string[] {
  const whatOf = (s: PlanStep) =>
    s.settings !== undefined
      ? `${s.component} ${s.from} restart (settings: ${s.settings})`
      : `${s.component} ${s.from} → ${s.to}`;
  return hostsAlike(steps, (s) => s.host, whatOf).map(({ what, hosts }) => onHosts(what, hosts));
}

/**
 * The forecast for people: a summary, then each run (phase, steps by wave, task-killing restarts, downtime, gate,
 * notes).
 */
export function renderForecast(stack: string, forecast: RolloutForecast, source: VersionsSource): string[] {
  const lines: string[] = [];
  lines.push(
    source.kind === "recorded"
      ? `host versions: as stack "${stack}" last recorded them (backend ${source.backend})`
      : `host versions: from ${source.file} (${source.why})`,
  );
  const working = forecast.runs.filter((r) => r.plan.steps.length > 0);
  const restarts = working.reduce((n, r) => n + r.taskKillingRestarts.length, 0);
  const last = forecast.runs[forecast.runs.length - 1];
  lines.push(
    `remaining rollout: ${forecast.adopting ? "1 adopting run, then " : ""}${working.length} run(s), ${working.reduce((n, r) => n + r.plan.steps.length, 0)} step(s), ${restarts} task-killing restart(s); ends ${last ? last.plan.phase : "unknown"}`,
  );
  lines.push("(leaders are found at run time: each run moves the leading master and the leading Marathon last)");
  if (forecast.adopting) {
    lines.push(
      "",
      "run 0 (adopt): the stack's first run records the running cluster and restarts nothing; the runs below follow it",
    );
  }
  for (const run of forecast.runs) {
    const { plan } = run;
    if (plan.steps.length === 0) {
      lines.push("", `run ${run.run}: ${plan.phase} — nothing to do`);
    } else {
      const waves = new Set(plan.steps.map((s) => s.wave)).size;
      lines.push(
        "",
        plan.phase === "settings"
          ? `run ${run.run}: settings (restarts at the same versions) — ${plan.steps.length} step(s) in ${waves} wave(s)`
          : `run ${run.run}: ${plan.phase} → ${plan.steps[0]?.to} — ${plan.steps.length} step(s) in ${waves} wave(s)`,
        ...waveLines(plan.steps),
      );
    }
    if (run.taskKillingRestarts.length) lines.push(`    task-killing restarts: ${hostRuns(run.taskKillingRestarts)}`);
    for (const line of run.downtime) lines.push(`    downtime: ${line}`);
    for (const line of run.gated) lines.push(`    promotion gate: ${line}`);
    for (const blocker of plan.blocked) lines.push(`    blocked: ${blocker.component}: ${blocker.reason}`);
    for (const note of plan.notes.filter((n) => n.source !== LEADER_NOTE_SOURCE)) {
      lines.push(`    note [${note.component}]: ${note.message}`);
    }
  }
  if (forecast.warnings.length) lines.push("", "check by hand:", ...forecast.warnings.map((w) => `  ${w}`));
  return lines;
}

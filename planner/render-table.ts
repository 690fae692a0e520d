/**
 * The plan as a table a reviewer reads at a glance: per host and component, current → this run → target, the wave, the
 * remaining path.
 */
import { hostsAlike, onHosts } from "./host-runs";
import { componentOf } from "./validate";
import { compareVersions } from "./versions";
import type { HostComponent, Plan, PlanInput } from "./types";

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd(),
  );
}

/**
 * One line per distinct change (`subject` and `rest`), in the order each first comes: "  m1 docker: …" for one host,
 * "  docker on 7 hosts (m1..m3, a1..a4): …" for several.
 */
function foldedByHost(
  items: ReadonlyArray<{ readonly host: string; readonly subject: string; readonly rest: string }>,
): string[] {
  return hostsAlike(
    items,
    (item) => item.host,
    (item) => `${item.subject}\u0000${item.rest}`,
  ).map(({ hosts, first }) => `  ${onHosts(first.subject, hosts, first.rest)}`);
}

/** Renders a plan for people: a summary line, one row per host component, then blockers and notes. */
export function renderPlanTable(plan: Plan, input: PlanInput): string {
  const stepOf = new Map(plan.steps.map((s) => [`${s.host}\u0000${s.component}`, s]));
  const waves = new Set(plan.steps.map((s) => s.wave)).size;
  const lines = [
    `phase: ${plan.phase} — ${plan.steps.length} step${plan.steps.length === 1 ? "" : "s"} in ${waves} wave${waves === 1 ? "" : "s"}; policy ${input.policy ?? "marathon-docs"}`,
  ];
  const rows: string[][] = [["HOST", "COMPONENT", "CURRENT", "THIS RUN", "TARGET", "WAVE", "REMAINING PATH"]];
  for (const host of input.hosts) {
    for (const part of ["docker", ...host.roles] as HostComponent[]) {
      const current = host.versions[part] as string;
      const component = componentOf(part);
      const step = stepOf.get(`${host.name}\u0000${part}`);
      const after = step?.to ?? current;
      const remaining = plan.paths[component].filter((v) => compareVersions(v, after) > 0);
      rows.push([
        host.name,
        part,
        current,
        step === undefined ? "=" : step.settings ? "restart (settings)" : `→ ${step.to}`,
        plan.targets[component],
        step === undefined
          ? "-"
          : step.restart === "whole-cluster"
            ? `${step.wave} (all stop, then start)`
            : String(step.wave),
        remaining.length === 0 ? "-" : remaining.join(" → "),
      ]);
    }
  }
  lines.push(...columns(rows));
  const settings = plan.steps.filter((s) => s.settings);
  if (settings.length > 0) {
    lines.push(
      "",
      "settings changes (a restart at the same version, in waves like a hop):",
      ...settings.map((s) => `  wave ${s.wave}  ${s.host} ${s.component} ${s.from}: ${s.settings}`),
    );
  }
  const pending = (input.settingsChanges ?? []).filter(
    (c) => !plan.steps.some((s) => s.host === c.host && s.component === c.component),
  );
  if (pending.length > 0) {
    lines.push(
      "",
      "settings changes waiting for a later run (after the version hops, one layer per run):",
      ...foldedByHost(pending.map((c) => ({ host: c.host, subject: c.component, rest: `: ${c.change}` }))),
    );
  }
  const killing = plan.steps.filter((s) => s.killsTasks);
  if (killing.length > 0) {
    lines.push(
      "",
      "task-killing restarts (hosts without Marathon tasks first; together only on hosts that share no multi-instance app; each waits until its host's multi-instance apps are whole and no other restart stops one of them, then until every multi-instance app is healthy again):",
      ...foldedByHost(
        killing.map((s) => ({
          host: s.host,
          subject: `${s.component} ${s.from} → ${s.to}`,
          rest: `: ${s.killsTasks}`,
        })),
      ),
    );
  }
  if (plan.blocked.length > 0) lines.push("", "blocked:", ...plan.blocked.map((b) => `  ${b.component}: ${b.reason}`));
  if (plan.notes.length > 0) {
    lines.push("", "notes:", ...plan.notes.map((n) => `  [${n.component}] ${n.message} (source: ${n.source})`));
  }
  return `${lines.join("\n")}\n`;
}

// The main job's per-host account of tasks: the task-killing restarts each plan forecast for a host, the ones that
// ran, and the tasks that died there (the leading master's terminal statuses), side by side, so a death the plans did
// not announce stands out.
import { expandHostRuns, SEVERAL_HOSTS_PATTERN } from "../planner/host-runs";
import type { Notice, RolloutStep } from "./events";

/** A lost task as the count needs it: when the master recorded it (ISO time) and the agent's address. */
export interface LostTask {
  readonly time: string;
  readonly agentHost?: unknown;
}

/**
 * This invocation's lost tasks per host: only those recorded from `since` (the invocation's start, epoch ms) on, so a
 * resumed cluster's losses from an earlier invocation are not counted against this one's forecast.
 */
export function lostSince(
  lost: readonly LostTask[],
  since: number,
  hostOf: ReadonlyMap<string, string>,
): { readonly total: number; readonly byHost: Map<string, number> } {
  const from = new Date(since).toISOString();
  const byHost = new Map<string, number>();
  let total = 0;
  for (const entry of lost) {
    if (entry.time < from) continue;
    const host = hostOf.get(String(entry.agentHost)) ?? String(entry.agentHost);
    byHost.set(host, (byHost.get(host) ?? 0) + 1);
    total++;
  }
  return { total, byHost };
}

const KILLING_HEADER = /^task-killing restarts \(/;
/**
 * One host's restart ("  a1 mesos-slave 0.22.2 → 0.23.1: …") or several hosts' alike ("  mesos-slave 0.22.2 → 0.23.1
 * on 4 hosts (a1..a4): …").
 */
const KILLING_LINE = new RegExp(
  String.raw`^ {2}(?:(\S+) (\S+ \S+ → \S+)|(\S+ \S+ → \S+) on ${SEVERAL_HOSTS_PATTERN}): `,
);

/**
 * The task-killing restarts a run's previewed plan lists ("a1 mesos-slave 0.22.2 → 0.23.1"), read from the plan
 * table's section (planner/render-table.ts). Taken from the preview, so a run that fails still counts what it
 * forecast; an adopting run's plan has no steps, so it forecasts none.
 */
export function forecastOfPlan(notices: readonly Notice[]): string[] {
  const forecast: string[] = [];
  for (const notice of notices) {
    if (!notice.message.startsWith("plan (")) continue;
    let inSection = false;
    for (const line of notice.message.split("\n")) {
      if (KILLING_HEADER.test(line)) inSection = true;
      else if (inSection) {
        const match = KILLING_LINE.exec(line);
        if (!match) break;
        const [, host, restart, sharedRestart, hosts] = match;
        if (host !== undefined) forecast.push(`${host} ${restart}`);
        else forecast.push(...expandHostRuns(hosts as string).map((h) => `${h} ${sharedRestart}`));
      }
    }
  }
  return forecast;
}

/** One line per host that had a forecast, a task-killing restart or a dead task; hosts in name order. */
export function hostTaskLines(
  forecast: readonly string[],
  steps: readonly RolloutStep[],
  lostByHost: ReadonlyMap<string, number>,
): string[] {
  const forecastBy = new Map<string, string[]>();
  for (const line of forecast) {
    const host = line.split(" ")[0] as string;
    forecastBy.set(host, [...(forecastBy.get(host) ?? []), line.slice(host.length + 1)]);
  }
  const doneBy = new Map<string, number>();
  for (const step of steps) {
    const host = step.hosts[0];
    if (host === undefined || step.op !== "update" || step.error) continue;
    const what = `${step.component} ${step.from} → ${step.to}`;
    if (step.killsTasks !== undefined || forecastBy.get(host)?.includes(what)) {
      doneBy.set(host, (doneBy.get(host) ?? 0) + 1);
    }
  }
  const hosts = [...new Set([...forecastBy.keys(), ...doneBy.keys(), ...lostByHost.keys()])].sort();
  return hosts.map((host) => {
    const planned = forecastBy.get(host) ?? [];
    const lost = lostByHost.get(host) ?? 0;
    const unannounced = lost > 0 && planned.length === 0 ? " — not forecast" : "";
    return `${host}: task-killing restarts ${doneBy.get(host) ?? 0} done / ${planned.length} forecast${planned.length ? ` (${planned.join(", ")})` : ""}; tasks lost ${lost}${unannounced}`;
  });
}

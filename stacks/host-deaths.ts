// The main job's per-host account of tasks: the task-killing restarts each plan forecast for a host, the ones that
// ran, and the tasks that died there (the leading master's terminal statuses), side by side, so a death the plans did
// not announce stands out.
import type { RolloutStep } from "./events";

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

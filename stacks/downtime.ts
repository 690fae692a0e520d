// Downtime measured on the simulated cluster while a converge runs, per app and per API, next to the forecast the
// plan printed: an app is up while a container of its image runs on some host; an API while it answers.
import type { Cluster } from "../sim";
import { downAt } from "./downtime-forecast";

/** One look: which apps and APIs were up. */
export interface Look {
  readonly at: number;
  readonly up: ReadonlySet<string>;
}

/** Accumulated downtime (ms) per watched name: the time from a look that found it down to the next look. */
export function accumulate(names: readonly string[], looks: readonly Look[]): Map<string, number> {
  const down = new Map(names.map((n) => [n, 0]));
  for (let i = 0; i + 1 < looks.length; i++) {
    const look = looks[i] as Look;
    const span = (looks[i + 1] as Look).at - look.at;
    for (const name of names) if (!look.up.has(name)) down.set(name, (down.get(name) ?? 0) + span);
  }
  return down;
}

/** A watched name without the host the summary shows it with ("Marathon's API (m1:8080)" is "Marathon's API"). */
const bare = (name: string): string => name.replace(/ \([^)]*\)$/, "");

/**
 * At how many steps the forecast lines (the program's "downtime this run" warnings, as the converge log printed them)
 * name `name` down: a line per step, and a whole-cluster restart's line at every instance's step
 * (downtime-forecast.ts).
 */
export function forecastCount(name: string, logLines: readonly string[]): number {
  return logLines
    .flatMap((line) => line.split("\n"))
    .map(downAt)
    .filter((down) => down !== undefined && down.name === bare(name))
    .reduce((sum, down) => sum + (down?.steps ?? 0), 0);
}

/**
 * The report lines: measured downtime of each app and API, and how many steps the forecast named it for; downtime no
 * step forecast is marked "not forecast", as the per-host lines mark an unannounced task loss (host-deaths.ts).
 */
export function downtimeLines(down: ReadonlyMap<string, number>, logLines: readonly string[]): string[] {
  return [...down].map(([name, ms]) => {
    const seconds = (ms / 1000).toFixed(1);
    const steps = forecastCount(name, logLines);
    const unannounced = steps === 0 && seconds !== "0.0" ? " — not forecast" : "";
    return `${name}: down ${seconds}s measured; forecast: down at ${steps} step(s)${unannounced}`;
  });
}

/** The APIs watched, by the names the forecast uses. */
const MESOS_API = "the Mesos API";
const MARATHON_API = "Marathon's API";

/**
 * Watches a simulated cluster every `intervalMs` until stopped: apps by their image among the hosts' running
 * containers, the Mesos API by a master's /master/health, Marathon's by /ping. Returns the report lines on stop.
 */
export function watchDowntime(
  cluster: Cluster,
  apps: ReadonlyArray<{ readonly id: string; readonly image: string }>,
  intervalMs = 500,
): { stop: (logLines: readonly string[]) => string[] } {
  const masters = cluster.hosts.filter((h) => h.roles.includes("master"));
  const marathons = cluster.hosts.filter((h) => h.roles.includes("marathon"));
  // The forecast names an API with its host ("the Mesos API (dev1:5050)"), so the names carry it when there is one.
  const mesosName = masters.length === 1 ? `${MESOS_API} (${masters[0]?.name}:5050)` : MESOS_API;
  const marathonName = marathons.length === 1 ? `${MARATHON_API} (${marathons[0]?.name}:8080)` : MARATHON_API;
  const names = [
    ...apps.map((a) => a.id),
    ...(masters.length ? [mesosName] : []),
    ...(marathons.length ? [marathonName] : []),
  ];
  const looks: Look[] = [];
  let running = true;
  const answers = async (hosts: typeof masters, port: number, path: string) => {
    for (const host of hosts) {
      if (
        (await cluster.service(host.name, port, path, { timeoutMs: 1000 }).catch(() => ({ status: 0 }))).status === 200
      ) {
        return true;
      }
    }
    return false;
  };
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const up = new Set<string>();
      const reports = await cluster.status().catch(() => []);
      const images = new Set(
        reports.flatMap((r) => r.containers.filter((c) => c.status === "running").map((c) => c.image)),
      );
      for (const app of apps) if (images.has(app.image)) up.add(app.id);
      if (masters.length && (await answers(masters, 5050, "/master/health"))) up.add(mesosName);
      if (marathons.length && (await answers(marathons, 8080, "/ping"))) up.add(marathonName);
      looks.push({ at, up });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: (logLines) => {
      running = false;
      void loop;
      looks.push({ at: Date.now(), up: new Set(names) });
      return downtimeLines(
        accumulate(
          names,
          [...looks].sort((x, y) => x.at - y.at),
        ),
        logLines,
      );
    },
  };
}

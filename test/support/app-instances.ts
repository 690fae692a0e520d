// Watching Marathon's apps while a convergence runs: each multi-instance app's fewest running instances (and when),
// and waiting until every app runs at its instance count.
import assert from "node:assert/strict";
import type { Cluster } from "../../sim";

/** An app's fewest running instances seen, and when (the time and the convergence's log line then). */
export interface Fewest {
  readonly running: number;
  readonly when: string;
}

/** A poller of the cluster's apps every `everyMs`, recording each multi-instance app's fewest running instances. */
export interface AppInstanceWatch {
  /** Each multi-instance app's fewest running instances seen so far. */
  readonly fewest: ReadonlyMap<string, Fewest>;
  /** Stops polling (idempotent). */
  stop(): void;
  /** Fails unless every app in `watched` was seen and none ever ran fewer than one instance. */
  assertNeverDown(watched: readonly string[]): void;
}

/** Starts watching; `log` is the convergence's log so far, whose last line says what ran at the worst moment. */
export function watchAppInstances(cluster: Cluster, log: readonly string[], everyMs = 100): AppInstanceWatch {
  const fewest = new Map<string, Fewest>();
  const timer = setInterval(() => {
    cluster.apps().then(
      (apps) => {
        for (const app of apps.filter((a) => a.instances > 1)) {
          if (app.tasksRunning < (fewest.get(app.id)?.running ?? Infinity)) {
            fewest.set(app.id, {
              running: app.tasksRunning,
              when: `at ${new Date().toISOString()}, during "${log[log.length - 1] ?? "the first run"}"`,
            });
          }
        }
      },
      () => undefined,
    );
  }, everyMs);
  return {
    fewest,
    stop: () => clearInterval(timer),
    assertNeverDown(watched) {
      for (const app of watched) {
        assert.ok(fewest.has(app), `${app} was watched (seen: ${[...fewest.keys()].join(", ")})`);
      }
      for (const [app, seen] of fewest) {
        assert.ok(seen.running >= 1, `${app} dropped to ${seen.running} running instances ${seen.when}`);
      }
    },
  };
}

/** Waits until Marathon runs every app at its instance count, failing with what it saw after `ms`. */
export async function appsRunning(cluster: Cluster, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const apps = await cluster.apps().catch(() => []);
    if (apps.length > 0 && apps.every((a) => a.tasksRunning === a.instances)) return;
    if (Date.now() > deadline) assert.fail(`apps not running: ${JSON.stringify(apps)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

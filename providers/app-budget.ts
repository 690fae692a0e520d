// The apps a task-killing restart holds while it runs: no two steps of a run stop tasks of one multi-instance Marathon
// app at a time, and none stops them while the app is not whole, as a PodDisruptionBudget of maxUnavailable 1 keeps
// `kubectl drain` (and so kOps' rolling-update) from evicting a second pod of a deployment. (Two instances on one
// host still stop together: Marathon placed them so; a hostname UNIQUE constraint, as redis' and rabbitmq's, keeps
// them apart.) The planner already keeps hosts sharing such an app out of one wave (planner/waves.ts), but from what
// Marathon said when the run was planned: the tasks a wave kills start again on other hosts, maybe on the hosts of a
// later wave. So each step, before it stops anything, waits until every multi-instance app on its host is whole and
// held by no other step, and holds those apps until its gate has seen them whole again.
//
// The hold is the provider process's: the engine runs every resource of a `pulumi up` through one dynamic provider
// process, which loads this module once (providers/dynamic.ts), so every step of the run sees the same holds.
import { runsOn } from "../observe/placement";
import { degradedApps, firstAnswer, placedApps, type PlacedMarathonApp } from "../observe/services";
import { DEFAULT_GATE_INTERVAL_SECONDS, HealthGateTimeoutError, waitForGate } from "../remote/gate";
import { isSingleHost } from "./engineGate";

/** An app as `/v2/apps?embed=apps.tasks` answers: its counts and where its tasks run. */
export type BudgetApp = PlacedMarathonApp;

/** The host a step restarts. */
export interface BudgetHost {
  readonly name: string;
  readonly address: string;
}

/** Whether a step may stop its host's tasks now, and which apps it then holds; otherwise what it waits for. */
export type BudgetVerdict =
  | { readonly go: true; readonly apps: readonly string[]; readonly observed: string }
  | { readonly go: false; readonly observed: string };

/**
 * Judges one look at Marathon's apps for a step on `host`, `held` being the apps other steps of the run hold (app id →
 * their host): it may go when every multi-instance app with a task on the host is whole (healthy where it has checks)
 * and held by no other step. Pure.
 */
export function budgetVerdict(
  apps: readonly BudgetApp[],
  host: BudgetHost,
  held: ReadonlyMap<string, string>,
): BudgetVerdict {
  const mine = apps.filter((app) => app.instances > 1 && runsOn(app, host));
  const heldElsewhere = mine
    .filter((app) => held.has(app.id) && held.get(app.id) !== host.name)
    .map((app) => `${app.id} (its restart on ${held.get(app.id)} is under way)`);
  const notWhole = degradedApps(mine);
  const waits = [...heldElsewhere, ...notWhole.map((app) => `${app} healthy`)];
  if (waits.length) return { go: false, observed: `waiting for ${waits.join(", ")}` };
  const ids = mine.map((app) => app.id);
  return {
    go: true,
    apps: ids,
    observed: ids.length ? `holding ${ids.join(", ")} (whole)` : "no multi-instance app on the host",
  };
}

/** App id → the host whose step holds it, for every step of this provider process. */
const HELD = new Map<string, string>();

/** The apps a step holds; `release` gives them back (once its gate has seen them whole, or it failed). */
export interface Hold {
  readonly apps: readonly string[];
  readonly observed: string;
  /** When the first look did not let the step go: how long it waited in all, and what that look waited for. */
  readonly waited?: { readonly seconds: number; readonly for: string };
  release(): void;
}

/**
 * What a step's gate line says of its hold (pure): nothing when the step went at once, else how long it waited before
 * stopping anything and for what, so that a step twice as long as its wave's others says why at a glance.
 */
export function holdNote(hold: Pick<Hold, "waited"> | undefined): string {
  return hold?.waited ? `waited ${hold.waited.seconds}s before stopping anything, for ${hold.waited.for}; ` : "";
}

/**
 * Waits until the step on `host` may stop its tasks (budgetVerdict), then holds its multi-instance apps. A cluster
 * without Marathon holds nothing. Throws HealthGateTimeoutError when the apps stay degraded or held for
 * `timeoutSeconds`: the caller has stopped nothing yet and says so.
 */
export async function holdApps(scope: {
  readonly host: BudgetHost;
  readonly marathons: readonly string[];
  readonly timeoutSeconds: number;
  readonly intervalSeconds: number;
}): Promise<Hold> {
  if (scope.marathons.length === 0) return { apps: [], observed: "no Marathon", release: () => undefined };
  let holding: readonly string[] = [];
  let firstWait: string | undefined;
  const { observed, seconds } = await waitForGate({
    description: `every multi-instance app with a task on ${scope.host.name} whole, and none of them stopped by another step of this run`,
    timeoutSeconds: scope.timeoutSeconds,
    intervalSeconds: scope.intervalSeconds,
    check: async () => {
      const apps = await firstAnswer(scope.marathons, placedApps);
      if (!apps) {
        const observed = "no Marathon answers /v2/apps: which apps run on the host is unknown";
        firstWait ??= observed;
        return { passed: false, observed };
      }
      // Judged and taken with no await in between: two steps of the process never both take one app.
      const verdict = budgetVerdict(apps, scope.host, HELD);
      if (verdict.go) {
        holding = verdict.apps;
        for (const app of holding) HELD.set(app, scope.host.name);
      } else firstWait ??= verdict.observed.replace(/^waiting for /, "");
      return { passed: verdict.go, observed: verdict.observed };
    },
  });
  return {
    apps: holding,
    observed,
    ...(firstWait === undefined ? {} : { waited: { seconds, for: firstWait } }),
    release: () => {
      for (const app of holding) if (HELD.get(app) === scope.host.name) HELD.delete(app);
    },
  };
}

/**
 * Before a restart that stops the agent's tasks on `inputs.connection`: holds the host's multi-instance apps (holdApps)
 * on a cluster with other hosts; undefined on a host that is its own master too (the seed's dev machine: every app
 * goes down whatever is held). `what` names the step in the error ("docker on a1"), `state` what still runs then.
 */
export async function holdAgentApps(
  inputs: {
    readonly connection: BudgetHost;
    readonly masters: readonly string[];
    readonly marathons?: readonly string[];
    readonly gateTimeoutSeconds?: number;
    readonly gateIntervalSeconds?: number;
  },
  what: string,
  state: string,
): Promise<Hold | undefined> {
  if (isSingleHost({ host: inputs.connection, runsAgent: true, masters: inputs.masters })) return undefined;
  try {
    return await holdApps({
      host: inputs.connection,
      marathons: inputs.marathons ?? [],
      timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
      intervalSeconds: inputs.gateIntervalSeconds ?? DEFAULT_GATE_INTERVAL_SECONDS,
    });
  } catch (error) {
    if (!(error instanceof HealthGateTimeoutError)) throw error;
    throw new Error(
      `${what}: waited ${error.timeoutSeconds}s for ${error.gate}; last seen: ${error.lastObserved}. Nothing was stopped; ${state}. ` +
        `Bring those apps back to all their instances healthy (in Marathon: its tasks, their health checks, and whether its constraints leave a host for every instance), or raise rollout.gateTimeoutSeconds, then run \`pulumi up\` again`,
      { cause: error },
    );
  }
}

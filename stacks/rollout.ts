// The whole remaining rollout of a stack, forecast without touching a host: its settings and last host versions → every
// run.
import {
  planRun,
  PlanInputError,
  runsExecutorContainersAfter,
  type HostComponent,
  type Plan,
  type PlanInput,
  type PlanStep,
  type SettingsChange,
} from "../planner";
import { downtimeForecast } from "./downtime-forecast";
import { silenceWindowProblem } from "./preflight";
import { promotionRefusals, type Completed } from "./promotion";
import type { StackSettings } from "./settings";

/** The version of each component on each host, as the stack's `hostVersions` output records it. */
export type HostVersions = Readonly<Record<string, Readonly<Partial<Record<HostComponent, string>>>>>;

/** One future `pulumi up` of the stack. */
export interface ForecastRun {
  /** 1 for the next run. */
  readonly run: number;
  /** The planner's plan for that run, from the versions every earlier run leaves. */
  readonly plan: Plan;
  /**
   * Hosts whose restart this run kills their tasks (the plan's task-killing steps: Docker before 1.12 on agents, agents
   * without executor containers).
   */
  readonly taskKillingRestarts: readonly string[];
  /** What goes down this run, for people. */
  readonly downtime: readonly string[];
  /** Hops the promotedFrom stack has not completed (when its record is known): the program refuses them. */
  readonly gated: readonly string[];
}

/** The forecast of a stack's remaining rollout. */
export interface RolloutForecast {
  /** The stack has no recorded versions: its first run only adopts the cluster (restarts nothing). */
  readonly adopting: boolean;
  /** Every run until the plan says converged or blocked, the last one included (it has no steps). */
  readonly runs: readonly ForecastRun[];
  /** What the program would refuse: each one makes the review fail. */
  readonly refusals: readonly string[];
  /** What a person should check but the review cannot decide without the hosts. */
  readonly warnings: readonly string[];
}

/** What a forecast needs besides the stack's settings. */
export interface ForecastOptions {
  /** True when the versions come from the stack's own record (its runs so far), false when from a hosts file. */
  readonly recorded: boolean;
  /**
   * What the promotedFrom stack has completed: its `completed` output, `null` when it has none, undefined when it
   * could not be read (the gate is then not checked).
   */
  readonly previousCompleted?: Completed | null;
  /** Give up after this many runs. @default 100 */
  readonly maxRuns?: number;
  /**
   * Settings the hosts do not run yet (review-settings.ts: what the change alters against the base): restarts the
   * planner orders like a hop once no version hop remains. @default none
   */
  readonly settingsChanges?: readonly SettingsChange[];
}

/**
 * The planner's input for a stack at some versions (hosts in the stack file's order). `executorContainers` names the
 * agents known to run executor containers: those the forecast has already restarted at 0.23 or later (the versions
 * alone do not say how an agent runs, so an agent not yet restarted by this project counts as without them).
 */
export function planInputOf(
  settings: StackSettings,
  versions: HostVersions,
  executorContainers: ReadonlySet<string> = new Set(),
  settingsChanges: readonly SettingsChange[] = [],
): PlanInput {
  return {
    desired: settings.targets,
    hosts: settings.hosts.map((host) => ({
      name: host.name,
      roles: host.roles,
      versions: versions[host.name] ?? {},
      ...(host.roles.includes("mesos-slave") ? { executorContainers: executorContainers.has(host.name) } : {}),
    })),
    rollout: { maxUnavailableSlaves: settings.rollout.maxUnavailableSlaves },
    frameworks: settings.frameworks,
    policy: settings.rollout.policy,
    ...(settingsChanges.length ? { settingsChanges } : {}),
  };
}

/**
 * The settings changes a run's steps leave to do: a step of a container applies the stack's whole settings (hop or
 * settings step, settings-changes.ts containerSettingsThisRun); a Docker engine gets the log driver at a settings step
 * only (logDriverThisRun: a version hop keeps the engine's driver).
 */
export function settingsLeft(changes: readonly SettingsChange[], steps: readonly PlanStep[]): SettingsChange[] {
  return changes.filter(
    (change) =>
      !steps.some(
        (s) =>
          s.host === change.host &&
          s.component === change.component &&
          (s.component !== "docker" || s.settings !== undefined),
      ),
  );
}

/** The versions after a run's steps. */
export function applySteps(versions: HostVersions, steps: readonly PlanStep[]): HostVersions {
  const next: Record<string, Partial<Record<HostComponent, string>>> = Object.fromEntries(
    Object.entries(versions).map(([host, v]) => [host, { ...v }]),
  );
  for (const step of steps) next[step.host] = { ...next[step.host], [step.component]: step.to };
  return next;
}

/** The hosts of a run's task-killing steps (the planner marks them: planner/task-killing.ts). */
function taskKillingRestartsOf(steps: readonly PlanStep[]): string[] {
  return [...new Set(steps.filter((s) => s.killsTasks).map((s) => s.host))];
}

/**
 * Forecasts every remaining run: plans a run from the versions, applies its steps, and plans again until the plan
 * has no steps (converged, or blocked). Pure: the same decisions the program takes, without discovery.
 */
export function forecastRollout(
  settings: StackSettings,
  versions: HostVersions,
  options: ForecastOptions,
): RolloutForecast {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const missing = settings.hosts.filter((h) => versions[h.name] === undefined).map((h) => h.name);
  if (missing.length) {
    return {
      adopting: !options.recorded,
      runs: [],
      refusals: [
        `no versions for host(s) ${missing.map((n) => `"${n}"`).join(", ")} of the stack file: give them in the hosts file (e.g. {"${missing[0]}": {"docker": "1.7.1", "mesos-slave": "0.22.1"}}), or run the stack once so it records them`,
      ],
      warnings,
    };
  }
  for (const gone of Object.keys(versions).filter((name) => !settings.hosts.some((h) => h.name === name))) {
    warnings.push(
      `host "${gone}" has recorded versions but is not in the stack file; the program no longer upgrades it`,
    );
  }
  const runs: ForecastRun[] = [];
  const maxRuns = options.maxRuns ?? 100;
  let current = versions;
  const executorContainers = new Set<string>();
  let pendingSettings = options.settingsChanges ?? [];
  for (let run = 1; run <= maxRuns; run++) {
    let plan: Plan;
    try {
      plan = planRun(planInputOf(settings, current, executorContainers, pendingSettings));
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error;
      refusals.push(`plan: ${error.problems.map((p) => p.message).join("; ")}`);
      return { adopting: !options.recorded, runs, refusals, warnings };
    }
    const restarts = taskKillingRestartsOf(plan.steps);
    const gated =
      options.previousCompleted === undefined
        ? []
        : promotionRefusals(plan.steps, settings.promotedFrom, options.previousCompleted ?? undefined);
    runs.push({
      run,
      plan,
      taskKillingRestarts: restarts,
      downtime: downtimeForecast(plan.steps, settings.hosts, "unasked"),
      gated,
    });
    if (run === 1 && gated.length && !settings.promotionOverride) {
      refusals.push(`promotion gate (next run):\n  ${gated.join("\n  ")}`);
    }
    if (plan.steps.some((s) => s.component === "mesos-slave")) {
      const master =
        plan.steps.find((s) => s.component === "mesos-master")?.to ??
        Object.values(current)
          .map((v) => v["mesos-master"])
          .find((v) => v !== undefined);
      const problem = master
        ? silenceWindowProblem(master, settings.mesosMaster.flags, settings.rollout.agentRestartSeconds)
        : undefined;
      if (problem) warnings.push(`run ${run}: unless the running masters already set longer timeouts, ${problem}`);
    }
    if (plan.steps.length === 0) {
      if (plan.phase === "blocked") {
        refusals.push(`blocked: ${plan.blocked.map((b) => `${b.component}: ${b.reason}`).join("; ")}`);
      }
      return { adopting: !options.recorded, runs, refusals, warnings };
    }
    current = applySteps(current, plan.steps);
    pendingSettings = settingsLeft(pendingSettings, plan.steps);
    for (const step of plan.steps) {
      if (runsExecutorContainersAfter(step.component, step.to)) executorContainers.add(step.host);
    }
  }
  refusals.push(`no convergence after ${maxRuns} runs; this is a planner bug, please report it with the stack file`);
  return { adopting: !options.recorded, runs, refusals, warnings };
}

/** For each layer, the versions it passes through over the whole rollout, in order (the path). */
export function pathsOf(forecast: RolloutForecast): Record<"docker" | "mesos" | "marathon", string[]> {
  const paths: Record<"docker" | "mesos" | "marathon", string[]> = { docker: [], mesos: [], marathon: [] };
  for (const { plan } of forecast.runs) {
    const step = plan.steps[0];
    if (!step || plan.phase === "converged" || plan.phase === "blocked" || plan.phase === "settings") continue;
    const layer = plan.phase;
    if (paths[layer][paths[layer].length - 1] !== step.to) paths[layer].push(step.to);
  }
  return paths;
}

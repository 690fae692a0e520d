// The leader's health checking over explicit state: runs each app's checks on its running tasks every
// intervalSeconds (HTTP and TCP from Marathon itself; COMMAND by Mesos on the agent, whose health checker sends only
// some results, which reach Marathon as TaskStatus.healthy), keeps each task's Health per check, and names the tasks
// to kill.
import {
  mesosHealthStep,
  NEW_MESOS_HEALTH_CHECKER,
  reportsDockerCommandChecks,
  runCheckCommand,
  type MesosHealthChecker,
} from "../mesos/command-health";
import type { SimClock } from "../time";
import {
  applyResult,
  taskHealthState,
  withDefaults,
  type CheckResult,
  type Health,
  type HealthCheckDefinition,
} from "./health";
import { probe } from "./health-probes";

/** What the checker needs to know of a task. */
export interface CheckedTask {
  readonly id: string;
  readonly appId: string;
  /** The agent's address (tasks' `host`). */
  readonly host: string;
  readonly ports: readonly number[];
  /** ISO time the task reached TASK_RUNNING; null before. */
  readonly startedAt: string | null;
  /** The Mesos version of the agent running the task (decides whether COMMAND results are reported). */
  readonly agentVersion?: string;
  readonly env: Readonly<Record<string, string>>;
}

interface TaskChecks {
  /** Per check index: the Health once a result was recorded. */
  readonly results: Map<number, Health>;
  /** Per check index: wall ms of the last check started (the task's start before the first). */
  readonly lastRun: Map<number, number>;
  readonly inFlight: Set<number>;
  /**
   * Per COMMAND check index: Mesos' health checker on the agent. It lives with the executor, not in Marathon; kept
   * here, a new leader starts it afresh, which resends the first result as the reconciliation a new leader runs
   * would bring back the task's last `healthy`.
   */
  readonly mesos: Map<number, MesosHealthChecker>;
}

/** The health state of every task the leader checks. Not persisted: a new leader starts with every task unknown. */
export interface HealthState {
  readonly tasks: Map<string, TaskChecks>;
  /** Tasks already sent a kill for failing their checks. */
  readonly killed: Set<string>;
}

export function emptyHealthState(): HealthState {
  return { tasks: new Map(), killed: new Set() };
}

/** The app's checks with Marathon's defaults filled in. */
export function checksOf(app: { readonly healthChecks?: readonly unknown[] }): HealthCheckDefinition[] {
  return (app.healthChecks ?? []).map((raw) => withDefaults(raw as Record<string, unknown>));
}

/** A task's recorded results, one per check that has one (`healthCheckResults`). */
export function resultsOf(state: HealthState, taskId: string): Health[] {
  return [...(state.tasks.get(taskId)?.results.values() ?? [])];
}

/** unknown / healthy / unhealthy, as `healthCounts` counts it. */
export function healthOf(state: HealthState, taskId: string): "unknown" | "healthy" | "unhealthy" {
  return taskHealthState(resultsOf(state, taskId));
}

/**
 * Starts the checks that are due on `tasks` (running tasks of apps with checks) and drops the state of tasks that
 * are gone (`purgeStatusOfDoneTasks`). `kill` is called once per task whose check decides it must die.
 */
export function runDueChecks(
  state: HealthState,
  clock: SimClock,
  tasks: ReadonlyArray<{ readonly task: CheckedTask; readonly checks: readonly HealthCheckDefinition[] }>,
  kill: (task: CheckedTask, cause: string) => void,
): void {
  const live = new Set(tasks.map((t) => t.task.id));
  for (const id of [...state.tasks.keys()]) if (!live.has(id)) state.tasks.delete(id);
  for (const id of [...state.killed]) if (!live.has(id)) state.killed.delete(id);
  const now = Date.now();
  for (const { task, checks } of tasks) {
    if (task.startedAt === null || state.killed.has(task.id)) continue;
    const startedAtMs = Date.parse(task.startedAt);
    const entry: TaskChecks = state.tasks.get(task.id) ?? {
      results: new Map(),
      lastRun: new Map(),
      inFlight: new Set(),
      mesos: new Map(),
    };
    state.tasks.set(task.id, entry);
    checks.forEach((check, index) => {
      if (entry.inFlight.has(index)) return;
      if (now - (entry.lastRun.get(index) ?? startedAtMs) < clock.ms(check.intervalSeconds)) return;
      const run = runOne(check, task, clock);
      if (!run) return;
      entry.lastRun.set(index, now);
      entry.inFlight.add(index);
      void run.then((outcome) => {
        entry.inFlight.delete(index);
        if (state.tasks.get(task.id) !== entry || state.killed.has(task.id)) return;
        const nowMs = Date.now();
        const graceMs = clock.ms(check.gracePeriodSeconds);
        let result = outcome;
        let killedByMesos = false;
        if (check.protocol === "COMMAND") {
          // Mesos' health checker sends what Marathon sees: Unhealthy carries no cause
          // (MarathonHealthCheckManager.update).
          const step = mesosHealthStep(
            entry.mesos.get(index) ?? NEW_MESOS_HEALTH_CHECKER,
            outcome.ok,
            nowMs - startedAtMs <= graceMs,
            check.maxConsecutiveFailures,
          );
          entry.mesos.set(index, step.next);
          if (!step.report) return;
          result = step.report.healthy ? { ok: true } : { ok: false, cause: "" };
          killedByMesos = step.killTask;
        }
        const decision = applyResult(
          check,
          entry.results.get(index),
          task.id,
          result,
          { startedAtMs, nowMs, graceMs },
          new Date().toISOString(),
        );
        if (decision.kind !== "ignore") entry.results.set(index, decision.health);
        if (decision.kind === "kill" || killedByMesos) {
          state.killed.add(task.id);
          kill(task, outcome.ok ? "" : outcome.cause);
        }
      });
    });
  }
}

/** One check of one task, or undefined when nothing would report a result. */
function runOne(check: HealthCheckDefinition, task: CheckedTask, clock: SimClock): Promise<CheckResult> | undefined {
  const timeoutMs = clock.ms(check.timeoutSeconds);
  if (check.protocol === "COMMAND") {
    // Run by the agent's Mesos health checker; Docker tasks get no result before the fixed releases.
    if (!reportsDockerCommandChecks(task.agentVersion ?? "0.22.1")) return undefined;
    return runCheckCommand(check.command?.value ?? "", task.env, timeoutMs).then((outcome) =>
      outcome.code === 0
        ? { ok: true }
        : {
            ok: false,
            cause: `Command exited with status ${outcome.code}${outcome.output ? `: ${outcome.output}` : ""}`,
          },
    );
  }
  const port = task.ports[check.portIndex];
  if (port === undefined) {
    return Promise.resolve({
      ok: false,
      cause: `Invalid port index ${check.portIndex}: the task has ${task.ports.length} port(s)`,
    });
  }
  return probe(check, task.host, port, timeoutMs);
}

// Marathon's health model (0.9–1.1), pure: check definitions with their defaults, the per-task Health record, the
// grace-period rule, the kill rule and the app's health counts. Sources (mesosphere/marathon at v0.9.1 … v1.1.7):
// `health/HealthCheck.scala` (defaults), `health/Health.scala` (record and `alive`), `health/HealthCheckActor.scala`
// (`ignoreFailures`, `checkConsecutiveFailures`), `health/MarathonHealthCheckManager.scala` (`healthCounts`).

/** A health check as Marathon stores it, every field filled in. */
export interface HealthCheckDefinition {
  readonly protocol: "HTTP" | "TCP" | "COMMAND";
  /** HTTP only. */
  readonly path?: string;
  readonly portIndex: number;
  /** COMMAND only. */
  readonly command?: { readonly value: string };
  readonly gracePeriodSeconds: number;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  /** 0: never kill. */
  readonly maxConsecutiveFailures: number;
  readonly ignoreHttp1xx: boolean;
}

/**
 * Fills in Marathon's defaults (HealthCheck.scala: protocol HTTP, path "/", portIndex 0, grace 5 minutes, interval
 * 1 minute, timeout 20 s, 3 consecutive failures, ignoreHttp1xx false; docs/docs/health-checks.md "Health check
 * options"). Marathon echoes `path` for every protocol (Option default Some("/")) and `command` only when set.
 */
export function withDefaults(raw: Readonly<Record<string, unknown>>): HealthCheckDefinition {
  const protocol = raw.protocol === "TCP" || raw.protocol === "COMMAND" ? raw.protocol : "HTTP";
  const number = (key: string, fallback: number) => (typeof raw[key] === "number" ? (raw[key] as number) : fallback);
  return {
    path: typeof raw.path === "string" ? raw.path : "/",
    protocol,
    portIndex: number("portIndex", 0),
    ...(raw.command && typeof raw.command === "object"
      ? { command: { value: String((raw.command as { value?: unknown }).value ?? "") } }
      : {}),
    gracePeriodSeconds: number("gracePeriodSeconds", 300),
    intervalSeconds: number("intervalSeconds", 60),
    timeoutSeconds: number("timeoutSeconds", 20),
    maxConsecutiveFailures: number("maxConsecutiveFailures", 3),
    ignoreHttp1xx: raw.ignoreHttp1xx === true,
  };
}

/** Marathon's Health of one task for one check (Health.scala); times are ISO strings. */
export interface Health {
  readonly taskId: string;
  readonly firstSuccess: string | null;
  readonly lastSuccess: string | null;
  readonly lastFailure: string | null;
  readonly lastFailureCause: string | null;
  readonly consecutiveFailures: number;
}

/** `alive`: a success, and no failure after it (Health.scala). */
export function isAlive(health: Health): boolean {
  return health.lastSuccess !== null && (health.lastFailure === null || health.lastSuccess > health.lastFailure);
}

/** One check's outcome. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly cause: string };

/** What the health check actor does with a result. */
export type HealthDecision =
  | { readonly kind: "record"; readonly health: Health }
  /** A failure inside the grace period (or before the task started) leaves the record as it was. */
  | { readonly kind: "ignore" }
  /** The failure is recorded and the task is killed: it had already failed maxConsecutiveFailures times in a row. */
  | { readonly kind: "kill"; readonly health: Health };

/**
 * Applies one result (HealthCheckActor `receive`): a success is recorded; a failure is ignored while the task has
 * not started or is within its grace period and has never been healthy (`ignoreFailures`); otherwise the task is
 * killed when its earlier consecutive failures already reach maxConsecutiveFailures (> 0) (`checkConsecutiveFailures`
 * runs on the record before this failure), and the failure is recorded.
 */
export function applyResult(
  check: HealthCheckDefinition,
  previous: Health | undefined,
  taskId: string,
  result: CheckResult,
  task: { readonly startedAtMs: number | null; readonly nowMs: number; readonly graceMs: number },
  at: string,
): HealthDecision {
  const health: Health = previous ?? {
    taskId,
    firstSuccess: null,
    lastSuccess: null,
    lastFailure: null,
    lastFailureCause: null,
    consecutiveFailures: 0,
  };
  if (result.ok) {
    return {
      kind: "record",
      health: { ...health, firstSuccess: health.firstSuccess ?? at, lastSuccess: at, consecutiveFailures: 0 },
    };
  }
  const ignore =
    task.startedAtMs === null || (health.firstSuccess === null && task.startedAtMs + task.graceMs > task.nowMs);
  if (ignore) return { kind: "ignore" };
  const recorded: Health = {
    ...health,
    lastFailure: at,
    lastFailureCause: result.cause,
    consecutiveFailures: health.consecutiveFailures + 1,
  };
  const kill = check.maxConsecutiveFailures > 0 && health.consecutiveFailures >= check.maxConsecutiveFailures;
  return kill ? { kind: "kill", health: recorded } : { kind: "record", health: recorded };
}

/** A task's health across its app's checks: unknown (no result yet), healthy (every result alive) or unhealthy. */
export function taskHealthState(results: readonly Health[]): "unknown" | "healthy" | "unhealthy" {
  if (results.length === 0) return "unknown";
  return results.every(isAlive) ? "healthy" : "unhealthy";
}

/** The JSON of a Health in /v2/tasks' healthCheckResults (`lastFailureCause` only when set: @JsonInclude NON_NULL). */
export function healthJson(health: Health): Record<string, unknown> {
  return {
    alive: isAlive(health),
    consecutiveFailures: health.consecutiveFailures,
    firstSuccess: health.firstSuccess,
    lastFailure: health.lastFailure,
    ...(health.lastFailureCause !== null ? { lastFailureCause: health.lastFailureCause } : {}),
    lastSuccess: health.lastSuccess,
    taskId: health.taskId,
  };
}

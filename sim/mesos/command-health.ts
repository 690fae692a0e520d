// Mesos' COMMAND health checks of Docker tasks: whether an agent of a version reports them at all, which results its
// health checker sends, and what a check command does in the simulated world (the few commands the simulator can run).
import { request } from "node:http";
import { compareVersions } from "../catalogue/versions";

/**
 * Whether an agent of `version`, itself running in a Docker container (as every simulated agent does), reports
 * the result of a COMMAND health check of a Docker task (TaskStatus.healthy). It does not:
 * - before 0.23.1 / 0.24.1: the Docker containerizer does not run the task under the command executor, so no
 *   health checker runs and "the framework will never hear back regarding health status" (the app stays
 *   deploying; d2iq-archive/marathon#2140, 2015-08-31); 0.23.0 and 0.24.0 are broken (MESOS-3136, fixed in 0.23.1
 *   and 0.24.1 with `docker exec`; Marathon's docs/docs/health-checks.md note since 0.11, marathon#2354, #2471);
 * - with the agent inside a Docker container, the health check binary is invoked wrongly until 0.24.2, 0.25.1
 *   and 0.26.0 (MESOS-3738, Mesos CHANGELOG; ../shared/reference/mesos-marathon-docker.md §4.4).
 */
export function reportsDockerCommandChecks(version: string): boolean {
  if (compareVersions(version, "0.26.0") >= 0) return true;
  if (compareVersions(version, "0.25.1") >= 0 && compareVersions(version, "0.26.0") < 0) return true;
  return compareVersions(version, "0.24.2") >= 0 && compareVersions(version, "0.25.0") < 0;
}

/** Mesos' health checker of one task's COMMAND check (HealthCheckerProcess in src/health-check/main.cpp, 0.22–0.28). */
export interface MesosHealthChecker {
  /** No result sent yet. */
  readonly initializing: boolean;
  readonly consecutiveFailures: number;
}

export const NEW_MESOS_HEALTH_CHECKER: MesosHealthChecker = { initializing: true, consecutiveFailures: 0 };

/** What the health checker does with one check's outcome. */
export interface MesosHealthStep {
  readonly next: MesosHealthChecker;
  /**
   * The TaskHealthStatus sent (the executor turns it into a TASK_RUNNING update with `healthy`); none when undefined.
   */
  readonly report?: { readonly healthy: boolean };
  /** The executor kills the task (TaskHealthStatus.kill_task). */
  readonly killTask: boolean;
}

/**
 * One outcome through Mesos' health checker (apache/mesos src/health-check/main.cpp, `success()` and `failure()`,
 * 0.22 through 0.28): a success is sent only as the first result and as the first success after failures ("Send a
 * healthy status update on the first success, and on the first success following failure(s)"); a failure within the
 * grace period since the checker started is ignored and not sent ("Ignoring failure as health check still in grace
 * period", whatever came before); any other failure is counted and sent, and once the count reaches the check's
 * consecutive_failures the task is killed. Marathon sets consecutive_failures to maxConsecutiveFailures
 * (HealthCheck.toMesos in mesosphere/marathon 0.9–1.1), so 0 kills at the first failure after the grace period.
 */
export function mesosHealthStep(
  checker: MesosHealthChecker,
  passed: boolean,
  inGracePeriod: boolean,
  consecutiveFailuresLimit: number,
): MesosHealthStep {
  if (passed) {
    const report = checker.initializing || checker.consecutiveFailures > 0 ? { healthy: true } : undefined;
    return { next: { initializing: false, consecutiveFailures: 0 }, ...(report ? { report } : {}), killTask: false };
  }
  if (inGracePeriod) return { next: checker, killTask: false };
  const consecutiveFailures = checker.consecutiveFailures + 1;
  return {
    next: { ...checker, consecutiveFailures },
    report: { healthy: false },
    killTask: consecutiveFailures >= consecutiveFailuresLimit,
  };
}

/** The outcome of a check command: exit status and the reason for a failure. */
export interface CommandOutcome {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs a check command the way `sh -c` in the task's container would, for the commands the simulator models:
 * `true`, `false`, `exit N`, and `curl [-f] [-s] [-S] [-X GET] URL` (Marathon's documented example,
 * `curl -f -X GET http://$HOST:$PORT0/health`), which makes a real HTTP request. `$HOST` and `$PORTn` come from
 * the task's environment. Any other command exits 127 (the simulated image has no such program).
 */
export async function runCheckCommand(
  command: string,
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<CommandOutcome> {
  const expanded = command.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, name: string) => env[name] ?? "").trim();
  if (expanded === "true" || expanded === ":") return { code: 0, output: "" };
  if (expanded === "false") return { code: 1, output: "" };
  const exit = /^exit\s+(\d+)$/.exec(expanded);
  if (exit) return { code: Number(exit[1]), output: "" };
  const words = expanded.split(/\s+/);
  if (words[0] === "curl") {
    const url = words.find((w) => /^https?:\/\//.test(w));
    const failOnError = words.some((w) => /^-[a-zA-Z]*f[a-zA-Z]*$/.test(w) || w === "--fail");
    if (!url) return { code: 2, output: "curl: no URL specified!" };
    return curl(url, failOnError, timeoutMs);
  }
  return { code: 127, output: `sh: 1: ${words[0] ?? ""}: not found` };
}

/** curl's exit codes: 7 could not connect, 22 HTTP >= 400 with -f, 28 timeout. */
function curl(url: string, failOnError: boolean, timeoutMs: number): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve(
          failOnError && status >= 400
            ? { code: 22, output: `curl: (22) The requested URL returned error: ${status}` }
            : { code: 0, output: "" },
        );
      });
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ code: 28, output: `curl: (28) Operation timed out after ${timeoutMs} milliseconds` });
    });
    req.on("error", () => resolve({ code: 7, output: `curl: (7) Failed to connect to ${new URL(url).host}` }));
    req.end();
  });
}

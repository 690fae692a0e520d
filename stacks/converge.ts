// `npm start` / `npm run converge -- --stack <name>`: preview and apply one hop per `pulumi up` until the stack is at
// its targets.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { changeLines } from "./change-lines";
import { byHostName, hostRuns, hostsAlike } from "../planner/host-runs";
import { prePullLine } from "./prepull";
import { closeRunDiscovery, openRunDiscovery, previewEnded } from "./run-discovery";
import { workArea } from "../toolchain/paths";
import { upWithOutputsFromEvents } from "../toolchain/up-outputs";
import {
  cleanError,
  endLine,
  noticeOf,
  previewChange,
  startLine,
  StepTracker,
  withWaves,
  type Notice,
  type PreviewChange,
  type RolloutStep,
} from "./events";
import { forecastOfPlan } from "./host-deaths";
import { timelineHtml, type TimelineRun } from "./timeline";

export interface ConvergeOptions {
  readonly stack: string;
  /** Asks before each run; resolves false to stop. Absent: apply without asking. */
  readonly confirm?: (run: number) => Promise<boolean>;
  /** Give up after this many runs. @default 40 */
  readonly maxRuns: number;
  readonly log: (line: string) => void;
  /**
   * Aborted on Ctrl-C / SIGTERM: the engine is sent SIGINT and cancels gracefully (the step in flight finishes); no
   * further run starts.
   */
  readonly signal?: AbortSignal;
  /**
   * Aborted when no further run may start, the engine having had the interrupt already (Ctrl-C in a terminal reaches it
   * directly).
   */
  readonly stopRequested?: AbortSignal;
  /** Where the timeline goes. @default <work area>/timelines */
  readonly timelineDir?: string;
  /** Before each run: explain and clear what an earlier interrupted run left (see recovery.ts). */
  readonly beforeRun?: (stack: Stack) => Promise<void>;
}

export interface ConvergeResult {
  readonly runs: number;
  /** converged, blocked, stopped (asked and declined), refused, failed, interrupted, unfinished. */
  readonly phase: string;
  readonly steps: readonly RolloutStep[];
  readonly timelineRuns: readonly TimelineRun[];
  readonly started: number;
  /** ZooKeeper archives the stack records. */
  readonly archives: number;
  /** Docker engine hops on hosts running a Mesos agent (before 1.12 they stop every task on the host). */
  readonly taskKillingRestarts: number;
  /** The restarts the previewed plans forecast to kill their host's tasks, run by run ("a1 docker 1.7.1 → 1.11.2"). */
  readonly forecastKilling: readonly string[];
}

interface RunOutputs {
  readonly phase: string;
  readonly thisRun: string[];
  readonly hostVersions: Record<string, Record<string, string>>;
  readonly zookeeperArchives?: Record<string, unknown[]>;
}

/**
 * A per-host version table for people, from the stack's outputs: hosts that run the same versions share a row, named
 * as runs ("a1..a197"), so a cluster mid-hop reads as which hosts are where.
 */
export function versionTable(hostVersions: Record<string, Record<string, string>>): string {
  const columns = ["docker", "mesos-master", "mesos-slave", "marathon"];
  const versionsOf = (host: string) => columns.map((c) => hostVersions[host]?.[c] ?? "-");
  const hosts = Object.keys(hostVersions).sort(byHostName);
  const rows = [
    ["host", ...columns],
    ...hostsAlike(
      hosts,
      (host) => host,
      (host) => versionsOf(host).join(" "),
    ).map(({ hosts: named, first }) => [hostRuns(named), ...versionsOf(first)]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The plan section of a run: notices and warnings in the order the program wrote them, then only the real changes. */
export function planSection(run: number, notices: readonly Notice[], changes: readonly PreviewChange[]): string {
  const lines = [`\n── run ${run}: plan ──`];
  for (const notice of notices) {
    const label = notice.severity === "info" ? "" : `${notice.severity}: `;
    lines.push(`${label}${notice.resource ? `${notice.resource}: ` : ""}${notice.message}`);
  }
  if (changes.length === 0) lines.push("changes: none");
  else {
    lines.push(`changes (${changes.length}):`, ...changeLines(changes));
  }
  return lines.join("\n");
}

/** Whether an error is the engine's lock refusing a second run. */
/**
 * The engine's cap on resource operations at once. Unset, it is GOMAXPROCS × 4 (defaultParallel in pulumi/pulumi
 * pkg/cmd/pulumi/operations/up.go, v3.259.0; pulumi/pulumi#14989): 8 on 2 cores, fewer than a wide wave needs. The
 * program's dependencies (waves, gates) are what orders the steps, so the engine gets no cap of its own.
 */
export const ENGINE_PARALLEL = 2_147_483_647;

const isLockRefusal = (message: string): boolean => /the stack is currently locked/i.test(message);

/** The lock refusal for people: another run is live; never advice to break the lock. */
function lockRefusal(stack: string, message: string): string {
  const holder = /locked by \d+ lock\(s\)[^\n]*\n([\s\S]*?)(?:\n\s*\n|$)/.exec(message)?.[1]?.trim();
  return `another run of stack "${stack}" is in progress${holder ? ` (${holder.replace(/\s*\n\s*/g, "; ")})` : ""}; wait for it to finish, then run converge again`;
}

/**
 * Previews and applies runs until the plan says converged (or blocked), printing each run's plan, its steps live, and
 * the versions after it.
 */
export async function converge(stack: Stack, options: ConvergeOptions): Promise<ConvergeResult> {
  const started = Date.now();
  const steps: RolloutStep[] = [];
  const timelineRuns: TimelineRun[] = [];
  let archives = 0;
  let agentHosts = new Set<string>();
  const forecastKilling: string[] = [];
  const result = (runs: number, phase: string): ConvergeResult => {
    closeRunDiscovery();
    return ended(runs, phase);
  };
  const ended = (runs: number, phase: string): ConvergeResult => ({
    runs,
    phase,
    steps,
    timelineRuns,
    started,
    archives,
    forecastKilling,
    taskKillingRestarts: steps.filter(
      (s) =>
        s.op === "update" &&
        !s.error &&
        (s.killsTasks !== undefined || (s.component === "docker" && agentHosts.has(s.hosts[0] ?? ""))),
    ).length,
  });
  const aborted = (): boolean => Boolean(options.signal?.aborted || options.stopRequested?.aborted);
  for (let run = 1; run <= options.maxRuns; run++) {
    if (aborted()) return result(run - 1, "interrupted");
    await options.beforeRun?.(stack);
    // This run's preview and update share one discovery; nothing of an earlier run is taken (run-discovery.ts).
    openRunDiscovery(`${options.stack}#${run}#${Date.now()}`);
    const notices: Notice[] = [];
    const changes: PreviewChange[] = [];
    try {
      await stack.preview({
        parallel: ENGINE_PARALLEL,
        onEvent: (event: EngineEvent) => {
          const notice = noticeOf(event);
          if (notice) notices.push(notice);
          const change = previewChange(event);
          if (change) changes.push(change);
        },
        onOutput: () => undefined,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      options.log(planSection(run, notices, changes));
      const message = (error as Error).message;
      if (isLockRefusal(message)) options.log(`\nconverge: ${lockRefusal(options.stack, message)}`);
      else if (aborted()) options.log(`\nconverge: interrupted during the preview of run ${run}; nothing was applied`);
      else if (!notices.some((n) => n.severity === "error")) {
        options.log(`\nconverge: the preview of run ${run} failed:\n${cleanError(message)}`);
      } else options.log(`\nconverge: run ${run} refused (the errors above); nothing was applied`);
      return result(run - 1, aborted() ? "interrupted" : "refused");
    }
    previewEnded();
    options.log(planSection(run, notices, changes));
    if (options.confirm && !(await options.confirm(run))) return result(run - 1, "stopped");
    if (aborted()) return result(run - 1, "interrupted");
    // The forecast of the plan this run applies, counted whether the run then succeeds or fails.
    forecastKilling.push(...forecastOfPlan(notices));

    options.log(`── run ${run}: applying ──`);
    const tracker = new StepTracker(run);
    const runStart = Date.now();
    const shown = new Set(notices.map((n) => n.message));
    let outputs: RunOutputs | undefined;
    let failure: string | undefined;
    try {
      const up = await upWithOutputsFromEvents(stack, {
        parallel: ENGINE_PARALLEL,
        onEvent: (event: EngineEvent) => {
          const { started: began, ended } = tracker.apply(event, Date.now());
          if (began) options.log(startLine(began));
          if (ended) options.log(endLine(ended));
          const prePull = prePullLine(event);
          if (prePull) options.log(prePull);
          const notice = noticeOf(event);
          // The plan's notices were shown with the preview; a failed step's error shows with its step.
          if (notice && notice.severity !== "info" && !shown.has(notice.message) && !notice.resource) {
            shown.add(notice.message);
            options.log(`${notice.severity}: ${notice.message}`);
          }
        },
        onOutput: () => undefined,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      outputs = Object.fromEntries(
        Object.entries(up.outputs).map(([key, value]) => [key, value.value]),
      ) as unknown as RunOutputs;
    } catch (error) {
      failure = (error as Error).message;
    }
    closeRunDiscovery();
    const runEnd = Date.now();
    const left = tracker.finish(runEnd, aborted() ? "interrupted" : "did not finish");
    for (const step of left) options.log(endLine(step));
    steps.push(...withWaves(tracker.steps, outputs?.thisRun ?? []));
    const seconds = Math.round((runEnd - runStart) / 1000);
    if (failure !== undefined) {
      const interrupted = aborted();
      timelineRuns.push({ run, start: runStart, end: runEnd, outcome: interrupted ? "interrupted" : "failed" });
      if (isLockRefusal(failure)) options.log(`converge: ${lockRefusal(options.stack, failure)}`);
      else if (interrupted) {
        options.log(
          `── run ${run}: interrupted after ${seconds}s; the engine finished or stopped the step in flight and recorded it ──`,
        );
      } else {
        const already = tracker.steps.some((s) => s.error && s.error !== "did not finish");
        options.log(`── run ${run}: failed after ${seconds}s ──${already ? "" : `\n${cleanError(failure)}`}`);
      }
      return result(run, interrupted ? "interrupted" : "failed");
    }
    const out = outputs as RunOutputs;
    agentHosts = new Set(
      Object.entries(out.hostVersions ?? {})
        .filter(([, v]) => v["mesos-slave"])
        .map(([host]) => host),
    );
    archives = Object.values(out.zookeeperArchives ?? {}).reduce(
      (sum, list) => sum + (Array.isArray(list) ? list.length : 0),
      0,
    );
    timelineRuns.push({ run, start: runStart, end: runEnd, outcome: out.phase });
    const did = tracker.steps.length
      ? `${tracker.steps.length} step(s)`
      : out.phase === "adopting"
        ? "(adopted the running cluster; nothing restarted)"
        : "(nothing to do)";
    options.log(`── run ${run}: applied in ${seconds}s: ${did} ──\n\n${versionTable(out.hostVersions ?? {})}`);
    if (out.phase === "converged" || out.phase === "blocked") return result(run, out.phase);
  }
  return result(options.maxRuns, "unfinished");
}

/** The closing lines: total time, runs, steps, task-killing restarts, tasks lost, ZooKeeper archives. */
export function summaryLines(result: ConvergeResult, tasksLost: number | undefined, now: number): string[] {
  const seconds = Math.round((now - result.started) / 1000);
  return [
    `${result.phase} after ${result.runs} run(s) in ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`,
    `steps: ${result.steps.length} (${result.steps.filter((s) => s.error).length} failed)`,
    `task-killing restarts: ${result.taskKillingRestarts} (agent restarts whose executors die with them, Docker engine hops on agents)`,
    `tasks lost: ${tasksLost === undefined ? "not known (a real cluster: see Marathon's task history)" : tasksLost}`,
    `ZooKeeper archives: ${result.archives}`,
  ];
}

/** Writes the rollout timeline into the work area; returns its path. */
export function writeTimeline(
  stackName: string,
  result: ConvergeResult,
  summary: readonly string[],
  dir: string = path.join(workArea(), "timelines"),
): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date(result.started).toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${stackName}-${stamp}.html`);
  fs.writeFileSync(
    file,
    timelineHtml({
      title: `Rollout of stack "${stackName}", ${new Date(result.started).toISOString().slice(0, 16).replace("T", " ")} UTC`,
      runs: result.timelineRuns,
      steps: result.steps,
      summary,
    }),
  );
  return file;
}

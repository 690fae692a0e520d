// `npm start` (converge the local stack on the simulated cluster) and `npm run converge -- --stack <name> [--yes]
// [--step]`.
import "../toolchain/compile-cache";
import * as readline from "node:readline/promises";
import type { Stack } from "@pulumi/pulumi/automation";
import { RUN_PID_VARIABLE } from "../remote/run-watch";
import { taskDeathsLine } from "./task-deaths";
import { hostTaskLines, lostSince } from "./host-deaths";
import { SetupError } from "../toolchain/setup";
import { openStack } from "../toolchain/workspace";
import { converge, summaryLines, writeTimeline, type ConvergeResult } from "./converge";
import { watchDowntime } from "./downtime";
import { confirmation, CONVERGE_USAGE, parseConvergeArgs, type ConvergeArgs } from "./options";
import { engineProcesses, reap, stopProcesses, type ProcessInfo } from "./processes";
import { clusterProgram } from "./program";
import { recoverBeforeRun, RecoveryRefusal } from "./recovery";

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Ctrl-C and SIGTERM: the first asks the engine to cancel gracefully (the step in flight finishes or its gate ends,
 * and the engine records it); a second stops the engine now. From a terminal, Ctrl-C already reaches the engine (the
 * same process group), so it is not sent twice. Every engine process seen is remembered, so none outlives the run
 * even when the CLI dies first and its plugins lose their parent.
 */
function interrupts(): {
  signal: AbortSignal;
  stopRequested: AbortSignal;
  seen: Map<number, ProcessInfo>;
  dispose: () => void;
} {
  const controller = new AbortController();
  const stop = new AbortController();
  const seen = new Map<number, ProcessInfo>();
  const remember = () => {
    for (const p of engineProcesses(process.pid)) seen.set(p.pid, p);
  };
  const watcher = setInterval(remember, 1000);
  watcher.unref();
  let count = 0;
  const onSignal = (name: NodeJS.Signals) => {
    remember();
    count++;
    if (count === 1) {
      log(
        `\n[converge] ${name}: asking the engine to cancel gracefully; the step in flight finishes (or stops at its gate) and is recorded, and no further run starts.`,
      );
      log(
        "[converge] Ctrl-C again stops the engine now: the step in flight is left unfinished on its host and recorded as pending; the next converge checks that host and resumes it.",
      );
      stop.abort();
      const fromTerminal = name === "SIGINT" && process.stdin.isTTY;
      if (!fromTerminal) controller.abort();
      return;
    }
    log(`\n[converge] ${name} again: stopping the engine now; the next converge explains what was left and resumes.`);
    // The CLI's second SIGINT terminates it at once (its plugins are stopped below, by pid).
    stopProcesses(
      [...seen.values()].filter((p) => /(^|\/)pulumi( |$)/.test(p.command)),
      "SIGINT",
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    stopRequested: stop.signal,
    seen,
    dispose: () => {
      clearInterval(watcher);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

async function ask(run: number): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(`apply run ${run}? [y/N] `)).trim().toLowerCase() === "y";
  } finally {
    rl.close();
  }
}

/** Prints the end of a converge: the summary and where the timeline is. */
function report(stackName: string, result: ConvergeResult, tasksLost: number | undefined, extra: string[] = []): void {
  const summary = summaryLines(result, tasksLost, Date.now());
  const file = writeTimeline(stackName, result, summary);
  log(`\n[converge] ${[...summary, ...extra].join("\n[converge] ")}`);
  log(`[converge] timeline: ${file}`);
}

/** 0 converged (or stopped when asked), 130 interrupted (as a shell reports Ctrl-C), 1 otherwise. */
const exitCode = (result: ConvergeResult): number =>
  result.phase === "converged" || result.phase === "stopped" ? 0 : result.phase === "interrupted" ? 130 : 1;

async function run(args: ConvergeArgs): Promise<number> {
  const confirm = confirmation(args, Boolean(process.stdin.isTTY));
  if (confirm.kind === "refuse") {
    process.stderr.write(`${confirm.message}\n`);
    return 2;
  }
  // The engine's providers watch this process and stop with it, even after a SIGKILL (remote/run-watch.ts).
  process.env[RUN_PID_VARIABLE] = String(process.pid);
  const { signal, stopRequested, seen, dispose } = interrupts();
  const reapEngine = () => reap([...seen.values(), ...engineProcesses(process.pid)]);
  const options = {
    stack: args.stack,
    maxRuns: args.maxRuns,
    log,
    signal,
    stopRequested,
    beforeRun: (stack: Stack) => recoverBeforeRun(stack, args.stack, log),
    ...(confirm.kind === "ask" ? { confirm: ask } : {}),
  };
  try {
    if (args.stack === "local") {
      // The one seam to the simulator: loaded only for the local stack, so a real stack's run never loads sim/.
      const { openLocalStack } = await import("./localCluster");
      const { stack, cluster, origin, shape } = await openLocalStack(
        process.env.MESOS_UPGRADE_SIM_NETWORK ?? "127.0.100",
        log,
        args.simHosts,
        args.cluster,
      );
      // Downtime per app and per API, measured while the runs apply, next to what each run's plan forecast.
      const watch = watchDowntime(
        cluster,
        shape.apps.map((a) => ({ id: a.id, image: a.container?.docker?.image ?? "" })),
      );
      const printed: string[] = [];
      try {
        const result = await converge(stack, {
          ...options,
          log: (line: string) => {
            printed.push(line);
            log(line);
          },
        });
        // This invocation's span only (a resumed cluster's ledger holds the earlier invocations too).
        const hostOf = new Map(cluster.hosts.map((h) => [h.address, h.name]));
        const lost = lostSince(cluster.lostTasks(), result.started, hostOf);
        const since = new Date(result.started).toISOString();
        report(args.stack, result, lost.total, [
          taskDeathsLine(cluster.ledger().filter((e) => e.time >= since) as never),
          "per host (task-killing restarts done / forecast by the plans; tasks lost):",
          ...hostTaskLines(result.forecastKilling, result.steps, lost.byHost).map((line) => `  ${line}`),
          `downtime (measured on the simulated cluster; forecast counts the steps each run's plan named it down at):\n  ${watch.stop(printed).join("\n  ")}`,
          `cluster: ${origin === "new" ? "a new simulated cluster" : "the kept simulated cluster, resumed"}; ledger: ${cluster.writeLedgerJson()}`,
        ]);
        return exitCode(result);
      } finally {
        watch.stop(printed); // idempotent: ends the polling when converge failed before the report
        await reapEngine();
        if (args.keepCluster) {
          log(
            "[converge] the simulated cluster keeps running (--keep-cluster); the next `npm start` resumes it, `npm run sim -- down` stops it",
          );
        } else await cluster.stop();
      }
    }
    const stack = await openStack({ stack: args.stack, program: clusterProgram });
    const result = await converge(stack, options);
    report(args.stack, result, undefined);
    return exitCode(result);
  } catch (error) {
    if (error instanceof SetupError) {
      process.stderr.write(`setup: ${error.message}\n`);
      return 1;
    }
    if (error instanceof RecoveryRefusal) {
      process.stderr.write(`converge: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`converge: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await reapEngine();
    dispose();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseConvergeArgs(argv);
  switch (parsed.kind) {
    case "help":
      log(CONVERGE_USAGE);
      return 0;
    case "refuse":
      process.stderr.write(`${parsed.message}\n`);
      return 2;
    case "run":
      return run(parsed.args);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

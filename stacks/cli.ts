// `npm start` (converge the local stack on the simulated cluster) and `npm run converge -- --stack <name> [--step]`.
import { taskDeathsLine } from "./task-deaths";
import { SetupError } from "../toolchain/setup";
import { openStack } from "../toolchain/workspace";
import { converge, openLocalStack } from "./converge";
import { clusterProgram } from "./program";

const USAGE = "usage: converge [--stack <name>] [--step] [--max-runs N] [--keep-cluster]";

async function main(argv: readonly string[]): Promise<number> {
  const value = (flag: string) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  if (argv[0] !== "converge") {
    process.stderr.write(`stacks: unknown command "${argv[0] ?? ""}"; ${USAGE}\n`);
    return 2;
  }
  const stackName = value("--stack") ?? "local";
  const maxRuns = Number(value("--max-runs") ?? 40);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (stackName === "local") {
      log("[converge] starting the simulated cluster (3 masters with Marathon, 4 agents; Docker 1.7.1, Mesos 0.22.1, Marathon 0.9.1)…");
      const { stack, cluster } = await openLocalStack(process.env.MESOS_UPGRADE_SIM_NETWORK ?? "127.0.100");
      try {
        const result = await converge(stack, { stack: stackName, step: argv.includes("--step"), maxRuns, log });
        log(`\n[converge] ${result.phase} after ${result.runs} run(s); ${taskDeathsLine(cluster.ledger() as never)}; ledger: ${cluster.writeLedgerJson()}`);
        return result.phase === "converged" || result.phase === "stopped" ? 0 : 1;
      } finally {
        if (!argv.includes("--keep-cluster")) await cluster.stop();
      }
    }
    const stack = await openStack({ stack: stackName, program: clusterProgram });
    const result = await converge(stack, { stack: stackName, step: argv.includes("--step"), maxRuns, log });
    log(`\n[converge] ${result.phase} after ${result.runs} run(s)`);
    return result.phase === "converged" || result.phase === "stopped" ? 0 : 1;
  } catch (error) {
    if (error instanceof SetupError) {
      process.stderr.write(`setup: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`converge: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

// `npm run bench`: the planner's speed target, printed with its budget; `npm run bench -- rollout [--agents N]`: the
// rollout benchmark (bench/rollout.ts), which starts a simulated cluster and takes minutes.
import "../toolchain/compile-cache";
import { runPlannerBench } from "./planner.bench";
import { parseRolloutArgs, runRolloutBench, ROLLOUT_USAGE } from "./rollout";

async function main(argv: readonly string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === undefined || what === "planner") {
    const planner = runPlannerBench();
    process.stdout.write(`${JSON.stringify(planner, null, 2)}\n`);
  } else if (what === "rollout") {
    await runRolloutBench(parseRolloutArgs(rest), (line) => process.stdout.write(`${line}\n`));
  } else {
    process.stderr.write(
      `unknown benchmark "${what}"; the benchmarks are planner (the default) and rollout\n${ROLLOUT_USAGE}\n`,
    );
    process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});

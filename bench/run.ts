// `npm run bench`: every speed target of the project, each printed with its budget.
import { runPlannerBench } from "./planner.bench";

async function main(): Promise<void> {
  const planner = runPlannerBench();
  process.stdout.write(`${JSON.stringify(planner, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});

// One `pulumi up` of the slow program in its own process (a second operator); prints {ok, message} as JSON.
import { concurrentUpdateMessage } from "../../../toolchain/stack-outputs";
import { openStack } from "../../../toolchain/workspace";
import { slowProgram } from "./backend-programs";

async function main(): Promise<void> {
  const [stack, workDir, ledger, started] = process.argv.slice(2) as [string, string, string, string];
  const opened = await openStack({
    stack,
    program: slowProgram({ ledger, started, seconds: 25 }),
    scratchProject: { name: "mesos-upgrade", workDir },
  });
  try {
    const result = await opened.up();
    process.stdout.write(JSON.stringify({ ok: true, message: result.summary.result }));
  } catch (error) {
    process.stdout.write(
      JSON.stringify({ ok: false, message: concurrentUpdateMessage(error, stack) ?? String((error as Error).message) }),
    );
  }
}

main().catch((error: unknown) => {
  process.stdout.write(JSON.stringify({ ok: false, message: `child failed: ${(error as Error).message}` }));
});

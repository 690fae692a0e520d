// `npm run setup` provides the Pulumi toolchain; `smoke` runs the smoke stack through the real engine.
import * as path from "node:path";
import { workArea } from "./paths";
import { ensureToolchain, SetupError } from "./setup";
import { smokeProgram } from "./smoke";
import { openStack } from "./workspace";

const USAGE = "usage: toolchain setup | toolchain smoke [version]";

async function setup(): Promise<void> {
  const toolchain = await ensureToolchain();
  const from = { path: "your PATH", cache: "the toolchain cache", built: "a fresh Go build" }[toolchain.source];
  process.stderr.write(`[setup] Pulumi CLI v${toolchain.version} from ${from}: ${toolchain.pulumi}\n`);
}

async function smoke(version: string): Promise<void> {
  const stack = await openStack({
    stack: "scratch-smoke",
    program: smokeProgram(version),
    scratchProject: { name: "mesos-upgrade-smoke", workDir: path.join(workArea(), "smoke") },
  });
  await stack.preview({ diff: true, onOutput: (text) => process.stdout.write(text) });
  const result = await stack.up({ onOutput: (text) => process.stdout.write(text) });
  process.stdout.write(`smoke stack: version ${result.outputs.version.value} is on release line ${result.outputs.line.value}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    switch (argv[0] ?? "setup") {
      case "setup":
        await setup();
        return 0;
      case "smoke":
        await setup();
        await smoke(argv[1] ?? "0.28.2");
        return 0;
      default:
        process.stderr.write(`toolchain: unknown command "${argv[0]}"; ${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof SetupError) {
      process.stderr.write(`setup: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

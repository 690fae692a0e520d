// `npm run setup` provides the Pulumi toolchain; `smoke` runs the smoke stack through the real engine.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { workArea } from "./paths";
import { ensureToolchain, SetupError } from "./setup";
import { smokeProgram } from "./smoke";
import { openStack } from "./workspace";

const USAGE = `usage: npm run setup                 provide the Pulumi CLI (PATH, the toolchain cache, or a Go build)
       npm run smoke [-- <version>]   run the smoke stack (one dynamic resource) through the real engine; default 0.28.2

options: --help   this text`;

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
  process.stdout.write(
    `smoke stack: version ${result.outputs.version.value} is on release line ${result.outputs.line.value}\n`,
  );
}

async function main(argv: readonly string[]): Promise<number> {
  let values: { help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    process.stderr.write(`toolchain: ${(error as Error).message.split("\n")[0]}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command = "setup", ...rest] = positionals;
  const extra = (allowed: number) =>
    rest.length > allowed ? `toolchain ${command}: unexpected argument ${JSON.stringify(rest[allowed])}` : undefined;
  try {
    switch (command) {
      case "setup": {
        const problem = extra(0);
        if (problem) return refuse(problem);
        await setup();
        return 0;
      }
      case "smoke": {
        const problem = extra(1);
        if (problem) return refuse(problem);
        await setup();
        await smoke(rest[0] ?? "0.28.2");
        return 0;
      }
      default:
        return refuse(`toolchain: unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof SetupError) {
      process.stderr.write(`setup: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function refuse(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

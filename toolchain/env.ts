// The environment every Pulumi command of the project runs with: the stack's backend, no downloads, no update checks.
import * as os from "node:os";
import * as path from "node:path";
import { chooseBackend, currentLogin, isLocalStack, redactedUrl, secretsNeed, type BackendChoice } from "./backend";
import { nodeModulesBin, workArea, workAreaPulumiHome } from "./paths";
import type { Toolchain } from "./setup";

export { BackendMissingError, isLocalStack } from "./backend";

/** The passphrase of local stacks; it protects nothing of value (simulated hosts on loopback). */
export const LOCAL_PASSPHRASE = "local-simulated-cluster";

export class PassphraseMissingError extends Error {
  override readonly name = "PassphraseMissingError";
}

/** What pulumiEnv needs to know about the stack besides its name. */
export interface StackEnvOptions {
  /** The stack file's `secretsprovider`, if it has one. */
  readonly secretsProvider?: string;
  /** The backend `pulumi login` selected; defaults to reading the CLI's credentials.json. */
  readonly login?: string;
  /** Only reads the stack's state (`stack export`, `whoami`): no secret is decrypted, so no passphrase is needed. */
  readonly readOnly?: boolean;
}

/**
 * The engine's garbage collector target (Go's GOGC): collect when the heap has grown to five times what is live,
 * instead of Go's twice. The engine writes the whole state at every step's start and end, one write at a time, and
 * each write allocates the state's JSON twice over: with Go's default, the 13 windows of a Mesos hop of 100 agents
 * took 29–30 s, with this 24.5–27 s (`bench/RESULTS.md`). The engine's live heap is tens of megabytes for a hundred
 * hosts. An operator's own GOGC is kept.
 */
export const ENGINE_GOGC = "400";

/**
 * A soft ceiling on the engine's heap (Go's GOMEMLIMIT): nearing it, Go collects as often as it must, so the larger
 * target above never takes the engine past it (377 MB resident in a hop of 103 hosts). An operator's own is kept.
 */
export const ENGINE_GOMEMLIMIT = "2GiB";

/**
 * Where the dynamic provider's Node process keeps the code V8 compiled from its modules (Node's module compile cache,
 * Node 22.1 and later; an older Node ignores it): the provider host loads the Pulumi SDK and the providers, 0.6 s
 * compiled afresh and 0.45 s from this cache, once per preview and per update, before the engine can check the first
 * resource (issue 14). Node's own default directory; an operator's own NODE_COMPILE_CACHE is kept, and
 * NODE_DISABLE_COMPILE_CACHE turns it off as Node documents.
 */
export function providerCompileCache(base: NodeJS.ProcessEnv): string {
  return base.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), "node-compile-cache");
}

/** Variables passed on from the operator's environment to a real stack's commands when set. */
const OPERATOR_KEYS = [
  "PULUMI_HOME",
  "PULUMI_BACKEND_URL",
  "PULUMI_ACCESS_TOKEN",
  "PULUMI_CONFIG_PASSPHRASE",
  "PULUMI_CONFIG_PASSPHRASE_FILE",
] as const;

/**
 * Environment variables for the Pulumi CLI and engine, for one stack. Local and scratch stacks get the project's
 * work area (state and PULUMI_HOME) and the built-in passphrase; real stacks keep the operator's own PULUMI_HOME,
 * login and secrets, and are refused when no backend or no passphrase is chosen.
 */
export function pulumiEnv(
  toolchain: Toolchain,
  stack: string,
  base: NodeJS.ProcessEnv = process.env,
  options: StackEnvOptions = {},
): Record<string, string> {
  const work = workArea();
  const backend: BackendChoice = chooseBackend(
    stack,
    base,
    path.join(work, "state"),
    "login" in options ? options.login : currentLogin(base),
  );
  const env: Record<string, string> = {
    PATH: [toolchain.binDir, nodeModulesBin, base.PATH ?? ""].join(path.delimiter),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    GOGC: base.GOGC ?? ENGINE_GOGC,
    GOMEMLIMIT: base.GOMEMLIMIT ?? ENGINE_GOMEMLIMIT,
    NODE_COMPILE_CACHE: providerCompileCache(base),
  };
  if (isLocalStack(stack)) {
    env.PULUMI_HOME = base.PULUMI_HOME ?? workAreaPulumiHome();
    env.PULUMI_BACKEND_URL = backend.url;
    env.PULUMI_CONFIG_PASSPHRASE = LOCAL_PASSPHRASE;
    return env;
  }
  for (const key of OPERATOR_KEYS) if (base[key] !== undefined) env[key] = base[key] as string;
  const secrets = secretsNeed(backend.url, options.secretsProvider);
  if (
    secrets.kind === "passphrase" &&
    !options.readOnly &&
    base.PULUMI_CONFIG_PASSPHRASE === undefined &&
    base.PULUMI_CONFIG_PASSPHRASE_FILE === undefined
  ) {
    throw new PassphraseMissingError(
      `stack "${stack}" is a real environment whose secrets (the SSH key) are encrypted with a passphrase on its backend ${redactedUrl(backend.url)}: ` +
        "set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to that stack's passphrase, or give the stack a secrets provider " +
        `(\`pulumi stack change-secrets-provider --stack ${stack} awskms://…\`); only "local" and scratch-* stacks use the built-in one`,
    );
  }
  return env;
}

// The environment every Pulumi command of the project runs with: local file backend, no downloads, no update checks.
import * as path from "node:path";
import { nodeModulesBin, workArea } from "./paths";
import type { Toolchain } from "./setup";

/**
 * Stacks whose state may use the project's fixed local passphrase: the simulated cluster and throwaway test
 * stacks. Real environments (test, dev, demo, prod) need the operator's own PULUMI_CONFIG_PASSPHRASE.
 */
export function isLocalStack(stack: string): boolean {
  return stack === "local" || stack.startsWith("scratch-");
}

/** The passphrase of local stacks; it protects nothing of value (simulated hosts on loopback). */
export const LOCAL_PASSPHRASE = "local-simulated-cluster";

export class PassphraseMissingError extends Error {
  override readonly name = "PassphraseMissingError";
}

/** Environment variables for the Pulumi CLI and engine, for one stack. */
export function pulumiEnv(toolchain: Toolchain, stack: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const work = workArea();
  const env: Record<string, string> = {
    PATH: [toolchain.binDir, nodeModulesBin, base.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: base.PULUMI_HOME ?? path.join(work, "pulumi-home"),
    PULUMI_BACKEND_URL: base.PULUMI_BACKEND_URL ?? `file://${path.join(work, "state")}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
  };
  if (isLocalStack(stack)) {
    env.PULUMI_CONFIG_PASSPHRASE = LOCAL_PASSPHRASE;
  } else if (base.PULUMI_CONFIG_PASSPHRASE === undefined && base.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    throw new PassphraseMissingError(
      `stack "${stack}" is a real environment: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to its secrets passphrase; only the "local" stack uses the built-in one`,
    );
  }
  return env;
}

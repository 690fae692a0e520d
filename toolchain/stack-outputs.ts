// Reads what a stack last recorded (its outputs) from its backend without running the program, and names a lock conflict.
import * as path from "node:path";
import { ConcurrentUpdateError, LocalWorkspace, PulumiCommand, StackNotFoundError } from "@pulumi/pulumi/automation";
import { redactedUrl } from "./backend";
import { pulumiEnv } from "./env";
import type { Toolchain } from "./setup";

/** A stack's recorded outputs, or undefined when the backend holds no such stack. */
export interface RecordedStack {
  /** The backend read, password hidden (`pulumi whoami`). */
  readonly backend: string;
  /** Outputs by name, as the stack's last update left them; undefined when the stack does not exist. */
  readonly outputs: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The outputs of `stack` in the project at `workDir`, from `pulumi stack export` (the checkpoint's root stack
 * resource): nothing runs, nothing is created, secrets stay encrypted.
 */
export async function readStackOutputs(toolchain: Toolchain, workDir: string, stack: string, base: NodeJS.ProcessEnv = process.env): Promise<RecordedStack> {
  const envVars = pulumiEnv(toolchain, stack, base, { readOnly: true });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(toolchain.binDir), skipVersionCheck: true });
  const workspace = await LocalWorkspace.create({ workDir, envVars, pulumiCommand });
  const backend = redactedUrl((await workspace.whoAmI()).url ?? envVars.PULUMI_BACKEND_URL ?? "(unknown)");
  try {
    const deployment = await workspace.exportStack(stack);
    const resources = (deployment.deployment as { resources?: Array<{ type: string; outputs?: Record<string, unknown> }> }).resources ?? [];
    return { backend, outputs: resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {} };
  } catch (error) {
    if (error instanceof StackNotFoundError) return { backend, outputs: undefined };
    throw error;
  }
}

/**
 * The message for an update refused because another holds the stack's lock (Pulumi Cloud's 409, or a DIY
 * backend's lock file: file, S3, PostgreSQL); undefined for any other error.
 */
export function concurrentUpdateMessage(error: unknown, stack: string): string | undefined {
  if (!(error instanceof ConcurrentUpdateError)) return undefined;
  return `another update of stack "${stack}" is in progress (the backend holds its lock), so nothing was applied: wait for it to end; if that process died, clear the lock with \`pulumi cancel --stack ${stack}\``;
}

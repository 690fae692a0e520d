// Reads what a stack last recorded (its outputs) from its backend without running the program, and names a lock
// conflict.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConcurrentUpdateError, LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { redactedUrl } from "./backend";
import { pulumiEnv } from "./env";
import type { Toolchain } from "./setup";

const run = promisify(execFile);

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
export async function readStackOutputs(
  toolchain: Toolchain,
  workDir: string,
  stack: string,
  base: NodeJS.ProcessEnv = process.env,
): Promise<RecordedStack> {
  const envVars = pulumiEnv(toolchain, stack, base, { readOnly: true });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(toolchain.binDir), skipVersionCheck: true });
  const workspace = await LocalWorkspace.create({ workDir, envVars, pulumiCommand });
  const backend = redactedUrl((await workspace.whoAmI()).url ?? envVars.PULUMI_BACKEND_URL ?? "(unknown)");
  try {
    // Not workspace.exportStack: it adds --show-secrets, which decrypts every secret and so needs the passphrase.
    const exported = await run(toolchain.pulumi, ["stack", "export", "--stack", stack, "--non-interactive"], {
      cwd: workDir,
      env: { ...process.env, ...envVars },
      maxBuffer: 256 * 1024 * 1024,
    });
    const deployment = JSON.parse(exported.stdout) as { deployment?: unknown };
    const resources =
      (deployment.deployment as { resources?: Array<{ type: string; outputs?: Record<string, unknown> }> }).resources ??
      [];
    return { backend, outputs: resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {} };
  } catch (error) {
    if (/no stack named .* found/.test(String((error as { stderr?: unknown }).stderr))) {
      return { backend, outputs: undefined };
    }
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

// What a stack of this project recorded: its outputs as its last run left them, read through the engine.
import * as pulumi from "@pulumi/pulumi";

/**
 * The fully qualified name of a stack of `project` in the running organisation: "organization/…" on file,
 * S3 and PostgreSQL backends, the operator's organisation on Pulumi Cloud.
 */
export function stackPath(project: string, stack: string, organization: string = pulumi.getOrganization()): string {
  return `${organization}/${project}/${stack}`;
}

/**
 * The outputs of `stack` of `project` as last recorded, or undefined when the backend holds no such stack. Read with
 * the engine's builtin `readStackOutputs` invoke rather than a StackReference: a StackReference to a missing stack
 * fails the whole run with the engine's "unknown stack" before the program can say what to do about it, while an
 * invoke's failure comes back to the program.
 */
export async function recordedOutputs(project: string, stack: string): Promise<Record<string, unknown> | undefined> {
  try {
    const answer = (await pulumi.runtime.invoke("pulumi:pulumi:readStackOutputs", {
      name: stackPath(project, stack),
    })) as { outputs?: Record<string, unknown> };
    return answer.outputs ?? {};
  } catch (error) {
    if (/unknown stack/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * Every resource of `stack` with its outputs as the engine holds them (urn → outputs), or undefined when there is no
 * such stack.
 */
export async function recordedResources(
  project: string,
  stack: string,
): Promise<Record<string, { outputs?: Record<string, unknown> }> | undefined> {
  try {
    const answer = (await pulumi.runtime.invoke("pulumi:pulumi:readStackResourceOutputs", {
      stackName: stackPath(project, stack),
    })) as { outputs?: Record<string, { outputs?: Record<string, unknown> }> };
    return answer.outputs ?? {};
  } catch (error) {
    if (/unknown stack/.test((error as Error).message)) return undefined;
    throw error;
  }
}

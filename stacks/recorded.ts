// What another stack of this project (or this stack's own last run) recorded, read through a StackReference.
import * as pulumi from "@pulumi/pulumi";

const PROJECT = "mesos-upgrade";

/**
 * The fully qualified name of a stack of this project in the running organisation: "organization/…" on file,
 * S3 and PostgreSQL backends, the operator's organisation on Pulumi Cloud.
 */
export function stackPath(stack: string, organization: string = pulumi.getOrganization()): string {
  return `${organization}/${PROJECT}/${stack}`;
}

/** Outputs of a stack of this project as its last run recorded them (undefined where there are none). */
export async function recordedOutputs(referenceName: string, stack: string, keys: readonly string[]): Promise<Record<string, unknown>> {
  const reference = new pulumi.StackReference(referenceName, { name: stackPath(stack) });
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    try {
      values[key] = (await reference.getOutputDetails(key)).value;
    } catch {
      values[key] = undefined;
    }
  }
  return values;
}

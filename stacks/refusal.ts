// How a run refuses: it fails the program, so the engine changes nothing in the state, and says why once.
import * as pulumi from "@pulumi/pulumi";

/**
 * A refusal before anything is touched. Thrown, it fails the program: the engine then deletes nothing and keeps
 * the stack's outputs. (A program that logs an error and returns normally signals the engine that it is complete,
 * and every resource it did not declare is deleted, the stack's record with it.) As a RunError, the runtime prints
 * its message without a stack trace.
 */
export class Refusal extends pulumi.RunError {
  override readonly name = "Refusal";
}

/**
 * Marks the stack's own outputs as handled before the program fails. The runtime derives `isKnown` and `isSecret`
 * promises from the program's result when the stack resource is built, and nothing awaits them; when the program
 * rejects, both reach Node's `unhandledRejection` (the Automation API's handler swallows them, but any other
 * listener, such as node:test's, sees two stray copies of the error).
 */
export function settleStackOutputs(): void {
  const stack = pulumi.runtime.getStackResource() as
    { outputs?: { isKnown?: unknown; isSecret?: unknown } } | undefined;
  for (const derived of [stack?.outputs?.isKnown, stack?.outputs?.isSecret]) {
    if (derived instanceof Promise) derived.catch(() => undefined);
  }
}

/** Runs `program`; if it fails, the stack's derived outputs are settled first so the failure is reported once. */
export async function failingCleanly<T>(program: () => Promise<T>): Promise<T> {
  try {
    return await program();
  } catch (error) {
    settleStackOutputs();
    throw error;
  }
}

// The message of a run that must fail.
import assert from "node:assert/strict";

/** The error message of `run`, which must fail; the message must not carry an SSH private key. */
export async function failureOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    const message = (error as Error).message;
    assert.doesNotMatch(message, /PRIVATE KEY|b3BlbnNzaC1rZXktdjE/, "the error carries no private key");
    return message;
  }
  assert.fail("the run was expected to fail");
}

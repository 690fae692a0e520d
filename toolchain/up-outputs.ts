// An update whose result takes the stack's outputs from the run's own engine events (issue 14).
//
// The Automation API's `up` reads the outputs after the engine has ended with two `pulumi stack output` commands
// (masked, then with secrets) and its summary with `pulumi stack history`: three CLI starts, one after another, each
// loading the whole state (and one deriving the passphrase's key). At a hundred hosts that is about a second at the
// end of every run. The engine has already sent the root stack's outputs in the run's events, complete once the
// program ends; only secrets are masked there, so a run whose outputs hold one reads them as before.
import type { EngineEvent, OutputMap, Stack, UpOptions, UpResult } from "@pulumi/pulumi/automation";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime";

/** The root stack's type: its outputs are the stack's outputs. */
const STACK_TYPE = "pulumi:pulumi:Stack";

/** The stack's outputs as `event` carries them (the root stack's outputs event), or undefined (pure). */
export function stackOutputsOfEvent(event: EngineEvent): Readonly<Record<string, unknown>> | undefined {
  const metadata = event.resOutputsEvent?.metadata;
  if (metadata?.type !== STACK_TYPE) return undefined;
  return (metadata.new?.outputs ?? {}) as Record<string, unknown>;
}

/** Whether `value` holds a secret anywhere, which events show masked (pure). */
export function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return true;
  return Object.values(record).some(holdsSecret);
}

/** Outputs of an event as `UpResult.outputs` gives them: none of them secret (pure; see holdsSecret). */
export function outputMapOf(outputs: Readonly<Record<string, unknown>>): OutputMap {
  return Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { value, secret: false }]));
}

/** What `upWithOutputsFromEvents` gives: an update's result without its summary, which it does not read. */
export type UpOutputsResult = Pick<UpResult, "stdout" | "stderr" | "outputs">;

/**
 * `stack.up(options)`, its outputs taken from the run's events when they hold no secret (else read from the stack as
 * the Automation API does). The summary is not read (`stack.info()` gives it when wanted).
 */
export async function upWithOutputsFromEvents(stack: Stack, options: UpOptions = {}): Promise<UpOutputsResult> {
  let outputs: Readonly<Record<string, unknown>> | undefined;
  const onEvent = (event: EngineEvent): void => {
    outputs = stackOutputsOfEvent(event) ?? outputs;
    options.onEvent?.(event);
  };
  // `up` reads the outputs and the summary through these two methods of the stack it runs on; the view runs the same
  // update with its own.
  const view = Object.create(stack, {
    outputs: {
      value: async (): Promise<OutputMap> =>
        outputs !== undefined && !holdsSecret(outputs) ? outputMapOf(outputs) : stack.outputs(),
    },
    info: { value: async (): Promise<undefined> => undefined },
  }) as Stack;
  return view.up({ ...options, onEvent });
}

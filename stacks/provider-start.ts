// The dynamic provider's process, started by the engine while the program still reads the hosts (issue 14).
import * as pulumi from "@pulumi/pulumi";

/** The function the program invokes to have the engine start the dynamic provider's process (startDynamicProvider). */
export const PROVIDER_START_TOKEN = "pulumi-nodejs:dynamic:startProcess";

/**
 * Has the engine start the dynamic provider's process now, while the program still reads the hosts. The engine
 * starts a provider when something first needs it, and the program declares its first resource only after discovery,
 * so the process's start (a Node process loading the SDK, about 2 s) came after discovery, one after the other in
 * every preview and update (issue 14). An invoke of the provider's package makes the engine load and configure its
 * default provider, the same one the resources use; the dynamic provider implements no function and answers
 * "unknown function", which is all this waits for. Whatever else goes wrong is left to the first resource, which
 * meets it too and reports it.
 */
export function startDynamicProvider(
  invoke: (token: string, args: pulumi.Inputs) => Promise<unknown> = pulumi.runtime.invoke,
): Promise<void> {
  return invoke(PROVIDER_START_TOKEN, {}).then(
    () => undefined,
    () => undefined,
  );
}

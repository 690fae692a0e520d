// Swaps one component's container for a new version: pre-pull, stop, recreate, gate; put the old one back on failure.
import { waitForGate, type HealthGate } from "../remote/gate";
import type { RemoteShell } from "../remote/ssh";
import { inspectContainer, pullImage, removeContainer, runContainer, specOf, type ContainerSpec, type RunningContainer } from "./container";

export interface SwapRequest {
  readonly desired: ContainerSpec;
  /** The name of the container running now, when it differs from `desired.name` (a rename at this restart). */
  readonly previousName?: string;
  /** The gate the new container must pass. */
  readonly gate: HealthGate;
  /** On gate failure, recreate the previous container and wait for `restoredGate`. */
  readonly rollback: boolean;
  /** The gate that says the previous container is back (used only when rolling back). */
  readonly restoredGate?: HealthGate;
  readonly pullTimeoutSeconds?: number;
}

export type SwapOutcome =
  | { readonly kind: "swapped"; readonly container: RunningContainer; readonly gateObserved: string; readonly seconds: number }
  | { readonly kind: "rolled-back"; readonly container: RunningContainer; readonly failure: string }
  | { readonly kind: "failed"; readonly container: RunningContainer | undefined; readonly failure: string };

/**
 * Replaces the container named `previousName` (else `desired.name`) with `desired`. Pulls first, so a registry failure stops before
 * anything was stopped (that error is thrown as is: nothing changed on the host).
 */
export async function swapContainer(shell: RemoteShell, request: SwapRequest): Promise<SwapOutcome> {
  const { desired } = request;
  const oldName = request.previousName ?? desired.name;
  const previous = await inspectContainer(shell, oldName);
  await pullImage(shell, desired.image, request.pullTimeoutSeconds);
  await removeContainer(shell, oldName);
  if (oldName !== desired.name) await removeContainer(shell, desired.name);
  await runContainer(shell, desired);
  try {
    const passed = await waitForGate(request.gate);
    const container = await inspectContainer(shell, desired.name);
    if (!container) throw new Error(`${shell.label}: container ${desired.name} vanished right after passing its health gate`);
    return { kind: "swapped", container, gateObserved: passed.observed, seconds: passed.seconds };
  } catch (error) {
    const failure = (error as Error).message;
    if (request.rollback && previous) {
      await removeContainer(shell, desired.name);
      await runContainer(shell, { ...specOf(previous), secretEnv: desired.secretEnv });
      let restored = "";
      if (request.restoredGate) {
        try {
          await waitForGate(request.restoredGate);
        } catch (restoreError) {
          restored = `; the previous container ${previous.image} was started again but is not healthy either: ${(restoreError as Error).message}`;
        }
      }
      const container = await inspectContainer(shell, previous.name);
      if (!restored && container) return { kind: "rolled-back", container, failure };
      return { kind: "failed", container, failure: failure + restored };
    }
    return { kind: "failed", container: await inspectContainer(shell, desired.name), failure };
  }
}

// Swaps one component's container for a new version: pre-pull, then stop, remove and start in one round trip, gate;
// put the old one back on failure.
import { waitForGate, type GateObservation, type HealthGate } from "../remote/gate";
import type { RemoteShell } from "../remote/ssh";
import { inspectContainer, type RunningContainer } from "../observe/containers";
import { pullImage, removeContainer, replaceContainer, specOf, type ContainerSpec } from "./container";

export interface SwapRequest {
  readonly desired: ContainerSpec;
  /**
   * The component's container as the step found it (read once per step), if any; its name may differ from
   * `desired.name` (a rename at this restart).
   */
  readonly previous?: RunningContainer;
  /** The gate the new container must pass. */
  readonly gate: HealthGate;
  /**
   * On failure (the new container does not start or fails its gate), recreate the previous container and wait for
   * `restoredGate`.
   */
  readonly rollback: boolean;
  /** The gate that says the previous container is back (used only when rolling back). */
  readonly restoredGate?: HealthGate;
  readonly pullTimeoutSeconds?: number;
  /**
   * The pull of `desired.image`, when the caller started it beside its own reads (a registry round trip even for an
   * image the run's pre-pull fetched); the swap waits for it, and stops nothing when it fails. Without it the swap
   * pulls first.
   */
  readonly pulled?: Promise<void>;
  /**
   * A whole-cluster restart (providers/whole-cluster.ts): stop `previous` first, then wait for this gate before
   * starting `desired`. When it does not pass (and a last look agrees), `previous` is started again (with `rollback`),
   * so no instance starts at the new version while an old one runs.
   */
  readonly waitBeforeStart?: HealthGate;
}

export type SwapOutcome =
  | {
      readonly kind: "swapped";
      readonly container: RunningContainer;
      readonly gateObserved: string;
      readonly seconds: number;
    }
  | { readonly kind: "rolled-back"; readonly container: RunningContainer; readonly failure: string }
  | { readonly kind: "failed"; readonly container: RunningContainer | undefined; readonly failure: string };

/**
 * Replaces `previous` (else any container named `desired.name`) with `desired`. Pulls first, so a registry failure
 * stops before anything was stopped (that error is thrown as is: nothing changed on the host). Stopping the old
 * container and starting the new one is one remote script: one SSH round trip, so a Mesos agent is back within its
 * master's ping window (which several round trips could exceed at a short window).
 */
export async function swapContainer(shell: RemoteShell, request: SwapRequest): Promise<SwapOutcome> {
  const { desired, previous } = request;
  await (request.pulled ?? pullImage(shell, desired.image, request.pullTimeoutSeconds));
  if (request.waitBeforeStart) {
    const waited = await stopThenWait(shell, request, request.waitBeforeStart);
    if (waited) return waited;
  }
  const started = await replaceContainer(shell, desired, [...new Set([previous?.name ?? desired.name, desired.name])]);
  try {
    if (started.kind === "start-failed") throw new Error(`${shell.label}: ${started.failure}`);
    const run = onOneRun(shell, desired.name, request.gate);
    const passed = await waitForGate(run.gate);
    const container = run.container() as RunningContainer;
    return { kind: "swapped", container, gateObserved: passed.observed, seconds: passed.seconds };
  } catch (error) {
    const failure = (error as Error).message;
    if (request.rollback && previous) {
      const back = await replaceContainer(shell, { ...specOf(previous), secretEnv: desired.secretEnv }, [desired.name]);
      let restored =
        back.kind === "start-failed"
          ? `; the previous container ${previous.image} could not be started again: ${back.failure}`
          : "";
      if (!restored && request.restoredGate) {
        try {
          await waitForGate(onOneRun(shell, previous.name, request.restoredGate).gate);
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

/**
 * `gate`, passing only on looks that all saw one run of the container `name`, just started: a crash in between that
 * its restart policy hid (Docker restarts it within 100 ms) starts the streak over, so a crash-looping container does
 * not pass by answering twice between crashes. `container()` is what the passing confirmation read.
 */
export function onOneRun(
  shell: RemoteShell,
  name: string,
  gate: HealthGate,
): { readonly gate: HealthGate; container(): RunningContainer | undefined } {
  let restartsSeen = 0;
  let seen: RunningContainer | undefined;
  const confirm = async (): Promise<GateObservation> => {
    seen = await inspectContainer(shell, name);
    if (!seen) return { passed: false, observed: `container ${name} is gone` };
    const restarts = seen.restartCount ?? 0;
    const sameRun = seen.running && restarts === restartsSeen;
    restartsSeen = restarts;
    if (sameRun) return { passed: true, observed: `container ${name} runs` };
    const restarted = restarts ? `, restarted ${restarts} time${restarts === 1 ? "" : "s"} since it was started` : "";
    const state = seen.running ? "runs" : seen.restarting ? "is waiting to be restarted" : "is not running";
    return {
      passed: false,
      observed: `container ${name} ${state}${restarted}: it exited between the gate's looks (see \`docker logs ${name}\`)`,
    };
  };
  return { gate: { ...gate, confirm }, container: () => seen };
}

/**
 * Stops and removes `previous`, then waits for `wait`. Undefined when the start may go ahead; else the outcome: the
 * previous container started again (with rollback), or left stopped. A gate that timed out gets one last look first,
 * so an instance never restarts the old version once its peers have cleared the way.
 */
async function stopThenWait(
  shell: RemoteShell,
  request: SwapRequest,
  wait: HealthGate,
): Promise<SwapOutcome | undefined> {
  const { desired, previous } = request;
  await removeContainer(shell, previous?.name ?? desired.name);
  try {
    await waitForGate(wait);
    return undefined;
  } catch (error) {
    const last = await wait.check().catch((e: Error) => ({ passed: false, observed: e.message }));
    if (last.passed) return undefined;
    const failure = `${(error as Error).message}; nothing was started at the new version`;
    if (!request.rollback || !previous) return { kind: "failed", container: undefined, failure };
    const back = await replaceContainer(shell, { ...specOf(previous), secretEnv: desired.secretEnv }, [previous.name]);
    if (back.kind === "start-failed") {
      return {
        kind: "failed",
        container: undefined,
        failure: `${failure}; the previous container ${previous.image} could not be started again: ${back.failure}`,
      };
    }
    const container = await inspectContainer(shell, previous.name);
    return container ? { kind: "rolled-back", container, failure } : { kind: "failed", container, failure };
  }
}

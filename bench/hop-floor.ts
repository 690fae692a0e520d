// The engine's floor for a hop: the same hosts, components and waves as ours, each step a no-op dynamic resource whose
// update lasts its window of the limit, each wave depending on the one before (as stacks/decide.ts declares them), and
// nothing else: no simulator, no SSH, no gate. What the engine alone adds to each window.
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { floorProgram, hostOfStep, type FloorHost, type FloorWave } from "./preview-floor";
import type { HopStep, PhysicalLimit } from "./rollout-limit";

/** The waves of one run's steps (pure), in order, each lasting its window of the limit at `timeScale`. */
export function floorWaves(
  steps: readonly HopStep[],
  run: number,
  windows: PhysicalLimit["windows"],
  timeScale: number,
): FloorWave[] {
  return windows
    .filter((w) => w.run === run)
    .map((w) => ({
      hosts: steps.filter((s) => s.run === run && s.wave === w.wave).map((s) => s.host),
      seconds: w.seconds * timeScale,
    }))
    .filter((w) => w.hosts.length > 0);
}

/**
 * Each wave's time over its steps' own (pure): from its first step's start event to its last step's outputs, less
 * the wave's seconds; NaN for a wave with a step the events do not show.
 */
export function waveOverheads(
  waves: readonly FloorWave[],
  starts: ReadonlyMap<string, number>,
  ends: ReadonlyMap<string, number>,
): number[] {
  return waves.map((wave) => {
    const first = Math.min(...wave.hosts.map((h) => starts.get(h) ?? NaN));
    const last = Math.max(...wave.hosts.map((h) => ends.get(h) ?? NaN));
    return (last - first) / 1000 - wave.seconds;
  });
}

/** The floor's run: its stack created at version 1, then timed moving every step to version 2. */
export async function timedHopFloor(
  open: (program: () => Promise<Record<string, unknown>>) => Promise<Stack>,
  hosts: readonly FloorHost[],
  waves: readonly FloorWave[],
  parallel: number,
): Promise<{ readonly overheads: number[]; readonly resources: number }> {
  await (await open(floorProgram(hosts, waves, "1"))).up({ parallel, onOutput: () => undefined });
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  const seen = (into: Map<string, number>, metadata: { op: string; urn: string } | undefined): void => {
    const host = metadata?.op === "update" ? hostOfStep(metadata.urn) : undefined;
    if (host) into.set(host, Date.now());
  };
  await (
    await open(floorProgram(hosts, waves, "2"))
  ).up({
    parallel,
    onOutput: () => undefined,
    onEvent: (event: EngineEvent) => {
      seen(starts, event.resourcePreEvent?.metadata);
      seen(ends, event.resOutputsEvent?.metadata);
    },
  });
  return { overheads: waveOverheads(waves, starts, ends), resources: hosts.reduce((sum, h) => sum + h.components, 0) };
}

/** The floor's line for a run: its windows' time over the limit's, in all, per window, and at the widest wave. */
export function hopFloorLine(
  run: number,
  floor: { readonly overheads: readonly number[]; readonly resources: number },
  waves: readonly FloorWave[],
): string {
  const total = floor.overheads.reduce((sum, over) => sum + over, 0);
  const widest = Math.max(...waves.map((w) => w.hosts.length));
  const atWidest = floor.overheads.filter((_, i) => waves[i]?.hosts.length === widest);
  const s = (n: number): string => `${n.toFixed(2)} s`;
  return `the engine alone on run ${run}'s ${waves.length} waves (${floor.resources} no-op resources, each step lasting its window of the limit): ${s(total)} over the limit's windows in all, ${s(total / Math.max(1, waves.length))} per window, ${s(Math.max(...atWidest))} at most for a wave of ${widest}`;
}

// The engine's floor for a preview: the same number of hosts and components as the real program, each component a
// no-op dynamic resource under a component resource per host, with no discovery, no SSH and nothing read.
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";

export interface NoOpInputs {
  readonly version: string;
  /** How long its update lasts (bench/hop-floor.ts). @default 0 */
  readonly sleepMs?: number;
}

/** Does nothing: its create returns its inputs; it differs when its version does, and its update only lasts. */
const noOpProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: NoOpInputs) {
    return { id: `noop-${inputs.version}`, outs: inputs };
  },
  async diff(_id: string, olds: NoOpInputs, news: NoOpInputs) {
    return { changes: olds.version !== news.version };
  },
  async update(_id: string, _olds: NoOpInputs, news: NoOpInputs) {
    await new Promise((resolve) => setTimeout(resolve, news.sleepMs ?? 0));
    return { outs: news };
  },
};

/** A no-op component resource (type `pulumi-nodejs:dynamic/bench:NoOp`). */
export class NoOp extends pulumi.dynamic.Resource {
  constructor(name: string, args: NoOpInputs, opts?: pulumi.CustomResourceOptions) {
    super(noOpProvider, name, args, opts, "bench", "NoOp");
  }
}

/** One host of the floor program: its name and how many components it runs. */
export interface FloorHost {
  readonly name: string;
  readonly components: number;
}

/** One wave of a hop's floor (bench/hop-floor.ts): its hosts, and how long each of their steps lasts (wall seconds). */
export interface FloorWave {
  readonly hosts: readonly string[];
  readonly seconds: number;
}

/** The resource name of a host's step in a hop's floor; `hostOfStep` reads it back from a URN. */
const stepName = (host: string): string => `${host}-step`;
export const hostOfStep = (urn: string): string | undefined => /::([^:]+)-step$/.exec(urn)?.[1];

/**
 * The floor program: a component resource per host (as the real program's ClusterHost) and a NoOp per component. With
 * `waves` (a hop's floor), one NoOp of each stepping host is its step at `version`, lasting its wave's seconds and
 * depending on the wave before, as stacks/decide.ts declares them.
 */
export function floorProgram(
  hosts: readonly FloorHost[],
  waves: readonly FloorWave[] = [],
  version = "1",
): () => Promise<Record<string, unknown>> {
  return async () => {
    const cluster = new pulumi.ComponentResource("mesos-upgrade:bench:Cluster", "bench");
    const parents = new Map(
      hosts.map((h) => [
        h.name,
        new pulumi.ComponentResource("mesos-upgrade:bench:Host", `bench-${h.name}`, {}, { parent: cluster }),
      ]),
    );
    const stepping = new Set(waves.flatMap((w) => w.hosts));
    let before: NoOp[] = [];
    for (const wave of waves) {
      const sleepMs = Math.round(wave.seconds * 1000);
      before = wave.hosts.map(
        (host) => new NoOp(stepName(host), { version, sleepMs }, { parent: parents.get(host), dependsOn: before }),
      );
    }
    for (const host of hosts) {
      const others = host.components - (stepping.has(host.name) ? 1 : 0);
      for (let i = 0; i < others; i++) {
        new NoOp(`${host.name}-c${i}`, { version: "1" }, { parent: parents.get(host.name) });
      }
    }
    return { hosts: hosts.length };
  };
}

/** Wall seconds of one `pulumi preview` of a stack. */
export async function timedPreview(stack: Stack): Promise<number> {
  const started = Date.now();
  await stack.preview({ onOutput: () => undefined });
  return (Date.now() - started) / 1000;
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Times each preview in turn, `rounds` times each, in the order `samplers` names them in every round: one preview of
 * either varies by a quarter from the next on this machine (the floor measured 2.0 to 3.4 s at 103 hosts), so ratios
 * are taken between medians, each side having met the same moments of the machine. Returns every sample, by name, in
 * the order taken.
 */
export async function alternatedPreviews<Name extends string>(
  samplers: Readonly<Record<Name, () => Promise<number>>>,
  rounds = PREVIEW_ROUNDS,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(samplers) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) samples[name].push(await samplers[name]());
  }
  return samples;
}

/** Rounds of the preview comparison. */
export const PREVIEW_ROUNDS = 3;

/** "7.4 s (median of 3: 7.1–8.2 s)". */
export function medianText(samples: readonly number[]): string {
  const low = Math.min(...samples);
  const high = Math.max(...samples);
  return samples.length > 1
    ? `${median(samples).toFixed(1)} s (median of ${samples.length}: ${low.toFixed(1)}–${high.toFixed(1)} s)`
    : `${median(samples).toFixed(1)} s`;
}

// The simulated registry's bandwidth, shared by every pull in flight across the cluster's host processes.
//
// A pull's layers stream over one link per host, and a registry serves all of them through its own uplink: TCP shares
// a bottleneck link about equally between the flows crossing it (processor sharing), so each pull runs at
// min(host link, registry uplink ÷ pulls in flight). A hundred agents pulling at once are bounded by the registry:
// N pulls of one image take about N × the image's transfer time at the registry's full rate.
// Pulls in flight are counted across processes (each host is its own process) through one marker file per pull in
// `<state>/registry/`, named after its host so a restarted host daemon clears the markers its dead process left.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { SimClock } from "../time";

/** Bytes per simulated second one pull gets: its host's link, or its equal share of the registry's uplink. */
export function pullRate(hostBytesPerSecond: number, registryBytesPerSecond: number, inFlight: number): number {
  return Math.min(hostBytesPerSecond, registryBytesPerSecond / Math.max(1, inFlight));
}

/** Bytes per simulated second of a host's link and the registry's uplink, from a profile's seconds per 100 MB. */
export function linkRates(profile: {
  readonly pullSecondsPer100MB: number;
  readonly registrySecondsPer100MB: number;
}): { host: number; registry: number } {
  // A cluster file written before the registry had a bandwidth (a kept cluster) has none: unbounded, as it was then.
  return {
    host: 1e8 / profile.pullSecondsPer100MB,
    registry: profile.registrySecondsPer100MB > 0 ? 1e8 / profile.registrySecondsPer100MB : Infinity,
  };
}

/**
 * The simulated seconds until each of `sizes` (bytes, all started at once) has arrived, under processor sharing: the
 * fluid model the simulator follows, for the benchmark's physical limit and for tests.
 */
export function concurrentPullSeconds(
  sizes: readonly number[],
  hostBytesPerSecond: number,
  registryBytesPerSecond: number,
): number[] {
  const left = sizes.map((size) => size);
  const done = sizes.map(() => 0);
  let now = 0;
  let active = sizes.map((_, i) => i).filter((i) => (left[i] as number) > 0);
  while (active.length) {
    const rate = pullRate(hostBytesPerSecond, registryBytesPerSecond, active.length);
    const step = Math.min(...active.map((i) => (left[i] as number) / rate));
    now += step;
    for (const i of active) left[i] = (left[i] as number) - rate * step;
    for (const i of active) if ((left[i] as number) <= 1e-6) done[i] = now;
    active = active.filter((i) => (left[i] as number) > 1e-6);
  }
  return done;
}

/** Where the cluster's pulls in flight are marked. */
export const registryDir = (stateDir: string): string => join(stateDir, "registry");

/** Removes the markers a host's earlier (dead) daemon process left behind. */
export function clearHostPulls(stateDir: string, host: string): void {
  mkdirSync(registryDir(stateDir), { recursive: true });
  for (const entry of readdirSync(registryDir(stateDir))) {
    if (entry.startsWith(`${host}~`)) rmSync(join(registryDir(stateDir), entry), { force: true });
  }
}

/** Wall milliseconds between re-counting the pulls in flight (their number changes as pulls start and end). */
const TICK_MS = 50;

/**
 * Transfers `bytes` from the registry to `host`: marks the pull in flight, then advances it every tick at its share of
 * the bandwidth until it has arrived. `stillWanted` is asked each tick; false stops the transfer early (daemon gone).
 */
export async function transfer(
  stateDir: string,
  host: string,
  clock: SimClock,
  bytes: number,
  stillWanted: () => boolean = () => true,
): Promise<void> {
  const rates = linkRates(clock.profile);
  const dir = registryDir(stateDir);
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, `${host}~${randomBytes(6).toString("hex")}`);
  writeFileSync(marker, "");
  try {
    let left = bytes;
    let last = Date.now();
    while (left > 0 && stillWanted()) {
      const rate = pullRate(rates.host, rates.registry, readdirSync(dir).length);
      // Sleep one tick, or less when the rest arrives sooner at the current rate.
      const wait = Math.max(1, Math.min(TICK_MS, Math.ceil((left / rate) * 1000 * clock.profile.timeScale)));
      await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      left -= (rate * (now - last)) / 1000 / clock.profile.timeScale;
      last = now;
    }
  } finally {
    rmSync(marker, { force: true });
  }
}

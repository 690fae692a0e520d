// Simulated time: every duration the simulator waits is given in real-world seconds and scaled to wall time here.

/** How long things take in the real world, in seconds; scaled by `timeScale` before anything waits. */
export interface LatencyProfile {
  /** Multiplier from real-world seconds to wall-clock seconds (0.02: a 75 s window lasts 1.5 s). */
  readonly timeScale: number;
  /** Seconds to pull 100 MB of image layers. */
  readonly pullSecondsPer100MB: number;
  /**
   * Seconds the registry's uplink takes to serve 100 MB to all pulls in flight together: concurrent pulls share it
   * (sim/docker/registry.ts), so more than pullSecondsPer100MB ÷ this many pulls at once are bounded by the registry.
   */
  readonly registrySecondsPer100MB: number;
  /** Seconds between `docker run` and the container's process running. */
  readonly containerStartSeconds: number;
  /** Seconds the Docker daemon takes to start (before restarting containers). */
  readonly engineStartSeconds: number;
  /** Seconds per GB of images for Docker 1.10's first-start migration to content-addressable ids. */
  readonly imageMigrationSecondsPerGB: number;
  /** Seconds `apt-get install` spends downloading and unpacking a package. */
  readonly packageInstallSeconds: number;
  /** Seconds a Mesos master or agent takes from process start to serving HTTP and contending/registering. */
  readonly mesosStartSeconds: number;
  /** Seconds Marathon (a JVM) takes to start serving HTTP. */
  readonly marathonStartSeconds: number;
  /** Seconds for ZooKeeper to expire a crashed member's session (Mesos' default ZK session timeout is 10 s). */
  readonly zkSessionTimeoutSeconds: number;
  /** Seconds between Marathon's scale/reconcile passes (launches happen per offer cycle, about 1 s). */
  readonly marathonCycleSeconds: number;
  /** Seconds a crash-looping process stays up before it dies. */
  readonly crashAfterSeconds: number;
}

/** Realistic latencies at real speed: for benchmarks and demos. */
export const REALISTIC: LatencyProfile = {
  timeScale: 1,
  // A host's pull over a 100 Mbit/s path: 12.5 MB/s.
  pullSecondsPer100MB: 8,
  // A private registry (the seed runs Harbor) behind one 1 Gbit/s NIC: 125 MB/s for everyone, i.e. ten hosts at full
  // speed; beyond ten concurrent pulls each gets its share.
  registrySecondsPer100MB: 0.8,
  containerStartSeconds: 1,
  engineStartSeconds: 3,
  imageMigrationSecondsPerGB: 10,
  packageInstallSeconds: 20,
  mesosStartSeconds: 2,
  marathonStartSeconds: 25,
  zkSessionTimeoutSeconds: 10,
  marathonCycleSeconds: 1,
  crashAfterSeconds: 5,
};

/** The same latencies 50 times faster: the default for tests and `npm run sim -- up`. */
export const FAST: LatencyProfile = { ...REALISTIC, timeScale: 0.02 };

/** Named profiles accepted by the CLI's --profile. */
export const PROFILES: Readonly<Record<string, LatencyProfile>> = { fast: FAST, realistic: REALISTIC };

/** Waits and timers in simulated seconds. */
export interface SimClock {
  /** The profile in force. */
  readonly profile: LatencyProfile;
  /** Wall milliseconds for `seconds` of simulated time (never below 1 ms). */
  ms(seconds: number): number;
  /** Resolves after `seconds` of simulated time. */
  sleep(seconds: number): Promise<void>;
  /** Simulated seconds elapsed since a `Date.now()` value. */
  since(wallMs: number): number;
}

/** A clock for a profile. */
export function simClock(profile: LatencyProfile): SimClock {
  const ms = (seconds: number) => Math.max(1, Math.round(seconds * 1000 * profile.timeScale));
  return {
    profile,
    ms,
    sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, ms(seconds))),
    since: (wallMs) => (Date.now() - wallMs) / 1000 / profile.timeScale,
  };
}

/** A span of wall time, [start, end] in `Date.now()` milliseconds. */
export type WallSpan = readonly [number, number];

/**
 * Simulated seconds between two wall times when a host did unscaled work in `work` (sim/host-work.ts): that work ran at
 * machine speed, as long as the same work takes on a real host, so it counts at its wall duration; the rest of the
 * span is scaled time and counts 1/timeScale times over. Overlapping spans count once.
 */
export function modelledSeconds(fromMs: number, toMs: number, work: readonly WallSpan[], timeScale: number): number {
  const clipped = work
    .map(([start, end]): WallSpan => [Math.max(start, fromMs), Math.min(end, toMs)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let unscaledMs = 0;
  let reached = fromMs;
  for (const [start, end] of clipped) {
    const from = Math.max(start, reached);
    if (end > from) unscaledMs += end - from;
    reached = Math.max(reached, end);
  }
  const total = Math.max(0, toMs - fromMs);
  return (total - unscaledMs) / 1000 / timeScale + unscaledMs / 1000;
}

/** Parses a Mesos/stout duration such as "15secs", "1hrs", "100ms", "10mins"; undefined if malformed. */
export function parseMesosDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|secs|mins|hrs|days|weeks)\s*$/.exec(text);
  if (!match) return undefined;
  const unit: Record<string, number> = {
    ns: 1e-9,
    us: 1e-6,
    ms: 1e-3,
    secs: 1,
    mins: 60,
    hrs: 3600,
    days: 86400,
    weeks: 604800,
  };
  return Number(match[1]) * (unit[match[2] as string] as number);
}

/** Formats seconds the way stout prints a Duration ("1mins", "15secs", "75secs"). */
export function formatMesosDuration(seconds: number): string {
  const units: Array<[string, number]> = [
    ["weeks", 604800],
    ["days", 86400],
    ["hrs", 3600],
    ["mins", 60],
    ["secs", 1],
  ];
  for (const [unit, size] of units) {
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds * 1000)}ms`;
}

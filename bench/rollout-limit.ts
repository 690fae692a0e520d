// The physical limit of a rollout under the simulator's own latency model (pure): every image pulled at once within
// the registry's bandwidth, then each sequential window's stop + start + ready, one window after another.
import { imageFor, type ContainerComponent } from "../catalogue/images";
import { parseImageRef, registryImage } from "../sim/catalogue/images";
import { concurrentPullSeconds, linkRates } from "../sim/docker/registry";
import { packageFetchSeconds, packageSizeKb } from "../sim/host/packages";
import {
  DEFAULT_REGISTRATION_BACKOFF_FACTOR_SECONDS,
  expectedLongestFirstWait,
} from "../sim/mesos/agent/registration-backoff";
import type { LatencyProfile } from "../sim/time";

/** One hop step as the benchmark sees it: where, what, to which version, in which run and wave. */
export interface HopStep {
  readonly host: string;
  readonly component: "docker" | ContainerComponent;
  /** The version before the step; the same as `to` for a settings change, which pulls nothing. */
  readonly from?: string;
  readonly to: string;
  readonly run: number;
  readonly wave: number;
  /** A Docker hop: the containers on the host that the engine's restart stops and starts again. */
  readonly restarts?: readonly ContainerComponent[];
  /**
   * Tasks of multi-instance apps died on the host during the step (read from the cluster's record): Marathon must run
   * them again, healthy, before the window closes (the gate's condition; a single-instance app's relaunch closes no
   * window). The longest health-check interval among their apps (0 for apps without checks).
   */
  readonly killedCheckSeconds?: number;
  /**
   * The step stopped the leading Mesos master (read from the cluster's record of elections): the other masters elect a
   * new leader only once its ZooKeeper session has expired, since a stopped master never closes it.
   */
  readonly leaderRestarted?: boolean;
}

/** The limit and its parts, in simulated seconds. */
export interface PhysicalLimit {
  /**
   * Every new image of the plan pulled at once, sharing the registry (the last one's arrival), and every new Docker
   * package fetched into apt's cache at the same time (from the apt mirror, over each host's own link).
   */
  readonly pullSeconds: number;
  /** The sequential windows (run, wave), each as long as its slowest step's stop + start + ready. */
  readonly windows: ReadonlyArray<{ readonly run: number; readonly wave: number; readonly seconds: number }>;
  readonly seconds: number;
}

/** The image bytes a step pulls (a container component's new image; a Docker hop or a settings change pulls none). */
export function stepImageBytes(step: HopStep): number {
  if (step.component === "docker" || step.from === step.to) return 0;
  return registryImage(parseImageRef(imageFor(step.component, step.to)))?.size ?? 0;
}

/**
 * A step's window in simulated seconds, from the profile: what the simulator itself waits for between the step
 * stopping its component and the component being ready again, with nothing left to fetch.
 * - a Mesos agent: container start, Mesos start, then its random wait before registering (up to
 *   --registration_backoff_factor, 1 s by default, which the benchmark's agents keep: sim/mesos/agent/
 *   registration-backoff.ts), counted as its expectation for the longest of the `registeringAgents` agents of the
 *   wave (n ÷ (n + 1) s): no rollout waits less on average, and a run's windows sum so many draws that their total
 *   strays from it by a fraction of a second;
 * - a Mesos master: container start, Mesos start; where it led, at least ZooKeeper's session timeout: its process
 *   leaves its session behind (sim/zk/server.ts expires a dropped connection's session after its timeout, as ZooKeeper
 *   does), so its election node stays, and no other master leads, until then;
 * - Marathon: container start, the JVM's start;
 * - the Docker engine: for a hop, the package's unpack and configure (its download is the pre-pull's: apt's archive
 *   cache, see sim/host/packages.ts), the daemon's start, then the slowest of the containers it restarts. The engine's
 *   stop of containers is not counted: the Mesos and Marathon processes exit on SIGTERM at once. Where tasks of
 *   multi-instance apps died on the host, Marathon runs them again elsewhere (its next offer cycle, the task's
 *   container start with the image on the agent already, then the first health check, which Marathon runs one interval
 *   after the task started: sim/marathon/health-checker.ts), from the moment the host is drained, in parallel with the
 *   engine's restart; the window is the longer of the two.
 */
export function windowSeconds(
  step: Pick<HopStep, "component"> &
    Partial<Pick<HopStep, "restarts" | "killedCheckSeconds" | "to" | "from" | "leaderRestarted">>,
  profile: LatencyProfile,
  registeringAgents = 1,
): number {
  const mesos = profile.containerStartSeconds + profile.mesosStartSeconds;
  const election = step.leaderRestarted ? profile.zkSessionTimeoutSeconds : 0;
  switch (step.component) {
    case "mesos-slave":
      return mesos + expectedLongestFirstWait(registeringAgents, DEFAULT_REGISTRATION_BACKOFF_FACTOR_SECONDS);
    case "mesos-master":
      return Math.max(mesos, election);
    case "marathon":
      return profile.containerStartSeconds + profile.marathonStartSeconds;
    case "docker": {
      const restarts = (step.restarts ?? []).map((component) =>
        windowSeconds({ component }, profile, registeringAgents),
      );
      // A settings change (same version) restarts the daemon with new options and installs nothing.
      const fetched = step.to === undefined ? 0 : packageFetchSeconds(packageSizeKb(step.to), profile);
      const unpack = step.from === step.to ? 0 : profile.packageInstallSeconds - fetched;
      const engine = unpack + profile.engineStartSeconds + Math.max(0, ...restarts);
      const relaunch =
        step.killedCheckSeconds === undefined
          ? 0
          : profile.marathonCycleSeconds + profile.containerStartSeconds + step.killedCheckSeconds;
      return Math.max(engine, relaunch, election);
    }
  }
}

/** The step restarts a Mesos agent, which registers again (its own hop, or its engine's restart). */
function restartsAgent(step: HopStep): boolean {
  return step.component === "mesos-slave" || (step.restarts ?? []).includes("mesos-slave");
}

/** The physical limit of a plan's steps under a profile. */
export function physicalLimit(steps: readonly HopStep[], profile: LatencyProfile): PhysicalLimit {
  const rates = linkRates(profile);
  const sizes = steps.map(stepImageBytes).filter((bytes) => bytes > 0);
  const packages = steps
    .filter((step) => step.component === "docker" && step.from !== step.to)
    .map((step) => packageFetchSeconds(packageSizeKb(step.to), profile));
  const pullSeconds = Math.max(0, ...concurrentPullSeconds(sizes, rates.host, rates.registry), ...packages);
  const waveOf = (step: HopStep) => `${step.run}/${step.wave}`;
  const registering = new Map<string, number>();
  for (const step of steps.filter(restartsAgent)) {
    registering.set(waveOf(step), (registering.get(waveOf(step)) ?? 0) + 1);
  }
  const byWindow = new Map<string, { run: number; wave: number; seconds: number }>();
  for (const step of steps) {
    const key = waveOf(step);
    const window = byWindow.get(key) ?? { run: step.run, wave: step.wave, seconds: 0 };
    const seconds = windowSeconds(step, profile, registering.get(key) ?? 1);
    byWindow.set(key, { ...window, seconds: Math.max(window.seconds, seconds) });
  }
  const windows = [...byWindow.values()].sort((a, b) => a.run - b.run || a.wave - b.wave);
  return { pullSeconds, windows, seconds: pullSeconds + windows.reduce((sum, w) => sum + w.seconds, 0) };
}

/** The limit of each run's steps apart, in run order: a run pre-pulls its own images, then opens its windows. */
export function limitsByRun(
  steps: readonly HopStep[],
  profile: LatencyProfile,
): ReadonlyArray<{ readonly run: number; readonly limit: PhysicalLimit }> {
  const runs = [...new Set(steps.map((step) => step.run))].sort((a, b) => a - b);
  return runs.map((run) => ({
    run,
    limit: physicalLimit(
      steps.filter((step) => step.run === run),
      profile,
    ),
  }));
}

/**
 * Which single hop a run applies. Layers go Docker, then Mesos, then Marathon, each finishing before
 * the next starts, except where a compatibility fact demands another layer first: an agent whose Docker
 * containerizer cannot drive the next Docker version gets the Mesos fix first (0.22.1 → 0.22.2 before
 * Docker >= 1.8, MESOS-2986), and Marathon moves before any master reaches a version its libmesos cannot
 * follow (libmesos >= 0.23 before masters go to 0.24) or a Mesos line past its window (`maxMesos`:
 * Marathon 1.1 before Mesos leaves 1.0, 1.3 before 1.3, …).
 */
import type { ContainerizerLimit } from "../catalogue/containerizer";
import { MARATHON_LINES } from "../catalogue/marathon";
import {
  containerizerRefusal,
  marathonLibmesos,
  marathonMasterProblem,
  marathonWindowProblem,
  minMesosFor,
  policySource,
  schedulerFloor,
} from "./compatibility";
import { highestOf, instancesOf, lowestOf, type Instance } from "./cluster";
import { findPath } from "./paths";
import { compareVersions, lineOf, minorOf } from "./versions";
import type { Blocker, Component, MarathonPolicy, PlanInput } from "./types";

/** Why a layer moves out of its turn. */
export interface Forced {
  /** The reason, naming the host and the fact. */
  readonly message: string;
  /** Where the fact comes from. */
  readonly source: string;
}

/** The hop one run applies to one layer. */
export interface RunHop {
  /** The layer that moves. */
  readonly component: Component;
  /** The version it moves to. */
  readonly to: string;
  /** Set when the layer moves out of turn. @default in turn */
  readonly forced?: Forced;
}

/** What a run does: one hop, nothing (everything at target), or nothing because it is stuck. */
export type RunDecision =
  | { readonly kind: "hop"; readonly hop: RunHop }
  | { readonly kind: "stuck"; readonly blocker: Blocker }
  | { readonly kind: "done" };

/** The first agent whose Docker containerizer refuses Docker `docker`, with the limit, if any. */
export function dockerPrerequisite(
  input: PlanInput,
  docker: string,
): { readonly agent: Instance; readonly limit: ContainerizerLimit } | undefined {
  for (const agent of instancesOf(input, "mesos")) {
    if (agent.part !== "mesos-slave") continue;
    const limit = containerizerRefusal(agent.version, docker);
    if (limit !== undefined) return { agent, limit };
  }
  return undefined;
}

/** The next version of a layer toward its target, from its lowest running version; undefined at target. */
function nextHop(input: PlanInput, component: Component, target: string): string | undefined {
  const low = lowestOf(input, component);
  return low === undefined || compareVersions(low, target) >= 0 ? undefined : findPath(component, low, target)[0];
}

function marathonRun(input: PlanInput, policy: MarathonPolicy, to: string, forced?: Forced): RunDecision {
  const lowMesos = lowestOf(input, "mesos") as string;
  const min = minMesosFor(to, policy);
  if (compareVersions(lowMesos, min) < 0) {
    return {
      kind: "stuck",
      blocker: {
        component: "marathon",
        reason: `marathon cannot move to ${to}: it needs Mesos >= ${min} (${policySource(policy)}) and the cluster runs Mesos ${lowMesos}`,
      },
    };
  }
  const problem = marathonMasterProblem(to, highestOf(input, "mesos-master") as string);
  if (problem !== undefined) {
    return { kind: "stuck", blocker: { component: "marathon", reason: `marathon cannot move to ${to}: ${problem}` } };
  }
  return {
    kind: "hop",
    hop: forced === undefined ? { component: "marathon", to } : { component: "marathon", to, forced },
  };
}

function mesosRun(
  input: PlanInput,
  targets: Readonly<Record<Component, string>>,
  policy: MarathonPolicy,
  to: string,
  forced?: Forced,
): RunDecision {
  const floor = schedulerFloor(to);
  const behind =
    floor === undefined
      ? undefined
      : instancesOf(input, "marathon").find(
          (i) => compareVersions(marathonLibmesos(i.version), floor.libmesosAtLeast) < 0,
        );
  if (floor !== undefined && behind !== undefined) {
    const why: Forced = {
      message: `Marathon moves before Mesos ${to}: ${behind.host.name} runs Marathon ${behind.version} with libmesos ${marathonLibmesos(behind.version)}, and ${floor.reason}`,
      source: floor.source,
    };
    const next = nextHop(input, "marathon", targets.marathon);
    if (next === undefined) {
      return {
        kind: "stuck",
        blocker: { component: "mesos", reason: `mesos cannot move to ${to}: ${why.message}; raise desired.marathon` },
      };
    }
    return marathonRun(input, policy, next, why);
  }
  const outrun = instancesOf(input, "marathon").find((i) => marathonWindowProblem(i.version, to) !== undefined);
  if (outrun !== undefined) {
    const line = MARATHON_LINES.find((l) => l.releases.includes(outrun.version));
    const why: Forced = {
      message: `Marathon moves before Mesos ${to}: on ${outrun.host.name}, ${marathonWindowProblem(outrun.version, to) as string}`,
      source: line?.source ?? "catalogue/marathon.ts",
    };
    const next = nextHop(input, "marathon", targets.marathon);
    if (next === undefined) {
      return {
        kind: "stuck",
        blocker: { component: "mesos", reason: `mesos cannot move to ${to}: ${why.message}; raise desired.marathon` },
      };
    }
    return marathonRun(input, policy, next, why);
  }
  return { kind: "hop", hop: forced === undefined ? { component: "mesos", to } : { component: "mesos", to, forced } };
}

/** The one hop of this run, given each layer's target. */
export function decideRun(
  input: PlanInput,
  targets: Readonly<Record<Component, string>>,
  policy: MarathonPolicy,
): RunDecision {
  const docker = nextHop(input, "docker", targets.docker);
  if (docker !== undefined) {
    const blocker = dockerPrerequisite(input, docker);
    if (blocker === undefined) return { kind: "hop", hop: { component: "docker", to: docker } };
    const lowMesos = lowestOf(input, "mesos") as string;
    const { agent, limit } = blocker;
    // The line's own fix when the cluster is on that line (0.22.1 → 0.22.2); else the next Mesos hop, run by run
    // (MESOS-7777: 0.x → … → 1.1.3).
    const sameLine = minorOf(limit.fixedIn) === minorOf(lowMesos) && lineOf("mesos", limit.fixedIn) !== undefined;
    const fix =
      sameLine && compareVersions(limit.fixedIn, targets.mesos) <= 0 && compareVersions(limit.fixedIn, lowMesos) > 0
        ? limit.fixedIn
        : nextHop(input, "mesos", targets.mesos);
    const why: Forced = {
      message: `Mesos moves to ${fix ?? limit.fixedIn} before Docker ${docker}: ${agent.host.name} runs Mesos ${agent.version}, and ${limit.reason}`,
      source: limit.source,
    };
    if (fix === undefined) {
      return {
        kind: "stuck",
        blocker: { component: "docker", reason: `docker cannot move to ${docker}: ${why.message}` },
      };
    }
    return mesosRun(input, targets, policy, fix, why);
  }
  const mesos = nextHop(input, "mesos", targets.mesos);
  if (mesos !== undefined) return mesosRun(input, targets, policy, mesos);
  const marathon = nextHop(input, "marathon", targets.marathon);
  return marathon === undefined ? { kind: "done" } : marathonRun(input, policy, marathon);
}

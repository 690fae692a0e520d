/**
 * Where each layer can go: `desired`, or lower where a ceiling stops it. Framework ceilings stop Mesos
 * at the highest release whose whole path every framework survives (frameworks already broken at the
 * running version are reported, not obeyed); Marathon stops at the highest release whose every hop
 * runs on the Mesos target under the policy; Docker stops at the highest release the Mesos target's
 * Docker containerizer can drive.
 */
import { FRAMEWORK_NOTES } from "../catalogue/frameworks";
import {
  containerizerRefusal,
  dockerTooOld,
  frameworkProblem,
  marathonWindowProblem,
  minMesosFor,
  policySource,
} from "./compatibility";
import { frameworksOf, highestOf, lowestOf } from "./cluster";
import { findPath } from "./paths";
import { compareVersions, inRange, isKnownBad, releasesOf } from "./versions";
import type { Blocker, Component, MarathonPolicy, PlanInput, PlanNote } from "./types";

/** Each layer's target with the reasons for any shortfall. */
export interface Targets {
  /** Where each layer is heading. */
  readonly targets: Readonly<Record<Component, string>>;
  /** Why a layer stops short of `desired`. */
  readonly blocked: readonly Blocker[];
  /** Framework facts to show with every plan. */
  readonly notes: readonly PlanNote[];
}

type HopProblem = (hop: string) => string | undefined;

/** The highest release in [from, desired] whose path has no problem hop, and the first problem toward desired. */
function highestReachable(
  component: Component,
  from: string,
  desired: string,
  problem: HopProblem,
): { target: string; reason?: string } {
  const candidates = releasesOf(component).filter(
    (r) => compareVersions(r, from) >= 0 && compareVersions(r, desired) <= 0 && isKnownBad(component, r) === undefined,
  );
  for (const candidate of [...candidates].reverse()) {
    if (findPath(component, from, candidate).every((hop) => problem(hop) === undefined)) {
      if (candidate === desired) return { target: candidate };
      const blocking = findPath(component, from, desired)
        .map(problem)
        .find((p) => p !== undefined) as string;
      return { target: candidate, reason: `${component} stops at ${candidate}: ${blocking}` };
    }
  }
  return {
    target: from,
    reason: `${component} stays at ${from}: ${problem(findPath(component, from, desired)[0] as string)}`,
  };
}

/** The target of every layer for an input. */
export function computeTargets(input: PlanInput, policy: MarathonPolicy): Targets {
  const blocked: Blocker[] = [];
  const notes: PlanNote[] = [];
  const desired = input.desired;
  const lowMesos = lowestOf(input, "mesos") as string;
  // Ceilings and the JNI check are ranges, so a framework that works at the lowest and the highest running Mesos works
  // at all of them.
  const runningMesos = [lowMesos, highestOf(input, "mesos-master") as string];
  const frameworks = frameworksOf(input);
  for (const [name, version] of frameworks) {
    for (const note of FRAMEWORK_NOTES) {
      if (note.framework === name && inRange(version, note.versions)) {
        notes.push({ component: "framework", message: `${name} ${version}: ${note.message}`, source: note.source });
      }
    }
    const broken = runningMesos
      .map((v) => ({ v, problem: frameworkProblem(name, version, "mesos", v) }))
      .find((b) => b.problem !== undefined);
    if (broken?.problem !== undefined) {
      notes.push({
        component: "framework",
        message: `${name} ${version} already fails with the running Mesos ${broken.v}, so it does not hold Mesos back: it ${broken.problem.reason}`,
        source: broken.problem.source,
      });
    }
  }
  const holding = frameworks.filter(([name, version]) =>
    runningMesos.every((v) => frameworkProblem(name, version, "mesos", v) === undefined),
  );
  const lowMarathon = lowestOf(input, "marathon");
  const marathonFrameworkProblem: HopProblem = (hop) => {
    for (const [name, version] of frameworks) {
      if (lowMarathon === undefined || frameworkProblem(name, version, "marathon", lowMarathon) !== undefined) continue;
      const problem = frameworkProblem(name, version, "marathon", hop);
      if (problem !== undefined) return `${name} ${version} ${problem.reason}`;
    }
    return undefined;
  };
  // Marathon's own ceiling (frameworks) bounds how far Mesos may go: Mesos stays inside that Marathon's window.
  const marathonCap =
    lowMarathon === undefined
      ? desired.marathon
      : highestReachable("marathon", lowMarathon, desired.marathon, marathonFrameworkProblem).target;
  const mesos = highestReachable("mesos", lowMesos, desired.mesos, (hop) => {
    for (const [name, version] of holding) {
      const problem = frameworkProblem(name, version, "mesos", hop);
      if (problem !== undefined) return `${name} ${version} ${problem.reason}`;
    }
    const window = lowMarathon === undefined ? undefined : marathonWindowProblem(marathonCap, hop);
    if (window !== undefined) {
      return `${marathonCap === desired.marathon ? "desired.marathon" : "Marathon's ceiling"} ${marathonCap}: ${window}${marathonCap === desired.marathon ? "; raise desired.marathon" : ""}`;
    }
    const tooOld = dockerTooOld(hop, desired.docker);
    if (tooOld !== undefined) {
      return `Mesos ${hop} needs Docker >= ${tooOld.dockerAtLeast} and desired.docker is ${desired.docker}: ${tooOld.reason}`;
    }
    return undefined;
  });
  if (mesos.reason !== undefined) blocked.push({ component: "mesos", reason: mesos.reason });

  let marathon: { target: string; reason?: string } = { target: desired.marathon };
  if (lowMarathon !== undefined) {
    marathon = highestReachable("marathon", lowMarathon, desired.marathon, (hop) => {
      const min = minMesosFor(hop, policy);
      if (compareVersions(min, mesos.target) > 0) {
        return `Marathon ${hop} needs Mesos >= ${min} (${policySource(policy)}) and Mesos stops at ${mesos.target}`;
      }
      return marathonFrameworkProblem(hop);
    });
    if (marathon.reason !== undefined) blocked.push({ component: "marathon", reason: marathon.reason });
  }

  const lowDocker = lowestOf(input, "docker") as string;
  const docker = highestReachable("docker", lowDocker, desired.docker, (hop) => {
    const limit = containerizerRefusal(mesos.target, hop);
    return limit === undefined ? undefined : `Mesos ${mesos.target} cannot drive Docker ${hop}: ${limit.reason}`;
  });
  if (docker.reason !== undefined) blocked.push({ component: "docker", reason: docker.reason });

  return { targets: { docker: docker.target, mesos: mesos.target, marathon: marathon.target }, blocked, notes };
}

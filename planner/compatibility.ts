/** Compatibility facts between layers, read from the catalogue: Marathon ↔ Mesos, Mesos ↔ Docker, frameworks ↔ both. */
import {
  CONTAINERIZER_LIMITS,
  DOCKER_MINIMUMS,
  type ContainerizerLimit,
  type DockerMinimum,
} from "../catalogue/containerizer";
import { FRAMEWORK_CEILINGS, FRAMEWORK_JARS, type FrameworkName } from "../catalogue/frameworks";
import { MARATHON_LINES, type MarathonLine } from "../catalogue/marathon";
import { MESOS_JNI_CHECK, MESOS_SCHEDULER_FLOORS, type SchedulerFloor } from "../catalogue/mesos";
import { compareVersions, inRange, majorOf, minorOf } from "./versions";
import type { Component, MarathonPolicy } from "./types";

function marathonLine(version: string): MarathonLine {
  const line = MARATHON_LINES.find((l) => l.releases.includes(version));
  if (line === undefined) throw new RangeError(`Marathon ${version} is not in the catalogue`);
  return line;
}

/** The lowest Mesos a Marathon release runs on under a policy. */
export function minMesosFor(marathon: string, policy: MarathonPolicy): string {
  const line = marathonLine(marathon);
  switch (policy) {
    case "marathon-docs":
      return line.minMesosDocs;
    case "seed-table":
      return line.minMesosSeed;
    default: {
      const unreachable: never = policy;
      throw new TypeError(`unknown policy ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The newest Mesos line a Marathon release is planned against, or undefined when the catalogue knows no bound. */
export function maxMesosFor(marathon: string): string | undefined {
  return marathonLine(marathon).maxMesos;
}

/** Why Marathon `marathon` should not run on Mesos `mesos` (past its line's window), or undefined when it may. */
export function marathonWindowProblem(marathon: string, mesos: string): string | undefined {
  const max = maxMesosFor(marathon);
  if (max === undefined || compareVersions(`${minorOf(mesos)}.0`, `${max}.0`) <= 0) return undefined;
  return `Marathon ${marathon} is planned against Mesos up to ${max}.x (${MARATHON_LINES.find((l) => l.releases.includes(marathon))?.minor} line's window: Mesos moves only as far as the next Marathon line asks for, then Marathon follows), and Mesos ${mesos} is past it`;
}

/** The Docker minimum that makes Mesos `mesos` refuse Docker `docker` (too old), if any. */
export function dockerTooOld(mesos: string, docker: string): DockerMinimum | undefined {
  return DOCKER_MINIMUMS.find((m) => inRange(mesos, m.mesos) && compareVersions(docker, m.dockerAtLeast) < 0);
}

/** Where a policy's minimum comes from, for messages. */
export function policySource(policy: MarathonPolicy): string {
  return policy === "marathon-docs" ? "Marathon docs" : "the seed's table";
}

/** The libmesos inside a Marathon release's image. */
export function marathonLibmesos(marathon: string): string {
  const line = marathonLine(marathon);
  const moved = (line.libmesosFrom ?? []).filter((m) => compareVersions(marathon, m.release) >= 0);
  return moved.length > 0 ? (moved[moved.length - 1] as { libmesos: string }).libmesos : line.libmesos;
}

/** The Mesos JAR a Marathon release is built with. */
export function marathonJar(marathon: string): string {
  return marathonLine(marathon).jar;
}

/** Whether libmesos `libmesos` loads a Mesos JAR of version `jar` (the JNI major-version check). */
export function jniLoads(jar: string, libmesos: string): boolean {
  return majorOf(jar) === majorOf(libmesos) || compareVersions(libmesos, MESOS_JNI_CHECK.refusingUpTo) > 0;
}

/** The scheduler libmesos floor in force once a master runs `master`, if any. */
export function schedulerFloor(master: string): SchedulerFloor | undefined {
  const floors = MESOS_SCHEDULER_FLOORS.filter((f) => compareVersions(master, f.mastersFrom) >= 0);
  return floors.reduce<SchedulerFloor | undefined>(
    (best, f) => (best === undefined || compareVersions(f.libmesosAtLeast, best.libmesosAtLeast) > 0 ? f : best),
    undefined,
  );
}

/** Why a Marathon release cannot run against masters of `master`, or undefined when it can. */
export function marathonMasterProblem(marathon: string, master: string): string | undefined {
  const floor = schedulerFloor(master);
  const libmesos = marathonLibmesos(marathon);
  if (floor !== undefined && compareVersions(libmesos, floor.libmesosAtLeast) < 0) {
    return `Marathon ${marathon} links libmesos ${libmesos}, and ${floor.reason}`;
  }
  if (!jniLoads(marathonJar(marathon), libmesos)) return `Marathon ${marathon}: ${MESOS_JNI_CHECK.reason}`;
  return undefined;
}

/** The containerizer limit that makes Mesos `mesos` refuse Docker `docker`, if any. */
export function containerizerRefusal(mesos: string, docker: string): ContainerizerLimit | undefined {
  return CONTAINERIZER_LIMITS.find((limit) => inRange(mesos, limit.mesos) && inRange(docker, limit.refusesDocker));
}

/** Why a framework cannot live with a layer at a version: the reason and its source. */
export interface FrameworkProblem {
  /** The reason, starting after the framework's name and version. */
  readonly reason: string;
  /** Where the fact comes from. */
  readonly source: string;
}

/** Why framework `name` at `version` cannot live with `component` at `target`, or undefined when it can. */
export function frameworkProblem(
  name: FrameworkName,
  version: string,
  component: Component,
  target: string,
): FrameworkProblem | undefined {
  for (const ceiling of FRAMEWORK_CEILINGS) {
    if (ceiling.framework !== name || ceiling.component !== component || !inRange(version, ceiling.versions)) continue;
    if (compareVersions(`${minorOf(target)}.0`, `${ceiling.maxMinor}.0`) > 0) {
      const layer = component === "mesos" ? "Mesos" : "Marathon";
      return {
        reason: `works with ${layer} up to ${ceiling.maxMinor}.x: ${ceiling.reason}; ${ceiling.fix}`,
        source: ceiling.source,
      };
    }
  }
  if (component === "mesos") {
    const jar = FRAMEWORK_JARS.find((j) => j.framework === name && inRange(version, j.versions));
    if (jar !== undefined && !jniLoads(jar.jar, target)) {
      return {
        reason: `bundles the Mesos ${jar.jar} JAR, and ${MESOS_JNI_CHECK.reason}`,
        source: `${jar.source}; ${MESOS_JNI_CHECK.source}`,
      };
    }
  }
  return undefined;
}

/** The highest catalogued Marathon that runs on Mesos `mesos` under a policy (e.g. 1.1.7 for 0.28.2). */
export function highestMarathonFor(mesos: string, policy: MarathonPolicy = "marathon-docs"): string {
  const fits = MARATHON_LINES.flatMap((line) => line.releases).filter(
    (release) =>
      compareVersions(minMesosFor(release, policy), mesos) <= 0 && marathonMasterProblem(release, mesos) === undefined,
  );
  const best = fits[fits.length - 1];
  if (best === undefined) throw new RangeError(`no catalogued Marathon runs on Mesos ${mesos}`);
  return best;
}

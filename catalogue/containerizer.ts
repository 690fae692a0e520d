/** Which Docker versions each Mesos version's Docker containerizer can drive. */
import type { Sourced, VersionRange } from "./types";

/** Mesos versions whose Docker containerizer refuses some Docker versions. */
export interface ContainerizerLimit extends Sourced {
  /** The Mesos versions concerned. */
  readonly mesos: VersionRange;
  /** The Docker versions those Mesos versions refuse. */
  readonly refusesDocker: VersionRange;
  /** The Mesos release of the same line that lifts the limit. */
  readonly fixedIn: string;
  /** What goes wrong. */
  readonly reason: string;
}

/** Known limits of the Mesos Docker containerizer. */
export const CONTAINERIZER_LIMITS: readonly ContainerizerLimit[] = [
  {
    mesos: { to: "0.22.1" },
    refusesDocker: { from: "1.8.0" },
    fixedIn: "0.22.2",
    reason:
      'Mesos <= 0.22.1 parses `Client version:` from `docker version`, which Docker >= 1.8 no longer prints, so the agent refuses to start its Docker containerizer ("Insufficient version of Docker! Please upgrade to >= 1.0.0", MESOS-2986)',
    source:
      "fact sheet §5; apache/mesos@0.22.1 vs @0.22.2:src/docker/docker.cpp; issues ContainerSolutions/minimesos#102, docker-archive/classicswarm#1012",
  },
  ...[
    { mesos: { before: "1.1.3" }, fixedIn: "1.1.3" },
    { mesos: { from: "1.2.0", before: "1.2.2" }, fixedIn: "1.2.2" },
    { mesos: { from: "1.3.0", before: "1.3.1" }, fixedIn: "1.3.1" },
  ].map(({ mesos, fixedIn }) => ({
    mesos,
    refusesDocker: { from: "1.12.0" },
    fixedIn,
    reason:
      "Docker >= 1.12 leaks mount namespaces so that `docker rm` fails, which makes the agent's recovery fail on Mesos without MESOS-7777 (no 0.x or 1.0.x release has the fix; it is in 1.1.3, 1.2.2, 1.3.1 and 1.4.0)",
    source:
      'newest-releases fact sheet §1.4, §3.4; MESOS-7777 ("Preventing agent recovery failing from unsuccessful docker rm"); CHANGELOG 1.1.3, 1.2.2, 1.3.1, 1.4.0',
  })),
];

/** The lowest Docker a Mesos agent starts with (it checks `docker version` at start). */
export interface DockerMinimum extends Sourced {
  /** The Mesos versions concerned. */
  readonly mesos: VersionRange;
  /** The lowest Docker they accept. */
  readonly dockerAtLeast: string;
  /** What goes wrong below it. */
  readonly reason: string;
}

const MESOS_9231 =
  "the agent refuses to start its Docker containerizer below Docker 1.8.0 (MESOS-9231 added `docker inspect --type=container`; Docker::create checks Version(1,8,0))";
const MESOS_9231_SOURCE =
  "apache/mesos@1.11.0:src/docker/docker.cpp and docs/docker-containerizer.md; commit d74779eba; newest-releases fact sheet §1.4";

/** Minimum Docker per Mesos release (before these, Docker 1.0.0 suffices). */
export const DOCKER_MINIMUMS: readonly DockerMinimum[] = [
  { mesos: { from: "1.4.3", before: "1.5.0" }, dockerAtLeast: "1.8.0", reason: MESOS_9231, source: MESOS_9231_SOURCE },
  { mesos: { from: "1.5.2", before: "1.6.0" }, dockerAtLeast: "1.8.0", reason: MESOS_9231, source: MESOS_9231_SOURCE },
  { mesos: { from: "1.6.2", before: "1.7.0" }, dockerAtLeast: "1.8.0", reason: MESOS_9231, source: MESOS_9231_SOURCE },
  { mesos: { from: "1.7.1" }, dockerAtLeast: "1.8.0", reason: MESOS_9231, source: MESOS_9231_SOURCE },
];

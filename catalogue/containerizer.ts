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
      "Mesos <= 0.22.1 parses `Client version:` from `docker version`, which Docker >= 1.8 no longer prints, so the agent refuses to start its Docker containerizer (\"Insufficient version of Docker! Please upgrade to >= 1.0.0\", MESOS-2986)",
    source:
      "fact sheet §5; apache/mesos@0.22.1 vs @0.22.2:src/docker/docker.cpp; issues ContainerSolutions/minimesos#102, docker-archive/classicswarm#1012",
  },
];

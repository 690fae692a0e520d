/** The cluster invariants every plan keeps after every single step; a checker for tests, stacks and the simulator. */
import {
  containerizerRefusal,
  dockerTooOld,
  marathonMasterProblem,
  marathonWindowProblem,
  minMesosFor,
  policySource,
} from "./compatibility";
import { highestOf, instancesOf, lowestOf } from "./cluster";
import { compareVersions, lineIndex } from "./versions";
import type { MarathonPolicy, PlanInput } from "./types";

/**
 * Broken invariants of a cluster state, in words (empty when it is sound): Mesos versions at most one
 * minor apart, no agent on a newer minor than a master, every agent's Docker containerizer able to
 * drive its host's engine (and new enough for it), every Marathon on a Mesos its policy allows, able to
 * follow the masters (libmesos, JNI) and inside its line's Mesos window, and Marathon instances on at
 * most two versions. Skew also keeps every agent on 1.0.x before a master leaves 1.0.x.
 */
export function invariantViolations(
  input: PlanInput,
  policy: MarathonPolicy = input.policy ?? "marathon-docs",
): string[] {
  const violations: string[] = [];
  const mesos = instancesOf(input, "mesos");
  const lines = mesos.map((i) => lineIndex("mesos", i.version));
  if (lines.length > 0 && Math.max(...lines) - Math.min(...lines) > 1) {
    violations.push(
      `Mesos versions more than one minor apart: ${[...new Set(mesos.map((i) => i.version))].join(", ")}`,
    );
  }
  const masterLine = Math.min(
    ...mesos.filter((i) => i.part === "mesos-master").map((i) => lineIndex("mesos", i.version)),
  );
  for (const agent of mesos.filter((i) => i.part === "mesos-slave")) {
    if (lineIndex("mesos", agent.version) > masterLine) {
      violations.push(`agent ${agent.host.name} runs Mesos ${agent.version}, a newer minor than a master`);
    }
    const docker = agent.host.versions.docker as string;
    const limit = containerizerRefusal(agent.version, docker);
    if (limit !== undefined) {
      violations.push(`agent ${agent.host.name} runs Mesos ${agent.version} on Docker ${docker}: ${limit.reason}`);
    }
    const tooOld = dockerTooOld(agent.version, docker);
    if (tooOld !== undefined) {
      violations.push(`agent ${agent.host.name} runs Mesos ${agent.version} on Docker ${docker}: ${tooOld.reason}`);
    }
  }
  const marathons = instancesOf(input, "marathon");
  const lowMesos = lowestOf(input, "mesos");
  const highMaster = highestOf(input, "mesos-master");
  for (const m of marathons) {
    const min = minMesosFor(m.version, policy);
    if (lowMesos !== undefined && compareVersions(lowMesos, min) < 0) {
      violations.push(
        `Marathon ${m.version} on ${m.host.name} needs Mesos >= ${min} (${policySource(policy)}) but Mesos ${lowMesos} runs`,
      );
    }
    const problem = highMaster === undefined ? undefined : marathonMasterProblem(m.version, highMaster);
    if (problem !== undefined) violations.push(`${m.host.name}: ${problem}`);
    const window = highMaster === undefined ? undefined : marathonWindowProblem(m.version, highMaster);
    if (window !== undefined) violations.push(`${m.host.name}: ${window}`);
  }
  const marathonVersions = new Set(marathons.map((m) => m.version));
  if (marathonVersions.size > 2) {
    violations.push(`Marathon instances on ${marathonVersions.size} versions: ${[...marathonVersions].join(", ")}`);
  }
  return violations;
}

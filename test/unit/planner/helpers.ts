/** Builders for plan inputs and a pure "apply the plan" used to replay runs in tests. */
import {
  planRun,
  runsExecutorContainersAfter,
  type HostInput,
  type Plan,
  type PlanInput,
  type PlanStep,
  type Role,
} from "../../../planner";

/** A master host (also running Marathon unless `marathon` is null). */
export function master(
  name: string,
  v: { docker?: string; mesos?: string; marathon?: string | null } = {},
  leader?: Role[],
): HostInput {
  const marathon = v.marathon === null ? undefined : (v.marathon ?? "0.9.0");
  return {
    name,
    roles: marathon === undefined ? ["mesos-master"] : ["mesos-master", "marathon"],
    versions: {
      docker: v.docker ?? "1.7.1",
      "mesos-master": v.mesos ?? "0.22.1",
      ...(marathon === undefined ? {} : { marathon }),
    },
    ...(leader === undefined ? {} : { leader }),
  };
}

/** An agent host. */
export function agent(name: string, v: { docker?: string; mesos?: string } = {}): HostInput {
  return {
    name,
    roles: ["mesos-slave"],
    versions: { docker: v.docker ?? "1.7.1", "mesos-slave": v.mesos ?? "0.22.1" },
  };
}

/**
 * The seed's starting cluster: 3 masters running Marathon (m1 leads both), `agents` agents, Docker 1.7.1, Mesos 0.22.1,
 * Marathon 0.9.0.
 */
export function seedCluster(agents = 5, overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    hosts: [
      master("m1", {}, ["mesos-master", "marathon"]),
      master("m2"),
      master("m3"),
      ...Array.from({ length: agents }, (_, i) => agent(`a${i + 1}`)),
    ],
    rollout: { maxUnavailableSlaves: 2 },
    ...overrides,
  };
}

/** The input after one step: the step's host runs `to`. Throws if the host does not run `from`. */
export function applyStep(input: PlanInput, step: PlanStep): PlanInput {
  return {
    ...input,
    hosts: input.hosts.map((h) => {
      if (h.name !== step.host) return h;
      if (h.versions[step.component] !== step.from) {
        throw new Error(
          `step ${step.seq} expects ${step.host} ${step.component} at ${step.from}, found ${h.versions[step.component]}`,
        );
      }
      return {
        ...h,
        versions: { ...h.versions, [step.component]: step.to },
        ...(runsExecutorContainersAfter(step.component, step.to) ? { executorContainers: true } : {}),
      };
    }),
  };
}

/** The input after every step of a plan. */
export function applyPlan(input: PlanInput, plan: Plan): PlanInput {
  return plan.steps.reduce(applyStep, input);
}

/** Plans and applies runs until one has no steps; returns every plan and the final input. */
export function converge(input: PlanInput, maxRuns = 60): { plans: Plan[]; final: PlanInput } {
  const plans: Plan[] = [];
  let current = input;
  for (let run = 0; run < maxRuns; run++) {
    const plan = planRun(current);
    plans.push(plan);
    if (plan.steps.length === 0) return { plans, final: current };
    current = applyPlan(current, plan);
  }
  throw new Error(`no convergence after ${maxRuns} runs`);
}

/** One line per run: `phase from->to` (or the phase alone), for asserting a whole upgrade at a glance. */
export function runSummary(plans: readonly Plan[]): string[] {
  return plans.map((p) => {
    const first = p.steps[0];
    return first === undefined
      ? p.phase
      : `${p.phase} ${[...new Set(p.steps.map((s) => s.from))].join(",")}->${first.to}`;
  });
}

/** The version of a component on a host. */
export function versionOn(input: PlanInput, host: string, part: keyof HostInput["versions"]): string | undefined {
  return input.hosts.find((h) => h.name === host)?.versions[part];
}

/** The plan for one run: validate, find each layer's target, pick the one hop, order it, explain it. */
import { lowestOf } from "./cluster";
import { findPath } from "./paths";
import { runNotes } from "./notes";
import { decideRun, dockerPrerequisite } from "./run";
import { computeTargets } from "./targets";
import { COMPONENTS, validatePlanInput } from "./validate";
import { compareVersions, minorOf } from "./versions";
import { settingsStepsOf, stepsOf } from "./waves";
import type { Blocker, Component, Plan, PlanInput } from "./types";

function pathFrom(input: PlanInput, component: Component, target: string): string[] {
  const low = lowestOf(input, component);
  return low === undefined ? [] : findPath(component, low, target);
}

/** Remaining hops per layer; the Mesos path starts with the fix a Docker hop forces, when one does. */
function pathsOf(input: PlanInput, targets: Readonly<Record<Component, string>>): Record<Component, string[]> {
  const docker = pathFrom(input, "docker", targets.docker);
  let mesos = pathFrom(input, "mesos", targets.mesos);
  const lowMesos = lowestOf(input, "mesos") as string;
  const forcing = docker.map((hop) => dockerPrerequisite(input, hop)).find((p) => p !== undefined);
  const fix = forcing?.limit.fixedIn;
  if (
    fix !== undefined &&
    minorOf(fix) === minorOf(lowMesos) &&
    compareVersions(fix, lowMesos) > 0 &&
    compareVersions(fix, targets.mesos) <= 0
  ) {
    mesos = [fix, ...findPath("mesos", fix, targets.mesos)];
  }
  return { docker, mesos, marathon: pathFrom(input, "marathon", targets.marathon) };
}

const byLayer = (a: Blocker, b: Blocker) => COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component);

/**
 * Plans one run (one `pulumi up`): one hop of one layer, in ordered steps and waves. Pure. Applying
 * every step and planning again converges to `converged` with every host at `desired` (or `blocked`
 * with every host at `targets`). Throws a PlanInputError for input it cannot plan.
 */
export function planRun(input: PlanInput): Plan {
  const valid = validatePlanInput(input);
  const policy = valid.policy ?? "marathon-docs";
  const { targets, blocked, notes: frameworkNotes } = computeTargets(valid, policy);
  const paths = pathsOf(valid, targets);
  const decision = decideRun(valid, targets, policy);
  switch (decision.kind) {
    case "done": {
      // No version hop remains: the settings changes go, like a hop.
      const settings = settingsStepsOf(valid);
      if (settings.length) {
        return {
          phase: "settings",
          steps: settings,
          blocked: [...blocked].sort(byLayer),
          paths,
          targets,
          notes: frameworkNotes,
        };
      }
      return {
        phase: blocked.length > 0 ? "blocked" : "converged",
        steps: [],
        blocked: [...blocked].sort(byLayer),
        paths,
        targets,
        notes: frameworkNotes,
      };
    }
    case "stuck":
      return {
        phase: "blocked",
        steps: [],
        blocked: [...blocked, decision.blocker].sort(byLayer),
        paths,
        targets,
        notes: frameworkNotes,
      };
    case "hop": {
      const steps = stepsOf(valid, decision.hop);
      const notes = [...runNotes(valid, decision.hop, steps), ...frameworkNotes];
      return { phase: decision.hop.component, steps, blocked: [...blocked].sort(byLayer), paths, targets, notes };
    }
    default: {
      const unreachable: never = decision;
      throw new TypeError(`unknown decision ${JSON.stringify(unreachable)}`);
    }
  }
}

// The planner's input problems in the stack file's own words: `targets.mesos`, not the planner's `desired.mesos`.
import { PlanInputError } from "../planner";

/** The planner's field names → the stack config keys they come from (hosts[i] keeps its index: the stack's order). */
const STACK_KEYS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bdesired\.(docker|mesos|marathon)\b/g, "targets.$1"],
  [/\bdesired\b/g, "targets"],
  [/^policy\b/g, "rollout.policy"],
  // A version the planner refuses is one a host runs (found by discovery), not a key of the stack file.
  [/\bhosts\[(\d+)\]\.versions\.([\w-]+)/g, "the $2 running on hosts[$1]"],
];

/** One planner field or message rewritten with the stack's keys. */
export function inStackTerms(text: string): string {
  return STACK_KEYS.reduce((out, [pattern, key]) => out.replace(pattern, key), text);
}

/**
 * Every problem of a plan that cannot be made, one line each, naming the stack's keys; other errors as their message.
 */
export function planProblemLines(error: unknown): string[] {
  if (error instanceof PlanInputError) return error.problems.map((p) => inStackTerms(p.message));
  return [(error as Error).message];
}

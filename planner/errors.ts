/** Typed errors thrown by the planner for input it cannot plan. */

/** One thing wrong with a plan input. */
export interface InputProblem {
  /** Path of the offending field, e.g. `hosts[2].versions.mesos-slave`. */
  readonly field: string;
  /** The offending value as received (`undefined` when missing). */
  readonly value: unknown;
  /** One line naming the field, the value and, where there is one, the valid choice. */
  readonly message: string;
  /** Valid values, when the set is known. @default none */
  readonly choices?: readonly string[];
}

/**
 * Thrown for input the planner cannot plan: unknown versions, downgrades, unknown roles, duplicate
 * hosts, missing fields, bad rollout limits, contradictory targets. Carries every problem found;
 * `field`, `value` and `choices` repeat the first one.
 */
export class PlanInputError extends Error {
  override readonly name = "PlanInputError";
  /** Stable code for callers that branch on the kind of failure. */
  readonly code = "InvalidPlanInput";
  /** The first problem's field. */
  readonly field: string;
  /** The first problem's offending value. */
  readonly value: unknown;
  /** The first problem's valid choices, when known. */
  readonly choices?: readonly string[];
  /** Every problem found, in input order. */
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    const [first] = problems;
    if (first === undefined) throw new RangeError("PlanInputError needs at least one problem");
    const more =
      problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
    super(first.message + more);
    this.field = first.field;
    this.value = first.value;
    if (first.choices !== undefined) this.choices = first.choices;
    this.problems = problems;
  }
}

/** Renders a received value for a one-line message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Builds a problem whose message reads `<field> must be <expected>, got <value>[; <fix>]`. */
export function inputProblem(
  field: string,
  value: unknown,
  expected: string,
  fix?: string,
  choices?: readonly string[],
): InputProblem {
  const message = `${field} must be ${expected}, got ${describeValue(value)}${fix === undefined ? "" : `; ${fix}`}`;
  return choices === undefined ? { field, value, message } : { field, value, message, choices };
}

/** One problem with a flag value at a version. */
export interface FlagProblem {
  /** The flag as given (without dashes). */
  readonly flag: string;
  /** The value as given (`undefined` for a missing required flag). */
  readonly value: string | number | boolean | undefined;
  /** What is wrong and what to do instead. */
  readonly message: string;
  /** `error`: the component would refuse it; `warning`: it loads but should change. */
  readonly severity: "error" | "warning";
}

/** Thrown when flags cannot be rendered because a component would refuse them. */
export class FlagError extends Error {
  override readonly name = "FlagError";
  /** Stable code for callers that branch on the kind of failure. */
  readonly code = "InvalidFlags";
  /** The error-level problems found. */
  readonly problems: readonly FlagProblem[];

  constructor(problems: readonly FlagProblem[]) {
    super(problems.map((p) => p.message).join("\n"));
    this.problems = problems;
  }
}

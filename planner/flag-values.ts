/** Reading flag values by type: stout durations, percentages, rates, booleans and integers. */
import type { FlagType, FlagValue } from "../catalogue/flags/types";

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  secs: 1e9,
  mins: 60e9,
  hrs: 3600e9,
  days: 86400e9,
  weeks: 604800e9,
};
const DURATION = /^(\d+(?:\.\d+)?)(ns|us|ms|secs|mins|hrs|days|weeks)$/;

/** A stout duration (`15secs`, `1hrs`) in nanoseconds, or undefined when it does not parse. */
export function durationNs(value: string): number | undefined {
  const m = DURATION.exec(value);
  return m === null ? undefined : Number(m[1]) * (UNIT_NS[m[2] as string] as number);
}

const PATTERNS: Readonly<
  Partial<Record<FlagType, { readonly test: (v: string) => boolean; readonly example: string }>>
> = {
  bool: { test: (v) => v === "true" || v === "false", example: "true or false" },
  int: { test: (v) => /^-?\d+$/.test(v), example: "an integer such as 5" },
  duration: { test: (v) => durationNs(v) !== undefined, example: "a duration such as 15secs, 10mins or 6hrs" },
  percent: { test: (v) => /^\d+(\.\d+)?%$/.test(v), example: "a percentage such as 100%" },
  rate: {
    test: (v) => /^\d+\/\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/.test(v),
    example: "a rate such as 1/10mins",
  },
  path: { test: (v) => v.startsWith("/"), example: "an absolute path such as /data/mesos" },
};

/** What a value of the type looks like, for messages. */
export function typeExample(type: FlagType): string {
  return PATTERNS[type]?.example ?? "a string";
}

/** The value as the component reads it (a string), or undefined when it is not of the type. */
export function flagText(type: FlagType, value: FlagValue): string | undefined {
  switch (type) {
    case "bool":
      if (typeof value === "boolean") return String(value);
      return value === "true" || value === "false" ? value : undefined;
    case "int":
      if (typeof value === "number") return Number.isInteger(value) ? String(value) : undefined;
      return typeof value === "string" && /^-?\d+$/.test(value) ? value : undefined;
    case "string":
      return typeof value === "string" ? value : undefined;
    case "path":
    case "duration":
    case "percent":
    case "rate":
      return typeof value === "string" && (PATTERNS[type]?.test(value) ?? false) ? value : undefined;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** Compares two values of a type that has an order (int or duration); negative when `a < b`. */
export function compareFlagValues(type: FlagType, a: string, b: number | string): number {
  if (type === "duration") return (durationNs(a) as number) - (durationNs(String(b)) as number);
  return Number(a) - Number(b);
}

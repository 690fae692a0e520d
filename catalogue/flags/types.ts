/** The shape of a managed command-line flag in the catalogue's per-version schemas. */
import type { Sourced } from "../types";

/** Components that take command-line flags. */
export type FlagComponent = "mesos-master" | "mesos-slave" | "marathon";

/**
 * How a flag's value is written. `duration` is stout's `<number><unit>` (ns, us, ms, secs, mins, hrs,
 * days, weeks); `percent` is `<number>%`; `rate` is `<count>/<duration>`.
 */
export type FlagType = "string" | "path" | "int" | "bool" | "duration" | "percent" | "rate";

/** A flag value as it appears in configuration. */
export type FlagValue = string | number | boolean;

/** A default that holds from a version on. */
export interface FlagDefault {
  /** First version with this default. */
  readonly since: string;
  /** The default value. */
  readonly value: FlagValue;
}

/** A flag the project manages, across every catalogued version of its component. */
export interface FlagSpec extends Sourced {
  /** The name the flag was added under. */
  readonly name: string;
  /** How the value is written. */
  readonly type: FlagType;
  /** One line on what it does. */
  readonly description: string;
  /** First version that accepts the flag (the oldest catalogued release when it is older). */
  readonly since: string;
  /** Defaults by version, oldest first. @default no default */
  readonly defaults?: readonly FlagDefault[];
  /**
   * A rename: from `in` on the flag is called `to`; with `aliasKept` the old name still loads, deprecated.
   * @default never renamed
   */
  readonly renamed?: { readonly to: string; readonly in: string; readonly aliasKept: boolean };
  /** Version from which the flag is deprecated but still accepted. @default not deprecated */
  readonly deprecatedIn?: string;
  /** Version from which the flag is refused. @default never removed */
  readonly removedIn?: string;
  /** Version from which the component refuses to start without the flag. @default never required */
  readonly requiredSince?: string;
  /** The flag is required whenever this other flag is set. @default no such dependency */
  readonly requiredWith?: string;
  /** Allowed values. @default any value of the type */
  readonly choices?: readonly string[];
  /** Smallest allowed value (an int, or a duration such as "10mins"). @default no minimum */
  readonly min?: number | string;
  /** Largest allowed value (an int, or a duration). @default no maximum */
  readonly max?: number | string;
  /** A value refused from a version on. @default none */
  readonly forbidden?: { readonly value: FlagValue; readonly since: string; readonly reason: string };
  /**
   * Marathon toggles: from this version `--disable_<name>` sets false; before it false cannot be written.
   * @default Mesos convention
   */
  readonly disableSince?: string;
}

/** Per-version flag schemas: what a Mesos master, agent or Marathon accepts, and how to write it. */
import { MARATHON_FLAGS } from "../catalogue/flags/marathon";
import { MESOS_AGENT_FLAGS } from "../catalogue/flags/mesos-agent";
import { MESOS_MASTER_FLAGS } from "../catalogue/flags/mesos-master";
import type { FlagComponent, FlagSpec, FlagType, FlagValue } from "../catalogue/flags/types";
import { SEED_REFUSED_FLAGS } from "../catalogue/seed-settings";
import { agentFeaturesProblem } from "./agent-features";
import { FlagError, inputProblem, PlanInputError, type FlagProblem } from "./errors";
import { compareFlagValues, flagText, typeExample } from "./flag-values";
import { nearest } from "./nearest";
import { compareVersions, isKnownRelease, nearestRelease } from "./versions";

/** A managed flag as it stands at one version. */
export interface FlagDefinition {
  /** Its name at this version. */
  readonly name: string;
  /** How the value is written. */
  readonly type: FlagType;
  /** What it does. */
  readonly description: string;
  /** Its default at this version. @default no default */
  readonly default?: FlagValue;
  /** First version that accepts it. */
  readonly since: string;
  /** Whether the component refuses to start without it at this version. */
  readonly required: boolean;
  /** Another flag that makes this one required when set. @default none */
  readonly requiredWith?: string;
  /** Deprecated names that still load at this version. */
  readonly aliases: readonly string[];
  /** The name it had before a rename, and the version of the rename. @default never renamed */
  readonly renamedFrom?: { readonly name: string; readonly in: string };
  /** Version from which it is deprecated (may be later than this version). @default not deprecated */
  readonly deprecatedIn?: string;
  /** Version from which it is refused (later than this version). @default never removed */
  readonly removedIn?: string;
  /** Allowed values. @default any value of the type */
  readonly choices?: readonly string[];
  /** Smallest allowed value. @default none */
  readonly min?: number | string;
  /** Largest allowed value. @default none */
  readonly max?: number | string;
  /** Where the facts come from. */
  readonly source: string;
}

function specsOf(component: FlagComponent): readonly FlagSpec[] {
  switch (component) {
    case "mesos-master":
      return MESOS_MASTER_FLAGS;
    case "mesos-slave":
      return MESOS_AGENT_FLAGS;
    case "marathon":
      return MARATHON_FLAGS;
    default: {
      const unreachable: never = component;
      throw new TypeError(`unknown flag component ${JSON.stringify(unreachable)}`);
    }
  }
}

function label(component: FlagComponent, version: string): string {
  const name = component === "mesos-master" ? "Mesos master" : component === "mesos-slave" ? "Mesos agent" : "Marathon";
  return `${name} ${version}`;
}

function checkVersion(component: FlagComponent, version: string): void {
  const releases = component === "marathon" ? "marathon" : "mesos";
  if (!isKnownRelease(releases, version)) {
    const near = nearestRelease(releases, version);
    throw new PlanInputError([
      inputProblem(
        "version",
        version,
        `a known ${releases === "mesos" ? "Mesos" : "Marathon"} release`,
        `did you mean ${JSON.stringify(near)}?`,
        [near],
      ),
    ]);
  }
}

const atOrAfter = (version: string, since: string | undefined) =>
  since !== undefined && compareVersions(version, since) >= 0;
const available = (spec: FlagSpec, v: string) => atOrAfter(v, spec.since) && !atOrAfter(v, spec.removedIn);
const nameAt = (spec: FlagSpec, v: string) =>
  spec.renamed !== undefined && atOrAfter(v, spec.renamed.in) ? spec.renamed.to : spec.name;
const requiredAt = (spec: FlagSpec, v: string) => atOrAfter(v, spec.requiredSince);
const refusal = (component: FlagComponent, name: string) =>
  SEED_REFUSED_FLAGS.find((r) => r.component === component && r.flag === name);

function defaultAt(spec: FlagSpec, v: string): FlagValue | undefined {
  if (requiredAt(spec, v)) return undefined;
  const defaults = (spec.defaults ?? []).filter((d) => atOrAfter(v, d.since));
  return defaults[defaults.length - 1]?.value;
}

function lookup(component: FlagComponent, name: string): FlagSpec | undefined {
  return specsOf(component).find((s) => s.name === name || s.renamed?.to === name);
}

function definition(spec: FlagSpec, v: string): FlagDefinition {
  const renamed = spec.renamed !== undefined && atOrAfter(v, spec.renamed.in);
  const fallback = defaultAt(spec, v);
  return {
    name: nameAt(spec, v),
    type: spec.type,
    description: spec.description,
    since: renamed ? (spec.renamed as { in: string }).in : spec.since,
    required: requiredAt(spec, v),
    aliases: renamed && spec.renamed?.aliasKept === true ? [spec.name] : [],
    source: spec.source,
    ...(fallback === undefined ? {} : { default: fallback }),
    ...(spec.requiredWith === undefined ? {} : { requiredWith: spec.requiredWith }),
    ...(renamed ? { renamedFrom: { name: spec.name, in: (spec.renamed as { in: string }).in } } : {}),
    ...(spec.deprecatedIn === undefined ? {} : { deprecatedIn: spec.deprecatedIn }),
    ...(spec.removedIn === undefined ? {} : { removedIn: spec.removedIn }),
    ...(spec.choices === undefined ? {} : { choices: spec.choices }),
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
  };
}

/** The managed flags a component accepts at a version, under their names at that version. */
export function flagSchema(component: FlagComponent, version: string): FlagDefinition[] {
  checkVersion(component, version);
  return specsOf(component)
    .filter((spec) => available(spec, version))
    .map((spec) => definition(spec, version));
}

function nameProblem(
  component: FlagComponent,
  version: string,
  name: string,
  spec: FlagSpec | undefined,
): Omit<FlagProblem, "flag" | "value"> | undefined {
  const at = label(component, version);
  if (spec === undefined) {
    const sibling: FlagComponent | undefined =
      component === "mesos-master" ? "mesos-slave" : component === "mesos-slave" ? "mesos-master" : undefined;
    if (sibling !== undefined && lookup(sibling, name) !== undefined) {
      return {
        severity: "error",
        message: `--${name} is a ${label(sibling, version).replace(/ \S+$/, "")} flag, not a ${at.replace(/ \S+$/, "")} flag; move it`,
      };
    }
    const candidates = flagSchema(component, version).flatMap((d) => [d.name, ...d.aliases]);
    return {
      severity: "error",
      message: `--${name} is not a ${at.replace(/ \S+$/, "")} flag the project manages; did you mean --${nearest(name, candidates)}?`,
    };
  }
  const current = nameAt(spec, version);
  if (spec.renamed !== undefined && name === spec.renamed.to && current !== name) {
    return {
      severity: "error",
      message: `--${name} is not available in ${at} (it is the ${spec.renamed.in} name of --${spec.name}); use --${spec.name}`,
    };
  }
  if (!atOrAfter(version, spec.since)) {
    return {
      severity: "error",
      message: `--${name} is not available in ${at} (added in ${spec.since}); leave it out until ${spec.since}`,
    };
  }
  if (atOrAfter(version, spec.removedIn)) {
    return {
      severity: "error",
      message: `--${name} was removed in ${spec.removedIn} and ${at} refuses it; leave it out`,
    };
  }
  if (name !== current && spec.renamed !== undefined) {
    const { to, in: since, aliasKept } = spec.renamed;
    return aliasKept
      ? { severity: "warning", message: `--${name} is deprecated in ${at} (renamed --${to} in ${since}); use --${to}` }
      : {
          severity: "error",
          message: `--${name} no longer loads in ${at} (renamed --${to} in ${since} without an alias); use --${to}`,
        };
  }
  return undefined;
}

function valueProblem(
  component: FlagComponent,
  version: string,
  name: string,
  spec: FlagSpec,
  value: FlagValue,
): string | undefined {
  const at = label(component, version);
  const refused = refusal(component, spec.name);
  if (refused !== undefined) return `--${name} is refused by the seed plan: ${refused.reason}`;
  const text = flagText(spec.type, value);
  if (text === undefined) return `--${name} must be ${typeExample(spec.type)}, got ${JSON.stringify(value)}`;
  if (spec.choices !== undefined && !spec.choices.includes(text)) {
    return `--${name} must be one of ${spec.choices.join(", ")}, got ${JSON.stringify(value)}; did you mean ${nearest(text, spec.choices)}?`;
  }
  if (spec.min !== undefined && compareFlagValues(spec.type, text, spec.min) < 0) {
    return `--${name} must be at least ${spec.min}, got ${JSON.stringify(value)}`;
  }
  if (spec.max !== undefined && compareFlagValues(spec.type, text, spec.max) > 0) {
    return `--${name} must be at most ${spec.max}, got ${JSON.stringify(value)}`;
  }
  if (
    spec.forbidden !== undefined &&
    String(spec.forbidden.value) === text &&
    atOrAfter(version, spec.forbidden.since)
  ) {
    return `--${name}=${text} is refused by ${at}: ${spec.forbidden.reason}`;
  }
  if (component === "mesos-slave" && spec.name === "agent_features") {
    const problem = agentFeaturesProblem(version, text);
    if (problem !== undefined) return problem;
  }
  if (component === "marathon" && spec.type === "bool" && text === "false" && !atOrAfter(version, spec.disableSince)) {
    return `--${name} cannot be false in ${at}: --disable_${name} exists from ${spec.disableSince}; leave the default (true) until then`;
  }
  return undefined;
}

/** Options for `validateFlags`. */
export interface ValidateFlagsOptions {
  /** Check only the flags given, not the ones the version requires. @default false */
  readonly partial?: boolean;
}

/**
 * Problems with `flags` at `version`: unknown names (with the nearest valid one), names not yet or no
 * longer valid, deprecated names, wrong types or values, flags the seed refuses (`log_dir`), and
 * required flags left out (the agent's `work_dir` from 1.0). Empty when the component would accept them.
 */
export function validateFlags(
  component: FlagComponent,
  version: string,
  flags: Readonly<Record<string, FlagValue>>,
  options: ValidateFlagsOptions = {},
): FlagProblem[] {
  checkVersion(component, version);
  const problems: FlagProblem[] = [];
  const seen = new Map<FlagSpec, string>();
  for (const [name, value] of Object.entries(flags)) {
    const spec = lookup(component, name);
    const problem = nameProblem(component, version, name, spec);
    if (problem !== undefined) problems.push({ flag: name, value, ...problem });
    if (spec === undefined || problem?.severity === "error") continue;
    const other = seen.get(spec);
    if (other !== undefined) {
      problems.push({
        flag: name,
        value,
        severity: "error",
        message: `--${name} and --${other} name the same flag; keep --${nameAt(spec, version)}`,
      });
    }
    seen.set(spec, name);
    const message = valueProblem(component, version, name, spec, value);
    if (message !== undefined) problems.push({ flag: name, value, severity: "error", message });
    if (atOrAfter(version, spec.deprecatedIn)) {
      problems.push({
        flag: name,
        value,
        severity: "warning",
        message: `--${name} is deprecated since ${label(component, spec.deprecatedIn as string)} (${spec.description})`,
      });
    }
  }
  if (options.partial !== true) {
    for (const spec of specsOf(component).filter((s) => available(s, version) && !seen.has(s))) {
      const name = nameAt(spec, version);
      const dependsOn = spec.requiredWith === undefined ? undefined : lookup(component, spec.requiredWith);
      if (requiredAt(spec, version)) {
        problems.push({
          flag: name,
          value: undefined,
          severity: "error",
          message: `--${name} is required by ${label(component, version)}; set it`,
        });
      } else if (dependsOn !== undefined && seen.has(dependsOn)) {
        problems.push({
          flag: name,
          value: undefined,
          severity: "error",
          message: `--${name} is required when --${seen.get(dependsOn)} is set; set it`,
        });
      }
    }
  }
  return problems;
}

/** Flags translated to the names a version knows, with what was renamed and what had to be dropped. */
export interface TranslatedFlags {
  /** The flags under their names at the version. */
  readonly flags: Readonly<Record<string, FlagValue>>;
  /** Names changed to fit the version. */
  readonly renamed: readonly { readonly from: string; readonly to: string; readonly reason: string }[];
  /** Flags the version cannot take, and why. */
  readonly dropped: readonly { readonly flag: string; readonly value: FlagValue; readonly reason: string }[];
}

/**
 * Rewrites `flags` (named for any version) for `version`: old names become new ones after a rename
 * (`slave_ping_timeout` → `agent_ping_timeout` at 1.0) and back before it; flags the version does not
 * know are dropped. Values are kept as given; `validateFlags` judges them.
 */
export function flagsForVersion(
  component: FlagComponent,
  version: string,
  flags: Readonly<Record<string, FlagValue>>,
): TranslatedFlags {
  checkVersion(component, version);
  const out: Record<string, FlagValue> = {};
  const renamed: { from: string; to: string; reason: string }[] = [];
  const dropped: { flag: string; value: FlagValue; reason: string }[] = [];
  for (const [name, value] of Object.entries(flags)) {
    const spec = lookup(component, name);
    if (spec === undefined || !available(spec, version)) {
      const why =
        spec === undefined
          ? "not a managed flag"
          : atOrAfter(version, spec.removedIn)
            ? `removed in ${spec.removedIn}`
            : `added in ${spec.since}`;
      dropped.push({ flag: name, value, reason: `${label(component, version)} does not take --${name}: ${why}` });
      continue;
    }
    const target = nameAt(spec, version);
    if (target in out) {
      dropped.push({ flag: name, value, reason: `--${name} repeats --${target}, which is kept` });
      continue;
    }
    if (target !== name) {
      const when = (spec.renamed as { in: string }).in;
      renamed.push({
        from: name,
        to: target,
        reason: `${label(component, version)} calls --${spec.name} --${spec.renamed?.to} from ${when}; before ${when} it is --${spec.name}`,
      });
    }
    out[target] = value;
  }
  return { flags: out, renamed, dropped };
}

/**
 * The argv for `flags` at `version`, sorted by name. Mesos: `--name=value`, booleans as
 * `--name=true|false` (stout also reads `--name` and `--no-name`, but the explicit form means the same
 * on the command line and in MESOS_* variables). Marathon (scallop): `--name value`, booleans as
 * `--name` / `--disable_name`. Throws a FlagError listing the error-level problems of `validateFlags`
 * (only the flags given are checked, not the ones left out).
 */
export function toCommandLine(
  component: FlagComponent,
  version: string,
  flags: Readonly<Record<string, FlagValue>>,
): string[] {
  const errors = validateFlags(component, version, flags, { partial: true }).filter((p) => p.severity === "error");
  if (errors.length > 0) throw new FlagError(errors);
  const argv: string[] = [];
  for (const name of Object.keys(flags).sort()) {
    const spec = lookup(component, name) as FlagSpec;
    const text = flagText(spec.type, flags[name] as FlagValue) as string;
    if (component !== "marathon") argv.push(`--${name}=${text}`);
    else if (spec.type === "bool") argv.push(text === "true" ? `--${name}` : `--disable_${name}`);
    else argv.push(`--${name}`, text);
  }
  return argv;
}

/**
 * What a hop `from → to` changes in a component's managed flags: renames, removals, deprecations, requirements,
 * defaults.
 */
export function flagChanges(component: FlagComponent, from: string, to: string): string[] {
  const crosses = (v: string | undefined) =>
    v !== undefined && compareVersions(v, from) > 0 && compareVersions(v, to) <= 0;
  const at = label(component, to).replace(/ \S+$/, "");
  const changes: string[] = [];
  for (const spec of specsOf(component)) {
    if (spec.renamed !== undefined && crosses(spec.renamed.in)) {
      const alias = spec.renamed.aliasKept ? "the old name still loads, deprecated" : "the old name no longer loads";
      changes.push(`${at} ${spec.renamed.in}: --${spec.name} is renamed --${spec.renamed.to} (${alias})`);
    }
    if (crosses(spec.removedIn)) changes.push(`${at} ${spec.removedIn}: --${spec.name} is removed`);
    if (crosses(spec.deprecatedIn)) changes.push(`${at} ${spec.deprecatedIn}: --${spec.name} is deprecated`);
    if (crosses(spec.requiredSince)) {
      changes.push(`${at} ${spec.requiredSince}: --${nameAt(spec, to)} is required (no default)`);
    }
    if (spec.forbidden !== undefined && crosses(spec.forbidden.since)) {
      changes.push(
        `${at} ${spec.forbidden.since}: --${nameAt(spec, to)}=${String(spec.forbidden.value)} is refused (${spec.forbidden.reason})`,
      );
    }
    for (const d of spec.defaults ?? []) {
      const before = defaultAt(spec, from);
      if (crosses(d.since) && before !== undefined && before !== d.value) {
        changes.push(`${at} ${d.since}: --${nameAt(spec, to)} defaults to ${String(d.value)} (was ${String(before)})`);
      }
    }
  }
  return changes;
}

// Loading Mesos flags from argv and MESOS_* environment variables the way each release's stout does: which names
// exist, boolean and `no-` forms, duplicates (env + argv is an error up to 0.24), 1.0's deprecated aliases.
import { mesosFlags, mesosTraits, type FlagSpec } from "../catalogue/mesos";
import { atLeast } from "../catalogue/versions";
import { parseMesosDuration } from "../time";
import { agentFeaturesError } from "./agent-features";

/** Loaded flag values by canonical name (booleans as booleans, everything else as text). */
export type MesosFlagValues = ReadonlyMap<string, string | boolean>;

/** The outcome of loading: values and deprecation warnings, or the error stout reports (before the usage text). */
export type LoadResult =
  { readonly values: MesosFlagValues; readonly warnings: readonly string[] } | { readonly error: string };

function canonical(flags: ReadonlyMap<string, FlagSpec>, name: string): string | undefined {
  if (flags.has(name)) return name;
  for (const [key, spec] of flags) if (spec.alias === name) return key;
  return undefined;
}

function check(kind: FlagSpec["kind"], name: string, value: string): string | undefined {
  if (kind === "b" && !["true", "false", "1", "0"].includes(value)) {
    return `Failed to load flag '${name}': Failed to load value '${value}': Expecting a boolean (e.g., true or false)`;
  }
  if (kind === "d" && parseMesosDuration(value) === undefined) {
    return `Failed to load flag '${name}': Failed to load value '${value}': Invalid duration format`;
  }
  if (kind === "n" && !/^\d+(\.\d+)?$/.test(value)) {
    return `Failed to load flag '${name}': Failed to load value '${value}': Failed to convert into required type`;
  }
  return undefined;
}

/**
 * Loads flags for `binary` at `version` from argv (words after the image) and the container environment.
 * `readFile` resolves `file://` values the way stout does.
 */
export function loadMesosFlags(
  binary: "master" | "agent",
  version: string,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  readFile: (path: string) => string | undefined = () => undefined,
): LoadResult {
  const flags = mesosFlags(version, binary);
  const traits = mesosTraits(version);
  const fromArgv: Array<[string, string | undefined]> = [];
  for (const raw of argv) {
    const arg = raw.trim();
    if (arg === "--") break;
    if (!arg.startsWith("--")) continue;
    const eq = arg.indexOf("=");
    fromArgv.push(
      eq < 0 ? [arg.slice(2).toLowerCase(), undefined] : [arg.slice(2, eq).toLowerCase(), arg.slice(eq + 1)],
    );
  }
  const fromEnv: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("MESOS_")) continue;
    const name = key.slice("MESOS_".length).toLowerCase();
    const bare = name.startsWith("no-") ? name.slice(3) : name;
    // stout only picks up environment variables that name a known flag.
    if (canonical(flags, bare) !== undefined && (traits.agentNames || flags.has(bare))) fromEnv.push([name, value]);
  }
  const seen = new Set<string>();
  const merged: Array<[string, string | undefined]> = [];
  if (traits.envDuplicatesFail) {
    // ≤0.24: the environment fills the map first and a command-line repeat is a "duplicate on command line".
    for (const [name, value] of [...fromEnv, ...fromArgv]) {
      const key = name.startsWith("no-") ? name.slice(3) : name;
      if (seen.has(key)) return { error: `Duplicate flag '${name}' on command line` };
      seen.add(key);
      merged.push([name, value]);
    }
  } else {
    for (const [name, value] of fromArgv) {
      const key = name.startsWith("no-") ? name.slice(3) : name;
      if (seen.has(key) && !traits.agentNames) return { error: `Duplicate flag '${name}' on command line` };
      seen.add(key);
      merged.push([name, value]);
    }
    // Command-line flags take precedence over environment flags.
    for (const [name, value] of fromEnv) {
      if (!seen.has(name.startsWith("no-") ? name.slice(3) : name)) merged.push([name, value]);
    }
  }
  const values = new Map<string, string | boolean>();
  const loadedVia = new Map<string, string>();
  const warnings: string[] = [];
  for (const [name, rawValue] of merged) {
    const negated = name.startsWith("no-");
    const flagName = negated ? name.slice(3) : name;
    const key = canonical(flags, flagName);
    const spec = key === undefined ? undefined : flags.get(key);
    if (!key || !spec || (!traits.agentNames && key !== flagName)) {
      return {
        error: negated
          ? `Failed to load unknown flag '${flagName}' via '${name}'`
          : `Failed to load unknown flag '${flagName}'`,
      };
    }
    if (loadedVia.has(key) && traits.agentNames) {
      return { error: `Flag '${flagName}' is already loaded via name '${loadedVia.get(key)}'` };
    }
    let value = rawValue;
    if (value !== undefined && value.startsWith("file://")) {
      const content = readFile(value.slice("file://".length));
      if (content === undefined) {
        return {
          error: `Failed to load flag '${flagName}': Failed to read '${value.slice("file://".length)}': No such file or directory`,
        };
      }
      value = content.trim();
    }
    if (spec.kind === "b") {
      if (negated) {
        if (value !== undefined && value !== "") {
          return { error: `Failed to load boolean flag '${flagName}' via '${name}' with value '${value}'` };
        }
        values.set(key, false);
      } else {
        const text = value === undefined || value === "" ? "true" : value;
        const problem = check("b", flagName, text);
        if (problem) return { error: problem };
        values.set(key, text === "true" || text === "1");
      }
    } else {
      if (negated) return { error: `Failed to load non-boolean flag '${flagName}' via '${name}'` };
      if (value === undefined) return { error: `Failed to load non-boolean flag '${flagName}': Missing value` };
      const problem = check(spec.kind, flagName, value);
      if (problem) return { error: problem };
      values.set(key, value);
    }
    loadedVia.set(key, flagName);
    if (key !== flagName) warnings.push(`Loaded deprecated flag '${flagName}'`);
  }
  if (binary === "agent" && traits.workDirRequired && !values.has("work_dir")) {
    return { error: "Flag 'work_dir' is required, but it was not provided" };
  }
  const features = values.get("agent_features");
  if (binary === "agent" && typeof features === "string") {
    const error = agentFeaturesError(version, features);
    if (error !== undefined) return { error };
  }
  return { values, warnings };
}

/** The text a Mesos binary prints with a flag error: the error and its usage (format per release). */
export function usageText(binary: "master" | "agent", version: string, error: string): string {
  const program = binary === "master" ? "mesos-master" : atLeast(version, "1.0.0") ? "mesos-agent" : "mesos-slave";
  const names = [...mesosFlags(version, binary)].sort(([a], [b]) => a.localeCompare(b));
  const lines = names.map(([name, spec]) => (spec.kind === "b" ? `  --[no-]${name}` : `  --${name}=VALUE`));
  if (!atLeast(version, "0.25.0")) {
    return `${error}\nUsage: ${program} [...]\n\nSupported options:\n${lines.join("\n")}\n`;
  }
  return `${error}\n\nUsage: ${program} [options]\n\n${lines.join("\n")}\n`;
}

/** A flag's text value. */
export function flagText(values: MesosFlagValues, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === "string" ? value : undefined;
}

/** A boolean flag with its default. */
export function flagOn(values: MesosFlagValues, name: string, fallback: boolean): boolean {
  const value = values.get(name);
  return typeof value === "boolean" ? value : fallback;
}

/** A duration flag in seconds with its default. */
export function flagSeconds(values: MesosFlagValues, name: string, fallback: number): number {
  const text = flagText(values, name);
  return text === undefined ? fallback : (parseMesosDuration(text) ?? fallback);
}

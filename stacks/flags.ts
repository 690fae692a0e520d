// The flags a component keeps across hops: what it runs with now (brownfield), overlaid by the stack's settings.
import type { FlagValue } from "../planner";
import type { RunningContainer } from "../observe/containers";
import { isSecretEnvName } from "../catalogue/secret-env";

/**
 * Flags from a Mesos container: `--name=value` arguments and `MESOS_NAME` variables (arguments win, as in Mesos).
 * A secret variable (e.g. MESOS_HTTP_CREDENTIALS; `secretEnv` lists more) stays a variable: as an argument it would
 * show on the host's command line.
 */
export function mesosFlagsOf(
  container: RunningContainer | undefined,
  secretEnv: readonly string[] = [],
): Record<string, FlagValue> {
  const flags: Record<string, FlagValue> = {};
  if (!container) return flags;
  for (const [key, value] of Object.entries(container.env)) {
    if (key.startsWith("MESOS_") && !isSecretEnvName(key, secretEnv)) {
      flags[key.slice("MESOS_".length).toLowerCase()] = value;
    }
  }
  for (const arg of container.args) {
    const match = /^--(no-)?([a-z0-9_]+)(?:=(.*))?$/s.exec(arg);
    if (match) flags[match[2]] = match[3] ?? (match[1] ? false : true);
  }
  return flags;
}

/** Flags from a Marathon container: `--name value` pairs and bare `--name` switches. */
export function marathonFlagsOf(container: RunningContainer | undefined): Record<string, FlagValue> {
  const flags: Record<string, FlagValue> = {};
  if (!container) return flags;
  const args = container.args;
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z0-9_]+)$/.exec(args[i]);
    if (!match) continue;
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags[match[1]] = next;
      i++;
    } else {
      flags[match[1]] = true;
    }
  }
  return flags;
}

/** The flags of the next hop: running flags, then the stack's, without the ones the seed forbids (`log_dir`). */
export function mergedFlags(
  running: Readonly<Record<string, FlagValue>>,
  stack: Readonly<Record<string, FlagValue>>,
): Record<string, FlagValue> {
  const merged: Record<string, FlagValue> = { ...running, ...stack };
  delete merged.log_dir; // seed §2.3: no log_dir, logs go to stderr only (no double logging)
  return merged;
}

/**
 * The container's environment without MESOS_* flags: they are rendered as arguments instead, and Mesos up to
 * 0.24 refuses a flag given both ways. Secret ones stay (mesosFlagsOf leaves them out of the arguments).
 */
export function envWithoutFlags(
  env: Readonly<Record<string, string>> | undefined,
  secretEnv: readonly string[] = [],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env ?? {}).filter(([key]) => !key.startsWith("MESOS_") || isSecretEnvName(key, secretEnv)),
  );
}

// Flag parsing of the simulated `docker` CLI, following mflag (1.7–1.12) and cobra (1.13): short and long names,
// "--name=value" and "--name value", bundled short booleans ("-dit"), flags stop at the first argument.
import { atLeast } from "../catalogue/versions";

/** bool: takes no value (or =true/false); value: one value, last wins; list: repeatable. */
export type FlagKind = "bool" | "value" | "list";

/** One flag of a docker subcommand. */
export interface FlagDef {
  readonly names: readonly string[];
  readonly kind: FlagKind;
  /** First engine release whose CLI has the flag. */
  readonly since?: string;
}

/** Parsed flags (by their first name) and the remaining arguments. */
export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | boolean | string[]>;
  readonly args: readonly string[];
}

/** A flag the CLI does not know; `message` is the CLI's own text. */
export class UnknownFlagError extends Error {
  override readonly name = "UnknownFlagError";
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses `argv` for a subcommand; `interspersed` false means flags end at the first argument (run, exec). */
export function parseFlags(
  argv: readonly string[],
  defs: readonly FlagDef[],
  version: string,
  interspersed = true,
): ParsedFlags {
  const active = defs.filter((d) => !d.since || atLeast(version, d.since));
  const find = (name: string) => active.find((d) => d.names.includes(name));
  const values = new Map<string, string | boolean | string[]>();
  const args: string[] = [];
  const set = (def: FlagDef, value: string | boolean) => {
    const key = def.names[0] as string;
    if (def.kind === "list") values.set(key, [...((values.get(key) as string[] | undefined) ?? []), String(value)]);
    else values.set(key, value);
  };
  const unknown = (flag: string): never => {
    throw new UnknownFlagError(
      flag,
      atLeast(version, "1.13.0") ? `unknown flag: ${flag}` : `flag provided but not defined: ${flag}`,
    );
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      if (!interspersed) {
        args.push(...argv.slice(i));
        break;
      }
      args.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(0, eq) : word;
    const def = find(name);
    if (def) {
      if (def.kind === "bool") {
        set(def, eq > 0 ? word.slice(eq + 1) !== "false" : true);
      } else {
        const value = eq > 0 ? word.slice(eq + 1) : argv[++i];
        if (value === undefined) {
          throw new UnknownFlagError(
            name,
            atLeast(version, "1.13.0") ? `flag needs an argument: ${name}` : `flag needs an argument: ${name}`,
          );
        }
        set(def, value);
      }
      continue;
    }
    // Bundled short flags: "-dit" or "-it" (mflag retries letter by letter).
    if (!word.startsWith("--") && word.length > 2) {
      const letters = word.slice(1).split("");
      for (let j = 0; j < letters.length; j++) {
        const letterDef = find(`-${letters[j]}`);
        if (!letterDef) unknown(word);
        if (letterDef!.kind === "bool") set(letterDef!, true);
        else {
          const rest = letters.slice(j + 1).join("");
          const value = rest !== "" ? rest : argv[++i];
          if (value === undefined) unknown(word);
          set(letterDef!, value as string);
          break;
        }
      }
      continue;
    }
    unknown(name);
  }
  return { values, args };
}

/** A flag's value as a string, or undefined. */
export function flagValue(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.values.get(name);
  return typeof v === "string" ? v : undefined;
}

/** A boolean flag. */
export function flagBool(flags: ParsedFlags, name: string): boolean {
  return flags.values.get(name) === true;
}

/** A repeatable flag's values. */
export function flagList(flags: ParsedFlags, name: string): string[] {
  const v = flags.values.get(name);
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

const b = (names: string[], since?: string): FlagDef => ({ names, kind: "bool", ...(since ? { since } : {}) });
const v = (names: string[], since?: string): FlagDef => ({ names, kind: "value", ...(since ? { since } : {}) });
const l = (names: string[], since?: string): FlagDef => ({ names, kind: "list", ...(since ? { since } : {}) });

/** `docker run` / `docker create` flags (docker run --help, 1.7–1.13). */
export const RUN_FLAGS: readonly FlagDef[] = [
  b(["-d", "--detach"]),
  v(["--name"]),
  l(["-e", "--env"]),
  l(["--env-file"]),
  l(["-v", "--volume"]),
  v(["--net"]),
  v(["--network"], "1.9.0"),
  b(["--privileged"]),
  v(["--restart"]),
  v(["--log-driver"]),
  l(["--log-opt"]),
  v(["--pid"]),
  v(["-h", "--hostname"]),
  v(["--entrypoint"]),
  l(["-l", "--label"]),
  l(["--label-file"]),
  b(["--rm"]),
  b(["-i", "--interactive"]),
  b(["-t", "--tty"]),
  l(["-p", "--publish"]),
  b(["-P", "--publish-all"]),
  l(["--add-host"]),
  l(["--dns"]),
  l(["--dns-search"]),
  l(["--dns-opt"], "1.9.0"),
  v(["-m", "--memory"]),
  v(["--memory-swap"]),
  v(["--memory-reservation"], "1.9.0"),
  v(["--kernel-memory"], "1.9.0"),
  v(["-c", "--cpu-shares"]),
  v(["--cpu-period"]),
  v(["--cpu-quota"]),
  v(["--cpuset-cpus"]),
  v(["--cpuset-mems"]),
  v(["--blkio-weight"]),
  v(["-u", "--user"]),
  v(["-w", "--workdir"]),
  l(["--cap-add"]),
  l(["--cap-drop"]),
  l(["--device"]),
  l(["--ulimit"]),
  l(["--volumes-from"]),
  l(["--link"]),
  l(["--expose"]),
  b(["--read-only"]),
  l(["--security-opt"]),
  v(["--cgroup-parent"]),
  b(["--oom-kill-disable"]),
  v(["--ipc"]),
  v(["--uts"]),
  b(["--sig-proxy"]),
  l(["-a", "--attach"]),
  v(["--cidfile"]),
  v(["--mac-address"]),
  l(["--group-add"], "1.8.0"),
  v(["--stop-signal"], "1.9.0"),
  v(["--shm-size"], "1.10.0"),
  l(["--tmpfs"], "1.10.0"),
  v(["--oom-score-adj"], "1.10.0"),
  v(["--isolation"], "1.10.0"),
  l(["--net-alias"], "1.10.0"),
  l(["--network-alias"], "1.12.0"),
  v(["--ip"], "1.10.0"),
  v(["--ip6"], "1.10.0"),
  v(["--userns"], "1.11.0"),
  v(["--health-cmd"], "1.12.0"),
  v(["--health-interval"], "1.12.0"),
  v(["--health-retries"], "1.12.0"),
  v(["--health-timeout"], "1.12.0"),
  b(["--no-healthcheck"], "1.12.0"),
  l(["--sysctl"], "1.12.0"),
  l(["--storage-opt"], "1.12.0"),
  v(["--runtime"], "1.12.0"),
  b(["--init"], "1.13.0"),
  b(["--help"]),
];

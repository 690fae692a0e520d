// `npm run -s review -- --stack <name> [--base <git ref>] [--hosts <file>]`: review a stack file change in CI, without
// the hosts.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { BackendMissingError, chooseBackend, currentLogin, redactedText } from "../toolchain/backend";
import { repoRoot, workArea } from "../toolchain/paths";
import { ensureToolchain, type Toolchain } from "../toolchain/setup";
import { PROJECT_NAME } from "../providers/component";
import { readStackOutputs } from "../toolchain/stack-outputs";
import type { Completed } from "./promotion";
import { renderForecast, type VersionsSource } from "./review-report";
import { settingsChangesBetween } from "./review-settings";
import { forecastRollout, type HostVersions, type RolloutForecast } from "./rollout";
import { parseStackSettings, StackSettingsError, type StackSettings } from "./settings";
import { describeChange } from "./stack-change";

const PROJECT = PROJECT_NAME;
const USAGE = `usage: npm run -s review -- --stack <name> [--base <git ref>] [--hosts <file.json>] [--dir <checkout>]

Validates Pulumi.<name>.yaml as the program would and prints the whole remaining rollout (every run, its steps
and waves, task-killing restarts, downtime), from the host versions the stack last recorded in its backend, or
from --hosts when it has none. Touches no host. Exit status: 0 reviewed, 1 refused, 2 usage.

  --stack <name>    the stack to review (its file: Pulumi.<name>.yaml)
  --base <ref>      also say what the file changes against the same file at this git ref (e.g. origin/main)
  --hosts <file>    host versions when the stack has none recorded: {"<host>": {"docker": "1.7.1", "mesos-slave": "0.22.1"}, …}
  --dir <checkout>  the checkout holding the stack files (default: this repository)
  -h, --help        this text`;

/** The config of a stack file as the program sees it: the project's keys without their prefix, the SSH key left out. */
export function rawConfigOf(text: string, file: string): Record<string, unknown> {
  const document = parseYaml(text) as { config?: Record<string, unknown> } | null;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document?.config ?? {})) {
    const name = key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key.includes(":") ? undefined : key;
    if (name === undefined || name === "sshPrivateKey") continue;
    raw[name] = value;
  }
  if (document === null || typeof document !== "object") {
    throw new Error(`${file} is not a stack file (no "config:" mapping)`);
  }
  return raw;
}

/**
 * Host settings the forecast never reads (how to reach a host), replaced so the rest of a file with problems still
 * forecasts.
 */
const ACCESS_KEY =
  /^(hosts\[\d+\]\.(hostKeyFingerprint|address|sshPort)|ssh(\..*)?|zookeeper\.(dataDir|backupDir)|docker\..*)$/;

/**
 * The settings of a stack file: valid ones, or every problem and — when the problems are only about reaching the
 * hosts (placeholder fingerprints, addresses, SSH) — the settings the forecast needs, read with those left aside.
 */
export function settingsOf(raw: Record<string, unknown>): { settings?: StackSettings; problems: string[] } {
  try {
    return { settings: parseStackSettings(raw), problems: [] };
  } catch (error) {
    if (!(error instanceof StackSettingsError)) throw error;
    const problems = error.problems.map((p) => `${p.key}: ${p.message}`);
    if (!error.problems.every((p) => ACCESS_KEY.test(p.key))) return { problems };
    const hosts = Array.isArray(raw.hosts)
      ? raw.hosts.map((h) =>
          typeof h === "object" && h !== null
            ? { ...h, address: "192.0.2.1", hostKeyFingerprint: `SHA256:${"A".repeat(43)}`, sshPort: undefined }
            : h,
        )
      : raw.hosts;
    const { ssh: _ssh, zookeeper, docker: _docker, ...rest } = raw;
    const zookeeperHosts =
      typeof zookeeper === "object" && zookeeper !== null
        ? { hosts: (zookeeper as { hosts?: unknown }).hosts }
        : undefined;
    try {
      return {
        settings: parseStackSettings({
          ...rest,
          hosts,
          ...(zookeeperHosts?.hosts === undefined ? {} : { zookeeper: zookeeperHosts }),
        }),
        problems,
      };
    } catch {
      return { problems };
    }
  }
}

/** The host versions of a hosts file ({"host": {"docker": "1.7.1", …}}), or a message naming the problem. */
function readHostsFile(file: string): HostVersions | string {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return `--hosts ${file}: ${(error as Error).message}; give a JSON file {"<host>": {"docker": "1.7.1", "mesos-slave": "0.22.1"}, …}`;
  }
  const ok =
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(
      (v) => typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "string"),
    );
  return ok
    ? (value as HostVersions)
    : `--hosts ${file}: must map each host name to {component: version}, e.g. {"a1": {"docker": "1.7.1", "mesos-slave": "0.22.1"}}`;
}

/** The stack file at a git ref, undefined when the file does not exist there; throws when git cannot read the ref. */
function fileAtRef(dir: string, ref: string, file: string): string | undefined {
  try {
    execFileSync("git", ["-C", dir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new Error(
      `--base ${ref}: git cannot find that ref in ${dir}; fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0)`,
    );
  }
  try {
    return execFileSync("git", ["-C", dir, "show", `${ref}:${file}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    return undefined;
  }
}

/**
 * What the stack's backend holds, when one is chosen: its own host versions, and what its promotedFrom stack completed.
 */
interface BackendRecord {
  readonly backend: string;
  readonly hostVersions?: HostVersions;
  readonly previousCompleted?: Completed | null;
}

async function readBackend(
  dir: string,
  stack: string,
  promotedFrom: string,
  toolchainOf: () => Promise<Toolchain>,
): Promise<BackendRecord | string> {
  try {
    chooseBackend(stack, process.env, path.join(workArea(), "state"), currentLogin(process.env));
  } catch (error) {
    if (error instanceof BackendMissingError) return error.message;
    throw error;
  }
  try {
    return await readRecords(dir, stack, promotedFrom, await toolchainOf());
  } catch (error) {
    const text = String((error as { stderr?: unknown }).stderr ?? (error as Error).message);
    const reason = text.split("\n").find((line) => line.startsWith("error:")) ?? text.split("\n")[0];
    return `cannot read stack "${stack}" from its backend (${redactedText(reason.trim())}); check the login or PULUMI_BACKEND_URL`;
  }
}

async function readRecords(
  dir: string,
  stack: string,
  promotedFrom: string,
  toolchain: Toolchain,
): Promise<BackendRecord> {
  const own = await readStackOutputs(toolchain, dir, stack);
  const hostVersions = own.outputs?.hostVersions as HostVersions | undefined;
  let previousCompleted: Completed | null | undefined;
  if (promotedFrom) {
    const previous = await readStackOutputs(toolchain, dir, promotedFrom);
    previousCompleted = (previous.outputs?.completed as Completed | undefined) ?? null;
  }
  return {
    backend: own.backend,
    ...(hostVersions ? { hostVersions } : {}),
    ...(previousCompleted === undefined ? {} : { previousCompleted }),
  };
}

/** Runs the review; returns the exit status and writes the report to `out`. */
export async function review(
  argv: readonly string[],
  out: (line: string) => void,
  toolchainOf: () => Promise<Toolchain> = () => ensureToolchain(),
): Promise<number> {
  let args: { stack?: string; base?: string; hosts?: string; dir?: string; help?: boolean };
  try {
    args = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        base: { type: "string" },
        hosts: { type: "string" },
        dir: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    out(`review: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  if (!args.stack) {
    out(`review: --stack <name> is required\n\n${USAGE}`);
    return 2;
  }
  const stack = args.stack;
  const dir = path.resolve(args.dir ?? repoRoot);
  const fileName = `Pulumi.${stack}.yaml`;
  const refusals: string[] = [];
  out(`review of stack "${stack}" (${fileName})`);

  let raw: Record<string, unknown>;
  try {
    raw = rawConfigOf(fs.readFileSync(path.join(dir, fileName), "utf8"), fileName);
  } catch (error) {
    out(
      `review: refused: cannot read ${fileName} in ${dir} (${(error as Error).message}); name a stack with a stack file`,
    );
    return 1;
  }
  const { settings, problems } = settingsOf(raw);
  if (problems.length) {
    refusals.push(`the stack's config has ${problems.length} problem(s)`);
    out(
      `\nconfig: ${problems.length} problem(s), the program refuses to run until they are fixed:\n  ${problems.join("\n  ")}`,
    );
  } else {
    out("\nconfig: valid");
  }

  // The file at the base ref, read once: its settings are what the hosts run, so what the change alters is a settings
  // step of the forecast (review-settings.ts).
  let base: { readonly raw: Record<string, unknown>; readonly settings?: StackSettings } | "new" | Error | undefined;
  if (args.base) {
    try {
      const text = fileAtRef(dir, args.base, fileName);
      if (text === undefined) base = "new";
      else {
        const baseRaw = rawConfigOf(text, `${args.base}:${fileName}`);
        const baseSettings = settingsOf(baseRaw).settings;
        base = { raw: baseRaw, ...(baseSettings ? { settings: baseSettings } : {}) };
      }
    } catch (error) {
      base = error as Error;
    }
  }
  const settingsChanges =
    settings && typeof base === "object" && !(base instanceof Error) && base.settings
      ? settingsChangesBetween(base.settings, settings)
      : [];

  let forecast: RolloutForecast | undefined;
  let versionsOf:
    | { versions: HostVersions; source: VersionsSource; recorded: boolean; previousCompleted?: Completed | null }
    | undefined;
  if (settings && settings.hosts.length === 0) {
    refusals.push(
      `stack "${stack}" lists no hosts (the local stack's hosts are the simulator's); review a stack whose file lists its hosts`,
    );
  } else if (settings) {
    const record = await readBackend(dir, stack, settings.promotedFrom, toolchainOf);
    const hostsFile = args.hosts ? readHostsFile(args.hosts) : undefined;
    if (typeof record !== "string" && record.hostVersions) {
      versionsOf = {
        versions: record.hostVersions,
        source: { kind: "recorded", backend: record.backend },
        recorded: true,
        previousCompleted: record.previousCompleted,
      };
      if (args.hosts) out(`(--hosts ${args.hosts} is not used: the stack has recorded versions)`);
    } else if (typeof hostsFile === "string") {
      refusals.push(hostsFile);
    } else if (hostsFile) {
      const why =
        typeof record === "string"
          ? record.startsWith("cannot read")
            ? record
            : "no backend chosen, so nothing recorded is read"
          : `stack "${stack}" has no recorded versions on ${record.backend}`;
      versionsOf = {
        versions: hostsFile,
        source: { kind: "hosts-file", file: args.hosts as string, why },
        recorded: false,
        previousCompleted: typeof record === "string" ? undefined : record.previousCompleted,
      };
    } else {
      refusals.push(
        typeof record === "string"
          ? `${record}; or pass --hosts <file.json> with the hosts' versions`
          : `stack "${stack}" has no recorded versions on ${record.backend}; pass --hosts <file.json> with the hosts' versions`,
      );
    }
    if (versionsOf) {
      forecast = forecastRollout(settings, versionsOf.versions, {
        recorded: versionsOf.recorded,
        ...(settingsChanges.length ? { settingsChanges } : {}),
        ...(versionsOf.previousCompleted === undefined ? {} : { previousCompleted: versionsOf.previousCompleted }),
      });
      if (settings.promotedFrom && versionsOf.previousCompleted === undefined) {
        out(`\n(promotion gate not checked: stack "${settings.promotedFrom}"'s record was not read)`);
      }
      out("");
      for (const line of renderForecast(stack, forecast, versionsOf.source)) out(line);
      refusals.push(...forecast.refusals);
    }
  }

  if (args.base) {
    out(`\nchange against ${args.base}:`);
    if (base instanceof Error) refusals.push(base.message);
    else if (base === "new" || base === undefined) out(`  ${fileName} is new (not at ${args.base})`);
    else {
      const baseForecast =
        base.settings && versionsOf
          ? forecastRollout(base.settings, versionsOf.versions, { recorded: versionsOf.recorded })
          : undefined;
      const lines = describeChange(
        { raw: base.raw, ...(baseForecast ? { forecast: baseForecast } : {}) },
        { raw, ...(forecast ? { forecast } : {}) },
      );
      out(lines.length ? lines.map((l) => `  ${l}`).join("\n") : "  nothing: the file means the same as at the base");
    }
  }

  if (refusals.length) {
    out(`\nreview: refused (${refusals.length}):\n  ${refusals.map((r) => r.split("\n").join("\n  ")).join("\n  ")}`);
    return 1;
  }
  out("\nreview: ok");
  return 0;
}

if (require.main === module) {
  review(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`review: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

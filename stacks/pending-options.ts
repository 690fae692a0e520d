// Docker daemon options that wait: adoption (and a run at the same Docker version) never restarts an engine, so when a
// host's /etc/default/docker differs from the options the stack renders, they apply only at that host's next planned
// Docker step. Pure: which hosts, which options, and whether this run's plan applies them.
import type { Plan } from "../planner";
import { hostsAlike, hostsNamed } from "../planner/host-runs";

/** One host whose daemon options differ from the stack's. */
export interface PendingDaemonOptions {
  readonly host: string;
  /** Options the stack renders that the host's file lacks, and the file's options the stack drops. */
  readonly adds: readonly string[];
  readonly drops: readonly string[];
  /**
   * The planned Docker step that writes them and restarts the engine, e.g. "1.11.2 → 1.12.6 (wave 1)"; undefined: none
   * this run.
   */
  readonly appliedBy?: string;
}

/**
 * The options of the effective (last, uncommented) DOCKER_OPTS line of /etc/default/docker, as `--name=value` words.
 */
export function daemonOptionsOf(defaults: string): string[] {
  const lines = defaults
    .split("\n")
    .map((line) => /^\s*DOCKER_OPTS=(.*)$/.exec(line)?.[1])
    .filter((v): v is string => v !== undefined);
  const last = lines.at(-1)?.trim() ?? "";
  const unquoted = /^"(.*)"$/.exec(last)?.[1] ?? /^'(.*)'$/.exec(last)?.[1] ?? last;
  const words = unquoted.split(/\s+/).filter(Boolean);
  const options: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    // "--registry-mirror http://m:5000" and "--registry-mirror=http://m:5000" are one option to the daemon.
    if (word.startsWith("--") && !word.includes("=") && next !== undefined && !next.startsWith("-")) {
      options.push(`${word}=${next}`);
      i++;
    } else options.push(word);
  }
  return options;
}

/**
 * The hosts whose /etc/default/docker (`defaults`, undefined when unread) does not carry the stack's `rendered`
 * DOCKER_OPTS line, as the provider decides it (the line itself is what it writes).
 */
export function pendingDaemonOptions(
  hosts: ReadonlyArray<{ readonly name: string; readonly dockerDefaults?: string }>,
  rendered: string,
  plan: Pick<Plan, "steps">,
): PendingDaemonOptions[] {
  const wanted = daemonOptionsOf(rendered);
  return hosts.flatMap((host) => {
    if (host.dockerDefaults === undefined || host.dockerDefaults.split("\n").includes(rendered)) return [];
    const current = daemonOptionsOf(host.dockerDefaults);
    const step = plan.steps.find((s) => s.host === host.name && s.component === "docker");
    return [
      {
        host: host.name,
        adds: wanted.filter((o) => !current.includes(o)),
        drops: current.filter((o) => !wanted.includes(o)),
        ...(step ? { appliedBy: `${step.from} → ${step.to} (wave ${step.wave})` } : {}),
      },
    ];
  });
}

/**
 * The plan table's section for pending options; empty when none. Hosts with the same options waiting the same way
 * share a line ("200 hosts (m1..m3, a1..a197): adds …"), in the order their first host comes.
 */
export function pendingOptionsLines(pending: readonly PendingDaemonOptions[]): string[] {
  if (pending.length === 0) return [];
  const what = (p: PendingDaemonOptions) =>
    [
      ...(p.adds.length ? [`adds ${p.adds.join(" ")}`] : []),
      ...(p.drops.length ? [`drops ${p.drops.join(" ")}`] : []),
    ].join(", ") || "same options, written differently";
  const waits = (p: PendingDaemonOptions) => `${what(p)}\u0000${p.appliedBy ?? ""}`;
  return [
    "",
    "pending Docker daemon options (/etc/default/docker differs from the stack's docker settings; an engine restarts only at a planned Docker step):",
    ...hostsAlike(pending, (p) => p.host, waits).map(
      ({ hosts, first: p }) =>
        `  ${hostsNamed(hosts)}: ${what(p)} — ${p.appliedBy ? `applied by this run's Docker step ${p.appliedBy}` : `waiting for ${hosts.length === 1 ? "the host's" : "each host's"} next Docker step (none this run)`}`,
    ),
  ];
}

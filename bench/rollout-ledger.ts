// What the simulated hosts' ledger says about a rollout's overhead (pure): SSH logins per host per `pulumi up`, and
// remote commands per step, apart from the gates' polling.
import type { LedgerEntry } from "../sim/ledger";

/** A time interval in wall milliseconds since the epoch. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A step's host and interval. */
export interface StepInterval extends Interval {
  readonly host: string;
}

const within = (entry: LedgerEntry, interval: Interval): boolean => {
  const time = Date.parse(entry.time);
  return time >= interval.start && time <= interval.end;
};

/** Accepted SSH logins of each host during one `pulumi up`. */
export function loginsPerHost(
  ledger: readonly LedgerEntry[],
  up: Interval,
  hosts: readonly string[],
): Map<string, number> {
  const counts = new Map(hosts.map((host) => [host, 0]));
  for (const entry of ledger) {
    if (entry.kind === "ssh.auth" && entry.accepted === true && counts.has(entry.host) && within(entry, up)) {
      counts.set(entry.host, (counts.get(entry.host) as number) + 1);
    }
  }
  return counts;
}

/** The most logins any host saw in any of the `ups`, and the mean over hosts and ups. */
export function loginSummary(
  ledger: readonly LedgerEntry[],
  ups: readonly Interval[],
  hosts: readonly string[],
): { max: number; mean: number } {
  const all = ups.flatMap((up) => [...loginsPerHost(ledger, up, hosts).values()]);
  return { max: Math.max(0, ...all), mean: all.length ? all.reduce((a, b) => a + b, 0) / all.length : 0 };
}

/** A step's host and interval, and when its gate began to look, where its outputs say (wall ms). */
export interface GatedStep extends StepInterval {
  readonly gateFrom?: number;
}

/**
 * Per step, on average: the remote commands (`ssh.exec`) its host received while it ran before its gate began to look
 * (the step's own work), those after (the gate's looks at the engine and its containers), and the HTTP requests through
 * SSH (`ssh.forward`: the gates' and holds' looks at the agents, masters and Marathon). A step that does not say when
 * its gate began counts every command as its own work.
 */
export function commandsPerStep(
  ledger: readonly LedgerEntry[],
  steps: readonly GatedStep[],
): { commands: number; gateCommands: number; gateRequests: number } {
  if (!steps.length) return { commands: 0, gateCommands: 0, gateRequests: 0 };
  let commands = 0;
  let gateCommands = 0;
  let gateRequests = 0;
  for (const step of steps) {
    for (const entry of ledger) {
      if (entry.host !== step.host || !within(entry, step)) continue;
      if (entry.kind === "ssh.exec") {
        if (step.gateFrom !== undefined && Date.parse(entry.time) >= step.gateFrom) gateCommands++;
        else commands++;
      } else if (entry.kind === "ssh.forward") gateRequests++;
    }
  }
  const n = steps.length;
  return { commands: commands / n, gateCommands: gateCommands / n, gateRequests: gateRequests / n };
}

/**
 * When each step's host received the step's first remote command (its first `ssh.exec` at or after the step's start,
 * wall ms), undefined where none did: the engine emits a step's start event before it saves the step's pending
 * operation, and calls the provider only then, so a wave whose steps begin together by the events reaches its hosts
 * one save at a time.
 */
export function firstCommandTimes(
  ledger: readonly LedgerEntry[],
  steps: ReadonlyArray<{ readonly host: string; readonly start: number }>,
): Array<number | undefined> {
  const execs = new Map<string, number[]>();
  for (const entry of ledger) {
    if (entry.kind !== "ssh.exec") continue;
    const times = execs.get(entry.host) ?? [];
    times.push(Date.parse(entry.time));
    execs.set(entry.host, times);
  }
  for (const times of execs.values()) times.sort((a, b) => a - b);
  return steps.map((step) => execs.get(step.host)?.find((time) => time >= step.start));
}

/**
 * The tasks Marathon started during a run on a host before that host's step in the run stopped anything
 * (`${app} on ${host}`, in order): tasks a restart stopped that started again where a later wave, or a later step of
 * their own wave, stops them again, which the plan, made from where tasks ran before the run, did not foresee. A step
 * stops things at its host's first `engine.stop` or `container.stop` from its start (its start when none is
 * recorded). `hostOf` names the host of a task's agent (Marathon may name it by address).
 */
export function tasksStartedAhead(
  ledger: readonly LedgerEntry[],
  run: Interval,
  steps: readonly StepInterval[],
  hostOf: (agentHost: string) => string = (agentHost) => agentHost,
): string[] {
  const stopsAt = new Map(
    steps.map((step) => {
      const stop = ledger.find(
        (e) =>
          e.host === step.host &&
          (e.kind === "engine.stop" || e.kind === "container.stop") &&
          Date.parse(e.time) >= step.start,
      );
      return [step.host, stop ? Date.parse(stop.time) : step.start];
    }),
  );
  return ledger.flatMap((e) => {
    if (e.kind !== "task.launch" || e.agentHost === undefined || !within(e, run)) return [];
    const host = hostOf(e.agentHost);
    const stop = stopsAt.get(host);
    return stop !== undefined && stop > Date.parse(e.time) ? [`${e.appId ?? "?"} on ${host}`] : [];
  });
}

// Checks before anything is touched: the masters' window for a silent agent must outlast an agent's restart.
import { compareVersions } from "../planner";

/** Mesos' duration syntax ("15secs", "1mins", "500ms") in seconds. */
export function durationSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ns|us|ms|secs|mins|hrs|days|weeks)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ns: 1e-9, us: 1e-6, ms: 1e-3, secs: 1, mins: 60, hrs: 3600, days: 86400, weeks: 604800 }[
    match[2] as "secs"
  ];
  return Number(match[1]) * unit;
}

/**
 * How long masters wait for a silent agent before its tasks are lost: ping timeout × max pings, 15s × 5 = 75s by
 * default; hard-coded before 0.23 (reference §2.2), set by --slave_ping_timeout / --max_slave_ping_timeouts after
 * (renamed agent_* in 1.0).
 */
export function agentSilenceWindowSeconds(
  masterVersion: string,
  flags: Readonly<Record<string, string | number | boolean>>,
): number {
  if (compareVersions(masterVersion, "0.23.0") < 0) return 75;
  const timeout = durationSeconds(String(flags.agent_ping_timeout ?? flags.slave_ping_timeout ?? "15secs")) ?? 15;
  const pings = Number(flags.max_agent_ping_timeouts ?? flags.max_slave_ping_timeouts ?? 5);
  return timeout * pings;
}

/** A refusal when agents restarting for `restartSeconds` would be declared lost, naming the flags to raise. */
export function silenceWindowProblem(
  masterVersion: string,
  flags: Readonly<Record<string, string | number | boolean>>,
  restartSeconds: number,
): string | undefined {
  const window = agentSilenceWindowSeconds(masterVersion, flags);
  if (window > restartSeconds) return undefined;
  const raise =
    compareVersions(masterVersion, "1.0.0") >= 0
      ? "--agent_ping_timeout / --max_agent_ping_timeouts"
      : compareVersions(masterVersion, "0.23.0") >= 0
        ? "--slave_ping_timeout / --max_slave_ping_timeouts"
        : "nothing on 0.22 (hard-coded 15s × 5): upgrade the masters to 0.23 first";
  return `the masters declare a silent agent lost after ${window}s, but an agent restart takes up to ${restartSeconds}s: its tasks would be LOST. Raise ${raise} on the masters so the product exceeds ${restartSeconds}s`;
}

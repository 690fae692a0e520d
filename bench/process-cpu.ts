// CPU seconds spent by processes and the children they reaped, read from /proc: how much of this machine's two cores
// the simulated hosts took while the engine worked (on real hosts that work is theirs, not the operator's machine's).
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux whatever the kernel's HZ). */
const TICKS_PER_SECOND = 100;

/**
 * The CPU ticks in one /proc/<pid>/stat line: the process's own user and system time and those of the children it
 * has waited for (fields 14–17). The command name (field 2) may hold spaces and parentheses, so fields are counted
 * from its last ")".
 */
export function cpuTicksOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name, fields start at 3 (state): utime is field 14, i.e. index 11 here.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
}

/** CPU seconds so far of `pids` and their reaped children; a process that is gone counts 0. */
export function cpuSecondsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      ticks += cpuTicksOfStat(readFileSync(`/proc/${pid}/stat`, "latin1"));
    } catch {
      // Gone: it no longer counts.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** Runs `work`, and says how many CPU seconds `pids` (with their reaped children) took meanwhile. */
export async function withCpuOf<T>(pids: readonly number[], work: () => Promise<T>): Promise<[T, number]> {
  const before = cpuSecondsOf(pids);
  const result = await work();
  return [result, Math.max(0, cpuSecondsOf(pids) - before)];
}

/**
 * Runs `work`, and says how many CPU seconds this process took meanwhile, its children left out: the program the
 * Automation API runs inline (its discovery's SSH client among it), not the engine or the provider.
 */
export async function withOwnCpu<T>(work: () => Promise<T>): Promise<[T, number]> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return [result, (used.user + used.system) / 1e6];
}

// The engine's processes under this one (the Pulumi CLI, its plugins and providers): found by pid in /proc, stopped by
// pid.
import * as fs from "node:fs";

/** One process: its pid, parent and command line. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
}

/** One process by pid (Linux /proc), or undefined when it is gone or cannot be read. */
export function processOf(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid, command };
  } catch {
    return undefined;
  }
}

/** Every process on this machine (Linux /proc); empty elsewhere. */
export function processTable(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  // Each read alone: a process gone meanwhile is left out.
  return entries.map((name) => processOf(Number(name))).filter((p): p is ProcessInfo => p !== undefined);
}

/** The descendants of `root` in a process table. */
export function descendants(table: readonly ProcessInfo[], root: number): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  let frontier = [root];
  while (frontier.length) {
    const children = table.filter((p) => frontier.includes(p.ppid));
    found.push(...children);
    frontier = children.map((p) => p.pid);
  }
  return found;
}

/** The Pulumi engine's processes below `root` (CLI, language and resource plugins), not the simulated cluster's. */
export function engineProcesses(root: number, table: readonly ProcessInfo[] = processTable()): ProcessInfo[] {
  return descendants(table, root).filter((p) => /pulumi/.test(p.command) && !/\/sim\//.test(p.command));
}

/** Sends a signal to each process by pid (those already gone are skipped). */
export function stopProcesses(processes: readonly ProcessInfo[], signal: NodeJS.Signals): void {
  for (const p of processes) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Whether a process still runs the same command (not a pid reused meanwhile). */
function stillRunning(p: ProcessInfo): boolean {
  return processOf(p.pid)?.command === p.command;
}

/** Stops processes by pid: SIGTERM, then SIGKILL to those still running after `graceMs`; resolves when none is left. */
export async function reap(processes: readonly ProcessInfo[], graceMs = 5000): Promise<void> {
  let left = processes.filter(stillRunning);
  stopProcesses(left, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (left.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = left.filter(stillRunning);
  }
  stopProcesses(left, "SIGKILL");
}

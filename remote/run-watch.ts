// A run's engine must not outlive the run: when the converge process that started it dies (even by SIGKILL, which it
// cannot handle), each provider process holding SSH sessions closes them, stops the orphaned Pulumi CLI above it
// (two SIGINTs: the CLI's own "terminate now"), and exits. converge names itself in MESOS_UPGRADE_RUN_PID, which the
// CLI and its plugins inherit.
import * as fs from "node:fs";

/** The environment variable converge sets to its own pid for the engine it starts. */
export const RUN_PID_VARIABLE = "MESOS_UPGRADE_RUN_PID";

/** How often a provider process checks that its run is alive. */
const INTERVAL_MS = 500;

let watching = false;

/** Whether process `pid` exists (EPERM: it exists, owned by someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The parent pid and command line of `pid` from /proc, or undefined once it is gone (or off Linux). */
function procEntry(pid: number): { ppid: number; command: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return { ppid, command: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim() };
  } catch {
    return undefined;
  }
}

/** The Pulumi CLI processes among this process's ancestors (the engine that runs this provider). */
export function pulumiCliAncestors(start = process.ppid, lookup = procEntry): number[] {
  const found: number[] = [];
  for (let pid = start, depth = 0; pid > 1 && depth < 8; depth++) {
    const entry = lookup(pid);
    if (!entry || !/pulumi/.test(entry.command)) break;
    if (/(^|\/)pulumi( |$)/.test(entry.command)) found.push(pid);
    pid = entry.ppid;
  }
  return found;
}

/**
 * Starts watching the run named in MESOS_UPGRADE_RUN_PID (once per process; nothing when unset or when this process
 * is the run itself). When it is gone, `closeSessions` runs, the CLI above is stopped, and this process exits.
 */
export function watchRun(closeSessions: () => Promise<void>): void {
  const pid = Number(process.env[RUN_PID_VARIABLE]);
  if (watching || !Number.isInteger(pid) || pid <= 1 || pid === process.pid) return;
  watching = true;
  const timer = setInterval(() => {
    if (processExists(pid)) return;
    clearInterval(timer);
    const clis = pulumiCliAncestors();
    const stop = (signal: NodeJS.Signals) =>
      clis.forEach((cli) => {
        try {
          process.kill(cli, signal);
        } catch {
          /* gone */
        }
      });
    process.stderr.on("error", () => undefined); // the CLI reading it may be gone already
    process.stderr.write(
      `mesos-upgrade: the converge run (pid ${pid}) is gone; closing this provider's SSH sessions and stopping its engine\n`,
    );
    stop("SIGINT");
    // Exit within a second whatever closing does; the kernel closes any socket left.
    setTimeout(() => process.exit(1), 1000);
    closeSessions()
      .catch(() => undefined)
      .finally(() =>
        setTimeout(() => {
          stop("SIGINT");
          process.exit(1);
        }, 200),
      );
  }, INTERVAL_MS);
  timer.unref();
}

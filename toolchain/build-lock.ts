// One build of the Pulumi CLI at a time per cache directory: a second `npm run setup` (two checkouts, or `npm test`
// next to `npm start`) waits for the first instead of building into the same files, then uses what it built.
import * as fs from "node:fs";

/** How often a waiting setup looks at the lock again. */
const POLL_MS = 2000;

/** Whether the process `pid` still runs on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid written in the lock file, or undefined while it is being written or if it holds something else. */
function holderOf(lockPath: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockPath, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` holding `lockPath` (created exclusively, holding this process's pid). While another live process
 * holds it, waits (saying so once); a lock left by a process that is gone is taken over.
 */
export async function withBuildLock<T>(
  lockPath: string,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  let told = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = holderOf(lockPath);
    if (holder !== undefined && !alive(holder)) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (!told) {
      log(
        `[setup] another setup${holder ? ` (pid ${holder})` : ""} is building the Pulumi CLI; waiting for it (lock: ${lockPath})`,
      );
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

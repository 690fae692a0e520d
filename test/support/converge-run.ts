// Watching a converge run from a test: the SSH sessions its hosts hold, whether its engine processes live, waiting.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import type { ProcessInfo } from "../../stacks/processes";

/** Established TCP sessions to the SSH port (2222 = 0x08AE) of the simulated hosts on `network`, from the server's side. */
export function openSshSessions(network: string): number {
  const octet = network.split(".").map(Number);
  const ip = `${[octet[2], octet[1], octet[0]].map((n) => n!.toString(16).padStart(2, "0")).join("")}`.toUpperCase();
  return fs.readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1).filter((line) => {
    const [, local, , state] = line.trim().split(/\s+/);
    return state === "01" && new RegExp(`^[0-9A-F]{2}${ip}:08AE$`).test(local ?? "");
  }).length;
}

/** Whether a process still runs the same command (not a pid reused meanwhile). */
export const alive = (p: ProcessInfo): boolean => {
  try {
    return fs.readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0").join(" ").trim() === p.command;
  } catch {
    return false;
  }
};

/** Waits until `check` holds, failing with `what` after `ms`; resolves with the milliseconds it took. */
export async function eventually(what: string | (() => string), check: () => boolean, ms = 10_000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) assert.fail(typeof what === "string" ? what : what());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - start;
}

// Unscaled host work: the wall time a host spends running the operator's processes at machine speed (an SSH command's
// shell, each fake tool's client, real programs such as `sleep`), between the requests in which the host's
// daemon does modelled, scaled work (Docker API calls, apt-get, service). Recorded per host in
// `<state>/host-work/<host>.jsonl` (closed spans) and `<host>.open` (the span in progress) so that a window another
// process times about this host (the Mesos master's ping window for the host's agent) counts that work at its wall
// duration, as long as the same work takes on a real host, instead of 1/timeScale times over (sim/README.md, Time).
// Also recorded per host, in `<host>.stalls.jsonl`: the spans in which the host's own process ran nothing at all
// (watchStalls), which count at their wall duration in the same windows.
import {
  appendFileSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { WallSpan } from "./time";

/** Marks the starts of a host's operator processes and daemon requests; each call returns the matching end. */
export interface HostWorkRecorder {
  /** An operator's process tree (an SSH exec's shell) started on the host. */
  exec(): () => void;
  /** The host's daemon serves a request with modelled time (a Docker API call, a package or service tool). */
  request(): () => void;
}

const workDir = (stateDir: string): string => join(stateDir, "host-work");
const closedFile = (stateDir: string, host: string): string => join(workDir(stateDir), `${host}.jsonl`);
const openFile = (stateDir: string, host: string): string => join(workDir(stateDir), `${host}.open`);
const stallsFile = (stateDir: string, host: string): string => join(workDir(stateDir), `${host}.stalls.jsonl`);

/**
 * A recorder for one host: the host works unscaled while at least one operator process runs and no daemon request is
 * in flight (the process is then starting, exiting or running a real program, not waiting on modelled time). Clears
 * what an earlier process of the same host left.
 */
export function hostWorkRecorder(stateDir: string, host: string): HostWorkRecorder {
  mkdirSync(workDir(stateDir), { recursive: true });
  rmSync(closedFile(stateDir, host), { force: true });
  rmSync(openFile(stateDir, host), { force: true });
  // Both files stay open for the process's life: every command's tool requests start and end spans, and opening,
  // closing and removing a file at each took an eighth of a host daemon's CPU during discovery. The span in progress is
  // the open file's text; an empty one is none (readHostWork).
  const closed = openSync(closedFile(stateDir, host), "a");
  const open = openSync(openFile(stateDir, host), "w");
  let execs = 0;
  let requests = 0;
  let since: number | undefined;
  const update = () => {
    const busy = execs > 0 && requests === 0;
    if (busy && since === undefined) {
      since = Date.now();
      writeSync(open, String(since), 0);
    } else if (!busy && since !== undefined) {
      writeSync(closed, `${JSON.stringify([since, Date.now()])}\n`);
      ftruncateSync(open, 0);
      since = undefined;
    }
  };
  const counted = (add: (n: number) => void) => () => {
    add(1);
    update();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      add(-1);
      update();
    };
  };
  return {
    exec: counted((n) => (execs += n)),
    request: counted((n) => (requests += n)),
  };
}

/**
 * How often a host's process looks at its clock (watchStalls) at a time scale: a sixth of the master's default ping
 * timeout (15 s) in wall time, at least 50 ms: 50 ms at the fast profile (0.02, a 300 ms timeout), 500 ms at the
 * rollout benchmark's 0.2, so a hundred hosts wake no more often than what they watch for needs.
 */
export function stallTickMs(timeScale: number): number {
  return Math.max(50, Math.round((15_000 * timeScale) / 6));
}

/** Looks this many ticks late make a stall: well under the ping timeout, well over a timer's ordinary lateness. */
export const STALL_TICKS = 3;

/** A host process's watch over its own stalls. */
export interface StallWatch {
  /** Records the stall that ends now, if the process has not looked at its clock for STALL_TICKS ticks or more. */
  check(): void;
  stop(): void;
}

let watching: StallWatch | undefined;

/**
 * Records the spans in which this process (a host's daemon) ran nothing for STALL_TICKS ticks or more: starved by the
 * machine it shares with a hundred other hosts and the tools under test, or paused by its own garbage collector. A
 * real host's agent answers the master within milliseconds whatever the operator's machine does; here such a stall
 * would count 1/timeScale times over in the master's window for the agent (50 times at the fast profile: a 2 s stall
 * is 100 simulated seconds, past the 75 s window) and remove an agent no real master would. Recorded per host, read
 * by readStalls, counted at wall duration as the host's unscaled work is. Clears what an earlier process of the same
 * host left; `checkStalls` asks this process's watch to look now.
 */
export function watchStalls(stateDir: string, host: string, tickMs: number, now: () => number = Date.now): StallWatch {
  mkdirSync(workDir(stateDir), { recursive: true });
  rmSync(stallsFile(stateDir, host), { force: true });
  let looked = now();
  const check = () => {
    const at = now();
    // It meant to look again one tick after the last look: what came after that, it spent stalled.
    if (at - looked >= STALL_TICKS * tickMs) {
      appendFileSync(stallsFile(stateDir, host), `${JSON.stringify([looked + tickMs, at])}\n`);
    }
    looked = at;
  };
  const timer = setInterval(check, tickMs);
  timer.unref();
  const watch: StallWatch = {
    check,
    stop: () => {
      clearInterval(timer);
      if (watching === watch) watching = undefined;
    },
  };
  watching = watch;
  return watch;
}

/**
 * Records a stall of this process that ends now, before it answers something timed in a window (the master's ping):
 * a process resumed from a stall may serve a waiting request before its clock's timer runs.
 */
export function checkStalls(): void {
  watching?.check();
}

/** The stalls a host's process recorded (watchStalls) that end after `sinceMs`. */
export function readStalls(stateDir: string, host: string, sinceMs: number): WallSpan[] {
  return readSpans(stallsFile(stateDir, host), sinceMs);
}

/** The closed spans in `file` that end after `sinceMs`. */
function readSpans(file: string, sinceMs: number): WallSpan[] {
  const spans: WallSpan[] = [];
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const span = parseSpan(line);
      if (span && span[1] > sinceMs) spans.push(span);
    }
  }
  return spans;
}

/** The spans of unscaled work a host recorded that end after `sinceMs` (one in progress ends now). */
export function readHostWork(stateDir: string, host: string, sinceMs: number): WallSpan[] {
  const spans = readSpans(closedFile(stateDir, host), sinceMs);
  try {
    const start = Number(readFileSync(openFile(stateDir, host), "utf8"));
    // An empty file is no span in progress (hostWorkRecorder).
    if (start > 0) spans.push([start, Date.now()]);
  } catch {
    // no span in progress
  }
  return spans;
}

/** One closed span's line; undefined for a line being appended this instant. */
function parseSpan(line: string): WallSpan | undefined {
  try {
    const span = JSON.parse(line) as unknown;
    return Array.isArray(span) && span.length === 2 ? [Number(span[0]), Number(span[1])] : undefined;
  } catch {
    return undefined;
  }
}

// Unscaled host work: the wall time a host spends running the operator's processes at machine speed (an SSH command's
// shell, each fake tool's client, real programs such as `sleep`), between the requests in which the host's
// daemon does modelled, scaled work (Docker API calls, apt-get, service). Recorded per host in
// `<state>/host-work/<host>.jsonl` (closed spans) and `<host>.open` (the span in progress) so that a window another
// process times about this host (the Mesos master's ping window for the host's agent) counts that work at its wall
// duration, as long as the same work takes on a real host, instead of 1/timeScale times over (sim/README.md, Time).
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * A recorder for one host: the host works unscaled while at least one operator process runs and no daemon request is
 * in flight (the process is then starting, exiting or running a real program, not waiting on modelled time). Clears
 * what an earlier process of the same host left.
 */
export function hostWorkRecorder(stateDir: string, host: string): HostWorkRecorder {
  mkdirSync(workDir(stateDir), { recursive: true });
  rmSync(closedFile(stateDir, host), { force: true });
  rmSync(openFile(stateDir, host), { force: true });
  let execs = 0;
  let requests = 0;
  let since: number | undefined;
  const update = () => {
    const busy = execs > 0 && requests === 0;
    if (busy && since === undefined) {
      since = Date.now();
      writeFileSync(openFile(stateDir, host), String(since));
    } else if (!busy && since !== undefined) {
      appendFileSync(closedFile(stateDir, host), `${JSON.stringify([since, Date.now()])}\n`);
      rmSync(openFile(stateDir, host), { force: true });
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

/** The spans of unscaled work a host recorded that end after `sinceMs` (one in progress ends now). */
export function readHostWork(stateDir: string, host: string, sinceMs: number): WallSpan[] {
  const spans: WallSpan[] = [];
  const closed = closedFile(stateDir, host);
  if (existsSync(closed)) {
    for (const line of readFileSync(closed, "utf8").split("\n")) {
      const span = parseSpan(line);
      if (span && span[1] > sinceMs) spans.push(span);
    }
  }
  try {
    const start = Number(readFileSync(openFile(stateDir, host), "utf8"));
    // An empty file is one being written this instant: its span has just begun.
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

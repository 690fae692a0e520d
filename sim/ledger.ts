// The ledger: an append-only JSON-lines record of what every simulated host received and did.
import { existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";

/** What kind of event a ledger line records. */
export type LedgerKind =
  | "ssh.auth"
  | "ssh.exec"
  | "ssh.forward"
  | "exec"
  | "image.pull"
  | "container.start"
  | "container.stop"
  | "container.remove"
  | "engine.start"
  | "engine.stop"
  | "package.install"
  | "package.remove"
  | "service"
  | "task.launch"
  | "task.status"
  | "agent.registered"
  | "agent.removed"
  | "leader.elected"
  | "fault";

/** One ledger line. Every entry names the host it happened on; the rest depends on `kind`. */
export interface LedgerEntry {
  /** ISO time (wall clock) the event was recorded. */
  readonly time: string;
  /** Host the event happened on ("zk" for the coordination service). */
  readonly host: string;
  readonly kind: LedgerKind;
  /** Position in this host's ledger file. */
  readonly seq: number;
  /** ssh.exec: the exact command string the SSH server received. */
  readonly command?: string;
  /** exec: the program ("docker", "apt-get", …) and its argv exactly as it received them (without argv[0]). */
  readonly program?: string;
  readonly argv?: readonly string[];
  /** exec: where the command came from ("ssh", or "bootstrap" for the containers `up` starts). */
  readonly origin?: string;
  /**
   * ssh.auth / ssh.exec / ssh.forward: login user and server flavour; ssh.auth: whether the key was accepted;
   * ssh.forward: the destination (detail) and whether it opened (ok).
   */
  readonly user?: string;
  readonly server?: string;
  readonly accepted?: boolean;
  /** container.*: id, name and image; container.stop: exit code and why it stopped. */
  readonly id?: string;
  readonly name?: string;
  readonly image?: string;
  readonly exitCode?: number;
  readonly reason?: string;
  /** engine.*, package.*: versions; package.install / image.pull: outcome. */
  readonly version?: string;
  readonly package?: string;
  readonly ok?: boolean;
  readonly error?: string;
  /** task.*: Mesos task id, Marathon app id, agent id and host; task.status: the state (TASK_LOST, …). */
  readonly taskId?: string;
  readonly appId?: string;
  readonly agentId?: string;
  readonly agentHost?: string;
  readonly state?: string;
  readonly message?: string;
  /** task.launch: tasks of the same app that ended before this launch and that it replaces. */
  readonly replaces?: readonly string[];
  /** leader.elected: which service ("mesos" or "marathon") and the leader's address. */
  readonly service?: string;
  readonly leader?: string;
  /** fault: what was injected, cleared or triggered. */
  readonly fault?: string;
  readonly action?: string;
  readonly detail?: unknown;
}

/** The fields a writer adds itself. */
export type LedgerEvent = Omit<LedgerEntry, "time" | "host" | "seq">;

/** Appends events for one host to its ledger file; safe across restarts (sequence continues). */
export interface LedgerWriter {
  record(event: LedgerEvent): LedgerEntry;
}

/** A writer for `host` appending to `path`. */
export function ledgerWriter(path: string, host: string): LedgerWriter {
  const before = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
  // A line that a writer which died left half written was never recorded: it is cut off, not continued.
  const whole = before.lastIndexOf(0x0a) + 1;
  if (whole < before.length) truncateSync(path, whole);
  let seq = completeLines(before.toString("utf8")).length;
  // Open for the writer's life, appending (each line lands whole): a discovery's read of a host records about eight
  // lines, and each opened and closed the file.
  const file = openSync(path, "a");
  return {
    record(event) {
      const entry: LedgerEntry = { time: new Date().toISOString(), host, seq: seq++, ...event };
      const line = Buffer.from(`${JSON.stringify(entry)}\n`);
      for (let written = 0; written < line.length;) written += writeSync(file, line, written);
      return entry;
    },
  };
}

/**
 * Reads one ledger file (missing file: empty). A host may be appending while it is read, and a reader can see part of
 * that write: a last line without its newline is still being written, and is left for the next read.
 */
export function readLedgerFile(path: string): LedgerEntry[] {
  if (!existsSync(path)) return [];
  return completeLines(readFileSync(path, "utf8")).map((line) => JSON.parse(line) as LedgerEntry);
}

/** The lines of `text` that end with a newline, empty ones left out. */
export function completeLines(text: string): string[] {
  const lines = text.split("\n");
  lines.pop(); // after the last newline: empty, or a line not yet written whole
  return lines.filter((line) => line !== "");
}

/** Merges several hosts' ledgers into one timeline. */
export function mergeLedgers(ledgers: readonly LedgerEntry[][]): LedgerEntry[] {
  return ledgers.flat().sort((a, b) => a.time.localeCompare(b.time) || a.host.localeCompare(b.host) || a.seq - b.seq);
}

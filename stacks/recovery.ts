// What an interrupted run left behind (a lock, pending operations) and what the next run does about it: decide, then
// do.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import type { Stack } from "@pulumi/pulumi/automation";
import { nameOfUrn } from "./events";
import { processOf } from "./processes";
import { fileBackendDir } from "../toolchain/backend";

/** A lock file of the file backend: who holds the stack. */
export interface LockInfo {
  readonly file: string;
  readonly pid: number;
  readonly hostname: string;
  readonly timestamp?: string;
}

/** An operation the engine started and never saw finish (`pending_operations` in the state). */
export interface PendingOperation {
  readonly urn: string;
  readonly type: string;
}

export type LockDecision =
  | { readonly kind: "free" }
  | { readonly kind: "stale"; readonly locks: readonly LockInfo[]; readonly message: string }
  | { readonly kind: "live"; readonly message: string };

const holderOf = (lock: LockInfo): string =>
  `pid ${lock.pid} on host ${lock.hostname}${lock.timestamp ? ` since ${lock.timestamp}` : ""}`;

/**
 * A lock held by a process that is gone (same host, pid not running) is stale: an interrupted run left it. Any other
 * lock belongs to a run in progress, which must not be broken.
 */
export function decideLocks(
  stack: string,
  locks: readonly LockInfo[],
  thisHost: string,
  isRunning: (pid: number) => boolean,
): LockDecision {
  if (locks.length === 0) return { kind: "free" };
  const live = locks.filter((lock) => lock.hostname !== thisHost || isRunning(lock.pid));
  if (live.length) {
    return {
      kind: "live",
      message: `another run of stack "${stack}" is in progress (${live.map(holderOf).join("; ")}); wait for it to finish, then run converge again`,
    };
  }
  return {
    kind: "stale",
    locks,
    message: `the last run of stack "${stack}" was interrupted and left its lock (${locks.map(holderOf).join("; ")}); that process is gone, so the lock is removed`,
  };
}

export type PendingDecision =
  | { readonly kind: "none" }
  | { readonly kind: "resume"; readonly message: string; readonly refresh: readonly string[] }
  | { readonly kind: "ask"; readonly message: string };

/** Our resources that touch hosts (dynamic providers); anything else pending needs a person. */
const isHostResource = (urn: string): boolean => urn.includes("pulumi-nodejs:dynamic");

/**
 * "updating" and "creating" of our own resources are safe to resume: the provider reads the host (refresh) and the
 * next run finishes or rechecks the step (create adopts what runs). Anything else — a delete half done, another
 * provider's resource — needs a person, told the exact commands.
 */
export function decidePending(stack: string, pending: readonly PendingOperation[]): PendingDecision {
  if (pending.length === 0) return { kind: "none" };
  const unsafe = pending.filter((op) => !isHostResource(op.urn) || !["updating", "creating"].includes(op.type));
  const list = pending.map((op) => `${op.type} ${nameOfUrn(op.urn)}`).join(", ");
  if (unsafe.length) {
    const first = unsafe[0] as PendingOperation;
    return {
      kind: "ask",
      message:
        `the last run of stack "${stack}" was interrupted with operations unfinished (${list}); ${unsafe.map((op) => `${op.type} ${nameOfUrn(op.urn)}`).join(", ")} cannot be resumed safely without a person: check the host(s) by hand, then run\n` +
        `  pulumi stack export --stack ${stack} --file state.json   # remove the entries of "pending_operations"\n` +
        `  pulumi stack import --stack ${stack} --file state.json\n` +
        `  pulumi refresh --stack ${stack} --target '${first.urn}'\n` +
        `and converge again`,
    };
  }
  const refresh = pending.filter((op) => op.type === "updating").map((op) => op.urn);
  return {
    kind: "resume",
    refresh,
    message: `the last run of stack "${stack}" was interrupted with ${list} unfinished; resuming: ${refresh.length ? `reading ${refresh.map(nameOfUrn).join(", ")} from the host(s) (refresh), ` : ""}then this run finishes or rechecks the step`,
  };
}

/** The lock files of a stack in a file backend (`<dir>/.pulumi/locks/<org>/<project>/<stack>/*.json`). */
export function fileBackendLocks(backendUrl: string | undefined, stack: string): LockInfo[] {
  const dir = fileBackendDir(backendUrl);
  if (!dir) return [];
  const root = path.join(dir, ".pulumi", "locks");
  const found: LockInfo[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json") && path.basename(dir) === stack) {
        try {
          const lock = JSON.parse(fs.readFileSync(full, "utf8")) as {
            pid?: number;
            hostname?: string;
            timestamp?: string;
          };
          found.push({
            file: full,
            pid: Number(lock.pid),
            hostname: String(lock.hostname ?? ""),
            ...(lock.timestamp ? { timestamp: lock.timestamp } : {}),
          });
        } catch {
          // A lock being written right now: treat it as live on another host.
          found.push({ file: full, pid: -1, hostname: "(unreadable lock)" });
        }
      }
    }
  };
  walk(root);
  return found;
}

/** A stack's deployment (what `pulumi stack export` prints, the checkpoint's `latest`), as far as recovery reads it. */
interface Deployment {
  readonly pending_operations?: ReadonlyArray<{ readonly resource: { readonly urn: string }; readonly type: string }>;
}

/** The operations a deployment records as started and never seen to finish. */
function pendingOf(deployment: Deployment | undefined): PendingOperation[] {
  return (deployment?.pending_operations ?? []).map((op) => ({ urn: op.resource.urn, type: op.type }));
}

/**
 * The pending operations of a stack in a file backend, read from its checkpoint
 * (`<dir>/.pulumi/stacks/<project>/<stack>.json`, or `.json.gz` when the backend compresses state:
 * `checkpoint.latest.pending_operations`, the deployment `pulumi stack export` prints). Undefined when the backend is
 * not a file backend, or the checkpoint is not found as one file: the engine is asked then (`pulumi stack export`, a
 * CLI start that loads the whole state: 0.3 s before every run of a converge).
 */
export function fileBackendPending(
  backendUrl: string | undefined,
  project: string,
  stack: string,
): PendingOperation[] | undefined {
  const dir = fileBackendDir(backendUrl);
  if (!dir) return undefined;
  const file = path.join(dir, ".pulumi", "stacks", project, `${stack}.json`);
  const found = [file, `${file}.gz`].filter((f) => fs.existsSync(f));
  if (found.length !== 1) return undefined;
  try {
    const bytes = fs.readFileSync(found[0] as string);
    const text = (found[0] as string).endsWith(".gz")
      ? zlib.gunzipSync(bytes).toString("utf8")
      : bytes.toString("utf8");
    const stored = JSON.parse(text) as { version?: number; checkpoint?: { latest?: Deployment } };
    // Version 3 is the checkpoint format the engine writes (apitype.CheckpointV3); another is left to the engine.
    if (stored.version !== 3) return undefined;
    return pendingOf(stored.checkpoint?.latest);
  } catch {
    return undefined;
  }
}

/**
 * Whether process `pid` of this host may still be the Pulumi CLI that took a lock. A running process whose command
 * is something else is not: the kernel hands a gone process's pid to the next one (within seconds where pid_max is
 * 32768 and a run starts many processes), and that must not pass for a run in progress. A process whose command
 * cannot be read (another user's, /proc hidden or absent) counts as the holder: a live lock is never broken. The
 * CLI's command starts with its path (`/usr/local/bin/pulumi up …`, or a wrapper's such as Nix's `.pulumi-wrapped`).
 */
export function mayHoldLock(
  pid: number,
  commandOf: (pid: number) => string | undefined = (p) => processOf(p)?.command,
): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const command = commandOf(pid);
  return command === undefined || /pulumi/.test(command.split(" ")[0] as string);
}

/** Refused because a person must decide, or because another run is live. */
export class RecoveryRefusal extends Error {
  override readonly name = "RecoveryRefusal";
}

/** Before a run: clears what an interrupted run left where that is safe, says what it did; refuses otherwise. */
export async function recoverBeforeRun(stack: Stack, stackName: string, log: (line: string) => void): Promise<void> {
  const backendUrl = stack.workspace.envVars?.PULUMI_BACKEND_URL;
  const locks = decideLocks(stackName, fileBackendLocks(backendUrl, stackName), os.hostname(), mayHoldLock);
  if (locks.kind === "live") throw new RecoveryRefusal(locks.message);
  if (locks.kind === "stale") {
    log(`[converge] ${locks.message}`);
    for (const lock of locks.locks) fs.rmSync(lock.file, { force: true });
  }
  // Nothing pending in the file backend's checkpoint: no `pulumi stack export` (fileBackendPending).
  const project = (await stack.workspace.projectSettings()).name;
  if (fileBackendPending(backendUrl, project, stackName)?.length === 0) return;
  const exported = await stack.exportStack();
  const deployment = exported.deployment as Deployment;
  const decision = decidePending(stackName, pendingOf(deployment));
  if (decision.kind === "none") return;
  if (decision.kind === "ask") throw new RecoveryRefusal(decision.message);
  log(`[converge] ${decision.message}`);
  await stack.importStack({ ...exported, deployment: { ...deployment, pending_operations: [] } });
  if (decision.refresh.length) await stack.refresh({ target: [...decision.refresh], onOutput: () => undefined });
}

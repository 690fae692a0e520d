// Running and watching converge from a test: the process, the SSH sessions its hosts hold, whether its engine processes
// live.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, it } from "node:test";
import { attachCluster, stopCluster, type Cluster } from "../../sim";
import { engineProcesses, type ProcessInfo } from "../../stacks/processes";
import { repoRoot } from "../../toolchain/paths";

/**
 * Established TCP sessions to the SSH port (2222 = 0x08AE) of the simulated hosts on `network`, from the server's side.
 */
export function openSshSessions(network: string): number {
  const octet = network.split(".").map(Number);
  const ip = `${[octet[2], octet[1], octet[0]].map((n) => n!.toString(16).padStart(2, "0")).join("")}`.toUpperCase();
  return fs
    .readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => {
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

/** A converge started as a separate process, as a person starts it. */
export interface RunningConverge {
  readonly child: ChildProcess;
  /** Its stdout and stderr so far. */
  output(): string;
  /** Its exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Waits until `startedLine` shows and the step runs for 3 s; checks a provider runs and holds an SSH session; returns
   * the engine's processes.
   */
  midHop(startedLine: RegExp): Promise<ProcessInfo[]>;
}

/**
 * `converge` of the local stack on a simulated cluster kept in `work()`, on `network` with `hosts`: to completion, or
 * started.
 */
export function convergeCli(work: () => string, network: string, hosts: string) {
  const cli = path.join(repoRoot, "dist", "stacks", "cli.js");
  const argv = (flags: readonly string[]) => [cli, "converge", "--sim-hosts", hosts, "--keep-cluster", ...flags];
  const env = () => ({ ...process.env, MESOS_UPGRADE_WORK: work(), MESOS_UPGRADE_SIM_NETWORK: network });
  return {
    /** Runs converge to its end. */
    run(...flags: string[]): { status: number | null; out: string } {
      const result = spawnSync(process.execPath, argv(flags), {
        cwd: repoRoot,
        env: env(),
        encoding: "utf8",
        timeout: 900_000,
        stdio: ["ignore", "pipe", "pipe"],
      });
      return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
    },
    /** Starts converge and returns at once. */
    start(...flags: string[]): RunningConverge {
      const child = spawn(process.execPath, argv(flags), {
        cwd: repoRoot,
        env: env(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
      });
      child.stderr.on("data", (chunk) => {
        out += chunk;
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal })),
      );
      return {
        child,
        output: () => out,
        exited,
        async midHop(startedLine) {
          await eventually(
            () => `the step starts: ${out.slice(-2000)}`,
            () => startedLine.test(out),
            240_000,
          );
          await new Promise((resolve) => setTimeout(resolve, 3000));
          const engine = engineProcesses(child.pid as number);
          assert.ok(
            engine.some((p) => /pulumi-resource-pulumi-nodejs|dynamic-provider/.test(p.command)),
            `a provider runs mid-hop: ${JSON.stringify(engine)}`,
          );
          assert.ok(openSshSessions(network) > 0, "the hop holds an SSH session");
          return engine;
        },
      };
    },
  };
}

/**
 * For one describe block: converge on a new simulated cluster in a fresh work directory (made before its cases,
 * the cluster stopped and the directory removed after them), whose first case adopts the cluster.
 */
export function convergeOnNewCluster(prefix: string, network: string, hosts: string) {
  let work = "";
  const cli = convergeCli(() => work, network, hosts);
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(async () => {
    await stopCluster(path.join(work, "sim"));
    fs.rmSync(work, { recursive: true, force: true });
  });
  it("adopts a new cluster first", () => {
    const first = cli.run("--max-runs", "1");
    assert.match(first.out, /── run 1: applied in \d+s: \d+ step\(s\) ──/, first.out.slice(-2000));
  });
  return { cli, cluster: (): Cluster => attachCluster(path.join(work, "sim")) };
}

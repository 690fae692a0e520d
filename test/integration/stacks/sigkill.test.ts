// A converge killed with SIGKILL mid-hop (it cannot handle that signal) leaves no engine process and no SSH session
// behind: its providers notice the run is gone, close their sessions, stop the orphaned CLI and exit. The next run
// explains what was left and resumes the step.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { attachCluster, stopCluster } from "../../../sim";
import { engineProcesses } from "../../../stacks/processes";
import { alive, eventually, openSshSessions } from "../../support/converge-run";
import { repoRoot } from "../../../toolchain/paths";

const NETWORK = "127.0.164";
const HOSTS = "m1:master+marathon;a1..a3:agent";
const CLI = path.join(repoRoot, "dist", "stacks", "cli.js");
/** How long after the kill the hosts may still see a session or the machine an engine process. */
const BOUND_MS = 10_000;

describe("a converge killed with SIGKILL mid-hop", () => {
  let work: string;
  const env = () => ({ ...process.env, MESOS_UPGRADE_WORK: work, MESOS_UPGRADE_SIM_NETWORK: NETWORK });
  const converge = (...flags: string[]) => {
    const result = spawnSync(process.execPath, [CLI, "converge", "--sim-hosts", HOSTS, "--keep-cluster", ...flags], { cwd: repoRoot, env: env(), encoding: "utf8", timeout: 900_000, stdio: ["ignore", "pipe", "pipe"] });
    return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
  };

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sigkill-"));
  });
  after(async () => {
    await stopCluster(path.join(work, "sim"));
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("adopts a new cluster first", () => {
    const first = converge("--max-runs", "1");
    assert.match(first.out, /── run 1: applied in \d+s: \d+ step\(s\) ──/, first.out.slice(-2000));
  });

  it("leaves no provider, no CLI and no SSH session behind, within a bound", async () => {
    const cluster = attachCluster(path.join(work, "sim"));
    await cluster.inject("m1", { kind: "pull-slow", image: "mesosphere/mesos-master", seconds: 1000 });
    const child = spawn(process.execPath, [CLI, "converge", "--sim-hosts", HOSTS, "--keep-cluster"], { cwd: repoRoot, env: env(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => { out += chunk; });
    child.stderr.on("data", (chunk) => { out += chunk; });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    try {
      await eventually(() => `the step starts: ${out.slice(-2000)}`, () => /▶ m1\s+mesos-master\s+0\.22\.1 → 0\.22\.2/.test(out), 240_000);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const engine = engineProcesses(child.pid as number);
      assert.ok(engine.some((p) => /(^|\/)pulumi( |$)/.test(p.command)), `the CLI runs: ${JSON.stringify(engine)}`);
      assert.ok(engine.some((p) => /pulumi-resource-pulumi-nodejs|dynamic-provider/.test(p.command)), `a provider runs mid-hop: ${JSON.stringify(engine)}`);
      assert.ok(openSshSessions(NETWORK) > 0, "the hop holds an SSH session");
      for (const provider of engine.filter((p) => /dynamic-provider/.test(p.command))) {
        const environ = fs.readFileSync(`/proc/${provider.pid}/environ`, "utf8").split("\0");
        assert.ok(environ.includes(`MESOS_UPGRADE_RUN_PID=${child.pid}`), `the provider ${provider.pid} knows its run: ${environ.filter((e) => e.startsWith("MESOS_UPGRADE")).join(" ")}`);
      }
      child.kill("SIGKILL");
      assert.equal(await exited, "SIGKILL");
      const gone = await eventually(() => `no engine process is left: ${JSON.stringify(engine.filter(alive))}`, () => !engine.some(alive), BOUND_MS);
      const closed = await eventually(() => `no SSH session is left (${openSshSessions(NETWORK)} open)`, () => openSshSessions(NETWORK) === 0, BOUND_MS);
      assert.ok(gone <= BOUND_MS && closed <= BOUND_MS);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await cluster.clear("m1", "pull-slow");
    }
  });

  it("explains on the next run what the killed run left, and resumes the step", () => {
    const next = converge("--max-runs", "1");
    assert.match(next.out, /the last run of stack "local" was interrupted|lock of a run that is gone|stale/i, next.out.slice(-3000));
    assert.match(next.out, /✓ m1\s+mesos-master\s+0\.22\.1 → 0\.22\.2/, next.out.slice(-3000));
    assert.doesNotMatch(next.out, /changed by hand|✗/);
  });
});

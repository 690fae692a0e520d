// The main job is repeatable: `npm start` converges every time it runs in the same checkout (the same work area):
// a kept cluster is resumed with the stack's record of it; a new cluster starts from a clean local stack.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { stopCluster } from "../../../sim";
import { repoRoot } from "../../../toolchain/paths";

/** A smaller cluster than the default (one master with Marathon, three agents: redis keeps one instance per agent). */
const HOSTS = "m1:master+marathon;a1..a3:agent";
/** A few runs each time (adoption and the first hops): what matters is that every run applies, whatever came before. */
const RUNS = "3";

describe("running the main job again and again in the same work area", () => {
  let work: string;
  const npmStart = (...flags: string[]) => {
    const result = spawnSync("npm", ["start", "--", "--sim-hosts", HOSTS, "--max-runs", RUNS, ...flags], {
      cwd: repoRoot,
      env: { ...process.env, MESOS_UPGRADE_WORK: work, MESOS_UPGRADE_SIM_NETWORK: "127.0.141" },
      encoding: "utf8",
      timeout: 900_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
  };

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "repeat-"));
  });
  /** A failed case keeps the work folder (the simulator's ledger and logs, the stack's state) to read afterwards. */
  let failed = false;
  afterEach((t) => {
    if ("passed" in t && t.passed === false) failed = true;
  });
  after(async () => {
    await stopCluster(path.join(work, "sim"));
    if (failed) console.log(`[repeat] a case failed: the work folder is kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  });

  /** Every run of an invocation applied: no failed step, no "changed by hand", the runs asked for all done. */
  const allApplied = (out: string) => {
    assert.match(out, /\[converge\] unfinished after 3 run\(s\)/, out.slice(-3000));
    assert.match(out, /\[converge\] steps: \d+ \(0 failed\)/);
    assert.doesNotMatch(out, /changed by hand|✗|refused/);
    for (const run of [1, 2, 3]) assert.match(out, new RegExp(`── run ${run}: applied in \\d+s`));
  };

  /**
   * The summary covers this invocation only: the per-host losses add up to its "tasks lost" line, and every host that
   * lost tasks had a task-killing restart forecast by this invocation's plans (no "not forecast"; none done
   * unforecast), and no app or API was measured down without a forecast.
   */
  const summaryAgrees = (out: string) => {
    const total = Number(/\[converge\] tasks lost: (\d+)/.exec(out)?.[1]);
    const hosts = [
      ...out.matchAll(
        /\[converge\] {3}(\S+): task-killing restarts (\d+) done \/ (\d+) forecast[^\n]*; tasks lost (\d+)/g,
      ),
    ];
    assert.ok(hosts.length > 0, `the per-host lines are printed\n${out.slice(-3000)}`);
    const lostOnHosts = hosts.reduce((sum, m) => sum + Number(m[4]), 0);
    assert.equal(lostOnHosts, total, `the per-host losses add up to the total\n${out.slice(-3000)}`);
    assert.doesNotMatch(out, /not forecast/, "every loss was on a host this invocation's plans forecast");
    for (const m of hosts) {
      assert.ok(Number(m[2]) <= Number(m[3]), `${m[1]}: no more task-killing restarts done than forecast (${m[0]})`);
    }
    // Every app and API measured down was forecast down at some step of this invocation's runs: m1 is the only
    // master and the only Marathon, so its steps take the Mesos API and Marathon's API down.
    const downtime = [
      ...out.matchAll(/^ {2}(\S.*): down ([\d.]+)s measured; forecast: down at (\d+) step\(s\)(?: — not forecast)?$/gm),
    ];
    assert.ok(downtime.length > 0, `the downtime lines are printed\n${out.slice(-3000)}`);
    for (const m of downtime) {
      if (Number(m[2]) > 0) assert.ok(Number(m[3]) > 0, `${m[1]} was down ${m[2]}s without a forecast (${m[0]})`);
    }
  };

  it("applies every run on a new cluster the first time, and keeps it with --keep-cluster", () => {
    const first = npmStart("--keep-cluster");
    assert.match(
      first.out,
      /starting a new simulated cluster \(hosts m1:master\+marathon;a1\.\.a3:agent/,
      first.out.slice(-3000),
    );
    assert.doesNotMatch(first.out, /removing the local stack's state/, "a first run has no state to remove");
    assert.match(first.out, /first run of stack "local": adopting the running cluster/);
    allApplied(first.out);
    summaryAgrees(first.out);
    const timeline = /\[converge\] timeline: (\S+\.html)/.exec(first.out)?.[1];
    assert.ok(timeline && fs.existsSync(timeline), "the timeline file is where it says");
  });

  it("resumes the kept cluster the second time, from the stack's record of it (no re-adoption)", () => {
    const second = npmStart();
    assert.match(second.out, /resuming the simulated cluster kept running in .*sim/, second.out.slice(-3000));
    assert.doesNotMatch(second.out, /adopting the running cluster|removing the local stack's state/);
    allApplied(second.out);
    summaryAgrees(second.out);
    assert.match(second.out, /cluster: the kept simulated cluster, resumed/);
  });

  it("starts a new cluster the third time from a clean local stack, saying so, and applies every run again", () => {
    const third = npmStart();
    assert.match(third.out, /starting a new simulated cluster/, third.out.slice(-3000));
    assert.match(
      third.out,
      /removing the local stack's state: it records the last run's cluster, which is gone; the new cluster starts from a clean local stack/,
    );
    assert.match(third.out, /first run of stack "local": adopting the running cluster/);
    allApplied(third.out);
    summaryAgrees(third.out);
  });
});

// The main job is repeatable: `npm start` converges every time it runs in the same checkout (the same work area):
// a kept cluster is resumed with the stack's record of it; a new cluster starts from a clean local stack.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stopCluster } from "../../../sim";
import { repoRoot } from "../../../toolchain/paths";

/** A smaller cluster than the default (one master with Marathon, one agent): the same hops, fewer steps per run. */
const HOSTS = "m1:master+marathon;a1:agent";

describe("running the main job again and again in the same work area", () => {
  let work: string;
  const npmStart = (...flags: string[]) => {
    const result = spawnSync("npm", ["start", "--", "--sim-hosts", HOSTS, ...flags], {
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
  after(async () => {
    await stopCluster(path.join(work, "sim"));
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("converges a new cluster the first time, and keeps it with --keep-cluster", () => {
    const first = npmStart("--keep-cluster");
    assert.equal(first.status, 0, first.out.slice(-3000));
    assert.match(first.out, /starting a new simulated cluster \(hosts m1:master\+marathon;a1:agent/);
    assert.doesNotMatch(first.out, /removing the local stack's state/, "a first run has no state to remove");
    assert.match(first.out, /\[converge\] converged after \d+ run\(s\)/);
    assert.match(first.out, /\[converge\] timeline: (\S+\.html)/);
    assert.ok(fs.existsSync(/\[converge\] timeline: (\S+\.html)/.exec(first.out)![1]!), "the timeline file is where it says");
  });

  it("resumes the kept cluster the second time: it is at the targets, so one run changes nothing", () => {
    const second = npmStart();
    assert.equal(second.status, 0, second.out.slice(-3000));
    assert.match(second.out, /resuming the simulated cluster kept running in .*sim/);
    assert.match(second.out, /\[converge\] converged after 1 run\(s\)/);
    assert.match(second.out, /── run 1: applied in \d+s: \(nothing to do\) ──/);
    assert.match(second.out, /cluster: the kept simulated cluster, resumed/);
  });

  it("starts a new cluster the third time from a clean local stack, saying so, and converges it again", () => {
    const third = npmStart();
    assert.equal(third.status, 0, third.out.slice(-3000));
    assert.match(third.out, /starting a new simulated cluster/);
    assert.match(third.out, /removing the local stack's state: it records the last run's cluster, which is gone; the new cluster starts from a clean local stack/);
    assert.match(third.out, /first run of stack "local": adopting the running cluster/);
    assert.doesNotMatch(third.out, /changed by hand/);
    assert.match(third.out, /\[converge\] converged after \d+ run\(s\)/);
  });
});

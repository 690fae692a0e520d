// Interrupts under the real engine: Ctrl-C (SIGINT) to a converge mid-hop lets the resource in flight finish, leaves no
// engine process and no SSH session behind; a second Ctrl-C stops the engine and the next run resumes by itself.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProcessInfo } from "../../../stacks/processes";
import { alive, convergeOnNewCluster, eventually, openSshSessions } from "../../support/converge-run";

const NETWORK = "127.0.142";
/** One master with Marathon and three agents (redis keeps one instance per agent). */
const HOSTS = "m1:master+marathon;a1..a3:agent";

describe("interrupting a converge mid-hop", () => {
  const { cli, cluster: attached } = convergeOnNewCluster("interrupt-", NETWORK, HOSTS);
  const converge = (...flags: string[]) => cli.run(...flags);

  /**
   * Starts a converge, sends SIGINT `times` times once `startedLine` shows (seconds apart), and watches its engine
   * processes.
   */
  async function interrupted(
    startedLine: RegExp,
    times: number,
    whileRunning?: () => void,
  ): Promise<{ status: number | null; out: string; engine: ProcessInfo[] }> {
    const running = cli.start();
    const engine = await running.midHop(startedLine);
    whileRunning?.();
    for (let i = 0; i < times; i++) {
      running.child.kill("SIGINT");
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const { code } = await running.exited;
    return { status: code, out: running.output(), engine };
  }

  it("on Ctrl-C lets the resource in flight (the pre-pull) finish, starts no step, and leaves no process or SSH session; a second run meanwhile is told another is in progress", async () => {
    const cluster = attached();
    // The pre-pull fetches every new image before the first step; a slow pull on m1 holds it in flight (long enough
    // for the concurrent run below and the interrupt to happen while it runs).
    await cluster.inject("m1", { kind: "pull-slow", image: "mesosphere/mesos-master", seconds: 4000 });
    let concurrent = { status: -1 as number | null, out: "" };
    const run = await interrupted(/▶ pre-pull on \d+ host\(s\)/, 1, () => {
      concurrent = converge("--max-runs", "1");
    });
    await cluster.clear("m1", "pull-slow");
    assert.equal(run.status, 130, run.out.slice(-3000));
    assert.match(run.out, /SIGINT: asking the engine to cancel gracefully/);
    assert.match(run.out, /✓ pre-pull done in [\d.]+s/, "the pre-pull in flight finished");
    assert.doesNotMatch(run.out, /▶ (m1|a\d)\s/, "no step started");
    assert.match(run.out, /── run 1: interrupted after \d+s/);
    assert.match(run.out, /\[converge\] timeline: \S+\.html/);
    await eventually("no engine process is left", () => !run.engine.some(alive));
    await eventually(`no SSH session is left (${openSshSessions(NETWORK)} open)`, () => openSshSessions(NETWORK) === 0);
    assert.equal(concurrent.status, 1, concurrent.out);
    assert.match(
      concurrent.out,
      /converge: another run of stack "local" is in progress \(pid \d+ on host [^)]+\); wait for it to finish, then run converge again/,
    );
    assert.doesNotMatch(concurrent.out, /pulumi cancel|delete the lock|remove the lock/);
  });

  it("on a second Ctrl-C stops the engine now, still leaving no process or SSH session", async () => {
    const cluster = attached();
    // The images are on the hosts since the pre-pull above; a1's new agent never registering holds its step at its
    // gate.
    await cluster.inject("a1", { kind: "agent-no-reregister" });
    const run = await interrupted(/▶ a1\s+mesos-slave\s+0\.22\.1 → 0\.22\.2/, 2);
    await cluster.clear("a1", "agent-no-reregister");
    assert.equal(run.status, 130, run.out.slice(-3000));
    assert.match(
      run.out,
      /SIGINT again: stopping the engine now; the next converge explains what was left and resumes/,
    );
    assert.match(
      run.out,
      /✗ a1\s+mesos-slave\s+0\.22\.1 → 0\.22\.2 {2}failed after [\d.]+s:/,
      "the step in flight is shown as stopped",
    );
    await eventually("no engine process is left", () => !run.engine.some(alive));
    await eventually(`no SSH session is left (${openSshSessions(NETWORK)} open)`, () => openSshSessions(NETWORK) === 0);
  });

  it("resumes on the next run without refresh or cancel by hand, and goes on", () => {
    const next = converge("--max-runs", "2");
    assert.match(next.out, /\[converge\] unfinished after 2 run\(s\)/, next.out.slice(-3000));
    // Other resources the engine had started meanwhile may be pending too; each is named.
    assert.match(
      next.out,
      /the last run of stack "local" was interrupted with [^\n]*updating a1-mesos-slave[^\n]* unfinished; resuming: reading [^\n]*a1-mesos-slave[^\n]* from the host\(s\) \(refresh\), then this run finishes or rechecks the step/,
    );
    // The interrupted step had started a1's new agent (held at its gate by the fault): read back from a1, it runs
    // 0.22.2, so the resumed run records that and has no step left on a1.
    assert.match(
      next.out,
      // a1's row of the version table, alone or with the hosts that run what it runs ("a1..a3", "a1, a2").
      /── run 1: applied in \d+s[^]*?\na1(\.\.a\d+|, [\w., ]+?)? {2,}1\.7\.1\s+-\s+0\.22\.2\s+-/,
      "a1 is recorded at the version the interrupted step started",
    );
    assert.doesNotMatch(next.out, /changed by hand|✗/);
    assert.match(next.out, /── run 2: applied in \d+s/, "the run after the resumed one applies too");
  });
});

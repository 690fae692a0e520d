// A converge killed with SIGKILL mid-hop (it cannot handle that signal) leaves no engine process and no SSH session
// behind: its providers notice the run is gone, close their sessions, stop the orphaned CLI and exit. The next run
// explains what was left and resumes (here the run's pre-pull, in flight when it was killed).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { alive, convergeOnNewCluster, eventually, openSshSessions } from "../../support/converge-run";

const NETWORK = "127.0.164";
const HOSTS = "m1:master+marathon;a1..a3:agent";
/** How long after the kill the hosts may still see a session or the machine an engine process. */
const BOUND_MS = 10_000;

describe("a converge killed with SIGKILL mid-hop", () => {
  const { cli, cluster: attached } = convergeOnNewCluster("sigkill-", NETWORK, HOSTS);
  const converge = (...flags: string[]) => cli.run(...flags);

  it("leaves no provider, no CLI and no SSH session behind, within a bound", async () => {
    const cluster = attached();
    await cluster.inject("m1", { kind: "pull-slow", image: "mesosphere/mesos-master", seconds: 1000 });
    const running = cli.start();
    const { child } = running;
    try {
      // A slow pull on m1 holds the run's pre-pull (every new image fetched before the first step) in flight.
      const engine = await running.midHop(/▶ pre-pull on \d+ host\(s\)/);
      assert.ok(
        engine.some((p) => /(^|\/)pulumi( |$)/.test(p.command)),
        `the CLI runs: ${JSON.stringify(engine)}`,
      );
      for (const provider of engine.filter((p) => /dynamic-provider/.test(p.command))) {
        const environ = fs.readFileSync(`/proc/${provider.pid}/environ`, "utf8").split("\0");
        assert.ok(
          environ.includes(`MESOS_UPGRADE_RUN_PID=${child.pid}`),
          `the provider ${provider.pid} knows its run: ${environ.filter((e) => e.startsWith("MESOS_UPGRADE")).join(" ")}`,
        );
      }
      child.kill("SIGKILL");
      assert.equal((await running.exited).signal, "SIGKILL");
      const gone = await eventually(
        () => `no engine process is left: ${JSON.stringify(engine.filter(alive))}`,
        () => !engine.some(alive),
        BOUND_MS,
      );
      const closed = await eventually(
        () => `no SSH session is left (${openSshSessions(NETWORK)} open)`,
        () => openSshSessions(NETWORK) === 0,
        BOUND_MS,
      );
      assert.ok(gone <= BOUND_MS && closed <= BOUND_MS);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await cluster.clear("m1", "pull-slow");
    }
  });

  it("explains on the next run what the killed run left, and resumes the step", () => {
    const next = converge("--max-runs", "1");
    assert.match(
      next.out,
      /the last run of stack "local" was interrupted and left its lock \(pid \d+ on host [^)]+\); that process is gone, so the lock is removed/,
      next.out.slice(-3000),
    );
    assert.match(
      next.out,
      /the last run of stack "local" was interrupted with creating pre-pull unfinished; resuming: then this run finishes or rechecks the step/,
    );
    assert.match(next.out, /✓ pre-pull done in [\d.]+s/, next.out.slice(-3000));
    assert.match(next.out, /✓ m1\s+mesos-master\s+0\.22\.1 → 0\.22\.2/, next.out.slice(-3000));
    // The killed step is finished, not blamed on a hand-made change (later steps of the run are other tests' subject).
    assert.doesNotMatch(next.out, /changed by hand|✗ m1/);
  });
});

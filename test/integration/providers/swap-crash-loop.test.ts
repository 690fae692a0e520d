// A new container that crash-loops behind its restart policy: Docker restarts it within 100 ms, so a health check
// that looks from outside can see it answer at every look. The swap must not take that for healthy: its gate passes
// only on looks that saw one run of the container, and the old container comes back. Over real SSH against a
// simulated host (fast profile: the new process dies 0.1 s after each start).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { specOf } from "../../../providers/container";
import { swapContainer } from "../../../providers/swap";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import type { HealthGate } from "../../../remote/gate";
import { closeAllConnections, type RemoteShell } from "../../../remote/ssh";
import { simShell } from "../../support/sim-shell";
import { startCluster, type Cluster } from "../../../sim";

const OLD = "example/web:1.1.7";
const NEW = "example/web:1.3.14";
const NAME = "web";

/** A gate whose every look passes, as one that happens to look while the process is up between crashes. */
function answeringGate(): HealthGate & { looks: number } {
  const gate = {
    looks: 0,
    description: "web on h1 answers",
    timeoutSeconds: 4,
    intervalSeconds: 0.5,
    stableChecks: 2,
    check: async () => {
      gate.looks += 1;
      return { passed: true, observed: "answers" };
    },
  };
  return gate;
}

describe("a new container that crash-loops behind its restart policy", () => {
  let dir: string;
  let cluster: Cluster;
  let shell: RemoteShell;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "swap-crash-loop-"));
    cluster = await startCluster("h1:none", { stateDir: path.join(dir, "sim"), network: "127.0.243" });
    shell = simShell(cluster, "h1");
  });
  after(async () => {
    closeAllConnections();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("does not pass its gate between crashes; the old container comes back whole", async () => {
    const started = await cluster.exec(
      "h1",
      `docker run -d --name ${NAME} --restart always -e TEAM=platform -v /data/web:/data/web ${OLD}`,
    );
    assert.equal(started.code, 0, started.stderr);
    const previous = (await inspectContainer(shell, NAME)) as RunningContainer;
    await cluster.inject("h1", { kind: "crash-loop", image: NEW });
    const gate = answeringGate();
    const outcome = await swapContainer(shell, {
      desired: { ...specOf(previous), image: NEW },
      previous,
      gate,
      rollback: true,
      restoredGate: answeringGate(),
    });
    assert.equal(outcome.kind, "rolled-back", JSON.stringify(outcome));
    assert.ok(gate.looks >= 4, `the gate's streak was completed and started over: ${gate.looks} looks`);
    assert.match(
      outcome.kind === "rolled-back" ? outcome.failure : "",
      /did not pass within 4s; last seen: answers; container web (runs|is waiting to be restarted), restarted \d+ times? since it was started: it exited between the gate's looks/,
    );
    const back = (await inspectContainer(shell, NAME)) as RunningContainer;
    assert.equal(back.image, OLD);
    assert.equal(back.running, true);
    assert.equal(back.restartCount, 0, "the old container was not restarted by its policy");
    assert.deepEqual(specOf(back), specOf(previous), "its whole configuration came back");
  });
});

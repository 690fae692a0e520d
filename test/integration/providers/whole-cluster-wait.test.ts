// The wait inside a whole-cluster restart (Marathon 1.1 → 1.3; providers/whole-cluster.ts): the step stops its old
// container, then waits for its peers. When the wait gives up, the old container comes back whole and nothing ever
// starts at the new version; when the peers clear the way, only then does the new version start. Over real SSH
// against a simulated host, with the swap the providers use.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { specOf, type ContainerSpec } from "../../../providers/container";
import { swapContainer } from "../../../providers/swap";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import type { HealthGate } from "../../../remote/gate";
import { closeAllConnections, type RemoteShell } from "../../../remote/ssh";
import { simShell } from "../../support/sim-shell";
import { startCluster, type Cluster } from "../../../sim";

const OLD = "example/web:1.1.7";
const NEW = "example/web:1.3.14";
const NAME = "web";

/** A gate that passes from its `passAt`-th look on (never when undefined), counting its looks. */
function peersGate(passAt: number | undefined, timeoutSeconds: number): HealthGate & { looks: number } {
  const gate = {
    looks: 0,
    description: "no other instance runs a version older than 1.3.14 can meet",
    timeoutSeconds,
    intervalSeconds: 0.2,
    check: async () => {
      gate.looks += 1;
      const passed = passAt !== undefined && gate.looks >= passAt;
      return { passed, observed: passed ? "m2 stopped, m3 stopped" : "still old: m2 runs 1.1.7" };
    },
  };
  return gate;
}

const passing: HealthGate = {
  description: "the new instance answers",
  timeoutSeconds: 5,
  check: async () => ({ passed: true, observed: "answers" }),
};

describe("the whole-cluster wait between an instance's stop and its start", () => {
  let dir: string;
  let cluster: Cluster;
  let shell: RemoteShell;
  let previous: RunningContainer;
  let desired: ContainerSpec;
  let since: string;

  /** The swap of a whole-cluster step: rollback on, the new instance's own gate passing, this wait in between. */
  const swapWaiting = (wait: HealthGate) =>
    swapContainer(shell, { desired, previous, gate: passing, rollback: true, waitBeforeStart: wait });
  const containerEvents = () =>
    cluster
      .ledger("h1")
      .filter((e) => e.time >= since && e.kind.startsWith("container.") && e.name === NAME)
      .map((e) => `${e.kind} ${e.image}`);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "whole-cluster-wait-"));
    cluster = await startCluster("h1:none", { stateDir: path.join(dir, "sim"), network: "127.0.249" });
    shell = simShell(cluster, "h1");
  });
  beforeEach(async () => {
    const started = await cluster.exec(
      "h1",
      `docker rm -f ${NAME} >/dev/null 2>&1; docker run -d --name ${NAME} --restart always -e TEAM=platform --label role=marathon -v /data/web:/data/web ${OLD}`,
    );
    assert.equal(started.code, 0, started.stderr);
    previous = (await inspectContainer(shell, NAME)) as RunningContainer;
    desired = { ...specOf(previous), image: NEW };
    since = new Date().toISOString();
  });
  after(async () => {
    closeAllConnections();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("puts the old container back whole and starts nothing new when its peers never clear the way", async () => {
    const wait = peersGate(undefined, 1);
    const outcome = await swapWaiting(wait);
    assert.equal(outcome.kind, "rolled-back", JSON.stringify(outcome));
    assert.match(
      outcome.kind === "rolled-back" ? outcome.failure : "",
      /still old: m2 runs 1\.1\.7.*; nothing was started at the new version$/,
    );
    assert.ok(wait.looks >= 2, "the wait looked more than once, and once more after timing out");
    const events = containerEvents();
    assert.ok(!events.some((e) => e.endsWith(NEW)), `nothing ran ${NEW}: ${events.join(", ")}`);
    assert.deepEqual(
      events.filter((e) => e.startsWith("container.start")),
      [`container.start ${OLD}`],
      "the old version was started again, once",
    );
    const back = (await inspectContainer(shell, NAME)) as RunningContainer;
    assert.equal(back.running, true);
    assert.deepEqual(specOf(back), specOf(previous), "the old container's whole configuration came back");
  });

  it("starts the new version only after the wait passes, the old one stopped before", async () => {
    const wait = peersGate(3, 30);
    const outcome = await swapWaiting(wait);
    assert.equal(outcome.kind, "swapped", JSON.stringify(outcome));
    assert.equal(wait.looks, 3, "the wait stopped looking the moment it passed");
    const events = containerEvents();
    const stopOld = events.findIndex((e) => e === `container.stop ${OLD}` || e === `container.remove ${OLD}`);
    const startNew = events.indexOf(`container.start ${NEW}`);
    assert.ok(stopOld >= 0 && startNew > stopOld, `the old stopped before the new started: ${events.join(", ")}`);
    assert.equal((await inspectContainer(shell, NAME))?.image, NEW);
  });

  it("goes ahead when the wait times out but a last look finds the way clear", async () => {
    // Looks inside the wait are 2 s apart; the last look follows the timeout at once. The way clears only for that
    // look: the step must not put the old version back once its peers have gone.
    let previousLook = 0;
    let looks = 0;
    const wait: HealthGate = {
      description: "no other instance runs a version older than 1.3.14 can meet",
      timeoutSeconds: 0.05,
      intervalSeconds: 2,
      check: async () => {
        const now = Date.now();
        const clear = looks > 0 && now - previousLook < 1000;
        looks += 1;
        previousLook = now;
        return clear
          ? { passed: true, observed: "m2 stopped, m3 stopped" }
          : { passed: false, observed: "still old: m2 runs 1.1.7" };
      },
    };
    const outcome = await swapWaiting(wait);
    assert.equal(outcome.kind, "swapped", JSON.stringify(outcome));
    assert.ok(looks >= 2, "the wait timed out, then looked once more");
    assert.equal((await inspectContainer(shell, NAME))?.image, NEW);
    assert.ok(!containerEvents().includes(`container.start ${OLD}`), "the old version was never started again");
  });
});

// The seed's dev machine end to end: one simulated host that is master, agent and Marathon at once (every app once),
// converged by the local stack to dev's targets under the real engine, one hop per run, on the fast profile.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { ClusterStartError, startCluster, type Cluster } from "../../../sim";
import { converge } from "../../../stacks/converge";
import { CLUSTER_SHAPES, openLocalStack } from "../../../stacks/localCluster";
import { watchDowntime } from "../../../stacks/downtime";

describe("converging the dev shape: a single host running every component", () => {
  let dir: string;
  let stack: Stack;
  let cluster: Cluster;
  const log: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dev-shape-"));
    process.env.MESOS_UPGRADE_WORK = dir;
    ({ stack, cluster } = await openLocalStack("127.0.177", () => undefined, undefined, "dev"));
  });
  after(async () => {
    await cluster?.stop();
    delete process.env.MESOS_UPGRADE_WORK;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the default apps on one host before starting anything, naming each app and its constraint", async () => {
    await assert.rejects(
      startCluster("dev1:master+agent+marathon", { network: "127.0.178", stateDir: path.join(dir, "refused") }),
      (error: Error) => {
        assert.ok(error instanceof ClusterStartError);
        assert.match(
          error.message,
          /app \/redis asks for 3 instances with constraint \["hostname","UNIQUE"\] \(one per agent host\), but the spec has 1 agent host \(dev1\)/,
        );
        assert.match(error.message, /app \/rabbitmq asks for 2 instances/);
        return true;
      },
    );
  });

  it("converges dev1 to dev's targets, forecasting each API's and app's downtime with no other host, gating on the whole control plane", async () => {
    const apps = (CLUSTER_SHAPES.dev?.apps ?? []).map((a) => ({ id: a.id, image: a.container?.docker?.image ?? "" }));
    const watch = watchDowntime(cluster, apps);
    const result = await converge(stack, { stack: "local", maxRuns: 30, log: (line) => log.push(line) });
    const measured = watch.stop(log);
    process.stdout.write(`# downtime per app and API:\n#   ${measured.join("\n#   ")}\n`);
    assert.equal(result.phase, "converged", log.slice(-30).join("\n"));
    const text = log.join("\n");
    assert.match(
      text,
      /the Mesos API \(dev1:5050\) is down while the Mesos master 0\.22\.1 → 0\.22\.2 restarts on dev1: it is the only master/,
    );
    assert.match(
      text,
      /Marathon's API \(dev1:8080\) is down while Marathon 0\.9\.1 → 0\.10\.0 restarts on dev1: it is the only Marathon/,
    );
    assert.match(
      text,
      /\/redis \(1 instance\) is down while Docker 1\.7\.1 → 1\.11\.2 restarts on dev1 \(.*\): there is no other host/,
    );
    assert.doesNotMatch(text, /until Marathon starts it elsewhere/);
    assert.match(
      text,
      /✓ dev1 +docker +1\.7\.1 → 1\.11\.2 .*gate: engine 1\.11\.2, containers missing: none, zookeeper standalone, leader [\d.]+:5050, agent registered, marathon answering, apps down: none/,
    );
    // Every app and API that was down was forecast down at some step.
    for (const line of measured) {
      const [, name, seconds, forecast] =
        /^(.*): down ([\d.]+)s measured; forecast: down at (\d+) step\(s\)(?: — not forecast)?$/.exec(line) ?? [];
      if (Number(seconds) > 0) assert.ok(Number(forecast) > 0, `${name} was down ${seconds}s without a forecast`);
    }
    // ZooKeeper ran on dev1 as a host service: at its address, its data there, through every Docker restart.
    assert.equal(cluster.zk.address, cluster.host("dev1").address);
    assert.ok(
      !cluster.ledger("dev1").some((e) => e.kind === "service" && e.name === "zookeeper" && e.reason !== "start"),
      "ZooKeeper never stopped on dev1",
    );
    const versions = (await stack.outputs()).completed?.value as Record<string, string> | undefined;
    assert.deepEqual(versions, { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" });
  });
});

// Marathon 1.1 → 1.3 cannot roll (Curator leader election; changelog 1.1.0 → 1.3.0): the stack's run stops every
// instance before any starts at 1.3, backs ZooKeeper up first (1.3 migrates storage), waits for a 1.3 leader and every
// app, and loses no task; under the real engine against a simulated cluster (3 masters with Marathon, Mesos 1.0.1).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_APPS, type Cluster } from "../../../sim";
import { watchDowntime } from "../../../stacks/downtime";
import { scratchStack, SEED_AGENT_SETTINGS, type ScratchStack } from "../../support/scratch-stack";

const MARATHONS = ["m1", "m2", "m3"];
const ENDED = new Set(["TASK_LOST", "TASK_KILLED", "TASK_FAILED", "TASK_ERROR", "TASK_FINISHED", "TASK_GONE"]);

describe("the whole-cluster Marathon restart 1.1.7 → 1.3.14", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;

  before(async () => {
    scratch = await scratchStack({
      stack: "scratch-whole-cluster",
      hosts: "m1,m2,m3:master+marathon;a1,a2:agent",
      cluster: {
        network: "127.0.153",
        versions: { docker: "1.11.2", mesos: "1.0.1", marathon: "1.1.7" },
        apps: DEFAULT_APPS.filter((app) => app.id === "/rabbitmq" || app.id === "/harbor"),
      },
      config: () => ({
        targets: { docker: "1.11.2", mesos: "1.0.1", marathon: "1.3.14" },
        rollout: { gateTimeoutSeconds: 120 },
        mesosSlave: SEED_AGENT_SETTINGS,
        docker: { logDriver: "json-file" },
        // The simulator keeps ZooKeeper's data on its first master (as `npm start` sets it).
        zookeeper: { hosts: ["m1"] },
      }),
    });
    ({ cluster, stack } = scratch);
  });
  after(async () => {
    await scratch?.close();
  });

  it("previews every instance stopping in one wave, Marathon down until a 1.3.14 instance leads, and the backup first", async () => {
    let preview = "";
    let diagnostics = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => (preview += text),
      onEvent: (event) => (diagnostics += event.diagnosticEvent?.message ?? ""),
    });
    for (const host of MARATHONS) {
      assert.match(
        diagnostics,
        new RegExp(`${host} +marathon +1\\.1\\.7 +→ 1\\.3\\.14 +1\\.3\\.14 +1 \\(all stop, then start\\)`),
        diagnostics,
      );
      assert.match(
        preview,
        new RegExp(
          `wave 1 {2}${host} +marathon +1\\.1\\.7 → 1\\.3\\.14 \\(whole-cluster: every instance stops, then all start\\)`,
        ),
      );
    }
    assert.match(diagnostics, /whole-cluster restart: all 3 Marathon instance\(s\) stop before any starts at 1\.3\.14/);
    assert.match(
      diagnostics,
      /Marathon's API \(every instance: m\d, m\d, m\d\) is down from the first stop until a 1\.3\.14 instance leads[^\n]*running tasks keep running/,
    );
    assert.match(
      preview,
      /\+ pulumi-nodejs:dynamic\/zookeeper:ZooKeeperBackup: \(create\)[\s\S]*zookeeper-backup-marathon-1\.1\.7-1\.3\.14/,
    );
    assert.equal((preview.match(/\+ restart\s*: "whole-cluster"/g) ?? []).length, 3, preview);
    assert.equal((preview.match(/~ version\s*: "1\.1\.7" => "1\.3\.14"/g) ?? []).length, 3, preview);
  });

  it("stops every instance before any starts at 1.3.14, after the ZooKeeper backup, and loses no task; the Marathon API downtime measured is counted at every instance's forecast step", async () => {
    const since = new Date().toISOString();
    const watch = watchDowntime(
      cluster,
      DEFAULT_APPS.filter((app) => app.id === "/rabbitmq" || app.id === "/harbor").map((a) => ({
        id: a.id,
        image: a.container?.docker?.image ?? "",
      })),
    );
    const warnings: string[] = [];
    const result = await stack.up({
      onOutput: () => undefined,
      onEvent: (event) => {
        if (event.diagnosticEvent?.severity === "warning") warnings.push(event.diagnosticEvent.message);
      },
    });
    const measured = watch.stop(warnings);
    process.stdout.write(`# downtime per app and API:\n#   ${measured.join("\n#   ")}\n`);
    assert.equal(result.summary.result, "succeeded");
    // Every instance stops before any starts, so the API is down for a while: the summary counts it against the one
    // whole-cluster forecast line, at each of the 3 instances' steps (stacks/downtime.ts), never at 0.
    const api = /^Marathon's API: down ([\d.]+)s measured; forecast: down at (\d+) step\(s\)(?: — not forecast)?$/.exec(
      measured.find((line) => line.startsWith("Marathon's API:")) ?? "",
    );
    assert.ok(api && Number(api[1]) > 0, `Marathon's API was measured down: ${measured.join("; ")}`);
    assert.equal(Number(api[2]), 3, measured.join("; "));
    for (const line of measured) {
      const [, name, seconds, forecast] =
        /^(.*): down ([\d.]+)s measured; forecast: down at (\d+) step\(s\)(?: — not forecast)?$/.exec(line) ?? [];
      if (Number(seconds) > 0) assert.ok(Number(forecast) > 0, `${name} was down ${seconds}s without a forecast`);
    }
    const events = cluster.ledger().filter((e) => e.time >= since);
    const marathon = events.filter(
      (e) => (e.kind === "container.stop" || e.kind === "container.start") && (e.image ?? "").includes("marathon"),
    );
    const stops = marathon.filter((e) => e.kind === "container.stop" && (e.image ?? "").endsWith("v1.1.7"));
    const starts = marathon.filter((e) => e.kind === "container.start" && (e.image ?? "").endsWith("v1.3.14"));
    assert.deepEqual(new Set(stops.map((e) => e.host)), new Set(MARATHONS), "every 1.1.7 instance stopped");
    assert.deepEqual(new Set(starts.map((e) => e.host)), new Set(MARATHONS), "every instance started at 1.3.14");
    const lastStop = stops
      .map((e) => e.time)
      .sort()
      .at(-1) as string;
    const firstStart = starts.map((e) => e.time).sort()[0] as string;
    assert.ok(
      lastStop <= firstStart,
      `the last 1.1.7 stop (${lastStop}) came before the first 1.3.14 start (${firstStart})`,
    );
    assert.deepEqual(
      marathon.filter((e) => e.kind === "container.start" && !(e.image ?? "").endsWith("v1.3.14")),
      [],
      "no old instance was started again",
    );

    const tar = events.find(
      (e) =>
        (e.kind === "exec" && e.program === "tar") || (e.kind === "ssh.exec" && /\btar -czf\b/.test(e.command ?? "")),
    );
    assert.ok(tar, "ZooKeeper's data was archived");
    assert.ok(tar.time < (stops.map((e) => e.time).sort()[0] as string), "the archive was taken before the first stop");

    const lost = events.filter((e) => e.kind === "task.status" && ENDED.has(e.state ?? ""));
    assert.deepEqual(lost, [], "no task ended");
  });

  it("records each instance's gate: 1.3.14 running, a 1.3.14 leader, every app healthy", async () => {
    const exported = await stack.exportStack();
    const resources = (exported.deployment.resources ?? []) as Array<{
      urn: string;
      outputs?: Record<string, unknown>;
    }>;
    const instances = resources.filter((r) => r.urn.endsWith("-marathon") && r.urn.includes("MarathonInstance"));
    assert.equal(instances.length, 3);
    for (const r of instances) {
      assert.equal(r.outputs?.runningVersion, "1.3.14", r.urn);
      assert.match(
        String(r.outputs?.gateObserved),
        /container 1\.3\.14, \/ping pong, leader \S+, leader version 1\.3\.14, apps 2 healthy/,
      );
    }
    const again = await stack.up({ onOutput: () => undefined });
    assert.equal(again.outputs.phase.value, "converged", "nothing left to change");
  });
});

// The main job end to end: the local stack converges the simulated cluster from the seed's starting point to its
// targets, one hop per `pulumi up`, under the real engine, over real SSH, with the gates the issue asks for.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import type { Cluster } from "../../../sim";
import { converge, type ConvergeResult } from "../../../stacks/converge";
import { openLocalStack } from "../../../stacks/localCluster";
import { openStack } from "../../../toolchain/workspace";
import { watchAppInstances, type AppInstanceWatch } from "../../support/app-instances";
import { previewedHops } from "../../support/previewed-changes";
import { assertArchiveBefore } from "../../support/zookeeper-archives";

/** Marathon's path to its highest release on Mesos 0.28, one hop per run. */
const MARATHON_HOPS = [
  ["0.9.1", "0.10.0"],
  ["0.10.0", "0.11.0"],
  ["0.11.0", "0.11.1"],
  ["0.11.1", "0.13.0"],
  ["0.13.0", "0.14.0"],
  ["0.14.0", "0.15.0"],
  ["0.15.0", "0.15.3"],
  ["0.15.3", "1.0.0-RC1"],
  ["1.0.0-RC1", "1.1.0"],
  ["1.1.0", "1.1.7"],
];
/** The hops that migrate Marathon's storage (0.11, 0.13, 1.1.5): each is preceded by a ZooKeeper backup. */
const MIGRATING_HOPS = [
  ["0.10.0", "0.11.0"],
  ["0.11.1", "0.13.0"],
  ["1.1.0", "1.1.7"],
];

describe("converging the local stack on the simulated cluster", () => {
  let dir: string;
  let stack: Stack;
  let cluster: Cluster;
  const log: string[] = [];
  /** Watches each multi-instance app's fewest running instances. */
  let watch: AppInstanceWatch | undefined;
  /** The whole convergence's result: its steps and the task-killing restarts its previews forecast. */
  let converged: ConvergeResult | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "converge-"));
    process.env.MESOS_UPGRADE_WORK = dir;
    ({ stack, cluster } = await openLocalStack("127.0.103"));
  });
  after(async () => {
    watch?.stop();
    await cluster?.stop();
    delete process.env.MESOS_UPGRADE_WORK;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adopts the running cluster on its first run without restarting anything", async () => {
    const stopsBefore = cluster.ledger().filter((e) => e.kind === "container.stop" || e.kind === "engine.stop").length;
    const result = await stack.up();
    assert.equal(result.outputs.phase.value, "adopting");
    assert.deepEqual(result.outputs.thisRun.value, []);
    assert.equal(
      cluster.ledger().filter((e) => e.kind === "container.stop" || e.kind === "engine.stop").length,
      stopsBefore,
    );
  });

  it("refuses a hop its promotedFrom stack has not completed, and allows it with a recorded override", async () => {
    // A previous environment that is still at the seed's versions.
    fs.writeFileSync(
      path.join(stack.workspace.workDir, "Pulumi.scratch-previous.yaml"),
      "config:\n  mesos-upgrade:environment: test\n  mesos-upgrade:hosts: []\n  mesos-upgrade:targets: {docker: 1.11.2, mesos: 0.28.2, marathon: 1.1.7}\n",
    );
    const previous = await openStack({
      stack: "scratch-previous",
      program: async () => ({ completed: { docker: "1.7.1", mesos: "0.22.1", marathon: "0.9.1" } }),
      projectDir: stack.workspace.workDir,
    });
    await previous.setConfig("sshPrivateKey", { value: "unused", secret: true });
    await previous.up();
    await stack.setConfig("promotedFrom", { value: "scratch-previous" });
    await assert.rejects(
      stack.preview(),
      /promotion gate:[\s\S]*mesos 0\.22\.1 → 0\.22\.2 is not completed in stack "scratch-previous" \(it runs mesos 0\.22\.1\); upgrade "scratch-previous" first, or set promotionOverride to a reason/,
    );
    await stack.setConfig("promotionOverride", { value: "proving the gate in a test" });
    let preview = "";
    await stack.preview({
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /promotion gate overridden \("proving the gate in a test"\)/);
    await stack.removeConfig("promotedFrom");
    await stack.removeConfig("promotionOverride");
  });

  it("converges through every hop, one per run, and a last run at the target changes nothing", async () => {
    // Watch the multi-instance apps all along: each must keep a running instance through every restart.
    watch = watchAppInstances(cluster, log);
    const result = await converge(stack, { stack: "local", maxRuns: 30, log: (line) => log.push(line) });
    converged = result;
    watch.stop();
    assert.equal(result.phase, "converged", log.slice(-3).join("\n"));
    const text = log.join("\n");
    const previewed = new Set(previewedHops(text).map((hop) => `${hop.from} → ${hop.to}`));
    for (const [from, to] of [
      ["1.7.1", "1.11.2"],
      ["0.22.1", "0.22.2"],
      ["0.22.2", "0.23.1"],
      ["0.23.1", "0.24.2"],
      ["0.24.2", "0.25.1"],
      ["0.25.1", "0.26.2"],
      ["0.26.2", "0.27.3"],
      ["0.27.3", "0.28.2"],
      ...MARATHON_HOPS,
    ]) {
      assert.ok(previewed.has(`${from} → ${to}`), `a plan shows version: ${from} → ${to}`);
    }
    assert.match(log[log.length - 1], /\(nothing to do\)/);
    const final = await stack.up();
    assert.equal(final.summary.resourceChanges?.update ?? 0, 0, "a second up at target updates nothing");
    assert.equal(final.summary.resourceChanges?.create ?? 0, 0);
    const versions = final.outputs.hostVersions.value as Record<string, Record<string, string>>;
    for (const [host, v] of Object.entries(versions)) {
      assert.equal(v.docker, "1.11.2", host);
      if (v["mesos-master"]) assert.equal(v["mesos-master"], "0.28.2", host);
      if (v["mesos-slave"]) assert.equal(v["mesos-slave"], "0.28.2", host);
      if (v.marathon) assert.equal(v.marathon, "1.1.7", host);
    }
  });

  it("ends with a run that turns Docker's log driver off through waves, one engine at a time, after every version hop", async () => {
    const text = log.join("\n");
    const phases = [...text.matchAll(/plan \((\w+)\):\nphase: /g)].map((m) => m[1]);
    assert.equal(phases.filter((p) => p === "settings").length, 1, `one settings run: ${phases.join(" ")}`);
    assert.equal(
      phases.filter((p) => p !== "converged").at(-1),
      "settings",
      `the last run with steps is the settings run: ${phases.join(" ")}`,
    );
    assert.match(text, /plan \(settings\):\nphase: settings — 7 steps in 7 waves/);
    for (const host of cluster.hosts) {
      assert.match(
        text,
        new RegExp(`wave \\d+ +${host.name} docker 1\\.11\\.2: log driver json-file → none \\(docker\\.logDriver\\)`),
        `the plan holds ${host.name}'s engine`,
      );
    }
    // One engine at a time: each engine restarted with the driver "none" stopped only after the one before was back.
    const windows = cluster.hosts
      .map((host) => {
        const events = cluster.ledger(host.name);
        const at = events.findIndex(
          (e) => e.kind === "engine.start" && (e.detail as { logDriver?: string } | undefined)?.logDriver === "none",
        );
        const stop = events
          .slice(0, at)
          .filter((e) => e.kind === "engine.stop")
          .at(-1);
        assert.ok(at >= 0 && stop, `${host.name}'s engine restarted with the log driver none`);
        return {
          name: host.name,
          stop: Date.parse(stop.time),
          start: Date.parse((events[at] as { time: string }).time),
        };
      })
      .sort((a, b) => a.stop - b.stop);
    for (let i = 1; i < windows.length; i++) {
      assert.ok(
        (windows[i] as { stop: number }).stop >= (windows[i - 1] as { start: number }).start,
        `${windows[i]?.name}'s engine stopped only after ${windows[i - 1]?.name}'s was back`,
      );
    }
    for (const host of cluster.hosts) {
      assert.match(
        (await cluster.exec(host.name, "docker info")).stdout,
        /^Logging Driver: none$/m,
        `${host.name}'s engine runs without its own log output`,
      );
      assert.match(
        (await cluster.exec(host.name, "cat /etc/default/docker")).stdout,
        /--log-driver=none/,
        `${host.name}'s daemon options keep it off`,
      );
      const name = host.roles.includes("agent") ? "mesos_slave" : "mesos_master";
      const inspected = JSON.parse((await cluster.exec(host.name, `docker inspect ${name}`)).stdout) as Array<{
        HostConfig: { LogConfig: { Type: string } };
      }>;
      assert.equal(
        inspected[0]?.HostConfig.LogConfig.Type,
        "none",
        `${host.name}'s ${name} logs through the daemon's driver none`,
      );
    }
  });

  it("archives ZooKeeper's data before each Marathon hop that migrates storage, holding the state from before the hop", async () => {
    const text = log.join("\n");
    const created = [...text.matchAll(/\n  \+ zookeeper-backup-marathon-(\S+)  \(create\)/g)].map((m) => m[1]);
    assert.deepEqual(
      [...new Set(created)],
      MIGRATING_HOPS.map(([from, to]) => `${from}-${to}`),
      "the previews create one backup for each migrating hop and none for the others",
    );
    assert.doesNotMatch(text, /\n  - zookeeper-backup-/, "no plan shows a backup going away");
    const recorded = (await stack.outputs()).zookeeperArchives?.value as Record<
      string,
      Array<{ host: string; path: string }>
    >;
    assert.deepEqual(
      Object.keys(recorded ?? {}),
      MIGRATING_HOPS.map(([from, to]) => `marathon ${from} → ${to}`),
      "the stack outputs say where every archive is",
    );
    const listing = await cluster.exec("m1", "ls /var/backups/mesos-upgrade");
    const archives = listing.stdout.split("\n").filter((f) => f.endsWith(".tar.gz"));
    assert.equal(archives.length, MIGRATING_HOPS.length, listing.stdout + listing.stderr);
    for (const [from, to] of MIGRATING_HOPS) {
      const archive = archives.find((f) => f.startsWith(`zookeeper-marathon-${from}-to-${to}-`));
      assert.ok(archive, `an archive for marathon ${from} → ${to} among ${archives.join(", ")}`);
      await assertArchiveBefore(
        cluster,
        { host: "m1", path: `/var/backups/mesos-upgrade/${archive}` },
        from,
        to,
        "/redis",
      );
    }
  });

  it("loses tasks only where the plan said a restart kills them: a Docker engine before 1.12, or an agent restart marked task-killing", () => {
    const ledger = cluster.ledger();
    const text = log.join("\n");
    const engineStops = ledger.filter((e) => e.kind === "engine.stop");
    const agentStops = ledger.filter((e) => e.kind === "container.stop" && e.name === "mesos_slave");
    const addressOf = new Map(cluster.hosts.map((h) => [h.address, h.name]));
    assert.match(
      text,
      /task-killing restarts \(hosts without Marathon tasks first; together only on hosts that share no multi-instance app/,
      "the plan lists its task-killing restarts",
    );
    for (const lost of cluster.lostTasks()) {
      const host = addressOf.get(String((lost as unknown as { agentHost: string }).agentHost));
      const recent = (stop: { host?: string; time: string }) =>
        stop.host === host && stop.time <= lost.time && Date.parse(lost.time) - Date.parse(stop.time) < 120_000;
      // A Docker step on Mesos >= 0.25 drains its agent first: the master removes the machine it takes down, so its
      // tasks are LOST (REASON_SLAVE_REMOVED, "down for maintenance") just before that step stops the engine.
      const drained =
        lost.reason === "REASON_SLAVE_REMOVED" &&
        /down for maintenance/.test(String(lost.message)) &&
        engineStops.some(
          (stop) =>
            stop.host === host && stop.time >= lost.time && Date.parse(stop.time) - Date.parse(lost.time) < 120_000,
        );
      const byEngine = drained || engineStops.some(recent);
      // The previews' task-killing restarts, host by host (read from each plan table: stacks/host-deaths.ts).
      const forecast = (converged?.forecastKilling ?? []).some((restart) => restart.startsWith(`${host} mesos-slave `));
      const byAgent = agentStops.some(recent) && forecast;
      assert.ok(
        byEngine || byAgent,
        `task lost without a forecast task-killing restart on its host: ${JSON.stringify(lost)}`,
      );
    }
  });

  it("keeps at least one running instance of every multi-instance app through the Docker engine restarts", () => {
    assert.ok(watch, "the convergence was watched");
    watch.assertNeverDown(["/redis", "/rabbitmq"]);
  });

  it("reports single-instance apps as taking downtime in the preview of the Docker run", () => {
    assert.match(
      log.join("\n"),
      /\/(alert|drone|influxdb|harbor) \(single instance\) is down while Docker restarts on a\d/,
    );
  });
});

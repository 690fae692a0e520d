// MesosMaster, MesosSlave and MarathonInstance against a simulated cluster over real SSH, under the real engine.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { runArgv, specOf } from "../../../providers/container";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import { routeHostOf } from "../../../providers/component";
import { MarathonInstance } from "../../../providers/marathonInstance";
import { MesosMaster } from "../../../providers/mesosMaster";
import { MesosSlave } from "../../../providers/mesosSlave";
import { taskKillingReason } from "../../../planner";
import { closeAllConnections, sshShell } from "../../../remote/ssh";
import { startCluster, type Cluster, type SimHost } from "../../../sim";
import { carriedConfig } from "../../../stacks/decide";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

interface Versions {
  master: string;
  slave: string;
  marathon: string;
  masterName?: string;
  slaveFrom?: string;
}

describe("Mesos and Marathon containers on a simulated cluster", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  const running = new Map<string, RunningContainer>();

  const connection = (host: SimHost) => ({
    name: host.name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
  });

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "containerized-"));
    cluster = await startCluster("m1:master+marathon;a1..a4:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.62",
    });
    for (const [host, name] of [
      ["m1", "mesos-master"],
      ["m1", "marathon"],
      ["a1", "mesos-slave"],
    ] as const) {
      const sim = cluster.host(host);
      const container = await inspectContainer(
        sshShell({ ...connection(sim), privateKey: cluster.userKey.privateKey }),
        name.replace("-", "_"),
      ); // the sim names containers mesos_master, mesos_slave
      assert.ok(container, `${name} runs on ${host}`);
      running.set(name, container);
    }
    await closeAllConnections();
  });
  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Each component's flags, mounts and environment as the program carries them (stacks/decide.ts carriedConfig).
  const program = (v: Versions) => async () => {
    const m1 = cluster.host("m1");
    const a1 = cluster.host("a1");
    const privateKey = pulumi.secret(cluster.userKey.privateKey);
    const masters = [m1.address];
    const common = { privateKey, gateTimeoutSeconds: 30, masters };
    const master = new MesosMaster("m1-mesos-master", {
      ...common,
      connection: connection(m1),
      version: v.master,
      targetVersion: "0.28.2",
      ...(v.masterName ? { containerName: v.masterName } : {}),
      ...carriedConfig("mesos-master", running.get("mesos-master"), { flags: {} }),
    });
    // What the planner marks: a 0.22 agent's restart kills its tasks (its executors live in its container).
    const killsTasks = taskKillingReason(
      {
        name: "a1",
        roles: ["mesos-slave"],
        versions: { "mesos-slave": running.get("mesos-slave")?.image.split(":")[1]?.split("-")[0] },
      },
      "mesos-slave",
      v.slaveFrom ?? v.slave,
      v.slave,
    );
    const slave = new MesosSlave(
      "a1-mesos-slave",
      {
        ...common,
        marathons: [m1.address],
        ...(killsTasks && v.slaveFrom ? { killsTasks } : {}),
        // The agent's HTTP goes through SSH as in prod, so each read of it is a forwarded channel in its ledger.
        connection: {
          ...connection(a1),
          http: {
            via: "ssh",
            scheme: "http",
            tunnelTo: "address",
            hosts: [routeHostOf(connection(a1), connection(m1))],
          },
        },
        version: v.slave,
        targetVersion: "0.28.2",
        ...carriedConfig("mesos-slave", running.get("mesos-slave"), {
          flags: { docker_remove_delay: "6hrs", cgroups_limit_swap: true },
        }),
      },
      { dependsOn: [master] },
    );
    const marathon = new MarathonInstance(
      "m1-marathon",
      {
        ...common,
        connection: connection(m1),
        version: v.marathon,
        targetVersion: "1.1.7",
        ...carriedConfig("marathon", running.get("marathon"), { flags: {} }),
      },
      { dependsOn: [slave] },
    );
    return {
      master: master.gateObserved,
      slave: slave.gateObserved,
      marathon: marathon.gateObserved,
      masterVersion: master.runningVersion,
      slaveVersion: slave.runningVersion,
      marathonVersion: marathon.runningVersion,
    };
  };

  const open = (v: Versions) =>
    openStack({
      stack: "scratch-containers",
      program: program(v),
      scratchProject: { name: "containers", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });

  it("adopts what runs without restarting any container", async () => {
    const before = cluster.ledger().filter((e) => e.kind === "container.stop").length;
    const result = await (await open({ master: "0.22.1", slave: "0.22.1", marathon: "0.9.1" })).up();
    assert.match(result.outputs.master.value, /adopted/);
    assert.match(result.outputs.slave.value, /adopted/);
    assert.match(result.outputs.marathon.value, /adopted/);
    assert.equal(cluster.ledger().filter((e) => e.kind === "container.stop").length, before);
  });

  it("moves the master and then the 0.22 agent one hop into executor containers, marked as killing its tasks, and waits for the apps", async () => {
    const since = new Date().toISOString();
    const stack = await open({ master: "0.23.1", slave: "0.23.1", marathon: "0.9.1", slaveFrom: "0.22.1" });
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(
      preview,
      /pulumi-nodejs:dynamic\/mesos:MesosMaster: \(update\)[\s\S]*~ version: "0\.22\.1" => "0\.23\.1"/,
    );
    assert.match(
      preview,
      /pulumi-nodejs:dynamic\/mesos:MesosSlave: \(update\)[\s\S]*\+ killsTasks\s*: "agent 0\.22\.1 runs its executors inside its own container, so they die with it[\s\S]*~ version\s*: "0\.22\.1" => "0\.23\.1"/,
    );
    const onA1 = (await cluster.tasks())
      .filter((t) => t.host === cluster.host("a1").address)
      .map((t) => t.id)
      .sort();
    const result = await stack.up();
    assert.equal(result.outputs.masterVersion.value, "0.23.1");
    assert.equal(result.outputs.slaveVersion.value, "0.23.1");
    assert.match(result.outputs.slave.value, /agent 0\.23\.1 registered, apps degraded: none/);
    const lost = cluster.lostTasks(since);
    assert.deepEqual(
      lost.map((e) => [e.taskId, e.reason]).sort(),
      onA1.map((id) => [id, "REASON_EXECUTOR_TERMINATED"]),
      "exactly a1's tasks died, with the executors of the 0.22 agent",
    );
    const inspected = JSON.parse((await cluster.exec("a1", "docker inspect mesos_slave")).stdout) as Array<{
      Args: string[];
      HostConfig: { PidMode: string };
    }>;
    assert.ok(
      inspected[0]?.Args.includes("--docker_mesos_image=mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404"),
      JSON.stringify(inspected[0]?.Args),
    );
    assert.equal(inspected[0]?.HostConfig.PidMode, "host");
  });

  it("keeps every task at the next agent hop, the agent running executor containers", async () => {
    const since = new Date().toISOString();
    const result = await (await open({ master: "0.24.2", slave: "0.24.2", marathon: "0.9.1" })).up();
    assert.equal(result.outputs.slaveVersion.value, "0.24.2");
    assert.match(result.outputs.slave.value, /registered, (\d+)\/\1 tasks still running/);
    assert.deepEqual(cluster.lostTasks(since), []);
    // The gates of both versions (the new one's, and the old one's should the step roll back) share one read of the
    // agent before its restart.
    const step = cluster.ledger("a1").filter((e) => e.time >= since);
    const stopped = step.findIndex((e) => e.kind === "exec" && e.argv?.[0] === "stop");
    assert.ok(stopped > 0, "the step stopped the old agent");
    const agentReads = step
      .slice(0, stopped)
      .filter((e) => e.kind === "ssh.forward" && e.detail === `${cluster.host("a1").address}:5051`);
    // One read: "/state", which a 0.23 agent answers 404, then "/state.json" (each gate reading it: four).
    assert.equal(agentReads.length, 2, "one read of the agent's state before the restart");
    const args =
      (JSON.parse((await cluster.exec("a1", "docker inspect mesos_slave")).stdout) as Array<{ Args: string[] }>)[0]
        ?.Args ?? [];
    assert.ok(
      args.includes("--docker_mesos_image=mesosphere/mesos-slave:0.24.2-2.0.35.ubuntu1404"),
      "the executor image follows the agent's version",
    );
  });

  it("refuses to skip a hop, naming the next one, and pulls nothing for it", async () => {
    const since = new Date().toISOString();
    await assert.rejects(
      (await open({ master: "0.26.2", slave: "0.24.2", marathon: "0.9.1" })).up(),
      /mesos-master on m1 runs 0\.24\.2; 0\.26\.2 is 2 hops away \(0\.25\.1 → 0\.26\.2\); one hop per run: set version to 0\.25\.1/,
    );
    const pulls = cluster.ledger("m1").filter((e) => e.time >= since && e.kind === "exec" && e.argv?.[0] === "pull");
    assert.deepEqual(pulls, [], "no image pulled for a refused hop");
  });
  it("renames a master it finds under another name at the master's next hop, and preview shows the rename", async () => {
    // An operator's own name for the master (on a master-only host, where no agent stops it), same settings.
    const shell = sshShell({ ...connection(cluster.host("m1")), privateKey: cluster.userKey.privateKey });
    const now = (await inspectContainer(shell, "mesos_master")) as RunningContainer;
    const argv = runArgv({ ...specOf(now), name: "mesos-master" })
      .map((a) => `'${a}'`)
      .join(" ");
    assert.equal((await cluster.exec("m1", `docker rm -f mesos_master >/dev/null && ${argv}`)).code, 0);
    // The master's own stops (Marathon 0.9 cannot follow 0.24+ masters and restarts on its own: not counted).
    const stops = () =>
      cluster.ledger("m1").filter((e) => e.kind === "container.stop" && /^mesos[-_]master$/.test(String(e.name)))
        .length;
    const before = stops();
    const adopt = await (
      await open({ master: "0.24.2", slave: "0.24.2", marathon: "0.9.1", masterName: "mesos-master" })
    ).up();
    assert.equal(adopt.outputs.masterVersion.value, "0.24.2");
    assert.equal(stops(), before, "found by what it runs and kept under its name: nothing restarted");
    const stack = await open({ master: "0.25.1", slave: "0.24.2", marathon: "0.9.1", masterName: "mesos_master" });
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(
      preview,
      /MesosMaster: \(update\)[\s\S]*~ settings: \(json\) \{[\s\S]*~ containerName\s*: "mesos-master" => "mesos_master"[\s\S]*~ version\s*: "0\.24\.2" => "0\.25\.1"/,
    );
    const result = await stack.up();
    assert.equal(result.outputs.masterVersion.value, "0.25.1");
    assert.match(
      (await cluster.exec("m1", "docker inspect --format '{{.Name}} {{.Config.Image}}' mesos_master")).stdout,
      /^\/mesos_master mesosphere\/mesos-master:0\.25\.1/,
    );
    assert.notEqual((await cluster.exec("m1", "docker inspect mesos-master")).code, 0, "the old name is gone");
  });

  it("refuses to start an agent while a container it would stop runs on its host, touching nothing", async () => {
    assert.equal((await cluster.exec("a1", "docker run -d --name mesos-dns busybox sleep 100000")).code, 0);
    const since = new Date().toISOString();
    await assert.rejects(
      (await open({ master: "0.25.1", slave: "0.25.1", marathon: "0.9.1" })).up(),
      /mesos-slave on a1: the agent would stop "mesos-dns" \(busybox\) when it starts: Mesos' Docker containerizer kills every container named "mesos-…" it does not track\. Rename it without the "mesos-" prefix first[^;]*; nothing was changed/,
    );
    assert.deepEqual(
      cluster
        .ledger("a1")
        .filter((e) => e.kind === "container.stop" && e.time >= since)
        .map((e) => e.name),
      [],
    );
    assert.equal((await cluster.exec("a1", "docker rm -f mesos-dns")).code, 0);
  });
});

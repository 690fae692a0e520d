// The Docker hop of a host that is its own Mesos master, agent and Marathon (the seed's dev machine) on Mesos 0.28,
// under the real engine: the package is downloaded before the machine is drained, the machine is brought up only
// once the master (restarted with the engine) leads again, and the gate waits for the whole control plane (ZooKeeper,
// a service of the host, asked `srvr` through its SSH connection) and every app, single-instance ones included.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { DockerEngine } from "../../../providers/dockerEngine";
import { getJson } from "../../../remote/http";
import { closeAllConnections } from "../../../remote/ssh";
import { DEV_APPS, startCluster, type Cluster, type LedgerEntry } from "../../../sim";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

describe("the Docker hop of a single host on Mesos 0.28: drained, restarted with its own master, brought up", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "single-host-"));
    cluster = await startCluster("dev1:master+agent+marathon", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.176",
      versions: { mesos: "0.28.2", marathon: "1.1.7" },
      apps: DEV_APPS,
      zookeeperHost: "dev1",
    });
  });
  after(async () => {
    await closeAllConnections();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (version: string) => {
    const host = cluster.host("dev1");
    return openStack({
      stack: "scratch-dev1",
      program: async () => {
        const engine = new DockerEngine("dev1-docker", {
          connection: {
            name: host.name,
            address: host.address,
            port: host.sshPort,
            user: cluster.userKey.user,
            hostKeyFingerprint: host.hostKeyFingerprint,
          },
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          version,
          targetVersion: "1.11.2",
          gateTimeoutSeconds: 120,
          runsAgent: true,
          masters: [host.address],
          marathons: [host.address],
          zookeepers: [cluster.zk.address],
          mesosVersion: "0.28.2",
        });
        return { gate: engine.gateObserved, version: engine.runningVersion };
      },
      scratchProject: { name: "single-host", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });
  };

  it("adopts the engine, then hops it with the download first, the machine up once a master leads, and every app back", async () => {
    await (await open("1.7.1")).up();
    const before = cluster.ledger().length;
    const result = await (await open("1.11.2")).up();
    const ledger = cluster.ledger().slice(before);
    assert.equal(result.outputs.version.value, "1.11.2");
    assert.match(
      result.outputs.gate.value,
      /^engine 1\.11\.2, containers missing: none, zookeeper standalone, leader [\d.]+:5050, agent registered, marathon answering, apps down: none \(after [\d.]+s\)$/,
    );
    const first = (what: string, match: (e: LedgerEntry) => boolean) => {
      const found = ledger.find(match);
      assert.ok(found, `the ledger has ${what}`);
      return found.time;
    };
    const download = first(
      "the package download",
      (e) => e.kind === "exec" && e.program === "apt-get" && (e.argv ?? []).includes("-d"),
    );
    const removed = first(
      "the agent's removal for maintenance",
      (e) => e.kind === "agent.removed" && /maintenance/.test(e.reason ?? ""),
    );
    const engineStop = first("the engine stop", (e) => e.kind === "engine.stop");
    const engineStart = first("the engine start", (e) => e.kind === "engine.start");
    const elected = first(
      "the master elected again",
      (e) => e.kind === "leader.elected" && e.service === "mesos" && e.time > engineStart,
    );
    const registered = first("the agent registered again", (e) => e.kind === "agent.registered" && e.time > elected);
    assert.ok(
      download < removed &&
        removed < engineStop &&
        engineStop < engineStart &&
        engineStart < elected &&
        elected < registered,
      JSON.stringify({ download, removed, engineStop, engineStart, elected, registered }),
    );
    const status = await getJson<Record<string, unknown>>(
      `http://${cluster.host("dev1").address}:5050/master/maintenance/status`,
    );
    assert.deepEqual(status, {}, "the machine is up and out of the schedule");
    const apps = await cluster.apps();
    assert.deepEqual(
      apps.map((a) => `${a.id} ${a.tasksRunning}/${a.instances}`),
      DEV_APPS.map((a) => `${a.id} 1/1`),
    );
  });
});

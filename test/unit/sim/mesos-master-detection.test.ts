// How the simulated agents and frameworks follow the leading master, and how the leader's registrar stores its
// operations: a master restarted at the same address is a new master, detections never land out of order, and
// agents admitted at the same moment all stay in the registry (one real ZooKeeper-protocol server on loopback).
import assert from "node:assert/strict";
import type { AddressInfo, Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { oneAtATime, sameMaster, type MasterInfo } from "../../../sim/mesos/common";
import { readRegistry, updateRegistry } from "../../../sim/mesos/master/registry";
import type { MasterNode } from "../../../sim/mesos/master/state";
import { ZkClient } from "../../../sim/zk/client";
import { serveZk, ZkTree } from "../../../sim/zk/server";

const master = (id: string): MasterInfo => ({
  id,
  ip: "10.0.0.1",
  port: 5050,
  pid: "master@10.0.0.1:5050",
  hostname: "m1",
  version: "0.23.1",
  address: { ip: "10.0.0.1", port: 5050, hostname: "m1" },
});

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("following the leading master", () => {
  it("takes a master restarted at the same address for a new master, as MasterInfo's operator== does", () => {
    assert.equal(sameMaster(master("20261203-055805-1"), master("20261203-055805-1")), true);
    assert.equal(sameMaster(master("20261203-055805-1"), master("20261203-055817-1")), false);
    assert.equal(sameMaster(undefined, master("20261203-055817-1")), false);
    assert.equal(sameMaster(undefined, undefined), true);
  });

  it("runs detections one at a time and once more after a change seen during one, so the newest read lands last", async () => {
    const reads = ["no leader", "new leader"];
    let running = 0;
    let most = 0;
    const seen: string[] = [];
    const detect = oneAtATime(async () => {
      running++;
      most = Math.max(most, running);
      const read = reads.shift() ?? "new leader";
      // The first (older) read is the slower one: run at once, it would land after the second.
      await tick(read === "no leader" ? 30 : 1);
      seen.push(read);
      running--;
    });
    await Promise.all([detect(), detect(), detect()]);
    assert.equal(most, 1, "never two detections at once");
    assert.deepEqual(seen, ["no leader", "new leader"], "the calls during the first run coalesce into one more run");
  });

  it("passes a detection's error to its caller unless another run was asked for meanwhile", async () => {
    let fail = true;
    const detect = oneAtATime(async () => {
      await tick(5);
      if (fail) {
        fail = false;
        throw new Error("ZooKeeper CONNECTIONLOSS");
      }
    });
    await assert.rejects(detect(), /CONNECTIONLOSS/);
    fail = true;
    await Promise.all([detect(), detect()]);
  });
});

describe("the registrar's operations", () => {
  let server: Server;
  let zk: ZkClient;
  let node: MasterNode;

  before(async () => {
    server = serveZk(new ZkTree());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    zk = await ZkClient.connect("127.0.0.1", (server.address() as AddressInfo).port, 10_000);
    node = { state: { zkUrl: { path: "/mesos" } }, life: { zk } } as unknown as MasterNode;
  });
  after(async () => {
    await zk.close();
    server.close();
  });

  it("keeps every agent admitted at the same moment, each operation applied to the one stored before it", async () => {
    await Promise.all(
      ["S0", "S1", "S2", "S3"].map((id) =>
        updateRegistry(node, (registry) => {
          registry.agents[id] = { hostname: `a${id.slice(1)}`, ip: `10.0.0.${id.slice(1)}` };
        }),
      ),
    );
    assert.deepEqual(Object.keys((await readRegistry(node)).agents).sort(), ["S0", "S1", "S2", "S3"]);
  });

  it("answers what the operation decided from the registry it was applied to", async () => {
    const [removal, readmitted] = await Promise.all([
      updateRegistry(node, (registry) => {
        delete registry.agents.S1;
        registry.removed.push("S1");
      }),
      updateRegistry(node, (registry) => registry.removed.includes("S1")),
    ]);
    assert.equal(removal, undefined);
    assert.equal(readmitted, true, "the re-admission queued after the removal sees it");
    assert.deepEqual(Object.keys((await readRegistry(node)).agents).sort(), ["S0", "S2", "S3"]);
  });
});

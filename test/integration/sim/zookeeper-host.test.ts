// ZooKeeper as a service of a host (the seed's dev machine runs Ubuntu's zookeeperd, not a container): at the host's
// address, its data directory on the host, left running by a Docker engine restart.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ClusterStartError, DEV_APPS, startCluster } from "../../../sim";
import { paths } from "../../../sim/layout";
import { tempStateDir, useCluster } from "./helpers";

/** Sends a four-letter word and reads the server's whole answer. */
function fourLetterWord(address: string, port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = net.connect({ host: address, port }, () => socket.write(word));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("ZooKeeper as a service of the dev host", () => {
  const cluster = useCluster("dev1:master+agent+marathon", {
    network: "127.0.179",
    apps: DEV_APPS,
    zookeeperHost: "dev1",
  });

  it("listens at dev1's address and keeps its data in dev1's /var/lib/zookeeper", async () => {
    const dev1 = cluster().host("dev1");
    assert.equal(cluster().zk.address, dev1.address);
    assert.equal(cluster().zk.url, `zk://${dev1.address}:2181`);
    assert.match(await fourLetterWord(dev1.address, 2181, "srvr"), /^Zookeeper version: .*\nMode: standalone\n/ms);
    assert.equal(await fourLetterWord(dev1.address, 2181, "ruok"), "imok");
    const snapshot = join(paths.root(cluster().stateDir, "dev1"), "var/lib/zookeeper/version-2/snapshot.json");
    for (let i = 0; i < 40 && !existsSync(snapshot); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(snapshot), `${snapshot} exists`);
    assert.ok(
      cluster()
        .ledger("dev1")
        .some((e) => e.kind === "service" && e.name === "zookeeper"),
      "dev1's ledger records the service",
    );
  });

  it("keeps answering while dev1's Docker engine is stopped, and the Mesos master finds it again once the engine is back", async () => {
    const dev1 = cluster().host("dev1");
    assert.equal((await cluster().exec("dev1", "service docker stop")).code, 0);
    assert.match(await fourLetterWord(dev1.address, 2181, "srvr"), /Mode: standalone/);
    assert.equal((await cluster().exec("dev1", "service docker start")).code, 0);
    let leader;
    for (let i = 0; i < 200 && !leader; i++) {
      leader = await cluster()
        .mesosLeader()
        .catch(() => undefined);
      if (!leader) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(leader?.name, "dev1");
  });

  it("refuses a ZooKeeper host that is not in the spec, naming the hosts", async () => {
    await assert.rejects(
      startCluster("dev1:master+agent+marathon", {
        network: "127.0.180",
        apps: DEV_APPS,
        zookeeperHost: "dev2",
        stateDir: tempStateDir(),
      }),
      (error: Error) => {
        assert.ok(error instanceof ClusterStartError);
        assert.match(error.message, /zookeeper host "dev2" is not a host of the spec; name one of "dev1"/);
        return true;
      },
    );
  });
});

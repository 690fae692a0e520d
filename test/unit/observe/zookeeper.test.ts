import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { parseSrvr, zookeeperState } from "../../../observe/zookeeper";
import { clearHttpRouting } from "../../../remote/routes";

// ZooKeeper 3.4's answer to srvr (StatCommand: version, ServerStats.toString(), node count).
const STANDALONE =
  "Zookeeper version: 3.4.5--1, built on 06/10/2013 17:26 GMT\nLatency min/avg/max: 0/0/0\nReceived: 3\nSent: 2\nConnections: 1\nOutstanding: 0\nZxid: 0x1a\nMode: standalone\nNode count: 12\n";

describe("ZooKeeper's srvr answer", () => {
  it("reads the mode a serving server names", () => {
    assert.deepEqual(parseSrvr(STANDALONE), { serving: true, mode: "standalone" });
    assert.deepEqual(parseSrvr(STANDALONE.replace("standalone", "follower")), { serving: true, mode: "follower" });
  });

  it("is not serving when the server says so (an ensemble member without a quorum)", () => {
    assert.deepEqual(parseSrvr("This ZooKeeper instance is not currently serving requests\n"), {
      serving: false,
      why: "not serving requests (no quorum)",
    });
  });

  it("names the whitelist when srvr is refused, and an empty answer as such", () => {
    const refused = parseSrvr("srvr is not executed because it is not in the whitelist.\n");
    assert.equal(refused.serving, false);
    assert.match(refused.serving ? "" : refused.why, /add srvr to 4lw\.commands\.whitelist/);
    assert.deepEqual(parseSrvr(""), { serving: false, why: "closed the connection without an answer" });
  });
});

describe("asking a ZooKeeper server", () => {
  let server: net.Server;
  let port = 0;
  const heard: string[] = [];
  before(async () => {
    clearHttpRouting();
    server = net.createServer((socket) =>
      socket.once("data", (word) => {
        heard.push(word.toString());
        socket.end(STANDALONE);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => server.close());

  it("sends srvr and reads the whole answer", async () => {
    assert.deepEqual(await zookeeperState("127.0.0.1", port), { serving: true, mode: "standalone" });
    assert.deepEqual(heard, ["srvr"]);
  });

  it("says a closed port is not answering, without throwing", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const free = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const state = await zookeeperState("127.0.0.1", free, 2);
    assert.equal(state.serving, false);
    assert.match(state.serving ? "" : state.why, /^not answering \(.*ECONNREFUSED/);
  });
});

// Who leads, as a health gate's look asks it: the master that led last time first, every master only when it no
// longer does. Three masters over real HTTP on their own loopback addresses, one port, as a cluster's are.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { leaderState } from "../../../observe/services";

const ADDRESSES = ["127.0.236.1", "127.0.236.2", "127.0.236.3"];
const pidOf = (address: string, port: number) => `master@${address}:${port}`;

describe("the leading master's state", () => {
  let port = 0;
  /** The address of the master that leads now; the others answer as pre-1.0 standbys (200, their own pid). */
  let leading = ADDRESSES[0] as string;
  /** Whether standbys answer /master/state with 307 to the leader, as from 1.0. */
  let redirecting = false;
  const asked: string[] = [];
  const servers = ADDRESSES.map((address) =>
    http.createServer((req, res) => {
      asked.push(`${address}${req.url ?? ""}`);
      const leads = address === leading;
      if (req.url === "/metrics/snapshot") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ "master/elected": leads ? 1 : 0 }));
      } else if (req.url === "/master/state" && !leads && redirecting) {
        res.writeHead(307, { location: `//${leading}:${port}/master/state` });
        res.end();
      } else if (req.url === "/master/state") {
        res.writeHead(200, { "content-type": "application/json" });
        const state = { version: "0.28.2", pid: pidOf(address, port), leader: pidOf(leading, port), slaves: [] };
        res.end(JSON.stringify({ ...state, frameworks: [] }));
      } else {
        res.writeHead(404);
        res.end();
      }
    }),
  );

  before(async () => {
    await new Promise<void>((resolve) => servers[0]?.listen(0, ADDRESSES[0], resolve));
    port = (servers[0]?.address() as AddressInfo).port;
    for (const [i, server] of servers.entries()) {
      if (i > 0) await new Promise<void>((resolve) => server.listen(port, ADDRESSES[i], resolve));
    }
  });
  after(() => {
    for (const server of servers) server.close();
  });

  test("asks every master who leads the first time, then the leader alone while it leads", async () => {
    asked.length = 0;
    assert.equal((await leaderState(ADDRESSES, port))?.pid, pidOf("127.0.236.1", port));
    assert.deepEqual(asked.filter((a) => a.endsWith("/metrics/snapshot")).length, 3);
    asked.length = 0;
    assert.equal((await leaderState(ADDRESSES, port))?.pid, pidOf("127.0.236.1", port));
    assert.deepEqual(asked, ["127.0.236.1/master/state"]);
  });

  test("asks every master again once the one that led names another leader, and takes the new leader's state", async () => {
    leading = "127.0.236.2";
    asked.length = 0;
    const state = await leaderState(ADDRESSES, port);
    assert.equal(state?.pid, pidOf("127.0.236.2", port));
    assert.equal(state?.leader, state?.pid);
    assert.equal(asked.filter((a) => a.endsWith("/metrics/snapshot")).length, 3);
    asked.length = 0;
    await leaderState(ADDRESSES, port);
    assert.deepEqual(asked, ["127.0.236.2/master/state"]);
  });

  test("asks every master again when the one that led redirects to another (a 1.0 standby) or is down", async () => {
    redirecting = true;
    leading = "127.0.236.3";
    assert.equal((await leaderState(ADDRESSES, port))?.pid, pidOf("127.0.236.3", port));
    const down = servers[2] as http.Server;
    down.close();
    down.closeAllConnections();
    leading = "127.0.236.1";
    asked.length = 0;
    assert.equal((await leaderState(ADDRESSES, port))?.pid, pidOf("127.0.236.1", port));
    assert.equal(asked.filter((a) => a.endsWith("/metrics/snapshot")).length, 2);
  });

  test("remembers the leader for one set of masters only", async () => {
    asked.length = 0;
    assert.equal((await leaderState([ADDRESSES[1] as string], port))?.pid, undefined);
    assert.deepEqual(asked, ["127.0.236.2/metrics/snapshot"]);
  });
});

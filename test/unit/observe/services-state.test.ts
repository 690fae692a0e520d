// Reading a master's and an agent's state on every release: /master/state and /state from 0.25, the *.json aliases
// up to 1.7 (gone in 1.8, MESOS-4509).
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { agentState, masterState } from "../../../observe/services";

/** A Mesos process that routes only `paths` (a 0.22 one has only the aliases, a 1.8 one none), recording requests. */
function mesos(paths: readonly string[], body: object) {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? "");
    if (paths.includes(req.url ?? "")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return { server, asked };
}

const MASTER = {
  version: "1.8.1",
  pid: "master@127.0.0.1:5050",
  leader: "master@127.0.0.1:5050",
  slaves: [],
  frameworks: [],
};
const AGENT = { version: "1.8.1", id: "S0" };

describe("a master's and an agent's state across releases", () => {
  const newest = mesos(["/master/state", "/state"], { ...MASTER, ...AGENT });
  const oldest = mesos(["/master/state.json", "/state.json"], { ...MASTER, ...AGENT, version: "0.22.1" });
  const port = (s: http.Server) => (s.address() as AddressInfo).port;
  before(async () => {
    await new Promise<void>((resolve) => newest.server.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => oldest.server.listen(0, "127.0.0.1", resolve));
  });
  after(() => {
    newest.server.close();
    oldest.server.close();
  });

  test("are read from /master/state and /state on 1.8+, where the *.json aliases answer 404", async () => {
    const master = await masterState("127.0.0.1", port(newest.server));
    assert.ok(!("unavailable" in master) && master.version === "1.8.1");
    assert.equal((await agentState("127.0.0.1", port(newest.server)))?.id, "S0");
    assert.ok(!newest.asked.some((path) => path.endsWith(".json")), newest.asked.join(" "));
  });

  test("fall back to the *.json aliases on releases before 0.25, which have no /state", async () => {
    const master = await masterState("127.0.0.1", port(oldest.server));
    assert.ok(!("unavailable" in master) && master.version === "0.22.1");
    assert.equal((await agentState("127.0.0.1", port(oldest.server)))?.version, "0.22.1");
  });

  test("say HTTP 404 when neither path answers", async () => {
    const none = mesos([], {});
    await new Promise<void>((resolve) => none.server.listen(0, "127.0.0.1", resolve));
    try {
      assert.deepEqual(await masterState("127.0.0.1", port(none.server)), { unavailable: "HTTP 404" });
      assert.equal(await agentState("127.0.0.1", port(none.server)), undefined);
      assert.deepEqual(none.asked, ["/master/state", "/master/state.json", "/state", "/state.json"]);
    } finally {
      none.server.close();
    }
  });
});

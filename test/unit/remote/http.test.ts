import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { getJson, httpRequest } from "../../../remote/http";

describe("HTTP to service endpoints", () => {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/master/state") {
        res.writeHead(307, { location: "http://127.0.0.1:1/master/state" });
        res.end();
        return;
      }
      if (req.url === "/v2/leader") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"leader":"m1:8080"}');
        return;
      }
      if (req.url === "/slow") return; // never answers
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        res.writeHead(200);
        res.end(JSON.stringify({ method: req.method, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("returns a redirect instead of following it", async () => {
    const answer = await httpRequest(`${base}/master/state`);
    assert.equal(answer.status, 307);
    assert.equal(answer.headers.location, "http://127.0.0.1:1/master/state");
  });

  it("parses JSON answers and sends JSON bodies", async () => {
    assert.deepEqual(await getJson(`${base}/v2/leader`), { leader: "m1:8080" });
    const echoed = await httpRequest(`${base}/echo`, { method: "POST", json: [{ hostname: "a1" }] });
    assert.deepEqual(JSON.parse(echoed.body), { method: "POST", body: '[{"hostname":"a1"}]' });
  });

  it("gives up on a service that does not answer in time", async () => {
    await assert.rejects(httpRequest(`${base}/slow`, { timeoutSeconds: 0.2 }), /no answer from .*\/slow within 0.2s/);
    assert.equal(await getJson(`${base}/slow`, 0.2), undefined);
  });
});

// The drains of a wave's steps, asked for a moment apart, go to the master together: one schedule, one machine/down.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { drain, GATHER } from "../../../providers/engineDrain";

describe("drains asked for a moment apart", () => {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  let url = "";
  let server: http.Server;
  const saved = { ...GATHER };

  before(async () => {
    // A master's maintenance endpoints: the schedule as last posted, machine/down always accepted.
    let schedule: unknown = {};
    server = http.createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => (text += chunk.toString()));
      req.on("end", () => {
        const body = text ? (JSON.parse(text) as unknown) : undefined;
        calls.push({ method: req.method ?? "", path: req.url ?? "", body });
        if (req.method === "POST" && req.url === "/master/maintenance/schedule") schedule = body;
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(req.method === "GET" ? JSON.stringify(schedule) : "");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    Object.assign(GATHER, saved);
    server.close();
  });

  it("take the wave's machines down in one turn, so that no task stopped by one starts again on another", async () => {
    // Wider than the tests' timers can slip under load, so the three asks fall in one quiet period.
    Object.assign(GATHER, { quietMs: 600, maxMs: 3000 });
    const machines = ["a1", "a2", "a3"].map((name, i) => ({ hostname: name, ip: `10.0.0.${i + 1}` }));
    const drains: Promise<void>[] = [];
    for (const machine of machines) {
      drains.push(drain({ url, machine }));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await Promise.all(drains);
    const posts = calls.filter((c) => c.method === "POST");
    assert.deepEqual(
      posts.map((c) => c.path),
      ["/master/maintenance/schedule", "/master/machine/down"],
      "one schedule and one machine/down for the three",
    );
    assert.deepEqual(posts[1]?.body, machines);
    const windows = (posts[0]?.body as { windows: Array<{ machine_ids: unknown[] }> }).windows;
    assert.deepEqual(
      windows.map((w) => w.machine_ids),
      machines.map((m) => [m]),
    );
  });
});

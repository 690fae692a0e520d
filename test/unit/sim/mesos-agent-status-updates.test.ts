// The simulated agent's status update manager and its answer to a kill it has no executor for, against a stand-in
// master that records every StatusUpdateMessage and can refuse one.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { kill } from "../../../sim/mesos/agent/executors";
import { daemonLife } from "../../../sim/mesos/common";
import { newAgentState, type AgentNode } from "../../../sim/mesos/agent/state";
import { flush } from "../../../sim/mesos/agent/status-updates";
import type { StatusUpdate } from "../../../sim/mesos/messages";

describe("the simulated agent's status updates", () => {
  let server: http.Server;
  let port = 0;
  /** Every update the master received, in order, and whether it acknowledged it. */
  let received: Array<{ task: string; state: string; reason?: string; message?: string; acked: boolean }> = [];
  /** Task ids whose next update the master refuses once (500). */
  let refuseOnce = new Set<string>();

  before(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const update = JSON.parse(body || "{}") as StatusUpdate;
        const refuse = refuseOnce.delete(update.task_id);
        // Slow enough that flushes started together overlap.
        setTimeout(() => {
          received.push({
            task: update.task_id,
            state: update.state,
            ...(update.reason ? { reason: update.reason } : {}),
            ...(update.message ? { message: update.message } : {}),
            acked: !refuse,
          });
          res.writeHead(refuse ? 500 : 200, { "content-type": "application/json" });
          res.end(JSON.stringify({ acknowledged: !refuse }));
        }, 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A simulated second lasts this many ms here. */
  const SECOND_MS = 20;
  const agent = (): AgentNode => {
    received = [];
    refuseOnce = new Set();
    const state = newAgentState();
    state.id = "S1";
    state.registered = true;
    state.master = {
      id: "M",
      ip: "127.0.0.1",
      port,
      pid: `master@127.0.0.1:${port}`,
      hostname: "m1",
      version: "0.23.1",
      address: { ip: "127.0.0.1", port, hostname: "m1" },
    };
    state.frameworks.set("F", { id: "F", name: "marathon", user: "root" } as never);
    const ctx = { stderr: () => undefined, exit: () => undefined, clock: { ms: (s: number) => s * SECOND_MS } };
    return { ctx, state, life: daemonLife(ctx as never) } as unknown as AgentNode;
  };
  const update = (task: string): StatusUpdate => ({
    task_id: task,
    framework_id: "F",
    slave_id: "S1",
    state: "TASK_LOST",
    timestamp: 0,
  });

  it("sends each queued update once, in order, however many flushes start together", async () => {
    const node = agent();
    node.state.pending.push(update("t0"), update("t1"), update("t2"));
    await Promise.all([flush(node), flush(node), flush(node)]);
    assert.deepEqual(
      received.map((r) => r.task),
      ["t0", "t1", "t2"],
    );
    assert.equal(node.state.pending.length, 0);
  });

  it("keeps an update the master did not acknowledge at the front of the queue until a later flush sends it", async () => {
    const node = agent();
    refuseOnce.add("t1");
    node.state.pending.push(update("t0"), update("t1"));
    await Promise.all([flush(node), flush(node)]);
    assert.deepEqual(
      node.state.pending.map((u) => u.task_id),
      ["t1"],
      "the refused update stays queued",
    );
    await flush(node);
    assert.deepEqual(
      received.map((r) => `${r.task} ${r.acked ? "acked" : "refused"}`),
      ["t0 acked", "t1 refused", "t1 acked"],
    );
    assert.equal(node.state.pending.length, 0);
    node.life.end(0);
  });

  it("sends an update the master did not acknowledge again by itself a simulated second later, once", async () => {
    const node = agent();
    refuseOnce.add("t0");
    node.state.pending.push(update("t0"));
    await flush(node);
    assert.deepEqual(
      node.state.pending.map((u) => u.task_id),
      ["t0"],
    );
    const deadline = Date.now() + 100 * SECOND_MS;
    while (node.state.pending.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, SECOND_MS / 4));
    // Nothing queued any more: no further send comes, however long the agent runs.
    await new Promise((r) => setTimeout(r, 5 * SECOND_MS));
    assert.deepEqual(
      received.map((r) => `${r.task} ${r.acked ? "acked" : "refused"}`),
      ["t0 refused", "t0 acked"],
    );
    node.life.end(0);
  });

  it("sends nothing again once the agent has ended", async () => {
    const node = agent();
    refuseOnce.add("t0");
    node.state.pending.push(update("t0"));
    await flush(node);
    node.life.end(0);
    await new Promise((r) => setTimeout(r, 5 * SECOND_MS));
    assert.deepEqual(
      received.map((r) => `${r.task} ${r.acked ? "acked" : "refused"}`),
      ["t0 refused"],
    );
  });

  it("answers a kill of a task it has no executor for with TASK_LOST (Cannot find executor), and ignores one of an unknown framework", async () => {
    const node = agent();
    await kill(node, "redis.gone", "F");
    await kill(node, "other.task", "NOT-RUNNING-HERE");
    assert.deepEqual(received, [
      {
        task: "redis.gone",
        state: "TASK_LOST",
        reason: "REASON_EXECUTOR_TERMINATED",
        message: "Cannot find executor",
        acked: true,
      },
    ]);
  });
});

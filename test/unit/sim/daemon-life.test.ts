// A simulated daemon's lifetime: what it holds goes with it, including what it connected while it was being killed.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerContext } from "../../../sim/docker/program";
import { daemonLife } from "../../../sim/mesos/common";
import type { ZkClient } from "../../../sim/zk/client";

const context = () => {
  const exits: number[] = [];
  const ctx = { stderr: () => undefined, exit: (code: number) => void exits.push(code) };
  return { ctx: ctx as unknown as ContainerContext, exits };
};

const session = () => {
  const client = { abandoned: 0, abandon: () => void client.abandoned++ };
  return client;
};

test("releases a held ZooKeeper session when the daemon ends, once", () => {
  const life = daemonLife(context().ctx);
  const zk = session();
  assert.equal(life.hold(zk as unknown as ZkClient), true, "a running daemon goes on with its session");
  assert.equal(zk.abandoned, 0);
  life.end(143);
  life.end(143);
  assert.equal(zk.abandoned, 1);
});

test("releases at once a session connected after the daemon was killed, and says the daemon must not go on", () => {
  const life = daemonLife(context().ctx);
  life.end(137);
  const zk = session();
  assert.equal(life.hold(zk as unknown as ZkClient), false);
  assert.equal(zk.abandoned, 1, "no election member of a dead process may outlive it");
});

test("runs an end hook at once when it is added after the end", () => {
  const life = daemonLife(context().ctx);
  const ran: string[] = [];
  life.onEnd(() => ran.push("before"));
  life.end(0);
  life.onEnd(() => ran.push("after"));
  assert.deepEqual(ran, ["before", "after"]);
});

// The coordination service's tree: sequential and ephemeral nodes, sessions that expire, watches.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type net from "node:net";
import { test } from "node:test";
import { ZkTree } from "../../../sim/zk/server";

function socket(): net.Socket & { lines: string[] } {
  const fake = Object.assign(new EventEmitter(), {
    lines: [] as string[],
    write(line: string) {
      fake.lines.push(line);
      return true;
    },
  });
  return fake as unknown as net.Socket & { lines: string[] };
}

test("numbers sequential children with ten digits and deletes a session's ephemeral nodes when it closes", () => {
  const tree = new ZkTree();
  const a = tree.openSession(socket(), 10);
  const b = tree.openSession(socket(), 10);
  assert.deepEqual(
    tree.handle(a, {
      id: 1,
      op: "create",
      path: "/mesos/info_",
      data: "A",
      ephemeral: true,
      sequential: true,
      parents: true,
    }),
    { id: 1, ok: true, path: "/mesos/info_0000000000" },
  );
  assert.equal(
    tree.handle(b, { id: 2, op: "create", path: "/mesos/json.info_", data: "B", ephemeral: true, sequential: true })
      .path,
    "/mesos/json.info_0000000001",
  );
  tree.closeSession(a);
  assert.deepEqual(tree.handle(b, { id: 3, op: "children", path: "/mesos" }).children, ["json.info_0000000001"]);
  assert.deepEqual(tree.handle(b, { id: 4, op: "create", path: "/x/y", data: "" }), {
    id: 4,
    ok: false,
    error: "NONODE",
  });
});

test("keeps a dropped session's ephemeral nodes until its timeout, and notifies watchers", async () => {
  const tree = new ZkTree();
  const watcher = socket();
  const w = tree.openSession(watcher, 1000);
  const s = tree.openSession(socket(), 30);
  tree.handle(w, { id: 1, op: "watch", path: "/m" });
  tree.handle(s, { id: 2, op: "create", path: "/m/n_", ephemeral: true, sequential: true, parents: true });
  tree.dropConnection(s);
  assert.deepEqual(tree.handle(w, { id: 3, op: "children", path: "/m" }).children, ["n_0000000000"]);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(tree.handle(w, { id: 4, op: "children", path: "/m" }).children, []);
  assert.deepEqual(
    watcher.lines.map((l) => JSON.parse(l)),
    [
      { event: "children", path: "/m" },
      { event: "children", path: "/m" },
    ],
  );
});

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as zlib from "node:zlib";
import {
  decideLocks,
  decidePending,
  fileBackendLocks,
  fileBackendPending,
  mayHoldLock,
} from "../../../stacks/recovery";

const URN = (name: string, type = "pulumi-nodejs:dynamic/mesos:MesosSlave") =>
  `urn:pulumi:local::mesos-upgrade::mesos-upgrade:cluster:MesosCluster$mesos-upgrade:cluster:Host$${type}::${name}`;

describe("what the next run does about a lock", () => {
  it("goes ahead when there is none", () => {
    assert.deepEqual(
      decideLocks("local", [], "here", () => true),
      { kind: "free" },
    );
  });

  it("removes a lock whose process is gone on this host, saying whose it was", () => {
    const lock = { file: "/x/1.json", pid: 4242, hostname: "here", timestamp: "2026-12-02T05:00:00Z" };
    const decision = decideLocks("local", [lock], "here", () => false);
    assert.equal(decision.kind, "stale");
    assert.match(
      (decision as { message: string }).message,
      /the last run of stack "local" was interrupted and left its lock \(pid 4242 on host here since 2026-12-02T05:00:00Z\); that process is gone/,
    );
  });

  it("says another run is in progress when its process lives, and never suggests deleting the lock", () => {
    const decision = decideLocks("prod", [{ file: "/x/1.json", pid: 7, hostname: "here" }], "here", () => true);
    assert.deepEqual(decision, {
      kind: "live",
      message:
        'another run of stack "prod" is in progress (pid 7 on host here); wait for it to finish, then run converge again',
    });
    assert.doesNotMatch(decision.kind === "live" ? decision.message : "", /delete|cancel|remove/);
  });

  it("treats a lock from another host as live: its process cannot be checked from here", () => {
    assert.equal(
      decideLocks("prod", [{ file: "/x/1.json", pid: 7, hostname: "elsewhere" }], "here", () => false).kind,
      "live",
    );
  });

  it("finds the lock files of one stack in a file backend", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
    const lockDir = path.join(dir, ".pulumi", "locks", "organization", "mesos-upgrade", "local");
    fs.mkdirSync(lockDir, { recursive: true });
    fs.writeFileSync(
      path.join(lockDir, "abc.json"),
      JSON.stringify({ pid: 99, username: "root", hostname: "h", timestamp: "t" }),
    );
    fs.mkdirSync(path.join(dir, ".pulumi", "locks", "organization", "mesos-upgrade", "prod"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".pulumi", "locks", "organization", "mesos-upgrade", "prod", "def.json"), "{}");
    assert.deepEqual(fileBackendLocks(`file://${dir}`, "local"), [
      { file: path.join(lockDir, "abc.json"), pid: 99, hostname: "h", timestamp: "t" },
    ]);
    assert.deepEqual(
      fileBackendLocks(`file://${dir}?metadata=skip`, "local").map((lock) => lock.file),
      [path.join(lockDir, "abc.json")],
      "the work area's URL carries a query",
    );
    assert.deepEqual(fileBackendLocks("s3://bucket", "local"), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("whether a lock's process may still be the run that took it", () => {
  const started = (t: { after: (fn: () => void) => void }, argv0?: string) => {
    const child = spawn("sleep", ["30"], { stdio: "ignore", ...(argv0 ? { argv0 } : {}) });
    t.after(() => child.kill("SIGKILL"));
    return child.pid as number;
  };

  it("holds for a running Pulumi CLI, wrapped or not", (t) => {
    assert.equal(mayHoldLock(started(t, "/root/.cache/mesos-upgrade/pulumi-v3.259.0/bin/pulumi")), true);
    assert.equal(mayHoldLock(started(t, "/nix/store/x-pulumi-3.259.0/bin/.pulumi-wrapped")), true);
  });

  it("does not for a process the pid went to since, nor for a pid no process has", async (t) => {
    assert.equal(mayHoldLock(started(t)), false, "sleep, not pulumi");
    const gone = spawn("true");
    await new Promise((resolve) => gone.on("exit", resolve));
    assert.equal(mayHoldLock(gone.pid as number), false);
  });

  it("holds when the process runs but its command cannot be read: a live lock is never broken", (t) => {
    assert.equal(
      mayHoldLock(started(t), () => undefined),
      true,
    );
  });
});

describe("what the next run does about operations an interrupted run left pending", () => {
  it("does nothing when none are pending", () => {
    assert.deepEqual(decidePending("local", []), { kind: "none" });
  });

  it("resumes an interrupted update by reading the resource from its host first", () => {
    const decision = decidePending("local", [{ urn: URN("a1-mesos-slave"), type: "updating" }]);
    assert.deepEqual(decision, {
      kind: "resume",
      refresh: [URN("a1-mesos-slave")],
      message:
        'the last run of stack "local" was interrupted with updating a1-mesos-slave unfinished; resuming: reading a1-mesos-slave from the host(s) (refresh), then this run finishes or rechecks the step',
    });
  });

  it("resumes an interrupted create: the next create adopts what runs", () => {
    const decision = decidePending("local", [
      { urn: URN("a1-docker", "pulumi-nodejs:dynamic/docker:DockerEngine"), type: "creating" },
    ]);
    assert.equal(decision.kind, "resume");
    assert.deepEqual((decision as { refresh: readonly string[] }).refresh, []);
  });

  it("leaves an interrupted delete to a person, with the exact commands", () => {
    const decision = decidePending("prod", [
      { urn: URN("m1-marathon", "pulumi-nodejs:dynamic/marathon:MarathonInstance"), type: "deleting" },
    ]);
    assert.equal(decision.kind, "ask");
    const message = (decision as { message: string }).message;
    assert.match(
      message,
      /deleting m1-marathon cannot be resumed safely without a person: check the host\(s\) by hand, then run/,
    );
    assert.match(message, /pulumi stack export --stack prod --file state\.json/);
    assert.match(message, /pulumi stack import --stack prod --file state\.json/);
    assert.match(
      message,
      new RegExp(
        `pulumi refresh --stack prod --target '${URN("m1-marathon", "pulumi-nodejs:dynamic/marathon:MarathonInstance").replace(/\$/g, "\\$")}'`,
      ),
    );
  });
});

describe("the operations pending in a file backend's checkpoint, read without the engine", () => {
  const checkpoint = (pending?: Array<{ urn: string; type: string }>, version = 3) =>
    JSON.stringify({
      version,
      checkpoint: {
        stack: "organization/mesos-upgrade/local",
        latest: {
          manifest: {},
          resources: [],
          ...(pending
            ? { pending_operations: pending.map((op) => ({ resource: { urn: op.urn }, type: op.type })) }
            : {}),
        },
      },
    });
  const backend = (t: { after: (fn: () => void) => void }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-"));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const stacks = path.join(dir, ".pulumi", "stacks", "mesos-upgrade");
    fs.mkdirSync(stacks, { recursive: true });
    return { url: `file://${dir}?metadata=skip`, stacks };
  };

  it("lists the stack's pending operations, and none when the last run ended", (t) => {
    const { url, stacks } = backend(t);
    fs.writeFileSync(path.join(stacks, "local.json"), checkpoint([{ urn: URN("a1-mesos-slave"), type: "updating" }]));
    fs.writeFileSync(path.join(stacks, "prod.json"), checkpoint());
    assert.deepEqual(fileBackendPending(url, "mesos-upgrade", "local"), [
      { urn: URN("a1-mesos-slave"), type: "updating" },
    ]);
    assert.deepEqual(fileBackendPending(url, "mesos-upgrade", "prod"), []);
  });

  it("reads a compressed checkpoint", (t) => {
    const { url, stacks } = backend(t);
    fs.writeFileSync(
      path.join(stacks, "local.json.gz"),
      zlib.gzipSync(checkpoint([{ urn: URN("a2-mesos-slave"), type: "creating" }])),
    );
    assert.deepEqual(fileBackendPending(url, "mesos-upgrade", "local"), [
      { urn: URN("a2-mesos-slave"), type: "creating" },
    ]);
  });

  it("leaves the question to the engine when the checkpoint is not one file it can read, or not a file backend's", (t) => {
    const { url, stacks } = backend(t);
    assert.equal(fileBackendPending(url, "mesos-upgrade", "local"), undefined, "no checkpoint");
    fs.writeFileSync(path.join(stacks, "local.json"), checkpoint());
    fs.writeFileSync(path.join(stacks, "local.json.gz"), zlib.gzipSync(checkpoint()));
    assert.equal(fileBackendPending(url, "mesos-upgrade", "local"), undefined, "both forms: which is current?");
    fs.writeFileSync(path.join(stacks, "dev.json"), checkpoint([], 4));
    assert.equal(fileBackendPending(url, "mesos-upgrade", "dev"), undefined, "a format this code does not know");
    fs.writeFileSync(path.join(stacks, "demo.json"), "{ half-written");
    assert.equal(fileBackendPending(url, "mesos-upgrade", "demo"), undefined, "unreadable");
    assert.equal(fileBackendPending("postgres://db/state", "mesos-upgrade", "local"), undefined);
    assert.equal(fileBackendPending(undefined, "mesos-upgrade", "local"), undefined);
  });
});

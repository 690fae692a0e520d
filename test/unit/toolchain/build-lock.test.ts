import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { withBuildLock } from "../../../toolchain/build-lock";
import { tempDir } from "../../support/tmp";

describe("one Pulumi CLI build at a time", () => {
  it("makes a second setup wait for the build in progress, saying so once, and run after it", async (t) => {
    const lock = path.join(tempDir(t), "pulumi-v3.259.0.lock");
    const events: string[] = [];
    const waits: string[] = [];
    const build = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
      return name;
    };
    const first = withBuildLock(lock, (line) => waits.push(line), build("first", 300));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = withBuildLock(lock, (line) => waits.push(line), build("second", 10));
    assert.deepEqual(await Promise.all([first, second]), ["first", "second"]);
    assert.deepEqual(events, ["first start", "first end", "second start", "second end"]);
    assert.equal(waits.length, 1);
    assert.match(waits[0], new RegExp(`another setup \\(pid ${process.pid}\\) is building the Pulumi CLI; waiting`));
    assert.equal(fs.existsSync(lock), false, "the lock is gone once both are done");
  });

  it("takes over a lock left by a setup that is gone", async (t) => {
    const lock = path.join(tempDir(t), "pulumi-v3.259.0.lock");
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    fs.writeFileSync(lock, `${gone}\n`);
    const waits: string[] = [];
    assert.equal(
      await withBuildLock(
        lock,
        (line) => waits.push(line),
        async () => "built",
      ),
      "built",
    );
    assert.deepEqual(waits, []);
  });

  it("removes the lock when the build fails, so the next setup is not kept waiting", async (t) => {
    const lock = path.join(tempDir(t), "pulumi-v3.259.0.lock");
    await assert.rejects(
      withBuildLock(
        lock,
        () => undefined,
        async () => {
          throw new Error("go build exited 1");
        },
      ),
      /go build exited 1/,
    );
    assert.equal(fs.existsSync(lock), false);
  });
});

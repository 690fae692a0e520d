// Pulumi's postgres:// backend (a real PostgreSQL server): the promotion gate between stacks, and the lock of a stack's update.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";
import { startPostgres, type PostgresServer } from "../../support/postgres";
import { gateProgram } from "./backend-programs";

/** Runs backend-up-child.js (one `up` of the slow program) with `env`; resolves with what it printed. */
function upInChild(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, "backend-up-child.js"), ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(JSON.parse(stdout) as { ok: boolean; message: string });
      } catch {
        reject(new Error(`child printed no result: ${stdout} ${stderr}`));
      }
    });
  });
}

async function waitFor(condition: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${seconds}s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("stacks on a PostgreSQL backend", () => {
  let toolchain: Toolchain;
  let server: PostgresServer;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let pgDir: string;
  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesos-upgrade-pg-"));
    // Its own temporary directory: the server's user must reach it (the test's own is private to root).
    pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "mesos-upgrade-postgres-"));
    server = await startPostgres(pgDir);
    env = {
      ...process.env,
      PULUMI_BACKEND_URL: server.url,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "postgres-backend-test",
    };
  });
  after(() => {
    server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  });

  it("gates stack dev (promotedFrom test) on what stack test completed, through stack references in the running organisation", async () => {
    const open = (stack: string, program: () => Promise<Record<string, unknown>>): Promise<Stack> =>
      openStack({
        stack,
        program,
        scratchProject: { name: "mesos-upgrade", workDir: path.join(dir, `gate-${stack}`) },
        env,
        toolchain,
      });
    const failure = async (stack: Stack): Promise<string> => {
      let output = "";
      await assert.rejects(
        stack.up({
          onOutput: (text) => {
            output += text;
          },
        }),
      );
      return output;
    };

    const devFirst = await open("dev", gateProgram({ from: "0.22.1", to: "0.23.1", promotedFrom: "test" }));
    // A promotedFrom stack the backend does not hold is refused by the gate, which says what to do.
    assert.match(
      await failure(devFirst),
      /promotion gate:\s+stack "test" \(promotedFrom\) does not exist in this backend: run it first, or set promotionOverride to a reason/,
    );

    const test = await open("test", gateProgram({ from: "0.22.1", to: "0.23.1", promotedFrom: "" }));
    const tested = await test.up();
    assert.deepEqual(tested.outputs.completed.value, { mesos: "0.23.1" });

    const dev = await open("dev", gateProgram({ from: "0.22.1", to: "0.23.1", promotedFrom: "test" }));
    const promoted = await dev.up();
    assert.deepEqual(
      promoted.outputs.completed.value,
      { mesos: "0.23.1" },
      "test completed 0.23.1, so dev may apply it",
    );

    const ahead = await open("dev", gateProgram({ from: "0.23.1", to: "0.24.2", promotedFrom: "test" }));
    assert.match(
      await failure(ahead),
      /mesos 0\.23\.1 → 0\.24\.2 is not completed in stack "test" \(it runs mesos 0\.23\.1\); upgrade "test" first, or set promotionOverride to a reason/,
    );
    assert.match(server.url, /^postgres:\/\//);
    const stacks = (await ahead.workspace.listStacks()).map((s) => s.name).sort();
    assert.deepEqual(stacks, ["dev", "test"], "both stacks live in PostgreSQL");
  });

  it("refuses a second up of the same stack while one runs, by the backend's lock, and applies nothing twice", async () => {
    const ledger = path.join(dir, "ledger.txt");
    const started = path.join(dir, "started.txt");
    const args = (n: number) => ["demo", path.join(dir, `lock-${n}`), ledger, started];
    const first = upInChild(env, args(1));
    await waitFor(() => fs.existsSync(started), 120);
    const second = await upInChild(env, args(2));
    const firstResult = await first;

    assert.deepEqual(firstResult, { ok: true, message: "succeeded" });
    assert.equal(second.ok, false);
    assert.equal(
      second.message,
      'another update of stack "demo" is in progress (the backend holds its lock), so nothing was applied: wait for it to end; if that process died, clear the lock with `pulumi cancel --stack demo`',
    );
    assert.equal(
      fs.readFileSync(started, "utf8").trim().split("\n").length,
      1,
      "the second up never started the change",
    );
    assert.equal(fs.readFileSync(ledger, "utf8").trim().split("\n").length, 1, "the change was applied exactly once");

    const again = await upInChild(env, args(3));
    assert.deepEqual(again, { ok: true, message: "succeeded" });
    assert.equal(
      fs.readFileSync(ledger, "utf8").trim().split("\n").length,
      1,
      "after the lock is released, the next up finds the change applied and leaves it",
    );
  });
});

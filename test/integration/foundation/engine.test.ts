// The real Pulumi engine, the dynamic provider launcher and the local file backend, end to end.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { clusterProgram } from "../../../stacks/program";
import { repoRoot } from "../../../toolchain/paths";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { smokeProgram } from "../../../toolchain/smoke";
import { upWithOutputsFromEvents } from "../../../toolchain/up-outputs";
import { openStack } from "../../../toolchain/workspace";
import { tempDir } from "../../support/tmp";

/** An environment whose Pulumi state and home live in a fresh directory of the test. */
function isolatedPulumi(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_HOME: path.join(dir, "home"),
  };
}

async function collect(run: (onOutput: (text: string) => void) => Promise<unknown>): Promise<string> {
  let text = "";
  await run((chunk) => {
    text += chunk;
  });
  return text;
}

describe("the real Pulumi engine with a dynamic resource", () => {
  let toolchain: Toolchain;
  before(async () => {
    toolchain = await ensureToolchain();
  });

  it("previews, applies, refreshes and destroys a dynamic resource whose provider requires an npm module", async (t) => {
    const dir = tempDir(t);
    const env = isolatedPulumi(dir);
    const scratchProject = { name: "smoke", workDir: path.join(dir, "project") };
    const open = (version: string): Promise<Stack> =>
      openStack({ stack: "scratch-engine", program: smokeProgram(version), scratchProject, env, toolchain });

    const first = await open("0.22.1");
    const createPreview = await collect((onOutput) => first.preview({ diff: true, onOutput }));
    assert.match(createPreview, /\+ pulumi-nodejs:dynamic\/smoke:ReleaseLine: \(create\)/);
    assert.match(createPreview, /version\s*: "0\.22\.1"/);
    const created = await first.up();
    assert.equal(created.summary.result, "succeeded");
    assert.equal(created.outputs.line.value, "0.22", "the provider computed the line with the semver package");

    const second = await open("0.23.1");
    const updatePreview = await collect((onOutput) => second.preview({ diff: true, onOutput }));
    assert.match(updatePreview, /~ pulumi-nodejs:dynamic\/smoke:ReleaseLine: \(update\)/);
    assert.match(updatePreview, /~ version: "0\.22\.1" => "0\.23\.1"/);
    const updated = await second.up();
    assert.deepEqual(updated.summary.resourceChanges, { update: 1, same: 1 });
    assert.equal(updated.outputs.line.value, "0.23");

    const refreshed = await second.refresh();
    assert.equal(refreshed.summary.result, "succeeded");
    assert.equal((await second.outputs()).line.value, "0.23", "refresh keeps the provider's outputs");

    const destroyed = await second.destroy();
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 2 });
    await second.workspace.removeStack("scratch-engine");
    const stacks = await second.workspace.listStacks();
    assert.deepEqual(
      stacks.map((s) => s.name),
      [],
    );
  });

  it("fails a bad input in the provider's check with the field, the value and the fix", async (t) => {
    const dir = tempDir(t);
    const stack = await openStack({
      stack: "scratch-check",
      program: smokeProgram("0.28"),
      scratchProject: { name: "smoke", workDir: path.join(dir, "project") },
      env: isolatedPulumi(dir),
      toolchain,
    });
    await assert.rejects(stack.preview(), /version "0\.28" is not a semantic version; write it like "0\.28\.2"/);
  });
});

describe("an update whose outputs come from its own events", () => {
  let toolchain: Toolchain;
  before(async () => {
    toolchain = await ensureToolchain();
  });

  /** The stack of a program with these outputs, its `outputs()` counted (each is a `pulumi stack output`). */
  const counted = async (dir: string, outputs: Record<string, unknown>) => {
    const stack = await openStack({
      stack: "scratch-outputs",
      program: async () => outputs,
      scratchProject: { name: "outputs", workDir: path.join(dir, "project") },
      env: isolatedPulumi(dir),
      toolchain,
    });
    const recorded = stack.outputs.bind(stack);
    const reads = { count: 0 };
    stack.outputs = () => {
      reads.count++;
      return recorded();
    };
    return { stack, recorded, reads };
  };
  const plain = {
    phase: "adopting",
    hostVersions: { a1: { docker: "1.11.2", "mesos-slave": "0.26.1" } },
    waves: [[1, 2], [3]],
    count: 3,
  };

  it("gives the outputs the stack records without reading them back, on a first run and on a run that changes nothing", async (t) => {
    const dir = tempDir(t);
    const { stack, recorded, reads } = await counted(dir, plain);
    let events = 0;
    const created = await upWithOutputsFromEvents(stack, { onEvent: () => void events++ });
    assert.ok(events > 0, "the caller's onEvent sees the run's events");
    const same = await upWithOutputsFromEvents(stack);
    assert.equal(reads.count, 0, "no `pulumi stack output` after either run");
    const stored = await recorded();
    assert.deepEqual(created.outputs, stored);
    assert.deepEqual(same.outputs, stored);
    assert.deepEqual(stored.hostVersions, { value: plain.hostVersions, secret: false });
  });

  it("reads the outputs from the stack when one of them is secret, which the events show masked", async (t) => {
    const dir = tempDir(t);
    const { stack, reads } = await counted(dir, { ...plain, token: pulumi.secret("s3cr3t") });
    const result = await upWithOutputsFromEvents(stack);
    assert.equal(reads.count, 1);
    assert.deepEqual(result.outputs.token, { value: "s3cr3t", secret: true });
    assert.deepEqual(result.outputs.waves, { value: plain.waves, secret: false });
  });
});

describe("the project's typed configuration", () => {
  let toolchain: Toolchain;
  before(async () => {
    toolchain = await ensureToolchain();
  });

  /** A copy of the repository's Pulumi.yaml with a stack file holding `config`. */
  function projectWithStack(dir: string, stack: string, config: string): string {
    const projectDir = path.join(dir, "project");
    fs.mkdirSync(projectDir, { recursive: true });
    const settings = fs
      .readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")
      .replace(/^main: .*$/m, `main: ${repoRoot}`);
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), settings);
    fs.writeFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), `config:\n${config}`);
    return projectDir;
  }

  const validConfig = [
    "  mesos-upgrade:environment: local",
    "  mesos-upgrade:hosts: []",
    "  mesos-upgrade:targets: {docker: 1.11.2, mesos: 0.28.2, marathon: 1.1.1}",
  ];

  async function previewError(
    t: Parameters<typeof tempDir>[0],
    config: readonly string[],
    secretKey = true,
    program: () => Promise<Record<string, unknown>> = async () => ({}),
  ): Promise<string> {
    const dir = tempDir(t);
    const projectDir = projectWithStack(dir, "scratch-config", `${config.join("\n")}\n`);
    const stack = await openStack({
      stack: "scratch-config",
      program,
      projectDir,
      env: isolatedPulumi(dir),
      toolchain,
    });
    if (secretKey) {
      await stack.setConfig("sshPrivateKey", { value: "-----BEGIN OPENSSH PRIVATE KEY-----", secret: true });
    }
    try {
      await stack.preview();
    } catch (error) {
      return String((error as Error).message);
    }
    assert.fail("preview should have failed");
  }

  it("refuses a value of the wrong type with Pulumi's own typed-config error", async (t) => {
    const config = validConfig.map((line) =>
      line.replace(
        "mesos-upgrade:targets: {docker: 1.11.2, mesos: 0.28.2, marathon: 1.1.1}",
        "mesos-upgrade:targets: 0.28.2",
      ),
    );
    const message = await previewError(t, config);
    assert.match(message, /Stack 'scratch-config' with configuration key 'targets' must be of type 'object'/);
    assert.doesNotMatch(message, /at .*\.js:\d+/, "no stack trace from our code");
  });

  it("refuses a key written in plain text, before any host is touched, with the command that stores it encrypted", async (t) => {
    // sshPrivateKey is declared plain with an empty default (so that a missing key gets the program's fix, not the
    // engine's bare "missing" error): the program itself refuses a key that is not a Pulumi secret.
    const message = await previewError(
      t,
      [...validConfig, "  mesos-upgrade:sshPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY----- not-encrypted'"],
      false,
      clusterProgram,
    );
    assert.match(
      message,
      /sshPrivateKey is stored in plain text in the stack file; set it with `pulumi config set --secret sshPrivateKey`/,
    );
    assert.doesNotMatch(message, /not-encrypted/, "the key's value is not printed");
  });

  it("refuses a mistyped required key as missing with Pulumi's own error", async (t) => {
    const config = validConfig.map((line) => line.replace("mesos-upgrade:hosts:", "mesos-upgrade:hots:"));
    const message = await previewError(t, config);
    assert.match(message, /Stack 'scratch-config' is missing configuration value 'hosts'/);
  });
});

describe("the work area's Pulumi home", () => {
  let toolchain: Toolchain;
  before(async () => {
    toolchain = await ensureToolchain();
  });

  it("writes no automatic debug log in the work area's Pulumi home, and leaves an operator's home as the CLI keeps it", async (t) => {
    const work = tempDir(t);
    const operatorHome = path.join(tempDir(t), "home");
    const preview = async (env: NodeJS.ProcessEnv, name: string): Promise<void> => {
      const stack = await openStack({
        stack: "scratch-log",
        program: smokeProgram("0.22.1"),
        scratchProject: { name: "smoke", workDir: path.join(work, name) },
        env,
        toolchain,
      });
      await stack.preview();
    };
    const earlierWork = process.env.MESOS_UPGRADE_WORK;
    process.env.MESOS_UPGRADE_WORK = work;
    try {
      const withoutHome = { ...process.env };
      delete withoutHome.PULUMI_HOME;
      await preview({ ...withoutHome, PULUMI_BACKEND_URL: `file://${path.join(work, "state")}` }, "work-area");
      await preview(
        { ...withoutHome, PULUMI_BACKEND_URL: `file://${path.join(work, "state2")}`, PULUMI_HOME: operatorHome },
        "operator",
      );
    } finally {
      if (earlierWork === undefined) delete process.env.MESOS_UPGRADE_WORK;
      else process.env.MESOS_UPGRADE_WORK = earlierWork;
    }
    assert.ok(
      fs.statSync(path.join(work, "pulumi-home", "logs")).isFile(),
      "the work area's home has no log directory",
    );
    const operatorLogs = fs.readdirSync(path.join(operatorHome, "logs"));
    assert.ok(
      operatorLogs.some((name) => name.endsWith(".log")),
      `the CLI keeps its log in an operator's home (found ${operatorLogs.join(", ") || "nothing"})`,
    );
  });
});

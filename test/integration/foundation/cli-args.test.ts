// Every command line, as a user runs it: `--help` answers, an unknown flag or a missing value is refused with the
// usage, and nothing runs (no simulator, no engine) on a refused command line.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../../../toolchain/paths";

const run = (script: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [path.join(repoRoot, "dist", script), ...args], {
    encoding: "utf8",
    timeout: 60_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

const COMMANDS = [
  { name: "converge", script: "stacks/cli.js", prefix: ["converge"], usage: /^usage: npm start/m },
  { name: "planner", script: "planner/cli.js", prefix: [], usage: /^usage: npm run -s plan -- path/m },
  { name: "sim", script: "sim/cli.js", prefix: ["status"], usage: /^usage: npm run sim -- <command>/m },
  { name: "toolchain", script: "toolchain/cli.js", prefix: ["setup"], usage: /^usage: npm run setup/m },
];

describe("the command lines", () => {
  for (const command of COMMANDS) {
    it(`${command.name}: --help prints the usage and succeeds`, () => {
      const help = run(command.script, ...command.prefix, "--help");
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, command.usage);
    });

    it(`${command.name}: an unknown flag is refused with the usage`, () => {
      const bad = run(command.script, ...command.prefix, "--frobnicate");
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /Unknown option '--frobnicate'/);
      assert.match(bad.stderr, command.usage);
    });
  }

  it("converge: --stack without a value is refused, never falls back to the local stack and its simulator", () => {
    const bad = run("stacks/cli.js", "converge", "--stack");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^converge: Option '--stack <value>' argument missing/);
    assert.equal(bad.stdout, "", "nothing started");
  });

  it("converge: another stack without a terminal and without --yes is refused before anything runs", () => {
    const bad = run("stacks/cli.js", "converge", "--stack", "prod");
    assert.equal(bad.status, 2);
    assert.equal(
      bad.stderr,
      'converge: stack "prod" asks before applying each run, but stdin is not a terminal; run it in a terminal, or pass --yes to apply every run without asking\n',
    );
  });

  it("planner: --input without a value is refused with the usage", () => {
    const bad = run("planner/cli.js", "--input");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Option '--input <value>' argument missing[\s\S]*usage:/);
  });

  it("sim: a value option without its value is refused with the usage", () => {
    const bad = run("sim/cli.js", "up", "--network");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error: Option '--network <value>' argument missing\n\nusage:/);
  });

  it("planner: a path still answers", () => {
    const ok = run("planner/cli.js", "path", "mesos", "0.22.1", "0.24.2");
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.split("\n")[0], "mesos 0.22.1 → 0.23.1 → 0.24.2");
  });
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, type TestContext } from "node:test";
import { dynamicLauncherScript } from "../../../toolchain/dynamic-launcher";

const PROVIDER = path.join("node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");

/**
 * A scratch tree with the launcher and a `node` on PATH that writes what it was asked to run (its arguments, one a
 * line) and, for `-e`, answers as Node would for a provider found through NODE_PATH.
 */
function scratch(t: TestContext): { dir: string; run: (cwd: string) => ReturnType<typeof spawnSync> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launcher-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const launcher = path.join(bin, "pulumi-resource-pulumi-nodejs");
  fs.writeFileSync(launcher, dynamicLauncherScript(), { mode: 0o755 });
  fs.writeFileSync(
    path.join(bin, "node"),
    `#!/bin/sh\nif [ "$1" = -e ]; then echo /usr/lib/node_modules/dynamic-provider/index.js; exit 0; fi\necho "pid $$"; for a in "$@"; do echo "$a"; done\n`,
    { mode: 0o755 },
  );
  const run = (cwd: string) =>
    spawnSync(launcher, ["127.0.0.1:41234", "--flag with space"], {
      cwd,
      encoding: "utf8",
      env: { PATH: `${bin}:/usr/bin:/bin` },
    });
  return { dir, run };
}

/** A provider host script under `root`'s node_modules. */
function providerUnder(root: string): string {
  const script = path.join(root, PROVIDER);
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, "");
  return script;
}

describe("the dynamic provider's launcher", () => {
  it("starts the provider host of the nearest node_modules above the working directory, with the engine's arguments as given", (t) => {
    const { dir, run } = scratch(t);
    const project = path.join(dir, "project");
    providerUnder(dir);
    const nearest = providerUnder(project);
    const cwd = path.join(project, "stacks", "local");
    fs.mkdirSync(cwd, { recursive: true });
    const result = run(cwd);
    assert.equal(result.status, 0, String(result.stderr));
    const [, ...args] = String(result.stdout).trim().split("\n");
    assert.deepEqual(args, [nearest, "127.0.0.1:41234", "--flag with space"]);
  });

  it("becomes the provider host (exec): the process the engine started is the one it stops", (t) => {
    const { dir, run } = scratch(t);
    providerUnder(dir);
    const result = run(dir);
    assert.equal(result.status, 0, String(result.stderr));
    // The fake node's own pid is the launcher's: no shell stays between the engine and the provider host.
    assert.equal(Number(/^pid (\d+)/.exec(String(result.stdout))?.[1]), result.pid);
  });

  it("asks Node where the provider host is when no node_modules above the working directory holds it", (t) => {
    const { dir, run } = scratch(t);
    const cwd = path.join(dir, "elsewhere");
    fs.mkdirSync(cwd);
    const result = run(cwd);
    assert.equal(result.status, 0, String(result.stderr));
    const [, ...args] = String(result.stdout).trim().split("\n");
    assert.deepEqual(args, ["/usr/lib/node_modules/dynamic-provider/index.js", "127.0.0.1:41234", "--flag with space"]);
  });
});

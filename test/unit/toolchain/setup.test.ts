import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ensureToolchain, SetupError } from "../../../toolchain/setup";
import { tempDir, writeScript } from "../../support/tmp";

const cliScript = path.resolve(__dirname, "../../../toolchain/cli.js");

/** An environment whose PATH holds only `bin`, with the toolchain cache in `cache`. */
function isolatedEnv(bin: string, cache: string): NodeJS.ProcessEnv {
  return { PATH: bin, HOME: cache, MESOS_UPGRADE_CACHE: cache };
}

const quiet = () => undefined;

describe("toolchain setup", () => {
  it("uses a suitable pulumi on PATH as it is", async (t) => {
    const bin = tempDir(t);
    const pulumi = writeScript(bin, "pulumi", 'echo "v3.270.1"');
    const toolchain = await ensureToolchain({ env: isolatedEnv(bin, tempDir(t)), log: quiet, version: "3.259.0" });
    assert.deepEqual(toolchain, { pulumi, binDir: bin, version: "3.270.1", source: "path" });
  });

  it("asks the CLI its version once per process for the same PATH and caches, and again after a failure", async (t) => {
    const bin = tempDir(t);
    const asked = path.join(bin, "asked");
    writeScript(bin, "pulumi", `echo . >> ${asked}; echo "v3.270.1"`);
    const env = isolatedEnv(bin, tempDir(t));
    const first = await ensureToolchain({ env, log: quiet, version: "3.259.0" });
    assert.deepEqual(await ensureToolchain({ env: { ...env }, log: quiet, version: "3.259.0" }), first);
    assert.equal(fs.readFileSync(asked, "utf8"), ".\n", "one `pulumi version`");
    await ensureToolchain({ env: { ...env, MESOS_UPGRADE_CACHE: tempDir(t) }, log: quiet, version: "3.259.0" });
    assert.equal(fs.readFileSync(asked, "utf8"), ".\n.\n", "another cache: looked for again");

    const failing = isolatedEnv(tempDir(t), tempDir(t));
    await assert.rejects(ensureToolchain({ env: failing, log: quiet, version: "3.259.0" }), SetupError);
    const later = writeScript(failing.PATH as string, "pulumi", 'echo "v3.270.1"');
    assert.equal((await ensureToolchain({ env: failing, log: quiet, version: "3.259.0" })).pulumi, later);
  });

  it(
    "uses the CLI already built in the cache without waiting for a build lock another process holds, and says nothing",
    {
      timeout: 20_000,
    },
    async (t) => {
      const cache = tempDir(t);
      const binDir = path.join(cache, "pulumi-v3.259.0", "bin");
      fs.mkdirSync(binDir, { recursive: true });
      const pulumi = writeScript(binDir, "pulumi", 'echo "v3.259.0"');
      // A live process (this one) holds the lock, as a setup looking or building at the same moment would.
      fs.writeFileSync(path.join(cache, "pulumi-v3.259.0.lock"), `${process.pid}\n`);
      const lines: string[] = [];
      const toolchain = await ensureToolchain({
        env: isolatedEnv(tempDir(t), cache),
        log: (line) => lines.push(line),
        version: "3.259.0",
      });
      assert.deepEqual(toolchain, { pulumi, binDir, version: "3.259.0", source: "cache" });
      assert.deepEqual(lines, [], "no word of another setup");
      assert.ok(fs.existsSync(path.join(cache, "pulumi-v3.259.0.lock")), "the other process's lock is left alone");
    },
  );

  it("says the CLI is missing and how to fix it when there is no pulumi and no Go", async (t) => {
    const env = isolatedEnv(tempDir(t), tempDir(t));
    await assert.rejects(ensureToolchain({ env, log: quiet, version: "3.259.0" }), (error: unknown) => {
      assert.ok(error instanceof SetupError);
      assert.match(
        error.message,
        /^Pulumi CLI v3\.259\.0 is missing: no `pulumi` on PATH, and Go is not installed to build it\./,
      );
      assert.match(
        error.message,
        /\(1\) install Pulumi v3\.259\.0 or newer the usual way \(https:\/\/www\.pulumi\.com\/docs\/install\/\)/,
      );
      assert.match(error.message, /\(2\) install Go 1\.25 or newer and run `npm run setup`/);
      return true;
    });
  });

  it("names a too-old pulumi on PATH with its version", async (t) => {
    const bin = tempDir(t);
    writeScript(bin, "pulumi", 'echo "v3.100.0"');
    await assert.rejects(
      ensureToolchain({ env: isolatedEnv(bin, tempDir(t)), log: quiet, version: "3.259.0" }),
      (error: unknown) => {
        assert.ok(error instanceof SetupError);
        assert.match(
          error.message,
          new RegExp(
            `\`pulumi\` on PATH \\(${bin}/pulumi\\) is v3\\.100\\.0, older than v3\\.259\\.0, and Go is not installed`,
          ),
        );
        return true;
      },
    );
  });

  it("reports a failed Go build with go's own last error line and the log's path", async (t) => {
    const bin = tempDir(t);
    const cache = tempDir(t);
    writeScript(
      bin,
      "go",
      'echo "go: downloading example.com/x v1.0.0" >&2; echo "go: example.com/x@v1.0.0: 403 Forbidden" >&2; exit 1',
    );
    await assert.rejects(
      ensureToolchain({ env: isolatedEnv(bin, cache), log: quiet, version: "3.259.0" }),
      (error: unknown) => {
        assert.ok(error instanceof SetupError);
        assert.match(
          error.message,
          /building it with Go failed: `go mod tidy` exited 1: go: example\.com\/x@v1\.0\.0: 403 Forbidden/,
        );
        assert.ok(error.message.includes(path.join(cache, "pulumi-v3.259.0", "build.log")));
        assert.match(error.message, /Fix it either way: \(1\) install Pulumi/);
        return true;
      },
    );
  });

  it("ends `npm run setup` with exit status 1 and one line on stderr", (t) => {
    const env = { ...isolatedEnv(tempDir(t), tempDir(t)) };
    const result = spawnSync(process.execPath, [cliScript, "setup"], { env, encoding: "utf8" });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0],
      /^setup: Pulumi CLI v\d+\.\d+\.\d+ is missing: no `pulumi` on PATH, and Go is not installed to build it\. Fix it either way/,
    );
  });
});

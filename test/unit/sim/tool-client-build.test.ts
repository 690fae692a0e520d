// The compiled build of the fake host commands' client: compiled once per source into a cache, copied per host and
// tool with its settings written in, and a clear problem where the machine has no C compiler.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { CONFIG_BYTES, CONFIG_MARK, toolClientBinary } from "../../../sim/host/tool-client";
import { buildToolClient } from "../../../sim/host/tool-client-build";
import { tempDir } from "../../support/tmp";

const options = { tool: "docker", socket: "/run/sim/tool.sock", control: "/run/sim/control.sock", host: "a1" };

it("compiles the client once per source and gives the same file to every later start, leaving nothing else", (t) => {
  const cache = tempDir(t);
  const first = buildToolClient(cache);
  assert.ok("file" in first, "problem" in first ? first.problem : "");
  // A second start compiles nothing: a compiler that cannot run is never asked.
  assert.deepEqual(buildToolClient(cache, { ...process.env, CC: "/no/such/cc" }), first);
  assert.deepEqual(readdirSync(cache), [first.file.slice(cache.length + 1)], "no source or half-built file left");
});

it("says there is no C compiler, naming it and the fix, instead of throwing", (t) => {
  const cache = tempDir(t);
  const build = buildToolClient(cache, { ...process.env, CC: "/no/such/cc" });
  assert.deepEqual(build, {
    problem: "no C compiler: `/no/such/cc` could not be run (ENOENT); install gcc, or set CC",
  });
  assert.deepEqual(readdirSync(cache), []);
});

it("says where it could not keep the client instead of throwing (a cache that is a file)", (t) => {
  const file = join(tempDir(t), "not-a-directory");
  writeFileSync(file, "");
  const build = buildToolClient(file);
  assert.ok("problem" in build);
  assert.match(build.problem, /^the tool client could not be built in .*not-a-directory: EEXIST/);
});

it("writes each copy's settings at the mark, and refuses settings that do not fit or a file without the mark", (t) => {
  const built = buildToolClient(join(tempDir(t), "cache"));
  assert.ok("file" in built && existsSync(built.file));
  const template = readFileSync(built.file);
  const copy = toolClientBinary(template, { ...options, dockerHost: "unix:///x.sock" });
  assert.equal(copy.length, template.length);
  const at = template.indexOf(CONFIG_MARK);
  assert.equal(
    copy
      .subarray(at, at + 80)
      .toString("latin1")
      .replace(/\0+$/, ""),
    "docker\0/run/sim/tool.sock\0/run/sim/control.sock\0a1\0unix:///x.sock",
  );
  assert.equal(copy.indexOf(CONFIG_MARK), -1);
  assert.throws(
    () => toolClientBinary(template, { ...options, host: "h".repeat(CONFIG_BYTES) }),
    /the tool client's settings take \d+ bytes, more than its 4096/,
  );
  assert.throws(() => toolClientBinary(Buffer.from("#!/bin/sh\n"), options), /has no @@SIM-TOOL-CONFIG@@ mark/);
});

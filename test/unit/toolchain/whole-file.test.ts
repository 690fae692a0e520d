// Files replaced whole or not at all: the operator's stack file pinned by `fingerprints --write`, the CLI's launcher.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { writeFileWhole } from "../../../toolchain/whole-file";
import { tempDir } from "../../support/tmp";

test("replaces a file's text and keeps its mode, leaving no temporary file beside it", (t) => {
  const dir = tempDir(t, "whole-file-");
  const file = path.join(dir, "Pulumi.prod.yaml");
  fs.writeFileSync(file, "old\n", { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  writeFileWhole(file, "new\n");
  assert.equal(fs.readFileSync(file, "utf8"), "new\n");
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(dir), ["Pulumi.prod.yaml"]);
});

test("creates a missing file with the mode asked for", (t) => {
  const dir = tempDir(t, "whole-file-");
  const file = path.join(dir, "launcher");
  writeFileWhole(file, "#!/bin/sh\n", 0o755);
  assert.equal(fs.readFileSync(file, "utf8"), "#!/bin/sh\n");
  assert.equal(fs.statSync(file).mode & 0o777, 0o755);
});

test("replaces the file a symbolic link points to and keeps the link", (t) => {
  const dir = tempDir(t, "whole-file-");
  const real = path.join(dir, "stacks", "Pulumi.prod.yaml");
  fs.mkdirSync(path.dirname(real));
  fs.writeFileSync(real, "old\n");
  const link = path.join(dir, "Pulumi.prod.yaml");
  fs.symlinkSync(real, link);
  writeFileWhole(link, "new\n");
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(real, "utf8"), "new\n");
});

test("leaves the old file as it was and no temporary file when the new one cannot take its place", (t) => {
  const dir = tempDir(t, "whole-file-");
  const target = path.join(dir, "taken");
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, "inside"), "kept\n");
  assert.throws(() => writeFileWhole(target, "new\n"), /EISDIR|ENOTEMPTY|EEXIST/);
  assert.equal(fs.readFileSync(path.join(target, "inside"), "utf8"), "kept\n");
  assert.deepEqual(fs.readdirSync(dir), ["taken"]);
});

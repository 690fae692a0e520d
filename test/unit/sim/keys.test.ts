// Fingerprints must be exactly what ssh-keygen prints, since users pin them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fingerprint, writeKeyPair } from "../../../sim/keys";

test("fingerprint equals `ssh-keygen -lf` for a generated ed25519 key", { skip: spawnSync("ssh-keygen", ["-?"]).error ? "ssh-keygen missing" : false }, () => {
  const path = join(mkdtempSync(join(tmpdir(), "keys-")), "k");
  const pair = writeKeyPair(path, "test@sim");
  const printed = spawnSync("ssh-keygen", ["-lf", `${path}.pub`], { encoding: "utf8" }).stdout;
  assert.equal(printed, `256 ${fingerprint(pair.publicKey)} test@sim (ED25519)\n`);
});

// Fingerprints must be exactly what ssh-keygen prints, since users pin them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { utils } from "ssh2";
import { fingerprint, writeKeyPair } from "../../../sim/keys";

test(
  "fingerprint equals `ssh-keygen -lf` for a generated ed25519 key",
  { skip: spawnSync("ssh-keygen", ["-?"]).error ? "ssh-keygen missing" : false },
  () => {
    const path = join(mkdtempSync(join(tmpdir(), "keys-")), "k");
    const pair = writeKeyPair(path, "test@sim");
    const printed = spawnSync("ssh-keygen", ["-lf", `${path}.pub`], { encoding: "utf8" }).stdout;
    assert.equal(printed, `256 ${fingerprint(pair.publicKey)} test@sim (ED25519)\n`);
  },
);

test("every generated key pair parses (ssh2's generator sometimes writes a 31-byte ed25519 key)", () => {
  const dir = mkdtempSync(join(tmpdir(), "keys-"));
  for (let i = 0; i < 600; i++) {
    const pair = writeKeyPair(join(dir, `k${i}`), "x");
    const parsed = utils.parseKey(readFileSync(pair.privateKeyPath));
    assert.ok(!(parsed instanceof Error), `key ${i} parses`);
  }
});

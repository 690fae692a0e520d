// SSH keys of the simulated cluster: ed25519 user and host keys, and their SHA256 fingerprints as ssh-keygen prints
// them.
import { createHash } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { utils } from "ssh2";

/** A key pair on disk: OpenSSH private key file and one-line public key. */
export interface KeyFiles {
  /** Path of the private key (OpenSSH format, mode 0600). */
  readonly privateKeyPath: string;
  /** The public key line, "ssh-ed25519 AAAA… comment". */
  readonly publicKey: string;
}

/**
 * An ed25519 pair in OpenSSH format. ssh2's generator drops a leading zero byte of the public key about once in 200
 * keys, writing a 31-byte key that neither ssh2 nor sshd can parse, so such pairs are generated again. Every key
 * the simulator or a test needs comes from here.
 */
export function generateKeyPair(comment = ""): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync("ed25519", { comment });
    const parsed = utils.parseKey(pair.private);
    if (!(parsed instanceof Error) && parsed.getPublicSSH().length === 51) return pair;
  }
}

/** Generates an ed25519 key pair and writes `<path>` and `<path>.pub`. */
export function writeKeyPair(path: string, comment: string): KeyFiles {
  const pair = generateKeyPair(comment);
  writeFileSync(path, pair.private, { mode: 0o600 });
  chmodSync(path, 0o600);
  writeFileSync(`${path}.pub`, `${pair.public}\n`);
  return { privateKeyPath: path, publicKey: pair.public.trim() };
}

/** "SHA256:…" of a public key line or its base64 blob, exactly as `ssh-keygen -lf` shows it. */
export function fingerprint(publicKey: string | Buffer): string {
  const blob = Buffer.isBuffer(publicKey) ? publicKey : Buffer.from(publicKey.trim().split(/\s+/)[1] ?? "", "base64");
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

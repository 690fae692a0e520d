// Reading a host's SSH key over the network without logging in (trust on first use, made explicit): the key
// exchange runs, the key is captured and refused, so no credential is ever sent.
import type { Duplex } from "node:stream";
import type { ConnectConfig } from "ssh2";
import { fingerprintOf } from "./ssh";

/** The key a host presented: its fingerprint and its algorithm ("ssh-ed25519"). */
export interface PresentedKey {
  readonly fingerprint: string;
  readonly algorithm: string;
}

/** The algorithm name at the start of an SSH public key blob. */
export function algorithmOf(blob: Buffer): string {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return blob.subarray(4, 4 + length).toString("latin1");
}

/**
 * Connects to `address:port` (or over `sock`, a channel opened by a jump host), captures the host key and
 * disconnects before authentication. Rejects with why no key came (refused, timeout).
 */
export function presentedHostKey(
  address: string,
  port: number,
  options: { readonly sock?: Duplex; readonly timeoutSeconds?: number } = {},
): Promise<PresentedKey> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require("ssh2") as typeof import("ssh2");
  return new Promise((resolve, reject) => {
    const client = new Client();
    let key: Buffer | undefined;
    const done = () => {
      client.end();
      if (key) resolve({ fingerprint: fingerprintOf(key), algorithm: algorithmOf(key) });
    };
    client.on("error", (error: Error) => {
      if (key) done();
      else reject(new Error(`${address}:${port}: no host key (${error.message})`));
    });
    client.on("ready", done);
    const config: ConnectConfig = {
      host: address,
      port,
      username: "host-key-probe",
      readyTimeout: (options.timeoutSeconds ?? 10) * 1000,
      ...(options.sock ? { sock: options.sock } : {}),
      hostVerifier: (blob: Buffer) => {
        key = blob;
        return false;
      },
    };
    client.connect(config);
  });
}

// The one SSH client: pinned host keys, one reused connection per host, keepalives, bounded connect retries.
import { createHash } from "node:crypto";
import type { Client, ConnectConfig } from "ssh2";
import { HostKeyMismatchError, RemoteCommandError, RemoteConnectError, RemoteTimeoutError, tail } from "./errors";
import { commandLine, redact } from "./quote";

/** How to reach one host. Plain data, so it can travel through Pulumi inputs. */
export interface SshTarget {
  /** A name for messages, e.g. "m1". */
  readonly name: string;
  /** Address or DNS name. */
  readonly address: string;
  /** @default 22 */
  readonly port?: number;
  /** @default "root" */
  readonly user?: string;
  /** The private key (OpenSSH or PEM text). A secret: it never appears in messages. */
  readonly privateKey: string;
  /** The host key to accept, as `ssh-keygen -lf` prints it: "SHA256:…". */
  readonly hostKeyFingerprint: string;
  /** Run commands through `sudo -n`. @default false */
  readonly sudo?: boolean;
  /** @default 10 */
  readonly connectTimeoutSeconds?: number;
  /** @default 300 */
  readonly commandTimeoutSeconds?: number;
  /** Connection attempts before giving up on a refused or unreachable host. @default 3 */
  readonly connectAttempts?: number;
}

/** What a finished remote command left. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Overrides the target's command timeout. */
  readonly timeoutSeconds?: number;
  /** Return a non-zero exit instead of throwing RemoteCommandError. */
  readonly allowFailure?: boolean;
  /** Values to replace with "[secret]" in errors. */
  readonly secrets?: readonly string[];
}

/** Runs commands on one host. The only I/O seam between the providers and a host. */
export interface RemoteShell {
  /** "name (address:port)", for messages. */
  readonly label: string;
  /** Runs exactly `argv` (quoted, never interpreted by the remote shell). */
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

/** The SHA256 fingerprint of a host key blob, in OpenSSH's notation. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

export function labelOf(target: SshTarget): string {
  return `${target.name} (${target.address}:${target.port ?? 22})`;
}

const pool = new Map<string, Promise<Client>>();

function poolKey(target: SshTarget): string {
  return `${target.user ?? "root"}@${target.address}:${target.port ?? 22}#${target.hostKeyFingerprint}`;
}

const TRANSIENT = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|Timed out|timed out|Connection lost|handshake/i;

function connectOnce(target: SshTarget): Promise<Client> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client: SshClient } = require("ssh2") as typeof import("ssh2");
  const label = labelOf(target);
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let presented: string | undefined;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.on("ready", () => {
      settled = true;
      resolve(client);
    });
    client.on("error", (error: Error & { level?: string }) => {
      if (presented && presented !== target.hostKeyFingerprint) {
        fail(new HostKeyMismatchError(label, target.hostKeyFingerprint, presented));
      } else if (error.level === "client-timeout") {
        // The port accepts TCP but no SSH banner or handshake follows (a hung sshd, a firewall that black-holes).
        fail(new RemoteConnectError(label, `cannot connect: ${error.message} (no SSH answer within ${target.connectTimeoutSeconds ?? 10}s); check that sshd answers on the host, or raise ssh.connectTimeoutSeconds`, true));
      } else if (error.level === "client-authentication") {
        fail(new RemoteConnectError(label, `the private key was refused for user "${target.user ?? "root"}"; authorise its public key on the host or set ssh.user`, false));
      } else {
        fail(new RemoteConnectError(label, `cannot connect: ${error.message}`, TRANSIENT.test(error.message) || TRANSIENT.test(String((error as NodeJS.ErrnoException).code))));
      }
    });
    client.on("close", () => pool.delete(poolKey(target)));
    const config: ConnectConfig = {
      host: target.address,
      port: target.port ?? 22,
      username: target.user ?? "root",
      privateKey: target.privateKey,
      readyTimeout: (target.connectTimeoutSeconds ?? 10) * 1000,
      keepaliveInterval: 5000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        presented = fingerprintOf(key);
        return presented === target.hostKeyFingerprint;
      },
    };
    try {
      client.connect(config);
    } catch (error) {
      fail(new RemoteConnectError(label, `cannot connect: ${(error as Error).message}`, false));
    }
  });
}

async function connectWithRetries(target: SshTarget): Promise<Client> {
  const attempts = Math.max(1, target.connectAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(target);
    } catch (error) {
      if (!(error instanceof RemoteConnectError) || !error.transient || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** The pooled connection to `target`, opened on first use and reused until it closes. */
function connection(target: SshTarget): Promise<Client> {
  const key = poolKey(target);
  let client = pool.get(key);
  if (!client) {
    client = connectWithRetries(target);
    pool.set(key, client);
    client.catch(() => pool.delete(key));
  }
  return client;
}

function exec(client: Client, line: string, timeoutSeconds: number): Promise<CommandResult | "timeout"> {
  return new Promise((resolve, reject) => {
    client.exec(line, (error, stream) => {
      if (error) return reject(error);
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => {
        stream.close();
        resolve("timeout");
      }, timeoutSeconds * 1000);
      stream.on("data", (chunk: Buffer) => { stdout += chunk.toString("utf8"); });
      stream.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString("utf8"); });
      stream.on("close", (code: number | null) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  });
}

/** A RemoteShell over SSH for `target`. Nothing connects until the first command. */
export function sshShell(target: SshTarget): RemoteShell {
  const label = labelOf(target);
  return {
    label,
    async run(argv, options = {}) {
      const full = target.sudo ? ["sudo", "-n", "--", ...argv] : argv;
      const line = commandLine(full);
      const secrets = [...(options.secrets ?? []), target.privateKey];
      const timeoutSeconds = options.timeoutSeconds ?? target.commandTimeoutSeconds ?? 300;
      let result: CommandResult | "timeout";
      try {
        result = await exec(await connection(target), line, timeoutSeconds);
      } catch (error) {
        if (error instanceof RemoteConnectError) throw error;
        pool.delete(poolKey(target));
        throw new RemoteConnectError(label, `connection failed while running \`${redact(line, secrets)}\`: ${(error as Error).message}`, true);
      }
      if (result === "timeout") throw new RemoteTimeoutError(label, redact(line, secrets), timeoutSeconds);
      if (result.code !== 0 && !options.allowFailure) {
        throw new RemoteCommandError(label, redact(line, secrets), result.code, redact(tail(result.stderr), secrets));
      }
      return result;
    },
  };
}

/** Closes every pooled connection (end of a run, end of a test). */
export async function closeAllConnections(): Promise<void> {
  const clients = [...pool.values()];
  pool.clear();
  for (const pending of clients) {
    try {
      (await pending).end();
    } catch {
      // a connection that never opened has nothing to close
    }
  }
}

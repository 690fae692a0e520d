// The one SSH client: pinned host keys, one reused connection per host, keepalives, bounded connect retries,
// login by key (with passphrase) or SSH agent, through a jump host (ProxyJump) when one is set.
import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import type { Client, ConnectConfig } from "ssh2";
import {
  HostKeyMismatchError,
  RemoteCommandError,
  RemoteConnectError,
  RemoteTimeoutError,
  SudoPasswordError,
  tail,
} from "./errors";
import { commandLine, redact } from "./quote";
import { watchRun } from "./run-watch";

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
  /** The private key (OpenSSH or PEM text). A secret: it never appears in messages. Optional when `agent` is set. */
  readonly privateKey?: string;
  /** The private key's passphrase. A secret. */
  readonly passphrase?: string;
  /** Log in through the SSH agent at this socket (`SSH_AUTH_SOCK`); tried before `privateKey`. */
  readonly agent?: string;
  /** A host to jump through (OpenSSH's ProxyJump): the connection to this host is a channel opened on the jump host. */
  readonly jump?: JumpTarget;
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

/** A bastion: logged into with the same credentials, its own user, port and pinned host key. */
export interface JumpTarget {
  /** A name for messages, e.g. "bastion". */
  readonly name: string;
  readonly address: string;
  /** @default 22 */
  readonly port?: number;
  /** @default the target's user */
  readonly user?: string;
  /** The jump host's own pinned key, "SHA256:…". */
  readonly hostKeyFingerprint: string;
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
  /**
   * Sent to the command's standard input, then closed: data that must not appear on a command line (which `ps` on
   * the host shows), e.g. an env file's secret values. Without it, stdin is left open as before.
   */
  readonly stdin?: string;
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
  const via = target.jump ? ` via ${target.jump.name} (${target.jump.address}:${target.jump.port ?? 22})` : "";
  return `${target.name} (${target.address}:${target.port ?? 22})${via}`;
}

const pool = new Map<string, Promise<Client>>();
/** Every client that completed a handshake and is not closed yet, pooled or not (closeAllConnections ends them all). */
const live = new Set<Client>();

function poolKey(target: SshTarget): string {
  const jump = target.jump
    ? `>${target.jump.user ?? target.user ?? "root"}@${target.jump.address}:${target.jump.port ?? 22}#${target.jump.hostKeyFingerprint}`
    : "";
  return `${target.user ?? "root"}@${target.address}:${target.port ?? 22}#${target.hostKeyFingerprint}${jump}`;
}

/** The jump host as a target of its own: same credentials and timeouts, its own address, user and key. */
export function jumpTargetOf(target: SshTarget): SshTarget | undefined {
  const jump = target.jump;
  if (!jump) return undefined;
  return {
    name: jump.name,
    address: jump.address,
    port: jump.port,
    user: jump.user ?? target.user,
    hostKeyFingerprint: jump.hostKeyFingerprint,
    privateKey: target.privateKey,
    passphrase: target.passphrase,
    agent: target.agent,
    connectTimeoutSeconds: target.connectTimeoutSeconds,
    connectAttempts: target.connectAttempts,
  };
}

/** Opens a channel from the jump host to the target's SSH port (what `ssh -J` does). */
async function channelThroughJump(target: SshTarget, jump: SshTarget): Promise<Duplex> {
  const client = await connection(jump);
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, target.address, target.port ?? 22, (error, stream) => {
      if (error) {
        reject(
          new RemoteConnectError(
            labelOf(target),
            `the jump host ${labelOf(jump)} could not open a channel to ${target.address}:${target.port ?? 22}: ${error.message}; check that the jump host reaches it (AllowTcpForwarding yes in its sshd_config)`,
            true,
          ),
        );
      } else resolve(stream);
    });
  });
}

const TRANSIENT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|Timed out|timed out|Connection lost|handshake/i;

function authenticationFix(target: SshTarget): string {
  const how =
    target.agent && target.privateKey
      ? "neither the SSH agent's keys nor the private key were"
      : target.agent
        ? "the SSH agent's keys were"
        : "the private key was";
  return `${how} refused for user "${target.user ?? "root"}"; authorise its public key on the host or set ssh.user (or the host's user)`;
}

async function connectOnce(target: SshTarget): Promise<Client> {
  if (!target.privateKey && !target.agent) {
    throw new RemoteConnectError(
      labelOf(target),
      "no SSH key to log in with: set sshPrivateKey (`pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519`), or ssh.agent: true with an SSH agent running (SSH_AUTH_SOCK set where `pulumi` runs)",
      false,
    );
  }
  const jump = jumpTargetOf(target);
  const sock = jump ? await channelThroughJump(target, jump) : undefined;
  return handshake(target, sock);
}

function handshake(target: SshTarget, sock: Duplex | undefined): Promise<Client> {
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
      live.add(client);
      client.once("close", () => live.delete(client));
      resolve(client);
    });
    client.on("error", (error: Error & { level?: string }) => {
      if (presented && presented !== target.hostKeyFingerprint) {
        fail(new HostKeyMismatchError(label, target.hostKeyFingerprint, presented));
      } else if (error.level === "client-timeout") {
        // The port accepts TCP but no SSH banner or handshake follows (a hung sshd, a firewall that black-holes).
        fail(
          new RemoteConnectError(
            label,
            `cannot connect: ${error.message} (no SSH answer within ${target.connectTimeoutSeconds ?? 10}s); check that sshd answers on the host, or raise ssh.connectTimeoutSeconds`,
            true,
          ),
        );
      } else if (error.level === "client-authentication") {
        fail(new RemoteConnectError(label, authenticationFix(target), false));
      } else {
        fail(
          new RemoteConnectError(
            label,
            `cannot connect: ${error.message}`,
            TRANSIENT.test(error.message) || TRANSIENT.test(String((error as NodeJS.ErrnoException).code)),
          ),
        );
      }
    });
    const config: ConnectConfig = {
      host: target.address,
      port: target.port ?? 22,
      username: target.user ?? "root",
      ...(sock ? { sock } : {}),
      ...(target.agent ? { agent: target.agent } : {}),
      ...(target.privateKey ? { privateKey: target.privateKey } : {}),
      ...(target.passphrase ? { passphrase: target.passphrase } : {}),
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
      // Every exchange is a small request answered by a small reply: with Nagle's algorithm on, a request written in
      // two packets waits for the server's delayed ACK (40 ms on Linux) before its second one leaves. A login
      // measured 79 ms against OpenSSH's sshd with it, 40 ms without.
      client.setNoDelay(true);
    } catch (error) {
      // ssh2 throws here for a key it cannot read: encrypted without (or with a wrong) passphrase, or not a key.
      const message = (error as Error).message;
      const fix = /passphrase|encrypted|decrypt/i.test(message)
        ? "; set the key's passphrase with `pulumi config set --secret sshPrivateKeyPassphrase`, or use an SSH agent (ssh.agent: true)"
        : /parse|key/i.test(message)
          ? "; set sshPrivateKey to an OpenSSH or PEM private key"
          : "";
      fail(new RemoteConnectError(label, `cannot connect: ${redact(message, secretsOf(target))}${fix}`, false));
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

/** The secrets of a target, to keep out of every message. */
function secretsOf(target: SshTarget): string[] {
  return [target.privateKey, target.passphrase].filter((s): s is string => !!s);
}

/**
 * With `sudo`, checks once per connection that sudo needs no password (`sudo -n true`): every command runs
 * non-interactively, so a password prompt would fail each one half way.
 */
async function checkSudo(target: SshTarget, client: Client): Promise<Client> {
  if (!target.sudo) return client;
  const result = await exec(client, "sudo -n true", target.commandTimeoutSeconds ?? 300);
  if (result !== "timeout" && result.code === 0) return client;
  client.end();
  const said = result === "timeout" ? "did not finish" : tail(result.stderr) || `exit code ${result.code}`;
  throw new SudoPasswordError(labelOf(target), target.user ?? "root", said);
}

/** The pooled connection to `target`, opened on first use and reused until it closes. */
function connection(target: SshTarget): Promise<Client> {
  // In a provider process of a converge run: no session outlives the run (remote/run-watch.ts).
  watchRun(closeAllConnections);
  const key = poolKey(target);
  let client = pool.get(key);
  if (!client) {
    const opened = connectWithRetries(target).then((c) => checkSudo(target, c));
    client = opened;
    pool.set(key, opened);
    // Forget this connection when it closes or fails, but never a newer one pooled under the same key since.
    const forget = () => {
      if (pool.get(key) === opened) pool.delete(key);
    };
    opened.then((c) => c.on("close", forget), forget);
  }
  return client;
}

function exec(
  client: Client,
  line: string,
  timeoutSeconds: number,
  stdin?: string,
): Promise<CommandResult | "timeout"> {
  return new Promise((resolve, reject) => {
    client.exec(line, (error, stream) => {
      if (error) return reject(error);
      if (stdin !== undefined) stream.end(stdin);
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => {
        stream.close();
        resolve("timeout");
      }, timeoutSeconds * 1000);
      stream.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      stream.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
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
      const secrets = [...(options.secrets ?? []), ...secretsOf(target)];
      const timeoutSeconds = options.timeoutSeconds ?? target.commandTimeoutSeconds ?? 300;
      let result: CommandResult | "timeout";
      try {
        result = await exec(await connection(target), line, timeoutSeconds, options.stdin);
      } catch (error) {
        if (error instanceof RemoteConnectError || error instanceof SudoPasswordError) throw error;
        pool.delete(poolKey(target));
        throw new RemoteConnectError(
          label,
          `connection failed while running \`${redact(line, secrets)}\`: ${(error as Error).message}`,
          true,
        );
      }
      if (result === "timeout") throw new RemoteTimeoutError(label, redact(line, secrets), timeoutSeconds);
      if (result.code !== 0 && !options.allowFailure) {
        throw new RemoteCommandError(label, redact(line, secrets), result.code, redact(tail(result.stderr), secrets));
      }
      return result;
    },
  };
}

/** The pooled SSH connection of `target` (for forwarded channels: remote/tunnel.ts). */
export function sshConnection(target: SshTarget): Promise<Client> {
  return connection(target);
}

/** Closes every pooled connection (end of a run, end of a test). */
export async function closeAllConnections(): Promise<void> {
  const clients = [...pool.values()];
  pool.clear();
  for (const client of live) client.end();
  live.clear();
  for (const pending of clients) {
    try {
      (await pending).end();
    } catch {
      // a connection that never opened has nothing to close
    }
  }
}

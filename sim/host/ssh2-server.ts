// The default SSH server of a simulated host, built on ssh2's Server: public-key login for the cluster's user,
// each exec run through the host's real /bin/sh, exit status and stderr passed back.
import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { Server, utils, type Connection, type ServerChannel } from "ssh2";
import { fingerprint } from "../keys";
import type { LedgerWriter } from "../ledger";
import type { HostShell } from "./shell";

/** What the server needs from its host. */
export interface Ssh2ServerOptions {
  readonly hostKeyPath: string;
  readonly user: string;
  readonly authorizedKey: string;
  readonly shell: HostShell;
  readonly ledger: LedgerWriter;
  /** Called with every exec command before it runs (fault triggers watch these). */
  readonly onCommand: (command: string) => void;
  /** Called as each exec's shell starts; the function it returns as the shell ends (sim/host-work.ts). */
  readonly onExec?: () => () => void;
}

// The banner of Ubuntu 14.04's sshd, which the hosts being simulated run.
const IDENT = "OpenSSH_6.6.1p1 Ubuntu-2ubuntu2.13";

function keyMatches(allowed: ReturnType<typeof utils.parseKey>, offered: { algo: string; data: Buffer }): boolean {
  if (allowed instanceof Error) return false;
  const wanted = allowed.getPublicSSH();
  return (
    allowed.type === offered.algo && wanted.length === offered.data.length && timingSafeEqual(wanted, offered.data)
  );
}

function runInChannel(
  options: Ssh2ServerOptions,
  channel: ServerChannel,
  command: string | undefined,
  env: Record<string, string>,
): void {
  const child = options.shell.spawn(command, env);
  const ended = options.onExec?.();
  if (ended) child.on("close", ended).on("error", ended);
  channel.pipe(child.stdin!);
  child.stdout!.pipe(channel, { end: false });
  child.stderr!.pipe(channel.stderr, { end: false });
  channel.on("close", () => {
    if (child.exitCode === null) child.kill("SIGHUP");
  });
  child.on("error", (error) => {
    channel.stderr.write(`${error.message}\n`);
    channel.exit(127);
    channel.end();
  });
  child.on("close", (code, signal) => {
    if (signal) channel.exit(signal.replace(/^SIG/, ""), false, "");
    else channel.exit(code ?? 0);
    channel.end();
  });
}

function handleSession(
  options: Ssh2ServerOptions,
  client: Connection,
  remote: { ip: string; port: number },
  local: { ip: string; port: number },
): void {
  client.on("session", (accept) => {
    const session = accept();
    const env: Record<string, string> = {
      SSH_CLIENT: `${remote.ip} ${remote.port} ${local.port}`,
      SSH_CONNECTION: `${remote.ip} ${remote.port} ${local.ip} ${local.port}`,
    };
    session.on("pty", (acceptPty) => acceptPty?.());
    session.on("env", (_accept, reject) => reject?.());
    session.on("exec", (acceptExec, _reject, info) => {
      const channel = acceptExec();
      options.ledger.record({ kind: "ssh.exec", command: info.command, user: options.user, server: "ssh2" });
      options.onCommand(info.command);
      runInChannel(options, channel, info.command, env);
    });
    session.on("shell", (acceptShell) => {
      const channel = acceptShell();
      options.ledger.record({ kind: "ssh.exec", command: "", user: options.user, server: "ssh2" });
      runInChannel(options, channel, undefined, env);
    });
  });
}

/**
 * Port forwarding as OpenSSH's sshd does it by default (AllowTcpForwarding yes, sshd_config(5)): a direct-tcpip
 * channel is a TCP connection the host itself opens to the destination, from its own address; a destination that
 * refuses it fails the channel open ("connect failed"), and the client may try again later.
 */
function handleForwarding(options: Ssh2ServerOptions, client: Connection, local: { ip: string }): void {
  client.on("tcpip", (accept, reject, info) => {
    const socket = connect({ host: info.destIP, port: info.destPort, ...(local.ip ? { localAddress: local.ip } : {}) });
    socket.once("error", () => {
      options.ledger.record({
        kind: "ssh.forward",
        detail: `${info.destIP}:${info.destPort}`,
        ok: false,
        server: "ssh2",
      });
      reject?.();
    });
    socket.once("connect", () => {
      options.ledger.record({
        kind: "ssh.forward",
        detail: `${info.destIP}:${info.destPort}`,
        ok: true,
        server: "ssh2",
      });
      const channel = accept?.();
      if (!channel) return socket.destroy();
      socket.removeAllListeners("error");
      socket.on("error", () => channel.destroy());
      channel.on("error", () => socket.destroy());
      channel.pipe(socket).pipe(channel);
    });
  });
}

/**
 * Sends what the server writes in one turn in one write(), as OpenSSH's sshd writes its output buffer: ssh2 writes a
 * packet's length, ciphertext and tag apart, three system calls and three segments per packet (with TCP_NODELAY),
 * each read apart by the client. A discovery's read of a host was 76 writes, 27 with this.
 */
export function writeOncePerTurn(socket: Pick<Socket, "write" | "cork" | "uncork">): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  }) as Socket["write"];
}

/** Creates (not yet listening) the ssh2 server of a host. */
export function createSsh2Server(options: Ssh2ServerOptions): Server {
  const allowed = utils.parseKey(options.authorizedKey);
  const allowedFingerprint = fingerprint(options.authorizedKey);
  const server = new Server({ hostKeys: [readFileSync(options.hostKeyPath)], ident: IDENT }, (client, info) => {
    const remote = { ip: info.ip, port: info.port };
    // TCP_NODELAY from the first packet. OpenSSH's sshd sets it once the session is interactive (seen with strace on
    // Debian's sshd for an exec without a pty), but it writes each turn's packets in one write(), so its key exchange
    // and authentication never wait on Nagle's algorithm; ssh2 writes every packet on its own, and each reply of more
    // than one packet then waited for the client's delayed ACK (40 ms on Linux). A login here took ~150 ms that way,
    // where OpenSSH's sshd on the same machine takes ~40 ms; it takes ~7 ms now.
    (client as unknown as { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    writeOncePerTurn((client as unknown as { _sock: Socket })._sock);
    client.on("authentication", (ctx) => {
      if (ctx.method !== "publickey") return ctx.reject(["publickey"]);
      const ok = ctx.username === options.user && keyMatches(allowed, ctx.key);
      if (!ok) {
        options.ledger.record({
          kind: "ssh.auth",
          user: ctx.username,
          accepted: false,
          server: "ssh2",
          detail: fingerprint(ctx.key.data),
        });
        return ctx.reject(["publickey"]);
      }
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      if (allowed instanceof Error || allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
        return ctx.reject(["publickey"]);
      }
      options.ledger.record({
        kind: "ssh.auth",
        user: ctx.username,
        accepted: true,
        server: "ssh2",
        detail: allowedFingerprint,
      });
      ctx.accept();
    });
    client.on("ready", () => {
      const local = (client as unknown as { _sock?: { localAddress?: string; localPort?: number } })._sock;
      handleSession(options, client, remote, { ip: local?.localAddress ?? "", port: local?.localPort ?? 0 });
      handleForwarding(options, client, { ip: local?.localAddress ?? "" });
    });
    client.on("error", () => undefined);
  });
  return server;
}

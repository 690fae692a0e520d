// Who answers a host's SSH port: its SSH server, nothing (refused) or a black hole that never sends a banner (hang).
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import type { Server as Ssh2Server } from "ssh2";
import { closeServer, listen } from "../http";
import { guard } from "./firewall";

/** The three states of a host's SSH port. */
export type SshPortMode = "serve" | "refuse" | "hang";

/** Starts and stops the real SSH server (ssh2 in-process or an sshd child). */
export interface SshBackend {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The ssh2 backend: listen / close the in-process server. */
export function ssh2Backend(server: Ssh2Server, address: string, port: number): SshBackend {
  return {
    start: () => listen(server as unknown as net.Server, { host: address, port }),
    stop: () => closeServer(server as unknown as net.Server),
  };
}

/** The sshd backend: spawn sshd and wait until it accepts connections; stop it with SIGTERM. */
export function sshdBackend(spawnSshd: () => ChildProcess, address: string, port: number): SshBackend {
  let child: ChildProcess | undefined;
  return {
    async start() {
      child = spawnSshd();
      const started = child;
      for (let i = 0; i < 200; i++) {
        if (started.exitCode !== null) {
          throw new Error(`sshd exited with status ${started.exitCode} (see the host's sshd.log)`);
        }
        if (await accepts(address, port)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`sshd did not listen on ${address}:${port}`);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGTERM");
      });
    },
  };
}

/**
 * A host behind the bastion: its SSH server (`inner`) listens on `innerAddress`, and a guard on the host's own
 * address passes on only connections from the cluster's processes (the bastion's sshd); the operator's are reset.
 */
export function behindBastion(
  inner: SshBackend,
  address: string,
  innerAddress: string,
  port: number,
  clusterId: string,
): SshBackend {
  let front: net.Server | undefined;
  const open = new Set<net.Socket>();
  return {
    async start() {
      await inner.start();
      const server = net.createServer((socket) => {
        const back = net.connect({ host: innerAddress, port });
        for (const s of [socket, back]) {
          open.add(s);
          s.on("close", () => open.delete(s));
          s.on("error", () => {
            socket.destroy();
            back.destroy();
          });
        }
        socket.pipe(back).pipe(socket);
      });
      guard(server, clusterId);
      await listen(server, { host: address, port });
      front = server;
    },
    async stop() {
      for (const s of open) s.destroy();
      open.clear();
      if (front) await closeServer(front);
      front = undefined;
      await inner.stop();
    },
  };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Switches a host's SSH port between serving, refusing and hanging. */
export class SshPort {
  private mode: SshPortMode = "refuse";
  private blackHole: net.Server | undefined;
  private readonly held = new Set<net.Socket>();

  constructor(
    private readonly backend: SshBackend,
    private readonly address: string,
    private readonly port: number,
  ) {}

  /** The current mode. */
  get current(): SshPortMode {
    return this.mode;
  }

  /** Moves to `mode`, stopping whatever answered before. */
  async set(mode: SshPortMode): Promise<void> {
    if (mode === this.mode) return;
    if (this.mode === "serve") await this.backend.stop();
    if (this.mode === "hang") await this.stopBlackHole();
    if (mode === "serve") await this.backend.start();
    if (mode === "hang") await this.startBlackHole();
    this.mode = mode;
  }

  private async startBlackHole(): Promise<void> {
    this.blackHole = net.createServer((socket) => {
      this.held.add(socket);
      socket.on("close", () => this.held.delete(socket));
      socket.on("error", () => undefined);
    });
    await listen(this.blackHole, { host: this.address, port: this.port });
  }

  private async stopBlackHole(): Promise<void> {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
    if (this.blackHole) await closeServer(this.blackHole);
    this.blackHole = undefined;
  }
}

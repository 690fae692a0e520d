// Client of the simulated ZooKeeper: one session per connection, promise-based calls, child/data watch callbacks.
import net from "node:net";
import type { ZkRequest, ZkResponse } from "./server";

/** A failed call, carrying ZooKeeper's error name (NONODE, NODEEXISTS, …). */
export class ZkError extends Error {
  override readonly name = "ZkError";
  constructor(
    readonly code: string,
    path: string,
  ) {
    super(`ZooKeeper ${code} for ${path}`);
  }
}

type Pending = { resolve: (r: ZkResponse) => void; reject: (e: Error) => void };

/** An open session. */
export class ZkClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private buffer = "";
  private closed = false;
  /** Called once if the connection is lost without `close()`/`abandon()`. */
  onDisconnect: () => void = () => undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.receive(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      for (const p of this.pending.values()) p.reject(new ZkError("CONNECTIONLOSS", ""));
      this.pending.clear();
      if (!this.closed) {
        this.closed = true;
        this.onDisconnect();
      }
    });
  }

  /** Connects and opens a session that outlives a dropped connection by `sessionTimeoutMs`. */
  static connect(host: string, port: number, sessionTimeoutMs: number): Promise<ZkClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        const client = new ZkClient(socket);
        client.call({ op: "connect", sessionTimeoutMs }).then(() => resolve(client), reject);
      });
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const response = JSON.parse(this.buffer.slice(0, newline)) as ZkResponse;
      this.buffer = this.buffer.slice(newline + 1);
      if (response.event && response.path) {
        for (const watcher of this.watchers.get(`${response.event}:${response.path}`) ?? []) watcher();
      } else if (response.id !== undefined) {
        const pending = this.pending.get(response.id);
        this.pending.delete(response.id);
        pending?.resolve(response);
      }
    }
  }

  private call(request: Omit<ZkRequest, "id">): Promise<ZkResponse> {
    if (this.closed) return Promise.reject(new ZkError("CONNECTIONLOSS", request.path ?? ""));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  }

  private async checked(request: Omit<ZkRequest, "id">): Promise<ZkResponse> {
    const response = await this.call(request);
    if (!response.ok) throw new ZkError(response.error ?? "UNKNOWN", request.path ?? "");
    return response;
  }

  /** Creates a node (parents too); returns its actual path (with the sequence number if sequential). */
  async create(
    path: string,
    data: string,
    options: { ephemeral?: boolean; sequential?: boolean } = {},
  ): Promise<string> {
    return (await this.checked({ op: "create", path, data, parents: true, ...options })).path as string;
  }

  /** A node's data, or undefined if it does not exist. */
  async get(path: string): Promise<string | undefined> {
    const response = await this.call({ op: "get", path });
    return response.ok ? (response.data ?? "") : undefined;
  }

  /** Sets a node's data, creating it (and parents) when missing. */
  async put(path: string, data: string): Promise<void> {
    const response = await this.call({ op: "set", path, data });
    if (!response.ok) {
      await this.create(path, data).catch((e: ZkError) =>
        e.code === "NODEEXISTS" ? this.put(path, data) : Promise.reject(e),
      );
    }
  }

  /** Deletes a node; missing nodes are ignored. */
  async remove(path: string): Promise<void> {
    await this.call({ op: "delete", path });
  }

  /** Names of a node's children (empty if the node does not exist). */
  async children(path: string): Promise<string[]> {
    const response = await this.call({ op: "children", path });
    return response.ok ? [...(response.children ?? [])] : [];
  }

  /** Calls `listener` whenever the children of `path` change. */
  async watchChildren(path: string, listener: () => void): Promise<void> {
    const key = `children:${path}`;
    if (!this.watchers.has(key)) this.watchers.set(key, new Set());
    this.watchers.get(key)!.add(listener);
    await this.checked({ op: "watch", path });
  }

  /** The subtree at `path` as plain data. */
  async dump(path = "/"): Promise<unknown> {
    return (await this.checked({ op: "dump", path })).tree;
  }

  /** Ends the session now (ephemeral nodes vanish at once). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: "close" }).catch(() => undefined);
    this.closed = true;
    this.socket.destroy();
  }

  /** Drops the connection like a crashed process: the session expires after its timeout. */
  abandon(): void {
    this.closed = true;
    this.socket.destroy();
  }
}

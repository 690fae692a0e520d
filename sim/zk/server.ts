// A ZooKeeper-like coordination service: a znode tree with ephemeral and sequential nodes, sessions that expire a
// session-timeout after their connection drops, and child/data watches. Speaks JSON lines, plus "ruok"/"srvr".
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import net from "node:net";

/** One request line from a client. */
export interface ZkRequest {
  readonly id: number;
  readonly op: "connect" | "create" | "get" | "set" | "delete" | "children" | "exists" | "watch" | "close" | "dump";
  readonly path?: string;
  readonly data?: string;
  readonly ephemeral?: boolean;
  readonly sequential?: boolean;
  /** create: also create missing parents (persistent, empty). */
  readonly parents?: boolean;
  /** connect: how long the session outlives a dropped connection, in ms. */
  readonly sessionTimeoutMs?: number;
}

/** One response or event line to a client. */
export interface ZkResponse {
  readonly id?: number;
  readonly ok?: boolean;
  /** ZooKeeper's error names: NONODE, NODEEXISTS, NOTEMPTY, BADARGUMENTS, SESSIONEXPIRED. */
  readonly error?: string;
  readonly path?: string;
  readonly data?: string;
  readonly children?: readonly string[];
  readonly exists?: boolean;
  readonly session?: number;
  readonly event?: "children" | "data";
  readonly tree?: unknown;
}

interface Znode {
  data: string;
  owner?: number;
  sequence: number;
  children: Map<string, Znode>;
  mtime: number;
}

interface Session {
  readonly id: number;
  timeoutMs: number;
  socket?: net.Socket;
  expiry?: NodeJS.Timeout;
  readonly watches: Set<string>;
}

function split(path: string): string[] {
  return path.split("/").filter((p) => p !== "");
}

/** The znode tree and sessions; transport-independent so it can be tested directly. */
export class ZkTree {
  private readonly root: Znode = { data: "", sequence: 0, children: new Map(), mtime: Date.now() };
  private readonly sessions = new Map<number, Session>();
  private nextSession = 1;
  /** Called whenever the persistent tree changes (for snapshots). */
  onChange: () => void = () => undefined;

  private find(path: string): Znode | undefined {
    let node: Znode | undefined = this.root;
    for (const part of split(path)) node = node?.children.get(part);
    return node;
  }

  private notify(path: string, event: "children" | "data"): void {
    for (const session of this.sessions.values()) {
      if (session.watches.has(path)) session.socket?.write(`${JSON.stringify({ event, path })}\n`);
    }
  }

  /** Opens a session bound to a socket. */
  openSession(socket: net.Socket, timeoutMs: number): number {
    const id = this.nextSession++;
    this.sessions.set(id, { id, timeoutMs, socket, watches: new Set() });
    return id;
  }

  /** The connection dropped: the session (and its ephemeral nodes) expires after its timeout. */
  dropConnection(id: number): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.socket = undefined;
    session.expiry = setTimeout(() => this.closeSession(id), session.timeoutMs);
  }

  /** Ends a session now, deleting its ephemeral nodes. */
  closeSession(id: number): void {
    const session = this.sessions.get(id);
    if (!session) return;
    if (session.expiry) clearTimeout(session.expiry);
    this.sessions.delete(id);
    this.removeOwned(this.root, "", id);
  }

  private removeOwned(node: Znode, path: string, owner: number): void {
    for (const [name, child] of [...node.children]) {
      const childPath = `${path}/${name}`;
      if (child.owner === owner) {
        node.children.delete(name);
        this.notify(path === "" ? "/" : path, "children");
      } else {
        this.removeOwned(child, childPath, owner);
      }
    }
  }

  /** Handles one request for a session. */
  handle(session: number, request: ZkRequest): ZkResponse {
    const id = request.id;
    const path = request.path ?? "/";
    switch (request.op) {
      case "create": {
        const parts = split(path);
        const last = parts.pop();
        if (last === undefined) return { id, ok: false, error: "BADARGUMENTS" };
        let parent = this.root;
        for (const part of parts) {
          let next = parent.children.get(part);
          if (!next) {
            if (!request.parents) return { id, ok: false, error: "NONODE" };
            next = { data: "", sequence: 0, children: new Map(), mtime: Date.now() };
            parent.children.set(part, next);
          }
          parent = next;
        }
        const name = request.sequential ? `${last}${String(parent.sequence++).padStart(10, "0")}` : last;
        if (parent.children.has(name)) return { id, ok: false, error: "NODEEXISTS" };
        const node: Znode = { data: request.data ?? "", sequence: 0, children: new Map(), mtime: Date.now() };
        if (request.ephemeral) node.owner = session;
        parent.children.set(name, node);
        const parentPath = parts.length === 0 ? "/" : `/${parts.join("/")}`;
        this.notify(parentPath, "children");
        if (!request.ephemeral) this.onChange();
        return { id, ok: true, path: `${parentPath === "/" ? "" : parentPath}/${name}` };
      }
      case "get": {
        const node = this.find(path);
        return node ? { id, ok: true, data: node.data } : { id, ok: false, error: "NONODE" };
      }
      case "set": {
        const node = this.find(path);
        if (!node) return { id, ok: false, error: "NONODE" };
        node.data = request.data ?? "";
        node.mtime = Date.now();
        this.notify(path, "data");
        this.onChange();
        return { id, ok: true };
      }
      case "delete": {
        const parts = split(path);
        const last = parts.pop();
        const parent = this.find(`/${parts.join("/")}`);
        const node = last === undefined ? undefined : parent?.children.get(last);
        if (!parent || !node || last === undefined) return { id, ok: false, error: "NONODE" };
        if (node.children.size > 0) return { id, ok: false, error: "NOTEMPTY" };
        parent.children.delete(last);
        this.notify(parts.length === 0 ? "/" : `/${parts.join("/")}`, "children");
        this.onChange();
        return { id, ok: true };
      }
      case "children": {
        const node = this.find(path);
        return node ? { id, ok: true, children: [...node.children.keys()].sort() } : { id, ok: false, error: "NONODE" };
      }
      case "exists":
        return { id, ok: true, exists: this.find(path) !== undefined };
      case "watch":
        this.sessions.get(session)?.watches.add(path);
        return { id, ok: true };
      case "dump":
        return { id, ok: true, tree: this.dump(this.find(path) ?? this.root) };
      default:
        return { id, ok: false, error: "BADARGUMENTS" };
    }
  }

  /** The tree under a node as plain data (ephemeral owners included), for backups and debugging. */
  dump(node: Znode = this.root): unknown {
    return {
      data: node.data,
      ...(node.owner === undefined ? {} : { ephemeralOwner: node.owner }),
      children: Object.fromEntries([...node.children].map(([name, child]) => [name, this.dump(child)])),
    };
  }

  /** Counts for the "srvr" four-letter word. */
  stats(): { nodes: number; sessions: number } {
    let nodes = 0;
    const walk = (n: Znode) => {
      nodes++;
      n.children.forEach(walk);
    };
    walk(this.root);
    return { nodes, sessions: this.sessions.size };
  }
}

/** Serves a tree on a TCP address; snapshots persistent data to `snapshotPath` after changes. */
export function serveZk(tree: ZkTree, snapshotPath?: string): net.Server {
  let pending: NodeJS.Timeout | undefined;
  tree.onChange = () => {
    if (!snapshotPath || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      // Written aside and renamed, so a copy taken at any moment (a backup) holds a whole snapshot.
      mkdirSync(dirname(snapshotPath), { recursive: true });
      writeFileSync(`${snapshotPath}.tmp`, JSON.stringify(tree.dump(), null, 1));
      renameSync(`${snapshotPath}.tmp`, snapshotPath);
    }, 50);
  };
  return net.createServer((socket) => {
    let session: number | undefined;
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (session === undefined && /^(ruok|srvr|stat)\s*$/.test(buffer)) {
        const word = buffer.trim();
        const { nodes, sessions } = tree.stats();
        // ZooKeeper 3.4's StatCommand: version, ServerStats.toString() (latency, packets, connections, zxid, mode),
        // node count (apache/zookeeper `server/command/StatCommand.java`); "stat" adds the clients, left out here.
        socket.end(
          word === "ruok"
            ? "imok"
            : `Zookeeper version: 3.4.5--1, built on 06/10/2013 17:26 GMT (simulated)\nLatency min/avg/max: 0/0/0\nReceived: 0\nSent: 0\nConnections: ${sessions}\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: ${nodes}\n`,
        );
        return;
      }
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.trim() === "") continue;
        let request: ZkRequest;
        try {
          request = JSON.parse(line) as ZkRequest;
        } catch {
          socket.destroy();
          return;
        }
        if (request.op === "connect") {
          session = tree.openSession(socket, request.sessionTimeoutMs ?? 10_000);
          socket.write(`${JSON.stringify({ id: request.id, ok: true, session })}\n`);
        } else if (session === undefined) {
          socket.write(`${JSON.stringify({ id: request.id, ok: false, error: "SESSIONEXPIRED" })}\n`);
        } else if (request.op === "close") {
          tree.closeSession(session);
          session = undefined;
          socket.end(`${JSON.stringify({ id: request.id, ok: true })}\n`);
        } else {
          socket.write(`${JSON.stringify(tree.handle(session, request))}\n`);
        }
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (session !== undefined) tree.dropConnection(session);
    });
  });
}

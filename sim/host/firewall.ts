// A locked-down network around the cluster: a guarded port answers only the cluster's own processes (what runs on
// its hosts: daemons, containers, each host's sshd), and resets every other connection — the operator's machine
// included — as a prod firewall that opens only SSH (or only the bastion) would.
//
// The hosts' daemons connect from their own addresses (sim/http.ts binds SIM_HOST_ADDRESS), which pass at once.
// Everything else arrives from 127.0.0.1 — a host's sshd forwarding a channel as well as the operator — since
// every host shares the machine's loopback; for those the guard asks the kernel who holds the other end:
// /proc/net/tcp names the peer socket's inode, /proc/<pid>/fd who owns it, and /proc/<pid>/environ whether that
// process (or an ancestor: sshd's children) carries this cluster's SIM_CLUSTER_ID, which every process the
// cluster starts does. The operator is told not to bind a host's address as its source.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type http from "node:http";
import { createServer as createNetServer } from "node:net";
import type net from "node:net";

/** "127.0.0.1" and port 5050 as /proc/net/tcp writes them: "0100007F:13BA". */
export function procAddress(address: string, port: number): string {
  const octets = address
    .replace(/^::ffff:/, "")
    .split(".")
    .map(Number);
  const hex = octets
    .reverse()
    .map((o) => o.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
  return `${hex}:${port.toString(16).padStart(4, "0").toUpperCase()}`;
}

/** The inode of the TCP socket whose local end is `local` and remote end `remote` (procAddress form). */
export function socketInode(tcpTable: string, local: string, remote: string): string | undefined {
  for (const line of tcpTable.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return fields[9];
  }
  return undefined;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
}

/** The parent of each process (from /proc/<pid>/stat; the command name may hold spaces and parentheses). */
function parents(pids: readonly string[]): Map<string, string> {
  const parent = new Map<string, string>();
  for (const pid of pids) {
    const stat = readOr(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[1]) parent.set(pid, fields[1]);
  }
  return parent;
}

/** The cluster's processes, recomputed at most every REFRESH_MS (a guard runs on every connection). */
const REFRESH_MS = 1000;
let known: { readonly clusterId: string; readonly at: number; readonly pids: readonly string[] } | undefined;

/**
 * The processes of this cluster: those that carry its id, and their descendants (sshd's setproctitle overwrites
 * its own /proc/<pid>/environ, so its per-connection children are known by their ancestry).
 */
export function clusterProcesses(clusterId: string): readonly string[] {
  const marker = `SIM_CLUSTER_ID=${clusterId}`;
  const pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  const parent = parents(pids);
  const marked = new Map<string, boolean>();
  const inCluster = (pid: string): boolean => {
    const chain: string[] = [];
    let current: string | undefined = pid;
    let found = false;
    while (current && current !== "0" && chain.length < 64) {
      const seen = marked.get(current);
      if (seen !== undefined) {
        found = seen;
        break;
      }
      chain.push(current);
      if (readOr(`/proc/${current}/environ`).split("\0").includes(marker)) {
        found = true;
        break;
      }
      current = parent.get(current);
    }
    for (const p of chain) marked.set(p, found);
    return found;
  };
  return pids.filter(inCluster);
}

/** Whether one of `pids` holds the socket `target` ("socket:[inode]"). */
function anyHolds(pids: readonly string[], target: string): boolean {
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return true;
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return false;
}

/**
 * Whether a process of this cluster holds the socket `inode` (a process started since the last look is looked for
 * again).
 */
function clusterHolds(inode: string, clusterId: string): boolean {
  const target = `socket:[${inode}]`;
  const now = Date.now();
  if (known && known.clusterId === clusterId && now - known.at < REFRESH_MS && anyHolds(known.pids, target)) {
    return true;
  }
  known = { clusterId, at: now, pids: clusterProcesses(clusterId) };
  return anyHolds(known.pids, target);
}

/**
 * Whether the peer of `socket` (accepted by this process) is a process of the cluster `clusterId`. The cluster's
 * daemons connect from their hosts' addresses (SIM_CLUSTER_ADDRESSES), which passes at once; a connection from
 * 127.0.0.1 (a host's sshd forwarding a channel, or the operator) is looked up in /proc.
 */
export function fromCluster(socket: net.Socket, clusterId: string): boolean {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return false;
  const clusterAddresses = (process.env.SIM_CLUSTER_ADDRESSES ?? "").split(",").filter(Boolean);
  if (clusterAddresses.includes(remoteAddress.replace(/^::ffff:/, ""))) return true;
  const peerEnd = procAddress(remoteAddress, remotePort);
  const ourEnd = procAddress(localAddress, localPort);
  const inode = socketInode(readOr("/proc/net/tcp"), peerEnd, ourEnd);
  return inode !== undefined && inode !== "0" && clusterHolds(inode, clusterId);
}

/** Makes `server` reset every connection that does not come from a process of the cluster. */
export function guard(server: net.Server, clusterId: string, onRefused?: (peer: string) => void): void {
  server.prependListener("connection", (socket: net.Socket) => {
    if (fromCluster(socket, clusterId)) return;
    onRefused?.(`${socket.remoteAddress}:${socket.remotePort}`);
    socket.resetAndDestroy();
  });
}

/** The environment flag host daemons carry when the cluster is firewalled. */
export const FIREWALL_ENV = "SIM_FIREWALL";

/** True in a process of a firewalled cluster; its services then answer the cluster only. */
export function firewalled(): boolean {
  return process.env[FIREWALL_ENV] === "1" && !!process.env.SIM_CLUSTER_ID;
}

/**
 * The address a host behind the bastion really serves SSH on: the operator is told not to use it (127.0.x.y →
 * 127.128.x.y).
 */
export function innerAddress(address: string): string {
  const [a, b, c, d] = address.split(".").map(Number);
  return `${a}.${(b + 128) % 256}.${c}.${d}`;
}

async function readOrAsync(path: string): Promise<string> {
  try {
    return await readFile(path, "latin1");
  } catch {
    return "";
  }
}

/** fromCluster without blocking the serving process: a daemon stays responsive while /proc is read. */
export async function fromClusterAsync(socket: net.Socket, clusterId: string): Promise<boolean> {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return false;
  const clusterAddresses = (process.env.SIM_CLUSTER_ADDRESSES ?? "").split(",").filter(Boolean);
  if (clusterAddresses.includes(remoteAddress.replace(/^::ffff:/, ""))) return true;
  const inode = socketInode(
    await readOrAsync("/proc/net/tcp"),
    procAddress(remoteAddress, remotePort),
    procAddress(localAddress, localPort),
  );
  return inode !== undefined && inode !== "0" && clusterHolds(inode, clusterId);
}

/**
 * Listens for `server` on host:port behind the guard: each connection waits, unread (pauseOnConnect), until the
 * guard has decided; only then is it served (by `serve`, or the HTTP server itself). Without a `clusterId` every
 * connection passes (a front with no firewall: TLS detection, sim/tls.ts). Closing `server` closes the front too.
 */
export async function listenGuarded(
  server: http.Server,
  host: string,
  port: number,
  clusterId: string | undefined,
  serve?: (socket: net.Socket) => void,
): Promise<void> {
  const open = new Set<net.Socket>();
  const hand =
    serve ??
    ((socket: net.Socket) => {
      server.emit("connection", socket);
      socket.resume();
    });
  const front = createNetServer({ pauseOnConnect: true }, (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => undefined);
    if (clusterId === undefined) return hand(socket);
    fromClusterAsync(socket, clusterId).then(
      (allowed) => {
        if (!allowed) return socket.resetAndDestroy();
        hand(socket);
      },
      () => socket.resetAndDestroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, host, () => resolve());
  });
  // Closing the HTTP server closes the guard, so the port is free again when the callback runs (a restart binds it).
  server.close = ((callback?: (error?: Error) => void) => {
    for (const socket of open) socket.destroy();
    front.close(() => callback?.());
    return server;
  }) as typeof server.close;
}

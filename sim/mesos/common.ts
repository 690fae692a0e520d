// What the simulated Mesos master, agent and Marathon share: glog-style logging, zk:// URLs, the ZooKeeper leader
// detector with each release's label rules, HTTP binding on the host's address, and libprocess message calls.
import { firewalled, listenGuarded } from "../host/firewall";
import { tlsFront, type TlsServing } from "../tls";
import { readFileSync } from "node:fs";
import type http from "node:http";
import { mesosTraits, type MesosRelease } from "../catalogue/mesos";
import type { ContainerContext } from "../docker/program";
import { closeServer, createServer, listen, request, type Handler, type HttpResult } from "../http";
import { ZkClient } from "../zk/client";

/** What a master publishes in ZooKeeper (the simulator stores JSON under either label). */
export interface MasterInfo {
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  readonly pid: string;
  readonly hostname: string;
  readonly version: string;
  readonly address: { readonly ip: string; readonly port: number; readonly hostname: string };
}

/**
 * Whether two detections name the same master. MasterInfo's operator== compares id, ip, port, pid and hostname
 * (src/common/type_utils.cpp, 0.22.1), so a master restarted at the same address is a new master to its detectors:
 * every agent re-registers with it and every framework registers again.
 */
export function sameMaster(a: MasterInfo | undefined, b: MasterInfo | undefined): boolean {
  if (!a || !b) return a === b;
  return a.id === b.id && a.ip === b.ip && a.port === b.port && a.pid === b.pid && a.hostname === b.hostname;
}

/**
 * Runs a detection one at a time: a call while one runs asks for one more run after it. Mesos' detectors answer one
 * detect(previous) at a time (src/master/detector.cpp), so a slower read of an older leader never lands after the
 * read of a newer one. Errors reach the caller whose run failed, unless another run was asked for meanwhile.
 */
export function oneAtATime(detect: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await detect();
        } catch (error) {
          if (!again) throw error;
        }
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/** Writes a glog line ("I1125 10:11:12.123456  4321 master.cpp:123] …") to the container's stderr. */
export function glog(ctx: ContainerContext, level: "I" | "W" | "E" | "F", file: string, message: string): void {
  const now = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp = `${pad(now.getMonth() + 1)}${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds() * 1000, 6)}`;
  ctx.stderr(`${level}${stamp} ${String(process.pid).padStart(5)} ${file}] ${message}`);
}

/** A parsed zk:// URL. */
export interface ZkUrl {
  readonly servers: ReadonlyArray<{ host: string; port: number }>;
  readonly path: string;
}

/** Parses "zk://host:port[,host:port]/path" (credentials "user:pass@" are accepted and ignored). */
export function parseZkUrl(text: string): ZkUrl | { error: string } {
  const match = /^zk:\/\/(?:[^@/]+@)?([^/]+)(\/.*)$/.exec(text.trim());
  if (!match) return { error: `Expecting 'zk://' at the beginning of the URL` };
  const servers = (match[1] as string).split(",").map((s) => {
    const [host, port] = s.split(":");
    return { host: host as string, port: Number(port ?? 2181) };
  });
  const path = (match[2] as string).replace(/\/+$/, "") || "/";
  return { servers, path };
}

/** Connects to the first reachable ZooKeeper server of a URL. */
export async function connectZk(url: ZkUrl, sessionTimeoutMs: number): Promise<ZkClient> {
  let last: unknown;
  for (const server of url.servers) {
    try {
      return await ZkClient.connect(server.host, server.port, sessionTimeoutMs);
    } catch (error) {
      last = error;
    }
  }
  throw last instanceof Error ? last : new Error("no ZooKeeper server reachable");
}

/** The sequence number of a member znode ("json.info_0000000007" → 7). */
export function sequenceOf(member: string): number {
  return Number(member.slice(-10));
}

/** The current leader as a release's detector sees it: the lowest sequence; a label it cannot parse is a failure. */
export async function detectMaster(
  zk: ZkClient,
  path: string,
  readerVersion: string,
): Promise<{ leader?: MasterInfo; error?: string; members: string[] }> {
  const members = (await zk.children(path))
    .filter((m) => /^(json\.)?info_\d{10}$/.test(m))
    .sort((a, b) => sequenceOf(a) - sequenceOf(b));
  const first = members[0];
  if (!first) return { members };
  const label = first.slice(0, first.lastIndexOf("_"));
  if (label === "json.info" && !mesosTraits(readerVersion).readsJsonLabel) {
    return { members, error: "Failed to parse data of unknown label 'json.info'" };
  }
  const data = await zk.get(`${path === "/" ? "" : path}/${first}`);
  if (data === undefined) return { members };
  return { leader: JSON.parse(data) as MasterInfo, members };
}

/** The address a `--net host` daemon binds: --ip (0.0.0.0 meaning the host's own address) or the host's address. */
export function bindAddress(ctx: ContainerContext, ip: string | undefined): { ip: string } | { error: string } {
  if (ctx.networkMode !== "host") {
    return { error: `the simulator runs ${ctx.image} only with --net=host (got --net=${ctx.networkMode})` };
  }
  if (ip === undefined || ip === "0.0.0.0" || ip === ctx.host.address) return { ip: ctx.host.address };
  return { error: `Cannot assign requested address: ${ip}` };
}

/**
 * Starts an HTTP server on ip:port (HTTPS too when `tls` says so); resolves with the server or the bind error text
 * Mesos prints.
 */
export async function serveHttp(
  ip: string,
  port: number,
  handler: Handler,
  tls?: TlsServing,
): Promise<http.Server | { error: string }> {
  const server = createServer(handler);
  try {
    // A firewalled cluster (StartOptions.firewall): Mesos and Marathon answer the cluster's own processes only.
    if (firewalled() || tls) {
      await listenGuarded(
        server,
        ip,
        port,
        firewalled() ? process.env.SIM_CLUSTER_ID : undefined,
        tls ? tlsFront(server, tls) : undefined,
      );
    } else await listen(server, { host: ip, port });
    return server;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text =
      code === "EADDRINUSE" ? "Address already in use: Address already in use [98]" : (error as Error).message;
    return { error: `Failed to initialize: Failed to bind on ${ip}:${port}: ${text}` };
  }
}

/** Stops a server if it is running. */
export async function stopHttp(server: http.Server | undefined): Promise<void> {
  if (server) await closeServer(server);
}

/**
 * Sends a libprocess message to another Mesos process: POST /<process>/mesos.internal.<name>, over the connection
 * already open to that address if there is one. libprocess sends a message over the persistent socket that link()
 * opened to its address (SocketManager::send, 3rdparty/libprocess/src/process.cpp), and the processes that talk all
 * the time are linked: the master to each agent it registers, an agent and a scheduler driver to their master.
 */
export function sendMessage(
  ip: string,
  port: number,
  processName: string,
  message: string,
  body: unknown,
  timeoutMs = 5000,
): Promise<HttpResult> {
  return request({ host: ip, port }, `/${processName}/mesos.internal.${message}`, {
    method: "POST",
    body,
    timeoutMs,
    persistent: true,
  });
}

/** libprocess routing: a path outside every known process goes to the default one ("/state" → "/slave(1)/state"). */
export function routePath(path: string, defaultProcess: string, processes: readonly string[]): string {
  const first = path.split("/")[1] ?? "";
  if (processes.includes(first)) return path;
  return `/${defaultProcess}${path === "/" ? "" : path}`;
}

/** An interval timer in simulated seconds that stops when `stop()` is called. */
export function every(ctx: ContainerContext, seconds: number, tick: () => Promise<void> | void): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    if (stopped) return;
    try {
      await tick();
    } catch {
      // a failed tick is retried on the next one
    }
    if (!stopped) timer = setTimeout(loop, Math.max(10, ctx.clock.ms(seconds)));
  };
  timer = setTimeout(loop, Math.max(10, ctx.clock.ms(seconds)));
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Version fields shared by /state and /version. */
export function buildInfo(version: string, gitSha: string, buildDate: string): Record<string, unknown> {
  const date = new Date(buildDate);
  return {
    version,
    git_sha: gitSha,
    git_tag: version,
    build_date: date.toISOString().replace("T", " ").slice(0, 19),
    build_time: Math.floor(date.getTime() / 1000),
    build_user: "root",
  };
}

/** The lifetime of a simulated daemon: what it holds open, and the three ways it ends. */
export interface DaemonLife {
  server: http.Server | undefined;
  /** The daemon's own ZooKeeper session (its registry, its election), set once held (hold). */
  zk: ZkClient | undefined;
  /** True once the daemon has ended. */
  readonly ended: boolean;
  /** Runs `tick` every `seconds` of simulated time until the daemon ends. */
  every(seconds: number, tick: () => Promise<void> | void): void;
  /** Runs `fn` once after `seconds`, unless the daemon ended first. */
  after(seconds: number, fn: () => void): void;
  /** Calls `fn` when the daemon ends (unsubscribe hooks), or now if it has ended. */
  onEnd(fn: () => void): void;
  /**
   * Holds a ZooKeeper session the daemon has just connected: it goes with the daemon (left to expire, as a dying
   * process's). False if the daemon ended while it connected: the session goes at once, and the daemon, killed in
   * the meantime, must not go on with it (a leftover election member would lead for a dead process forever).
   */
  hold(zk: ZkClient): boolean;
  /** Releases everything (a dying process does not close its ZooKeeper session: it expires) and returns `code`. */
  end(code: number): number;
  /** Prints `message` to stderr and exits with `code`. */
  exit(message: string, code?: number): void;
  /** glog's LOG(FATAL)/CHECK: the message, the stack trace banner, then abort (exit status 134). */
  fatal(file: string, message: string): void;
}

/** A lifetime for a daemon running in a container. */
export function daemonLife(ctx: ContainerContext): DaemonLife {
  const loops: Array<{ stop(): void }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const hooks: Array<() => void> = [];
  let ended = false;
  const life: DaemonLife = {
    server: undefined,
    zk: undefined,
    get ended() {
      return ended;
    },
    every: (seconds, tick) => void loops.push(every(ctx, seconds, tick)),
    after: (seconds, fn) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!ended) fn();
      }, ctx.clock.ms(seconds));
      timers.add(timer);
    },
    onEnd: (fn) => {
      if (ended) fn();
      else hooks.push(fn);
    },
    hold: (zk) => {
      life.onEnd(() => zk.abandon());
      return !ended;
    },
    end: (code) => {
      if (ended) return code;
      ended = true;
      for (const loop of loops) loop.stop();
      for (const timer of timers) clearTimeout(timer);
      // The ZooKeeper sessions it held go with these (hold).
      for (const hook of hooks) hook();
      void stopHttp(life.server);
      return code;
    },
    exit: (message, code = 1) => {
      ctx.stderr(message);
      ctx.exit(life.end(code));
    },
    fatal: (file, message) => {
      glog(ctx, "F", file, message);
      ctx.stderr("*** Check failure stack trace: ***");
      ctx.exit(life.end(134));
    },
  };
  return life;
}

/** Reads a file inside the container (for stout's file:// flag values); undefined if missing. */
export function containerFileReader(ctx: ContainerContext): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(ctx.resolvePath(path), "utf8");
    } catch {
      return undefined;
    }
  };
}

/** The tag of the container's image ("mesosphere/mesos-slave:0.23.1-1.0.ubuntu1404" → "0.23.1-1.0.ubuntu1404"). */
export function imageTag(ctx: ContainerContext): string {
  return ctx.image.slice(ctx.image.lastIndexOf(":") + 1);
}

/** One Mesos daemon of a release, running in its container (the master and the agent share this part of their node). */
export interface MesosNode {
  readonly ctx: ContainerContext;
  readonly release: MesosRelease | undefined;
  readonly version: string;
  readonly traits: ReturnType<typeof mesosTraits>;
  readonly life: DaemonLife;
}

/** "Agent" from 1.0, "Slave" before (the word the release's log lines and messages use). */
export function agentWord(node: MesosNode): string {
  return node.traits.agentWord === "agent" ? "Agent" : "Slave";
}

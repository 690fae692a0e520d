// One HTTP client and one small router for every simulator process (TCP or unix socket, JSON or text).
import http from "node:http";

/** Where a request goes: a unix socket, or an address and port. */
export type Endpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number };

/** A response with its body read. */
export interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Options of one request. */
export interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroys the request when aborted (the caller went away). */
  readonly signal?: AbortSignal;
  /**
   * Reuses an open connection to the same address (libprocess' links between processes); a new one per request
   * otherwise.
   */
  readonly persistent?: boolean;
  /** The caller's own pool of connections (one client process's), instead of a new connection per request. */
  readonly agent?: http.Agent;
}

const agent = new http.Agent({ keepAlive: false });

/** Connections kept open between requests, as libprocess keeps one socket per peer for its messages. */
const persistentAgent = keptAliveConnections();

/**
 * A pool that keeps a connection open between requests, closing an idle one after 4 s, before the server side drops
 * it (Node's keepAliveTimeout, 5 s), so a request never goes out on a connection the server is closing.
 */
export function keptAliveConnections(): http.Agent {
  return new http.Agent({ keepAlive: true, timeout: 4000 });
}

/** Collects a message's body as text. */
function readBody(message: http.IncomingMessage, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  message.on("data", (c: Buffer) => chunks.push(c));
  message.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
}

/** JSON.parse that answers undefined for empty or non-JSON text. */
function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends a request; rejects on connection errors (with the socket error's code) and on timeout. */
export function request(endpoint: Endpoint, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        // In a firewalled cluster a host's processes connect from the host's own address (SIM_HOST_ADDRESS, set by
        // its daemon), as on a network, so the firewall knows them (sim/host/firewall.ts).
        ...("socketPath" in endpoint
          ? { socketPath: endpoint.socketPath }
          : {
              host: endpoint.host,
              port: endpoint.port,
              ...(process.env.SIM_HOST_ADDRESS && process.env.SIM_FIREWALL === "1"
                ? { localAddress: process.env.SIM_HOST_ADDRESS }
                : {}),
            }),
        agent: options.agent ?? (options.persistent ? persistentAgent : agent),
        path,
        method: options.method ?? (payload === undefined ? "GET" : "POST"),
        headers: {
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 10_000,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        readBody(res, (text) =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error(`request to ${path} timed out`), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A handler's answer: status, body (object → JSON, string → text) and headers. */
export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A parsed incoming request. */
export interface Incoming {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body as JSON (undefined if empty or not JSON). */
  readonly json: unknown;
  readonly raw: http.IncomingMessage;
  readonly res: http.ServerResponse;
}

/** Handles a request; returning undefined means the handler wrote the response itself. */
export type Handler = (req: Incoming) => Promise<Reply | undefined> | Reply | undefined;

/** Writes a reply. */
export function send(res: http.ServerResponse, reply: Reply): void {
  const body = reply.body;
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  // No body, no Content-Type (libprocess' OK() and NotFound() send only Content-Length: 0).
  const type =
    body === undefined ? undefined : typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
  res.writeHead(reply.status ?? 200, {
    ...(type ? { "content-type": type } : { "content-length": "0" }),
    ...(reply.headers ?? {}),
  });
  res.end(text);
}

/** An http.Server that reads each body and passes it to `handler`; handler errors become 500s. */
export function createServer(handler: Handler): http.Server {
  return http.createServer((raw, res) => {
    readBody(raw, (body) => {
      const url = new URL(raw.url ?? "/", "http://sim");
      const json = parseJson(body);
      const incoming: Incoming = {
        method: raw.method ?? "GET",
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: raw.headers,
        body,
        json,
        raw,
        res,
      };
      Promise.resolve()
        .then(() => handler(incoming))
        .then((reply) => {
          if (reply !== undefined && !res.headersSent) send(res, reply);
        })
        .catch((error: Error) => {
          if (!res.headersSent) send(res, { status: 500, body: { message: error.message } });
          else res.destroy();
        });
    });
  });
}

/** Listens and resolves once bound (rejects with the bind error, e.g. EADDRINUSE). */
export function listen(server: http.Server | import("node:net").Server, target: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    const done = () => {
      server.off("error", onError);
      resolve();
    };
    if ("socketPath" in target) server.listen(target.socketPath, done);
    else server.listen(target.port, target.host, done);
  });
}

/** Closes a server, dropping open connections. */
export function closeServer(server: http.Server | import("node:net").Server): Promise<void> {
  return new Promise((resolve) => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

// HTTP to a host's service endpoints (Mesos, Marathon): JSON in and out, timeouts, redirects not followed; each
// request goes the way the route table says (through the host's SSH connection by default, HTTPS, credentials).
import * as http from "node:http";
import * as https from "node:https";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { routeOf, type Route } from "./routes";
import { forwardedChannel } from "./tunnel";

/** One HTTP answer. Redirects are returned, not followed: a 307 from a standby master is information. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpRequest {
  readonly method?: "GET" | "POST" | "DELETE";
  /** A JSON body to send. */
  readonly json?: unknown;
  /** @default 5 */
  readonly timeoutSeconds?: number;
}

/**
 * Gives a forwarded channel the socket methods node's HTTP client calls (timeouts, no-delay, keep-alive, ref);
 * an SSH channel has none of them, and the request's timeout becomes a plain timer on the channel.
 */
function socketLike(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  let timer: NodeJS.Timeout | undefined;
  const self = () => s;
  if (typeof s.setTimeout !== "function") {
    s.setTimeout = (ms: number, callback?: () => void) => {
      if (timer) clearTimeout(timer);
      if (callback) s.once("timeout", callback);
      if (ms > 0) timer = setTimeout(() => s.emit("timeout"), ms);
      return s;
    };
    s.once("close", () => timer && clearTimeout(timer));
  }
  for (const method of ["setNoDelay", "setKeepAlive", "ref", "unref"]) if (typeof s[method] !== "function") s[method] = self;
  return s;
}

/** The stream a routed request runs on: a forwarded SSH channel (wrapped in TLS for https), or none (a direct socket). */
async function streamOf(route: Route, parsed: URL, port: number): Promise<Duplex | undefined> {
  if (!route.through) return undefined;
  const channel = socketLike(await forwardedChannel(route.through.target, route.through.address, port));
  return route.scheme === "https" ? tls.connect({ socket: channel, servername: parsed.hostname }) : channel;
}

/**
 * Sends one request to `url` (built with serviceUrl); resolves with the answer, rejects only when no answer came
 * (refused, timeout, no SSH channel).
 */
export async function httpRequest(url: string, request: HttpRequest = {}): Promise<HttpAnswer> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const route = routeOf(parsed.hostname.replace(/^\[|\]$/g, ""), port);
  const stream = await streamOf(route, parsed, port);
  return new Promise((resolve, reject) => {
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const headers: http.OutgoingHttpHeaders = body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (route.authorization) headers.authorization = route.authorization;
    const client = parsed.protocol === "https:" ? https : http;
    const req = client.request(
      url,
      {
        method: request.method ?? "GET",
        headers,
        timeout: (request.timeoutSeconds ?? 5) * 1000,
        // With createConnection and no agent, node runs the request on that stream (an agent would open its own socket).
        ...(stream ? { createConnection: () => stream as unknown as import("node:net").Socket } : {}),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => { text += chunk; });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => {
      req.destroy(new Error(`no answer from ${url} within ${request.timeoutSeconds ?? 5}s${route.through ? ` (through ${route.through.target.name}'s SSH connection)` : ""}`));
      stream?.destroy();
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** GETs `url` and parses JSON; undefined when the service does not answer 200 with JSON. */
export async function getJson<T>(url: string, timeoutSeconds = 5): Promise<T | undefined> {
  try {
    const answer = await httpRequest(url, { timeoutSeconds });
    if (answer.status !== 200) return undefined;
    return JSON.parse(answer.body) as T;
  } catch {
    return undefined;
  }
}

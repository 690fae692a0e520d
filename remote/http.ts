// HTTP to a host's service endpoints (Mesos, Marathon): JSON in and out, timeouts, redirects not followed; each
// request goes the way the route table says (through the host's SSH connection by default, HTTPS checked against
// the stack's CA or pinned fingerprints, credentials); a refusal of the credentials or the certificate names the fix.
import * as http from "node:http";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { HttpRefusedError } from "./errors";
import { routeOf, unauthorizedMessage, untrustedMessage, type Route } from "./routes";
import { forwardedChannel } from "./tunnel";

/** One HTTP answer. Redirects are returned, not followed: a 307 from a standby master is information. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpRequest {
  readonly method?: "GET" | "POST" | "PUT" | "DELETE";
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
  for (const method of ["setNoDelay", "setKeepAlive", "ref", "unref"]) {
    if (typeof s[method] !== "function") s[method] = self;
  }
  return s;
}

/** Normalises a fingerprint ("ab:cd…" or "ABCD…") to node's fingerprint256 form ("AB:CD:…"). */
function fingerprintForm(text: string): string {
  return text
    .replace(/[^0-9a-f]/gi, "")
    .toUpperCase()
    .replace(/(..)(?!$)/g, "$1:");
}

/**
 * TLS over `socket` (a forwarded channel) or a direct connection, checked as the route says: against http.ca (or the
 * system's CAs) with the host's address as the certificate's name, or against the pinned fingerprints only.
 */
function secureStream(route: Route, socket: Duplex | undefined, host: string, port: number): Promise<tls.TLSSocket> {
  const pinned = route.trust?.fingerprints?.map(fingerprintForm);
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      ...(socket ? { socket } : { host, port }),
      ...(isIP(host) ? {} : { servername: host }),
      ...(route.trust?.ca ? { ca: route.trust.ca } : {}),
      rejectUnauthorized: !pinned,
      // A forwarded channel connects to the host's own address: the certificate must name that address (or name).
      checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert),
    });
    const fail = (error: Error) => {
      secure.destroy();
      reject(new HttpRefusedError(untrustedMessage(route, host, port, error.message)));
    };
    secure.once("error", fail);
    secure.once("secureConnect", () => {
      secure.off("error", fail);
      if (pinned) {
        const actual = secure.getPeerCertificate().fingerprint256;
        if (!pinned.includes(actual)) return fail(new Error(`its SHA-256 fingerprint ${actual} is not pinned`));
      }
      resolve(secure);
    });
  });
}

/**
 * The stream a routed request runs on: a forwarded SSH channel, TLS (over that channel or direct), or none (a plain
 * direct socket).
 */
async function streamOf(route: Route, host: string, port: number): Promise<Duplex | undefined> {
  const channel = route.through
    ? socketLike(await forwardedChannel(route.through.target, route.through.address, port))
    : undefined;
  return route.scheme === "https" ? secureStream(route, channel, host, port) : channel;
}

/**
 * Sends one request to `url` (built with serviceUrl); resolves with the answer, rejects when no answer came
 * (refused, timeout, no SSH channel) and, with an HttpRefusedError naming the stack's keys, when the service refused
 * the stack's credentials (401) or its certificate is not trusted.
 */
export async function httpRequest(url: string, request: HttpRequest = {}): Promise<HttpAnswer> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const route = routeOf(host, port);
  const stream = await streamOf(route, host, port);
  return new Promise((resolve, reject) => {
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const headers: http.OutgoingHttpHeaders =
      body === undefined
        ? { accept: "application/json" }
        : { accept: "application/json", "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (route.authorization) headers.authorization = route.authorization;
    const req = http.request(
      {
        host,
        port,
        path: `${parsed.pathname}${parsed.search}`,
        method: request.method ?? "GET",
        headers,
        timeout: (request.timeoutSeconds ?? 5) * 1000,
        // With createConnection and no agent, node runs the request on that stream (an agent would open its own
        // socket).
        ...(stream ? { createConnection: () => stream as unknown as import("node:net").Socket } : {}),
      },
      (res) => {
        if (res.statusCode === 401) {
          res.resume();
          return reject(new HttpRefusedError(unauthorizedMessage(route, host, port, res.headers["www-authenticate"])));
        }
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => {
      req.destroy(
        new Error(
          `no answer from ${url} within ${request.timeoutSeconds ?? 5}s${route.through ? ` (through ${route.through.target.name}'s SSH connection)` : ""}`,
        ),
      );
      stream?.destroy();
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * GETs `url` and parses JSON; undefined when the service does not answer 200 with JSON. A refusal of the stack's
 * credentials or certificate trust is thrown (HttpRefusedError): waiting cannot fix it.
 */
export async function getJson<T>(url: string, timeoutSeconds = 5): Promise<T | undefined> {
  try {
    const answer = await httpRequest(url, { timeoutSeconds });
    if (answer.status !== 200) return undefined;
    return JSON.parse(answer.body) as T;
  } catch (error) {
    if (error instanceof HttpRefusedError) throw error;
    return undefined;
  }
}

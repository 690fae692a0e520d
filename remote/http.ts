// Plain HTTP to a host's service endpoints (Mesos, Marathon): JSON in and out, timeouts, redirects not followed.
import * as http from "node:http";

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

/** Sends one request to `url`; resolves with the answer, rejects only when no answer came (refused, timeout). */
export function httpRequest(url: string, request: HttpRequest = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    const req = http.request(
      url,
      {
        method: request.method ?? "GET",
        headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: (request.timeoutSeconds ?? 5) * 1000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => { text += chunk; });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${request.timeoutSeconds ?? 5}s`)));
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

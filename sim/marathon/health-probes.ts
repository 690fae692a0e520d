// The checks the Marathon leader runs itself (HTTP and TCP, from HealthCheckWorkerActor), over the real network.
import { request } from "node:http";
import { connect } from "node:net";
import type { CheckResult, HealthCheckDefinition } from "./health";

/**
 * HTTP: GET http://host:port/path; healthy on a status in 200–399 (100–199 too with ignoreHttp1xx) received within
 * timeoutSeconds (docs/docs/health-checks.md; HealthCheckWorkerActor `http`). TCP: a connection opened in time.
 * The failure causes are the worker's messages ("Got status code 503", "ConnectException: Connection refused").
 */
export function probe(
  check: HealthCheckDefinition,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<CheckResult> {
  return check.protocol === "TCP" ? tcp(host, port, timeoutMs) : http(check, host, port, timeoutMs);
}

function http(check: HealthCheckDefinition, host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: check.path ?? "/", method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const ok = (status >= 200 && status < 400) || (check.ignoreHttp1xx && status >= 100 && status < 200);
      resolve(ok ? { ok: true } : { ok: false, cause: `Got status code ${status}` });
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ ok: false, cause: `TimeoutException: request timed out after ${timeoutMs}ms` });
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        cause: error.code === "ECONNREFUSED" ? "ConnectException: Connection refused" : error.message,
      }),
    );
    req.end();
  });
}

function tcp(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on("connect", () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve({ ok: false, cause: `SocketTimeoutException: connect timed out after ${timeoutMs}ms` });
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        cause: error.code === "ECONNREFUSED" ? "ConnectException: Connection refused" : error.message,
      }),
    );
  });
}

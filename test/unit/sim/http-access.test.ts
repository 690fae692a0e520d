import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Handler, Incoming, Reply } from "../../../sim/http";
import { marathonHttpAccess } from "../../../sim/marathon/http-access";
import { mesosHttpAccess } from "../../../sim/mesos/http-access";
import { libprocessTls } from "../../../sim/tls";

const CREDENTIALS = JSON.stringify({ credentials: [{ principal: "ops", secret: "s3cret" }] });
const files: Record<string, string> = {
  "/etc/mesos/credentials": CREDENTIALS,
  "/etc/mesos/cert.pem": "CERT",
  "/etc/mesos/key.pem": "KEY",
};
const readFile = (path: string) => files[path];
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const served: Handler = () => ({ body: "served" });

function ask(handler: Handler, method: string, path: string, authorization?: string): Reply | undefined {
  const req = { method, path, headers: authorization ? { authorization } : {} } as unknown as Incoming;
  return handler(req) as Reply | undefined;
}

function guarded(role: "master" | "agent", version: string, flags: Record<string, string | boolean>): Handler {
  const access = mesosHttpAccess(role, version, new Map(Object.entries(flags)), {}, readFile);
  assert.ok(!("error" in access), "error" in access ? access.error : "");
  return access.guard(served);
}

describe("Mesos HTTP authentication in the simulator", () => {
  it("asks for credentials on read-only endpoints in the master's read-only realm, and takes the --credentials principals", () => {
    const handler = guarded("master", "1.0.1", {
      authenticate_http_readonly: true,
      credentials: "/etc/mesos/credentials",
    });
    assert.deepEqual(ask(handler, "GET", "/master/state.json"), {
      status: 401,
      body: "",
      headers: { "WWW-Authenticate": 'Basic realm="mesos-master-readonly"' },
    });
    assert.equal(ask(handler, "GET", "/master/state.json", basic("ops", "wrong"))?.status, 401);
    assert.deepEqual(ask(handler, "GET", "/metrics/snapshot", basic("ops", "s3cret")), { body: "served" });
  });

  it("never asks on health, version and redirect, nor for libprocess messages between Mesos processes", () => {
    const handler = guarded("master", "1.0.1", {
      authenticate_http_readonly: true,
      authenticate_http_readwrite: true,
      credentials: "file:///etc/mesos/credentials",
    });
    for (const path of ["/master/health", "/version", "/master/redirect"]) {
      assert.deepEqual(ask(handler, "GET", path), { body: "served" }, path);
    }
    assert.deepEqual(ask(handler, "POST", "/master/mesos.internal.RegisterSlaveMessage"), { body: "served" });
  });

  it("asks only for changes with --authenticate_http_readwrite alone, in the agent's read-write realm", () => {
    const handler = guarded("agent", "1.0.1", {
      authenticate_http_readwrite: true,
      http_credentials: "/etc/mesos/credentials",
    });
    assert.deepEqual(ask(handler, "GET", "/state.json"), { body: "served" });
    assert.equal(
      ask(handler, "POST", "/slave(1)/api/v1")?.headers?.["WWW-Authenticate"],
      'Basic realm="mesos-agent-readwrite"',
    );
  });

  it("exits without credentials for the basic authenticator, naming the realm", () => {
    const access = mesosHttpAccess("master", "1.0.1", new Map([["authenticate_http_readonly", true]]), {}, readFile);
    assert.deepEqual(access, {
      error: "No credentials provided for the default 'basic' HTTP authenticator for realm 'mesos-master-readonly'",
    });
  });

  it("serves TLS with libprocess' key and certificate only with downgrade support, saying why otherwise", () => {
    const env = {
      LIBPROCESS_SSL_ENABLED: "true",
      LIBPROCESS_SSL_CERT_FILE: "/etc/mesos/cert.pem",
      LIBPROCESS_SSL_KEY_FILE: "/etc/mesos/key.pem",
    };
    assert.deepEqual(libprocessTls({ ...env, LIBPROCESS_SSL_SUPPORT_DOWNGRADE: "1" }, readFile), {
      options: { key: "KEY", cert: "CERT" },
      plainToo: true,
    });
    assert.match(
      String((libprocessTls(env, readFile) as { error: string }).error),
      /LIBPROCESS_SSL_SUPPORT_DOWNGRADE=true/,
    );
    assert.deepEqual(libprocessTls({ LIBPROCESS_SSL_ENABLED: "true" }, readFile), {
      error: "SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE",
    });
    assert.equal(libprocessTls({}, readFile), undefined);
  });
});

describe("Marathon's HTTP access in the simulator", () => {
  it("serves HTTPS only with --disable_http and a keystore, every endpoint behind --http_credentials", () => {
    const values = new Map<string, string | boolean>([
      ["disable_http", true],
      ["https_port", "8080"],
      ["ssl_keystore_path", "/k.p12"],
      ["ssl_keystore_password", "pw"],
      ["http_credentials", "admin:secret"],
    ]);
    const access = marathonHttpAccess(values, (path) => (path === "/k.p12" ? Buffer.from("P12") : undefined));
    assert.ok(!("error" in access));
    assert.deepEqual(
      access.connectors.map((c) => [c.port, c.tls?.plainToo]),
      [[8080, false]],
    );
    const handler = access.guard(served);
    assert.deepEqual(ask(handler, "GET", "/ping"), {
      status: 401,
      body: "",
      headers: { "WWW-Authenticate": 'Basic realm="Mesosphere"' },
    });
    assert.deepEqual(ask(handler, "GET", "/v2/info", basic("admin", "secret")), { body: "served" });
  });

  it("refuses --disable_http without a keystore", () => {
    assert.match(
      String((marathonHttpAccess(new Map([["disable_http", true]]), () => undefined) as { error: string }).error),
      /--ssl_keystore_path/,
    );
  });
});

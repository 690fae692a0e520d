import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { decodeCredentials, encodeCredentials } from "../../../providers/component";
import { clearHttpRouting, DEFAULT_HTTP_ROUTING, routeOf, serviceUrl, useHttpRouting } from "../../../remote/routes";
import type { SshTarget } from "../../../remote/ssh";

const m1: SshTarget = { name: "m1", address: "10.0.0.1", hostKeyFingerprint: "SHA256:x", privateKey: "KEY" };

describe("HTTP routes to the hosts' services", () => {
  afterEach(clearHttpRouting);

  it("goes directly over http when no stack set a route table", () => {
    assert.deepEqual(routeOf("10.0.0.1", 5050), { scheme: "http" });
    assert.equal(serviceUrl("10.0.0.1", 5050, "/master/state.json"), "http://10.0.0.1:5050/master/state.json");
  });

  it("goes through the host's own SSH connection to its own address by default", () => {
    useHttpRouting(DEFAULT_HTTP_ROUTING, [m1]);
    assert.deepEqual(routeOf("10.0.0.1", 8080), { scheme: "http", through: { target: m1, address: "10.0.0.1" }, service: { kind: "marathon" }, hostName: "m1" });
  });

  it("tunnels to 127.0.0.1 on the host with tunnelTo loopback, and directly with via direct", () => {
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, tunnelTo: "loopback" }, [m1]);
    assert.equal(routeOf("10.0.0.1", 5051).through?.address, "127.0.0.1");
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, via: "direct" }, [m1]);
    assert.equal(routeOf("10.0.0.1", 5051).through, undefined);
  });

  it("sends Mesos' credentials to 5050 and 5051, Marathon's to 8080, over https when asked", () => {
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, scheme: "https", mesosUser: "ops", marathonUser: "admin" }, [m1], { mesosPassword: "pw1", marathonPassword: "pw2" });
    assert.equal(routeOf("10.0.0.1", 5050).authorization, `Basic ${Buffer.from("ops:pw1").toString("base64")}`);
    assert.equal(routeOf("10.0.0.1", 5051).authorization, `Basic ${Buffer.from("ops:pw1").toString("base64")}`);
    assert.equal(routeOf("10.0.0.1", 8080).authorization, `Basic ${Buffer.from("admin:pw2").toString("base64")}`);
    assert.equal(serviceUrl("10.0.0.1", 8080, "/v2/info"), "https://10.0.0.1:8080/v2/info");
  });

  it("reaches an address that is not a stack host directly", () => {
    useHttpRouting(DEFAULT_HTTP_ROUTING, [m1]);
    assert.equal(routeOf("10.0.0.9", 5050).through, undefined);
  });
});

describe("the secrets bundle the providers take as privateKey", () => {
  it("stays the bare key when there is nothing else, so existing stacks see no change", () => {
    assert.equal(encodeCredentials({ privateKey: "-----BEGIN KEY-----", passphrase: "" }), "-----BEGIN KEY-----");
    assert.deepEqual(decodeCredentials("-----BEGIN KEY-----"), { privateKey: "-----BEGIN KEY-----" });
  });

  it("carries the passphrase and HTTP passwords beside the key, and reads them back", () => {
    const bundle = { privateKey: "K", passphrase: "P", mesosPassword: "M", marathonPassword: "T" };
    assert.deepEqual(decodeCredentials(encodeCredentials(bundle)), bundle);
    assert.deepEqual(decodeCredentials(encodeCredentials({})), {});
  });
});

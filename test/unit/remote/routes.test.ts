import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { decodeCredentials, encodeCredentials } from "../../../providers/component";
import {
  clearHttpRouting,
  DEFAULT_HTTP_ROUTING,
  routeOf,
  serviceUrl,
  unauthorizedMessage,
  untrustedMessage,
  useHttpRouting,
} from "../../../remote/routes";
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
    assert.deepEqual(routeOf("10.0.0.1", 8080), {
      scheme: "http",
      through: { target: m1, address: "10.0.0.1" },
      service: { kind: "marathon" },
      hostName: "m1",
    });
  });

  it("tunnels to 127.0.0.1 on the host with tunnelTo loopback, and directly with via direct", () => {
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, tunnelTo: "loopback" }, [m1]);
    assert.equal(routeOf("10.0.0.1", 5051).through?.address, "127.0.0.1");
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, via: "direct" }, [m1]);
    assert.equal(routeOf("10.0.0.1", 5051).through, undefined);
  });

  it("sends Mesos' credentials to 5050 and 5051, Marathon's to 8080, over https when asked", () => {
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, scheme: "https", mesosUser: "ops", marathonUser: "admin" }, [m1], {
      mesosPassword: "pw1",
      marathonPassword: "pw2",
    });
    assert.equal(routeOf("10.0.0.1", 5050).authorization, `Basic ${Buffer.from("ops:pw1").toString("base64")}`);
    assert.equal(routeOf("10.0.0.1", 5051).authorization, `Basic ${Buffer.from("ops:pw1").toString("base64")}`);
    assert.equal(routeOf("10.0.0.1", 8080).authorization, `Basic ${Buffer.from("admin:pw2").toString("base64")}`);
    assert.equal(serviceUrl("10.0.0.1", 8080, "/v2/info"), "https://10.0.0.1:8080/v2/info");
  });

  it("keeps every host set by steps of the same stack, so concurrent steps keep their own host's route", () => {
    const a1: SshTarget = { name: "a1", address: "10.0.0.2", hostKeyFingerprint: "SHA256:y", privateKey: "KEY" };
    useHttpRouting(DEFAULT_HTTP_ROUTING, [m1, a1]);
    useHttpRouting(DEFAULT_HTTP_ROUTING, [m1]);
    assert.equal(routeOf("10.0.0.2", 5051).through?.target, a1);
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, scheme: "https" }, [m1]);
    assert.equal(routeOf("10.0.0.2", 5051).through, undefined, "another routing starts a new table");
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, scheme: "https" }, [a1], { mesosPassword: "other" });
    assert.equal(routeOf("10.0.0.1", 5050).through, undefined, "other passwords start a new table");
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

describe("refusals of the stack's HTTP credentials and certificate trust", () => {
  afterEach(clearHttpRouting);

  it("names the Mesos user sent, the key of its password and the fix, never the password", () => {
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, mesosUser: "ops" }, [m1], { mesosPassword: "pw1" });
    const message = unauthorizedMessage(
      routeOf("10.0.0.1", 5050),
      "10.0.0.1",
      5050,
      'Basic realm="mesos-master-readonly"',
    );
    assert.equal(
      message,
      'Mesos on m1 (10.0.0.1:5050) answered 401 Unauthorized (realm mesos-master-readonly) to the credentials of http.mesosUser "ops": set http.mesosUser to a user of the --http_credentials of the masters and agents and its password with `pulumi config set --secret mesosHttpPassword`',
    );
    assert.doesNotMatch(message, /pw1/);
  });

  it("says when Marathon got no credentials at all", () => {
    useHttpRouting(DEFAULT_HTTP_ROUTING, [m1]);
    assert.match(
      unauthorizedMessage(routeOf("10.0.0.1", 8080), "10.0.0.1", 8080, undefined),
      /^Marathon on m1 \(10\.0\.0\.1:8080\) answered 401 Unauthorized to no credentials \(http\.marathonUser is not set\): .*marathonHttpPassword/,
    );
  });

  it("trusts the stack's CA or pinned fingerprints over https only, and names both keys when a certificate is not trusted", () => {
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, ca: "PEM", certificateFingerprints: ["AB:CD"] }, [m1]);
    assert.equal(routeOf("10.0.0.1", 5050).trust, undefined);
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, scheme: "https", ca: "PEM", certificateFingerprints: ["AB:CD"] }, [m1]);
    assert.deepEqual(routeOf("10.0.0.1", 5050).trust, { ca: "PEM", fingerprints: ["AB:CD"] });
    assert.match(
      untrustedMessage(routeOf("10.0.0.1", 5050), "10.0.0.1", 5050, "unable to verify the first certificate"),
      /^m1 \(10\.0\.0\.1:5050\) serves a certificate the stack does not trust \(unable to verify the first certificate\): set http\.ca .* http\.certificateFingerprints/,
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { connectionArgsOf, stackRoutesOf } from "../../../stacks/reach";
import { parseStackSettings, StackSettingsError } from "../../../stacks/settings";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const BASTION = "SHA256:ABCDQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

function raw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environment: "prod",
    hosts: [
      { name: "m1", address: "10.0.0.1", roles: ["mesos-master"], hostKeyFingerprint: FINGERPRINT },
      {
        name: "a1",
        address: "10.0.0.2",
        roles: ["mesos-slave"],
        hostKeyFingerprint: FINGERPRINT,
        user: "deploy",
        jump: "none",
      },
    ],
    targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    ...overrides,
  };
}

function problemsOf(config: Record<string, unknown>): string[] {
  try {
    parseStackSettings(config);
  } catch (error) {
    assert.ok(error instanceof StackSettingsError);
    return error.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return assert.fail("expected problems");
}

describe("reaching the hosts (stack settings)", () => {
  it("defaults to a key login without a jump host, and HTTP through each host's SSH connection", () => {
    const settings = parseStackSettings(
      raw({ hosts: [{ name: "m1", address: "10.0.0.1", roles: ["mesos-master"], hostKeyFingerprint: FINGERPRINT }] }),
    );
    assert.deepEqual(settings.reach, {
      agent: false,
      users: {},
      jumps: {},
      http: { via: "ssh", scheme: "http", tunnelTo: "address" },
    });
  });

  it("gives every host the stack's jump host and agent, a host its own user, and 'none' connects directly", () => {
    const settings = parseStackSettings(
      raw({
        ssh: {
          user: "ops",
          agent: true,
          sudo: true,
          jump: { name: "bastion", address: "203.0.113.5", port: 2200, user: "jump", hostKeyFingerprint: BASTION },
        },
      }),
    );
    const m1 = connectionArgsOf(settings, "m1");
    assert.deepEqual(
      { user: m1.user, agent: m1.agent, sudo: m1.sudo, jump: m1.jump },
      {
        user: "ops",
        agent: true,
        sudo: true,
        jump: { name: "bastion", address: "203.0.113.5", port: 2200, user: "jump", hostKeyFingerprint: BASTION },
      },
    );
    const a1 = connectionArgsOf(settings, "a1");
    assert.equal(a1.user, "deploy");
    assert.equal(a1.jump, undefined);
    // The connection is the host's SSH alone; how its gates reach the masters is the stack's (stackRoutesOf).
    assert.equal(a1.http, undefined);
    assert.deepEqual(
      stackRoutesOf(settings).hosts.find((h) => h.name === "m1"),
      m1,
    );
  });

  it("routes every host's HTTP through that host's own connection, no connection carrying a table", () => {
    const host = (name: string, address: string, roles: string[]) => ({
      name,
      address,
      roles,
      hostKeyFingerprint: FINGERPRINT,
    });
    const settings = parseStackSettings(
      raw({
        hosts: [
          host("m1", "10.0.0.1", ["mesos-master"]),
          host("mt1", "10.0.0.2", ["marathon"]),
          host("a1", "10.0.0.3", ["mesos-slave"]),
          host("a2", "10.0.0.4", ["mesos-slave"]),
        ],
      }),
    );
    const routes = stackRoutesOf(settings);
    assert.deepEqual(routes.routing, { via: "ssh", scheme: "http", tunnelTo: "address" });
    assert.deepEqual(
      routes.hosts.map((h) => h.name),
      ["m1", "mt1", "a1", "a2"],
    );
    assert.deepEqual(
      routes.hosts.map((h) => h.address),
      settings.hosts.map((h) => connectionArgsOf(settings, h.name).address),
    );
    assert.ok(settings.hosts.every((h) => connectionArgsOf(settings, h.name).http === undefined));
    assert.equal(stackRoutesOf(settings), routes, "computed once per settings");
  });

  it("reads direct HTTP over https with Mesos and Marathon users", () => {
    const settings = parseStackSettings(
      raw({ http: { via: "direct", scheme: "https", mesosUser: "ops", marathonUser: "admin" } }),
    );
    assert.deepEqual(settings.reach.http, {
      via: "direct",
      scheme: "https",
      tunnelTo: "address",
      mesosUser: "ops",
      marathonUser: "admin",
    });
  });

  it("names each bad reach setting with its key and the fix", () => {
    assert.deepEqual(
      problemsOf(
        raw({
          ssh: { agent: "yes", jump: { address: "203.0.113.5", hostKeyFingerprint: "REPLACE", port: 70000, hops: 2 } },
          http: { via: "tunnel", scheme: "ftp", mesosUser: "a:b", extra: 1 },
        }),
      ),
      [
        'ssh.agent: must be true or false, got "yes"',
        "ssh.jump.hops: is not a jump host setting; valid: name, address, port, user, hostKeyFingerprint",
        'ssh.jump.hostKeyFingerprint: "REPLACE" is not an SSH SHA256 fingerprint; pin the jump host\'s own key (`npm run -s fingerprints -- --stack <stack>` prints it)',
        "ssh.jump.port: must be a port from 1 to 65535, got 70000",
        "http.extra: is not a setting of http; valid: via, scheme, tunnelTo, mesosUser, marathonUser, ca, certificateFingerprints",
        'http.mesosUser: must be a user name without ":", got "a:b"',
        'http.via: must be one of ssh, direct, got "tunnel"',
        'http.scheme: must be one of http, https, got "ftp"',
      ],
    );
  });

  it("accepts the secret keys in the stack's config without reading them as settings", () => {
    const settings = parseStackSettings(
      raw({ sshPrivateKeyPassphrase: "[secret]", mesosHttpPassword: "[secret]", marathonHttpPassword: "[secret]" }),
    );
    assert.equal(JSON.stringify(settings).includes("[secret]"), false);
  });

  it("reads what https trusts: the CA's PEM, or certificate fingerprints as openssl prints them", () => {
    const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const pin = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, "0").toUpperCase()).join(":");
    const settings = parseStackSettings(
      raw({ http: { scheme: "https", ca, certificateFingerprints: [`sha256 Fingerprint=${pin}`] } }),
    );
    assert.deepEqual(settings.reach.http, {
      via: "ssh",
      scheme: "https",
      tunnelTo: "address",
      ca,
      certificateFingerprints: [pin],
    });
  });

  it("names a CA that is no certificate, a fingerprint that is none, and trust settings without https", () => {
    assert.deepEqual(problemsOf(raw({ http: { ca: "ca.pem", certificateFingerprints: ["SHA256:abc"] } })), [
      'http.ca: must be the PEM text of a CA certificate (-----BEGIN CERTIFICATE----- …), e.g. `pulumi config set --path http.ca -- "$(cat ca.pem)"`',
      'http.certificateFingerprints: must list SHA-256 certificate fingerprints "AB:CD:…" as `openssl x509 -noout -fingerprint -sha256 -in <cert>` prints them, got "SHA256:abc"',
    ]);
    assert.deepEqual(problemsOf(raw({ http: { ca: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----" } })), [
      'http.scheme: is "http", but http.ca or http.certificateFingerprints is set: set http.scheme: https to use them',
    ]);
  });
});

import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { encodeCredentials, routeHostOf, targetOf, type ConnectionArgs } from "../../../providers/component";
import { clearHttpRouting, routeOf } from "../../../remote/routes";

const KEY = "SHA256:AAAAQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const ROUTING = { via: "ssh", scheme: "http", tunnelTo: "address" } as const;
const a1: Omit<ConnectionArgs, "http"> = {
  name: "a1",
  address: "10.0.0.3",
  port: 2222,
  user: "deploy",
  sudo: true,
  hostKeyFingerprint: KEY,
  connectTimeoutSeconds: 10,
  commandTimeoutSeconds: 300,
};
const m1: Omit<ConnectionArgs, "http"> = {
  ...a1,
  name: "m1",
  address: "10.0.0.1",
  user: "ops",
  jump: { name: "bastion", address: "203.0.113.5", port: 2200, user: "jump", hostKeyFingerprint: KEY },
};
const privateKey = encodeCredentials({
  privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----",
});

/** The SSH target a request to `address:port` goes through, as the step's route table says. */
const through = (address: string, port: number) => routeOf(address, port).through?.target;

describe("the HTTP route table a step sets from its connection", () => {
  afterEach(() => clearHttpRouting());

  it("reaches its own host through its own connection and another host through that host's, the rest inherited", () => {
    const listed = routeHostOf(a1, m1);
    assert.deepEqual(Object.keys(listed).sort(), ["address", "hostKeyFingerprint", "jump", "name", "user"]);
    targetOf({ connection: { ...a1, http: { ...ROUTING, hosts: [listed] } }, privateKey });
    const own = through("10.0.0.3", 5051);
    assert.equal(own?.name, "a1");
    assert.equal(own?.user, "deploy");
    const master = through("10.0.0.1", 5050);
    assert.deepEqual(
      { name: master?.name, user: master?.user, port: master?.port, sudo: master?.sudo, jump: master?.jump?.name },
      { name: "m1", user: "ops", port: 2222, sudo: true, jump: "bastion" },
    );
    assert.equal(through("10.0.0.4", 5051), undefined, "a host the table does not list is reached directly");
  });

  it("reads a table from before, which listed every host whole, its own included, the same way", () => {
    targetOf({ connection: { ...a1, http: { ...ROUTING, hosts: [m1, a1] } }, privateKey });
    assert.equal(through("10.0.0.1", 5050)?.user, "ops");
    assert.equal(through("10.0.0.1", 5050)?.jump?.name, "bastion");
    assert.equal(through("10.0.0.3", 5051)?.user, "deploy");
  });
});

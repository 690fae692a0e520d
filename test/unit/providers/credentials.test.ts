import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
  componentDiff,
  configureFromStack,
  credentialsOf,
  credentialsOfConfig,
  encodeCredentials,
  privateKeyFailures,
  targetOf,
  useStackContext,
} from "../../../providers/component";
import "../../../stacks/provider-context";
import { clearHttpRouting, routeOf } from "../../../remote/routes";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nfrom-config\n-----END OPENSSH PRIVATE KEY-----\n";
const OTHER = "-----BEGIN OPENSSH PRIVATE KEY-----\nfrom-input\n-----END OPENSSH PRIVATE KEY-----\n";

/** The engine's configure request of a dynamic provider: the whole stack config, namespaced keys. */
function configOf(values: Record<string, string>) {
  return { config: { get: (key: string) => values[key], require: (key: string) => values[key] as string } };
}

const connection = {
  name: "a1",
  address: "10.0.0.3",
  hostKeyFingerprint: "SHA256:AAAAQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
};

describe("the stack's credentials and routes as the providers take them", () => {
  afterEach(() => {
    useStackContext({ credentials: {} });
    clearHttpRouting();
  });

  it("reads the key, its passphrase and the HTTP passwords from the project's namespace of the stack config", () => {
    const config: Record<string, string> = {
      "mesos-upgrade:sshPrivateKey": KEY,
      "mesos-upgrade:sshPrivateKeyPassphrase": "",
      "mesos-upgrade:mesosHttpPassword": "m-pass",
      "other-project:marathonHttpPassword": "not ours",
      "mesos-upgrade:hosts": "[]",
    };
    assert.deepEqual(
      credentialsOfConfig((key) => config[key]),
      { privateKey: KEY, mesosPassword: "m-pass" },
    );
  });

  it("acts with the configured key when a resource has none, and with a resource's own key when it has one", async () => {
    assert.deepEqual(credentialsOf(undefined), {}, "nothing configured yet");
    await configureFromStack(
      configOf({ "mesos-upgrade:sshPrivateKey": KEY, "mesos-upgrade:marathonHttpPassword": "mara" }),
    );
    assert.equal(targetOf({ connection }).privateKey, KEY);
    assert.deepEqual(credentialsOf(""), { privateKey: KEY, marathonPassword: "mara" });
    assert.equal(targetOf({ connection, privateKey: OTHER }).privateKey, OTHER, "a state written before keeps its key");
    assert.equal(credentialsOf(encodeCredentials({ privateKey: OTHER, passphrase: "p" })).passphrase, "p");
  });

  it("refuses a resource with no key of its own only when the stack config has none either, naming the fix", async () => {
    assert.match(privateKeyFailures(undefined)[0]?.reason ?? "", /pulumi config set --secret sshPrivateKey/);
    assert.deepEqual(privateKeyFailures(undefined, true), [], "the SSH agent holds the key");
    await configureFromStack(configOf({ "mesos-upgrade:sshPrivateKey": KEY }));
    assert.deepEqual(privateKeyFailures(undefined), []);
  });

  it("counts neither a rotated key nor a key moved to the stack config as a change of the component", () => {
    const olds = { connection, privateKey: "[secret]", version: "0.27.2" };
    assert.deepEqual(componentDiff(olds, { ...olds, privateKey: OTHER }, ["connection", "privateKey", "version"]), {
      changes: false,
    });
    const { privateKey: _moved, ...news } = olds;
    assert.deepEqual(componentDiff(olds, news, ["connection", "privateKey", "version"]), { changes: false });
    assert.deepEqual(componentDiff(olds, { ...news, version: "0.28.2" }, ["connection", "privateKey", "version"]), {});
  });

  it("routes a resource's gates to the masters through their own SSH connections, from the stack's hosts", async () => {
    const hosts = [
      { name: "m1", address: "10.0.0.1", roles: ["mesos-master"], hostKeyFingerprint: connection.hostKeyFingerprint },
      { name: "a1", address: "10.0.0.3", roles: ["mesos-slave"], hostKeyFingerprint: connection.hostKeyFingerprint },
    ];
    await configureFromStack(
      configOf({
        "mesos-upgrade:environment": "prod",
        "mesos-upgrade:hosts": JSON.stringify(hosts),
        "mesos-upgrade:ssh": JSON.stringify({ port: 2222, user: "ops" }),
        "mesos-upgrade:targets": JSON.stringify({ docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" }),
        "mesos-upgrade:sshPrivateKey": KEY,
      }),
    );
    const own = targetOf({ connection: { ...connection, user: "deploy" } });
    assert.equal(own.user, "deploy");
    const master = routeOf("10.0.0.1", 5050).through?.target;
    assert.deepEqual(
      { name: master?.name, user: master?.user, port: master?.port },
      { name: "m1", user: "ops", port: 2222 },
    );
    assert.equal(master?.privateKey, KEY);
    assert.equal(routeOf("10.0.0.3", 5051).through?.target.user, "deploy", "its own host as its connection says");
    assert.equal(routeOf("10.0.0.9", 5051).through, undefined, "a host the stack does not list is reached directly");
  });

  it("keeps a connection's own route table (a state from before, a resource outside the cluster program)", async () => {
    await configureFromStack(configOf({ "mesos-upgrade:sshPrivateKey": KEY }));
    targetOf({ connection });
    assert.equal(routeOf("10.0.0.1", 5050).through, undefined, "no stack hosts in the config: no table");
    const m9 = { name: "m9", address: "10.0.0.9", hostKeyFingerprint: connection.hostKeyFingerprint };
    targetOf({ connection: { ...connection, http: { via: "ssh", scheme: "http", tunnelTo: "address", hosts: [m9] } } });
    assert.equal(routeOf("10.0.0.9", 5050).through?.target.name, "m9");
  });

  it("counts no change of the way to the hosts' HTTP ports as a change of the component", () => {
    const routed = {
      ...connection,
      http: { via: "ssh", scheme: "http", tunnelTo: "address", hosts: [{ ...connection, name: "m1" }] },
    };
    const keys = ["connection", "version"];
    assert.deepEqual(componentDiff({ connection: routed, version: "1" }, { connection, version: "1" }, keys), {
      changes: false,
    });
    assert.deepEqual(
      componentDiff(
        { connection: routed, version: "1" },
        { connection: { ...connection, port: 2200 }, version: "1" },
        keys,
      ),
      {},
      "its own SSH port is",
    );
  });
});

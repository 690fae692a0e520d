import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
  componentDiff,
  configureCredentials,
  credentialsOf,
  credentialsOfConfig,
  encodeCredentials,
  privateKeyFailures,
  targetOf,
} from "../../../providers/component";

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

describe("the stack's credentials as the providers take them", () => {
  afterEach(() => configureCredentials(configOf({})));

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
    await configureCredentials(
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
    await configureCredentials(configOf({ "mesos-upgrade:sshPrivateKey": KEY }));
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
});

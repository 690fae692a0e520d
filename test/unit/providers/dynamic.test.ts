import assert from "node:assert/strict";
import Module from "node:module";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readStackRoutesFrom, targetOf } from "../../../providers/component";
import { delegatingProviderText } from "../../../providers/dynamic";
import { routeOf } from "../../../remote/routes";
import { repoRoot } from "../../../toolchain/paths";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

type Methods = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Node's module internals that the dynamic provider host uses (through require-from-string) to run a text. */
interface CompilableModule {
  paths: string[];
  exports: { handler?: () => Methods };
  _compile(code: string, filename: string): void;
}
const NodeModule = Module as unknown as {
  new (id: string): CompilableModule;
  _nodeModulePaths(dir: string): string[];
};

/**
 * What the provider process does with a resource's `__provider` (@pulumi/pulumi's dynamic provider host, through
 * require-from-string): compiles it as a module without a file, looking for modules from its working directory up, and
 * calls its handler.
 */
function providerOf(text: string, cwd = process.cwd()): Methods {
  const module = new NodeModule("");
  module.paths = NodeModule._nodeModulePaths(cwd);
  module._compile(text, "");
  return (module.exports.handler as () => Methods)();
}

describe("the provider text every dynamic resource carries", () => {
  it("loads the implementation module from the program's directory and returns its methods", async () => {
    const text = delegatingProviderText(path.join(repoRoot, "dist", "providers", "prePull.js"));
    const provider = providerOf(text);
    assert.deepEqual(Object.keys(provider).sort(), [
      "check",
      "configure",
      "create",
      "delete",
      "diff",
      "read",
      "update",
    ]);
    // The pre-pull's own check: a host without a connection is refused, by name.
    const checked = (await provider.check?.({}, { hosts: [{ images: [], packages: [] }], privateKey: "k" })) as {
      failures?: { property: string }[];
    };
    assert.ok(checked.failures?.length, "the implementation's check ran");
    assert.deepEqual(await provider.diff?.("pre-pull", { hosts: [] }, { hosts: [] }), { changes: false });
    const below = providerOf(text, path.join(repoRoot, "dist", "test", "unit"));
    assert.equal(below.check, provider.check, "found from a directory below the program's, the same module");
  });

  it("names no path of this machine (a checkout elsewhere reads the same state) and stays small", () => {
    const text = delegatingProviderText(path.join(repoRoot, "dist", "providers", "mesosSlave.js"));
    assert.ok(!text.includes(repoRoot), text);
    assert.match(text, /'dist\/providers\/mesosSlave\.js'/);
    assert.ok(text.length < 170, `${text.length} characters, twice in every resource's state`);
  });

  it("says which file is missing when the program's directory has no such compiled code", () => {
    const text = delegatingProviderText(path.join(repoRoot, "dist", "providers", "absent.js"));
    assert.throws(() => providerOf(text), /Cannot find module '\.\/dist\/providers\/absent\.js'/);
  });

  it("loads the module the program names before the implementation, so providers read the stack's routes its way", async () => {
    readStackRoutesFrom(path.join(repoRoot, "dist", "stacks", "provider-context.js"));
    const text = delegatingProviderText(path.join(repoRoot, "dist", "providers", "prePull.js"));
    assert.match(text, /\['dist\/stacks\/provider-context\.js','dist\/providers\/prePull\.js'\]/);
    assert.ok(text.length < 210, `${text.length} characters, twice in every resource's state`);
    const provider = providerOf(text);
    const hosts = [{ name: "m1", address: "10.0.0.1", roles: ["mesos-master"], hostKeyFingerprint: FINGERPRINT }];
    const config: Record<string, string> = {
      "mesos-upgrade:environment": "prod",
      "mesos-upgrade:hosts": JSON.stringify(hosts),
      "mesos-upgrade:targets": JSON.stringify({ docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" }),
    };
    await provider.configure?.({ config: { get: (key: string) => config[key] } });
    const a1 = { name: "a1", address: "10.0.0.3", hostKeyFingerprint: FINGERPRINT };
    targetOf({ connection: a1, privateKey: "k" });
    assert.equal(routeOf("10.0.0.1", 5050).through?.target.name, "m1", "the master reached through its own connection");
  });
});

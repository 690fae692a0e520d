import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { delegatingProviderText } from "../../../providers/dynamic";
import { repoRoot } from "../../../toolchain/paths";

/** What the provider process does with a resource's `__provider`: runs it as a module and calls its handler. */
function providerOf(text: string): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const module = { exports: {} as { handler?: () => Record<string, (...args: unknown[]) => Promise<unknown>> } };
  new Function("exports", "require", "module", text)(module.exports, require, module);
  return (module.exports.handler as () => Record<string, (...args: unknown[]) => Promise<unknown>>)();
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
  });

  it("names no path of this machine (a checkout elsewhere reads the same state) and stays small", () => {
    const text = delegatingProviderText(path.join(repoRoot, "dist", "providers", "mesosSlave.js"));
    assert.ok(!text.includes(repoRoot), text);
    assert.match(text, /"dist\/providers\/mesosSlave\.js"/);
    assert.ok(text.length < 450, `${text.length} characters, twice in every resource's state`);
  });

  it("says which file is missing and how to build it when the program's directory has no compiled code", () => {
    const text = delegatingProviderText(path.join(repoRoot, "dist", "providers", "absent.js"));
    assert.throws(
      () => providerOf(text),
      /provider code dist\/providers\/absent\.js not found from .* up: run `npm run build`/,
    );
  });
});

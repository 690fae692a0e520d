import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROVIDER_START_TOKEN, startDynamicProvider } from "../../../stacks/provider-start";

describe("starting the dynamic provider's process early", () => {
  it("invokes a function of the provider's package and settles whatever the provider answers", async () => {
    const calls: string[] = [];
    const unknownFunction = async (token: string) => {
      calls.push(token);
      throw new Error(`invocation of ${token} returned an error: unknown function ${token}`);
    };
    assert.equal(await startDynamicProvider(unknownFunction), undefined);
    assert.deepEqual(calls, [PROVIDER_START_TOKEN]);
    assert.match(PROVIDER_START_TOKEN, /^pulumi-nodejs:/, "the package whose default provider the resources use");
    assert.equal(await startDynamicProvider(async () => ({})), undefined);
  });
});

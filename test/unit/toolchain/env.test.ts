import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLocalStack, LOCAL_PASSPHRASE, PassphraseMissingError, pulumiEnv } from "../../../toolchain/env";
import type { Toolchain } from "../../../toolchain/setup";

const toolchain: Toolchain = { pulumi: "/opt/pulumi/bin/pulumi", binDir: "/opt/pulumi/bin", version: "3.259.0", source: "path" };

describe("the Pulumi environment of a stack", () => {
  it("puts the CLI's directory first on PATH and switches off update checks and plugin downloads", () => {
    const env = pulumiEnv(toolchain, "local", { PATH: "/usr/bin" });
    assert.ok(env.PATH.startsWith("/opt/pulumi/bin:"));
    assert.ok(env.PATH.endsWith(":/usr/bin"));
    assert.equal(env.PULUMI_SKIP_UPDATE_CHECK, "true");
    assert.equal(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
    assert.match(env.PULUMI_BACKEND_URL, /^file:\/\/.*\.work\/state$/);
  });

  it("gives only local and scratch stacks the built-in passphrase", () => {
    assert.ok(isLocalStack("local") && isLocalStack("scratch-engine"));
    assert.ok(!isLocalStack("prod") && !isLocalStack("test"));
    assert.equal(pulumiEnv(toolchain, "local", {}).PULUMI_CONFIG_PASSPHRASE, LOCAL_PASSPHRASE);
  });

  it("refuses a real environment without the operator's passphrase, naming the variable to set", () => {
    assert.throws(() => pulumiEnv(toolchain, "prod", {}), (error: unknown) => {
      assert.ok(error instanceof PassphraseMissingError);
      assert.match(error.message, /stack "prod" is a real environment: set PULUMI_CONFIG_PASSPHRASE/);
      return true;
    });
    assert.equal(pulumiEnv(toolchain, "prod", { PULUMI_CONFIG_PASSPHRASE: "s3cret" }).PULUMI_CONFIG_PASSPHRASE, undefined, "the operator's own passphrase passes through the inherited environment");
  });

  it("keeps a backend the operator chose", () => {
    assert.equal(pulumiEnv(toolchain, "local", { PULUMI_BACKEND_URL: "file:///srv/state" }).PULUMI_BACKEND_URL, "file:///srv/state");
  });
});

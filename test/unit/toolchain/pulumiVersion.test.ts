import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSuitableCli, parseCliVersion, pinnedPulumiVersion } from "../../../toolchain/pulumiVersion";

describe("Pulumi CLI versions", () => {
  it("reads the version `pulumi version` prints, with or without a v and a pre-release tail", () => {
    assert.deepEqual(parseCliVersion("v3.259.0\n"), [3, 259, 0]);
    assert.deepEqual(parseCliVersion("3.260.1-dev.0"), [3, 260, 1]);
    assert.equal(parseCliVersion("warning: something\n"), undefined);
  });

  it("accepts the pinned version and newer releases of the same major version", () => {
    assert.ok(isSuitableCli([3, 259, 0], [3, 259, 0]));
    assert.ok(isSuitableCli([3, 259, 1], [3, 259, 0]));
    assert.ok(isSuitableCli([3, 270, 0], [3, 259, 0]));
  });

  it("refuses older releases and other major versions", () => {
    assert.ok(!isSuitableCli([3, 258, 9], [3, 259, 0]));
    assert.ok(!isSuitableCli([2, 300, 0], [3, 259, 0]));
    assert.ok(!isSuitableCli([4, 0, 0], [3, 259, 0]));
  });

  it("keeps the CLI in step with the pinned @pulumi/pulumi package", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require("../../../../package.json") as { dependencies: Record<string, string> };
    assert.equal(pinnedPulumiVersion(), manifest.dependencies["@pulumi/pulumi"]);
  });
});

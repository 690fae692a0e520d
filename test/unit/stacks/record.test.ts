import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stackPath } from "../../../stacks/record";

describe("references to the project's stacks", () => {
  it("name the stack in the running organisation", () => {
    assert.equal(stackPath("mesos-upgrade", "test", "organization"), "organization/mesos-upgrade/test");
    assert.equal(stackPath("mesos-upgrade", "prod", "acme-platform"), "acme-platform/mesos-upgrade/prod");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hopRefusal } from "../../../planner";

describe("the hop refusal every provider makes", () => {
  it("lets one hop through, and a component that already runs the version or runs nothing", () => {
    assert.equal(hopRefusal("mesos", "mesos-slave on a1", "0.22.1", "0.23.1"), undefined);
    assert.equal(hopRefusal("docker", "docker on a1", "1.7.1", "1.7.1"), undefined);
    assert.equal(hopRefusal("marathon", "marathon on m1", undefined, "1.1.7"), undefined);
  });

  it("refuses a downgrade, naming the host and both versions", () => {
    assert.equal(
      hopRefusal("docker", "docker on a1", "1.11.2", "1.7.1"),
      'docker on a1 runs 1.11.2; version "1.7.1" would be a downgrade, which this project never does',
    );
  });

  it("refuses more than one hop, naming the path and the hop to set", () => {
    assert.equal(
      hopRefusal("mesos", "mesos-master on m1", "0.22.1", "0.24.2"),
      "mesos-master on m1 runs 0.22.1; 0.24.2 is 2 hops away (0.23.1 → 0.24.2); one hop per run: set version to 0.23.1",
    );
  });
});

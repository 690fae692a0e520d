import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { releasesOf } from "../../../planner";
import { compareVersions } from "../../../catalogue/versions";
import { compareVersions as simCompare } from "../../../sim/catalogue/versions";

describe("the simulator's version arithmetic", () => {
  it("orders every catalogued release as the catalogue does", () => {
    for (const component of ["docker", "mesos", "marathon"] as const) {
      const releases = [...releasesOf(component), "1.0.0-RC1", "1.0.0"];
      for (const a of releases) {
        for (const b of releases) {
          assert.equal(Math.sign(simCompare(a, b)), Math.sign(compareVersions(a, b)), `${a} vs ${b}`);
        }
      }
    }
  });

  it("also orders Docker API versions, which have no patch", () => {
    assert.ok(simCompare("1.19", "1.22") < 0);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blockingPeers, peersObserved } from "../../../providers/whole-cluster";

describe("a whole-cluster Marathon step's wait for the other instances", () => {
  it("blocks on an instance still at a version 1.3 cannot run beside (1.1.7), and on one whose version is unknown", () => {
    assert.deepEqual(
      blockingPeers(
        [
          { name: "m2", version: "1.1.7" },
          { name: "m3", version: "unknown" },
        ],
        "1.3.14",
      ),
      ["m2 runs 1.1.7", "m3 runs unknown"],
    );
  });

  it("lets the start go ahead once every other instance is stopped or already at the new version", () => {
    const seen = peersObserved(
      [
        { name: "m2", version: undefined },
        { name: "m3", version: "1.3.14" },
      ],
      "1.3.14",
    );
    assert.equal(seen.passed, true);
    assert.match(seen.observed, /m2 stopped, m3 1\.3\.14/);
  });

  it("says which instances still run the old version", () => {
    const seen = peersObserved([{ name: "m2", version: "1.1.7" }], "1.3.14");
    assert.equal(seen.passed, false);
    assert.match(seen.observed, /still old: m2 runs 1\.1\.7/);
  });
});

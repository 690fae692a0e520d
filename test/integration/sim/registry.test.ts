// The simulated registry's bandwidth is shared by the pulls in flight on every host (each host its own process).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FAST } from "../../../sim/time";
import { ssh, useCluster } from "./helpers";

// A registry no faster than one host's link, so that a second and third concurrent pull are bounded by it.
const PROFILE = { ...FAST, registrySecondsPer100MB: FAST.pullSecondsPer100MB };

describe("the simulated registry's bandwidth", () => {
  const cluster = useCluster("h1,h2,h3:none", { network: "127.0.152", bootstrap: false, profile: PROFILE });
  // mesosphere/marathon:v0.9.1 is 720 MB: 57.6 simulated seconds (1.15 s of wall time) at one host's link.
  const transferMs = 7.2 * PROFILE.pullSecondsPer100MB * 1000 * PROFILE.timeScale;

  test("a pull alone takes its image's transfer time at its host's link speed", async () => {
    const started = Date.now();
    assert.equal((await ssh(cluster(), "h1", "docker pull mesosphere/marathon:v0.9.1")).code, 0);
    const took = Date.now() - started;
    // The same command for an image the host has: what a pull costs besides its transfer (SSH, the docker process),
    // which grows with the machine's load and is not the registry's doing.
    const again = Date.now();
    assert.equal((await ssh(cluster(), "h1", "docker pull mesosphere/marathon:v0.9.1")).code, 0);
    const overhead = Date.now() - again;
    assert.ok(
      took >= transferMs && took - overhead < transferMs * 1.5,
      `one pull took ${took} ms (${overhead} ms of it outside the transfer), its transfer ${transferMs} ms`,
    );
  });

  test("three pulls at once on three hosts take about three times one pull's transfer time when the registry is the bottleneck", async () => {
    const started = Date.now();
    const results = await Promise.all(
      ["h1", "h2", "h3"].map((host) => ssh(cluster(), host, "docker pull mesosphere/marathon:v0.11.1")),
    );
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0, 0],
    );
    const took = Date.now() - started;
    assert.ok(
      took >= 3 * transferMs * 0.95 && took < 3 * transferMs * 1.5,
      `three pulls took ${took} ms together; one alone ${transferMs} ms`,
    );
  });
});

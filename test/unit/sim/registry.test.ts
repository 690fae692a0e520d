// The simulated registry's shared bandwidth: each pull gets min(its host's link, the registry's uplink ÷ pulls in
// flight).
import assert from "node:assert/strict";
import { test } from "node:test";
import { concurrentPullSeconds, linkRates, pullRate } from "../../../sim/docker/registry";
import { REALISTIC } from "../../../sim/time";

const MB = 1e6;

test("a pull runs at its host's link speed while the registry has bandwidth to spare", () => {
  assert.equal(pullRate(12.5 * MB, 125 * MB, 1), 12.5 * MB);
  assert.equal(pullRate(12.5 * MB, 125 * MB, 10), 12.5 * MB);
});

test("beyond the registry's bandwidth each pull gets an equal share of it", () => {
  assert.equal(pullRate(12.5 * MB, 125 * MB, 100), 1.25 * MB);
});

test("the realistic profile serves ten hosts at full speed: a host's link is 12.5 MB/s, the registry's 125 MB/s", () => {
  const rates = linkRates(REALISTIC);
  assert.equal(Math.round(rates.host), 12.5 * MB);
  assert.equal(Math.round(rates.registry), 125 * MB);
});

test("a hundred agents pulling a 510 MB image at once take 100 × its transfer time at the registry's full rate", () => {
  const rates = linkRates(REALISTIC);
  const times = concurrentPullSeconds(Array(100).fill(510 * MB), rates.host, rates.registry);
  assert.ok(
    times.every((t) => Math.abs(t - (100 * 510 * MB) / rates.registry) < 1e-6),
    `${times[0]}`,
  );
});

test("under the registry's share, a small pull ends first and the others speed up once it has gone", () => {
  // Two pulls through a registry that gives each half of 10 MB/s: the 10 MB one ends at 2 s; the 30 MB one has
  // 20 MB left, then runs alone at the host's 10 MB/s link for 2 s more.
  assert.deepEqual(concurrentPullSeconds([10 * MB, 30 * MB], 10 * MB, 10 * MB), [2, 4]);
});

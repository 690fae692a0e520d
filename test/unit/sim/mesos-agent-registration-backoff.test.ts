// An agent's waits before its registration attempts, as Slave::detected and Slave::doReliableRegistration draw them.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  expectedLongestFirstWait,
  REGISTER_RETRY_INTERVAL_MAX_SECONDS,
  registrationWaits,
} from "../../../sim/mesos/agent/registration-backoff";

const first = (n: number, waits: Generator<number, never>): number[] =>
  Array.from({ length: n }, () => waits.next().value);

test("an agent waits up to the backoff factor before its first attempt, then up to twice it, doubling to a minute", () => {
  // At the largest draws: 1 s, then 2, 4, 8, 16, 32 s, then never more than REGISTER_RETRY_INTERVAL_MAX (60 s).
  assert.deepEqual(
    first(
      9,
      registrationWaits(1, () => 1),
    ),
    [1, 2, 4, 8, 16, 32, 60, 60, 60],
  );
  assert.equal(REGISTER_RETRY_INTERVAL_MAX_SECONDS, 60);
});

test("each wait is a uniform part of its bound, so a draw of zero registers at once", () => {
  const draws = [0, 0.5, 0.25];
  const waits = registrationWaits(1, () => draws.shift() ?? 0);
  assert.deepEqual(first(3, waits), [0, 1, 1]);
  assert.deepEqual(
    first(
      2,
      registrationWaits(0.2, () => 0.5),
    ),
    [0.1, 0.2],
  );
});

test("a wave of agents waits, on average, n/(n+1) of the factor for its last one to try", () => {
  assert.equal(expectedLongestFirstWait(1, 1), 0.5);
  assert.equal(expectedLongestFirstWait(10, 1), 10 / 11);
  assert.equal(expectedLongestFirstWait(0, 1), 0);
  assert.equal(expectedLongestFirstWait(3, 2), 1.5);
});

import assert from "node:assert/strict";
import { it } from "node:test";
import { allEnded } from "../../../stacks/all-ended";

const after = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

it("gives every read's value in order once all have ended", async () => {
  assert.deepEqual(await allEnded([after(20, "hosts"), after(5, 1), after(10, null)] as const), ["hosts", 1, null]);
});

it("fails with the first failed read only once the slower reads have ended too", async () => {
  let slowEnded = false;
  const slow = after(40, "hosts").then((v) => {
    slowEnded = true;
    return v;
  });
  await assert.rejects(allEnded([slow, after(5, "no record", true)] as const), /no record/);
  assert.equal(slowEnded, true, "the hosts' read had ended when the failure came");
});

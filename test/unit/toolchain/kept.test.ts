import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keptPromise } from "../../../toolchain/kept";

describe("a promise kept per key for the process", () => {
  it("is made once per key and shared by every later call, even while it is pending", async () => {
    const kept = new Map<string, Promise<number>>();
    let made = 0;
    const make = () => Promise.resolve(++made);
    const [a, b] = [keptPromise(kept, "x", make), keptPromise(kept, "x", make)];
    assert.equal(a, b);
    assert.equal(await a, 1);
    assert.equal(await keptPromise(kept, "y", make), 2, "another key is made anew");
    assert.equal(await keptPromise(kept, "x", make), 1);
  });

  it("is made again after a failure, which its callers still see", async () => {
    const kept = new Map<string, Promise<string>>();
    await assert.rejects(
      keptPromise(kept, "x", () => Promise.reject(new Error("no CLI"))),
      /no CLI/,
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await keptPromise(kept, "x", () => Promise.resolve("found")), "found");
  });
});

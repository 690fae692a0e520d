import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alternatedPreviews, median, medianText } from "../../../bench/preview-floor";

describe("the preview against its floor, from samples taken in turn", () => {
  it("takes the middle sample, or the mean of the two middle ones", () => {
    assert.equal(median([3.4, 2.0, 2.4]), 2.4);
    assert.equal(median([2, 4, 1, 3]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it("takes the previews in turn, in the order named, in every round", async () => {
    const order: string[] = [];
    let n = 0;
    const samples = await alternatedPreviews(
      {
        ours: async () => (order.push("ours"), 7 + n++),
        replayed: async () => (order.push("replayed"), 4 + n++),
        floor: async () => (order.push("floor"), 2 + n++),
      },
      2,
    );
    assert.deepEqual(order, ["ours", "replayed", "floor", "ours", "replayed", "floor"]);
    assert.deepEqual(samples, { ours: [7, 10], replayed: [5, 8], floor: [4, 7] });
  });

  it("says the median with the spread of the samples", () => {
    assert.equal(medianText([7.4, 8.2, 7.1]), "7.4 s (median of 3: 7.1–8.2 s)");
    assert.equal(medianText([2.4]), "2.4 s");
  });
});

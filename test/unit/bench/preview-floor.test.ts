import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alternatedPreviews, median, medianText } from "../../../bench/preview-floor";

describe("the preview against its floor, from samples taken in turn", () => {
  it("takes the middle sample, or the mean of the two middle ones", () => {
    assert.equal(median([3.4, 2.0, 2.4]), 2.4);
    assert.equal(median([2, 4, 1, 3]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it("alternates ours and the floor's, ours first in every round", async () => {
    const order: string[] = [];
    let n = 0;
    const samples = await alternatedPreviews(
      async () => (order.push("ours"), 7 + n++),
      async () => (order.push("floor"), 2 + n++),
      3,
    );
    assert.deepEqual(order, ["ours", "floor", "ours", "floor", "ours", "floor"]);
    assert.deepEqual(samples, { ours: [7, 9, 11], floor: [3, 5, 7] });
  });

  it("says the median with the spread of the samples", () => {
    assert.equal(medianText([7.4, 8.2, 7.1]), "7.4 s (median of 3: 7.1–8.2 s)");
    assert.equal(medianText([2.4]), "2.4 s");
  });
});

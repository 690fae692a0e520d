import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { withoutStackCapture } from "../../../stacks/program";

describe("declaring the resources without stack traces", () => {
  it("gives an error made meanwhile its first line alone, even one asked for every frame as the SDK asks", () => {
    const stack = withoutStackCapture(() => {
      Error.stackTraceLimit = Number.POSITIVE_INFINITY;
      return new TypeError("no such host").stack;
    });
    assert.equal(stack, "TypeError: no such host");
  });

  it("restores the trace's depth and format afterwards, also when the declaration throws", () => {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    assert.throws(
      () =>
        withoutStackCapture(() => {
          throw new Error("bad settings");
        }),
      /bad settings/,
    );
    assert.equal(Error.stackTraceLimit, limit);
    assert.equal(Error.prepareStackTrace, prepare);
    assert.match(new Error("after").stack ?? "", /\n\s+at /, "frames are captured again");
  });
});

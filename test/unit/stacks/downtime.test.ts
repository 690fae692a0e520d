import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accumulate, downtimeLines, forecastCount } from "../../../stacks/downtime";

describe("downtime measured against the forecast", () => {
  it("adds the span from each look that found a name down to the next look", () => {
    const looks = [
      { at: 0, up: new Set(["/redis", "api"]) },
      { at: 1000, up: new Set(["api"]) },
      { at: 1500, up: new Set<string>() },
      { at: 4000, up: new Set(["/redis", "api"]) },
    ];
    assert.deepEqual(
      [...accumulate(["/redis", "api"], looks)],
      [
        ["/redis", 3000],
        ["api", 2500],
      ],
    );
  });

  it("counts the forecast lines that name an app or an API down", () => {
    const printed = [
      "warning: downtime this run:\n  the Mesos API (dev1:5050) is down while Docker 1.7.1 → 1.11.2 restarts on dev1: it is the only master\n  /redis (1 instance) is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (…): there is no other host",
      "  /redis (1 instance) is down while the Mesos agent 0.22.1 → 0.22.2 restarts on dev1 (…): there is no other host",
      "  ✓ dev1 docker 1.7.1 → 1.11.2 gate: apps down: none",
    ];
    assert.equal(forecastCount("/redis", printed), 2);
    assert.equal(forecastCount("the Mesos API (dev1:5050)", printed), 1);
    assert.equal(forecastCount("/drone", printed), 0);
    assert.deepEqual(downtimeLines(new Map([["/redis", 12345]]), printed), [
      "/redis: down 12.3s measured; forecast: down at 2 step(s)",
    ]);
  });
});

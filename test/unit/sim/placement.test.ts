import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_APPS, DEV_APPS } from "../../../sim/apps";
import { placementProblems } from "../../../sim/placement";
import { parseHostSpec } from "../../../sim/spec";

describe("whether a cluster spec's apps can be placed", () => {
  it("refuses the default apps on a single host, naming each app and its UNIQUE constraint", () => {
    assert.deepEqual(placementProblems(parseHostSpec("dev1:master+agent+marathon"), DEFAULT_APPS), [
      'app /redis asks for 3 instances with constraint ["hostname","UNIQUE"] (one per agent host), but the spec has 1 agent host (dev1): give it at most 1 instance (`npm run sim -- up --apps dev` starts every app once), or add agent hosts',
      'app /rabbitmq asks for 2 instances with constraint ["hostname","UNIQUE"] (one per agent host), but the spec has 1 agent host (dev1): give it at most 1 instance (`npm run sim -- up --apps dev` starts every app once), or add agent hosts',
    ]);
  });

  it("places the dev apps on a single host and the default apps on the default cluster", () => {
    assert.deepEqual(placementProblems(parseHostSpec("dev1:master+agent+marathon"), DEV_APPS), []);
    assert.deepEqual(placementProblems(parseHostSpec(), DEFAULT_APPS), []);
  });

  it("refuses apps on a cluster without agents, and accepts none", () => {
    assert.match(
      placementProblems(parseHostSpec("m1:master+marathon"), DEV_APPS)[0] as string,
      /^apps \/redis, .* need an agent host; add "agent" to a host's roles/,
    );
    assert.deepEqual(placementProblems(parseHostSpec("m1:master+marathon"), []), []);
  });

  it("places nothing without Marathon: no app is created", () => {
    assert.deepEqual(placementProblems(parseHostSpec("m1:master;a1:agent"), DEFAULT_APPS), []);
  });
});

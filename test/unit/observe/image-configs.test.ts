// The image configs a process keeps: by image id, never anything else, at most KEPT_IMAGE_CONFIGS of them.
import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import {
  forgetImageConfigs,
  keepImageConfigs,
  KEPT_IMAGE_CONFIGS,
  keptImageConfigs,
} from "../../../observe/image-configs";

afterEach(forgetImageConfigs);

const id = (n: number) => n.toString(16).padStart(64, "0");

it("keeps configs by the ids of Docker 1.7 and of 1.10 and later, and nothing that is not an image id", () => {
  keepImageConfigs(
    new Map([
      [id(1), { Env: ["A=1"] }],
      [`sha256:${id(2)}`, { User: "mesos" }],
      ["$(reboot)", { Env: [] }],
      [`sha256:${id(3)}x`, {}],
    ]),
  );
  assert.deepEqual([...keptImageConfigs().keys()], [id(1), `sha256:${id(2)}`]);
  assert.deepEqual(keptImageConfigs().get(id(1)), { Env: ["A=1"] });
});

it("forgets the configs kept longest ago past its bound", () => {
  keepImageConfigs(new Map(Array.from({ length: KEPT_IMAGE_CONFIGS }, (_, n) => [id(n), {}])));
  keepImageConfigs(new Map([[id(0), {}]])); // brought again by a read: now the newest
  keepImageConfigs(new Map([[id(KEPT_IMAGE_CONFIGS), {}]]));
  const kept = keptImageConfigs();
  assert.equal(kept.size, KEPT_IMAGE_CONFIGS);
  assert.ok(kept.has(id(0)) && kept.has(id(KEPT_IMAGE_CONFIGS)) && !kept.has(id(1)));
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DiscoveredHost } from "../../../stacks/discover";
import {
  closeRunDiscovery,
  discoveredOnce,
  discoveryKey,
  openRunDiscovery,
  previewEnded,
  REUSE_SECONDS,
} from "../../../stacks/run-discovery";
import { parseStackSettings } from "../../../stacks/settings";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const settings = parseStackSettings({
  environment: "test",
  hosts: [{ name: "a1", address: "10.0.0.2", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT }],
  targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
});
const host = (problems: string[] = []): DiscoveredHost => ({
  name: "a1",
  address: "10.0.0.2",
  roles: ["mesos-slave"],
  versions: { docker: "1.7.1", "mesos-slave": "0.22.1" },
  leader: [],
  containers: {},
  problems,
});

/** A discovery that counts how often it read the hosts. */
function counting(found: () => DiscoveredHost[] = () => [host()]) {
  const reads = { count: 0 };
  return { reads, discover: async () => (reads.count++, found()) };
}

describe("discovery once per converge run", () => {
  const key = discoveryKey("prod", settings, "KEY");

  it("lets a run's update take its preview's discovery, once", async () => {
    const { reads, discover } = counting();
    openRunDiscovery("prod#1");
    await discoveredOnce(key, true, discover);
    assert.deepEqual(await discoveredOnce(key, false, discover), [host()]);
    assert.equal(reads.count, 1, "the update read no host");
    await discoveredOnce(key, false, discover);
    assert.equal(reads.count, 2, "a second update of the run reads the hosts again");
    closeRunDiscovery();
  });

  it("never carries a discovery into the next run, nor outside a converge run", async () => {
    const { reads, discover } = counting();
    openRunDiscovery("prod#1");
    await discoveredOnce(key, true, discover);
    openRunDiscovery("prod#2");
    await discoveredOnce(key, false, discover);
    assert.equal(reads.count, 2, "run 2's update read the hosts");
    closeRunDiscovery();
    await discoveredOnce(key, true, discover);
    await discoveredOnce(key, false, discover);
    assert.equal(reads.count, 4, "without converge every program run reads the hosts");
  });

  it("counts the discovery's age from the preview's end, so a long preview of many hosts still serves its update", async () => {
    const { reads, discover } = counting();
    openRunDiscovery("prod#long");
    await discoveredOnce(key, true, discover, () => 1_000);
    previewEnded(1_000 + 90_000);
    await discoveredOnce(key, false, discover, () => 1_000 + 90_000 + REUSE_SECONDS * 1000);
    assert.equal(reads.count, 1, "the update read no host");
    openRunDiscovery("prod#paused");
    await discoveredOnce(key, true, discover, () => 1_000);
    previewEnded(1_000 + 90_000);
    await discoveredOnce(key, false, discover, () => 1_000 + 90_000 + REUSE_SECONDS * 1000 + 1);
    assert.equal(reads.count, 3, "an update started longer than REUSE_SECONDS after the preview read the hosts again");
    closeRunDiscovery();
  });

  it("reads the hosts again when the settings or the key changed, the preview is too old, or it found a problem", async () => {
    const cases: Array<[string, string, number, DiscoveredHost[]]> = [
      ["settings", discoveryKey("prod", { ...settings, secretEnv: ["X"] }, "KEY"), 0, [host()]],
      ["key", discoveryKey("prod", settings, "OTHER"), 0, [host()]],
      ["stack", discoveryKey("demo", settings, "KEY"), 0, [host()]],
      ["age", key, REUSE_SECONDS * 1000 + 1, [host()]],
      ["problem", key, 0, [host(["a1: connection refused"])]],
    ];
    for (const [what, upKey, later, previewFound] of cases) {
      const { reads, discover } = counting(() => previewFound);
      openRunDiscovery(`prod#${what}`);
      await discoveredOnce(key, true, discover, () => 1_000);
      await discoveredOnce(upKey, false, discover, () => 1_000 + later);
      assert.equal(reads.count, 2, `${what}: the update read the hosts again`);
      closeRunDiscovery();
    }
  });
});

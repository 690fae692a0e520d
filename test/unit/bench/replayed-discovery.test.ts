import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recordedDiscovery } from "../../../bench/replayed-discovery";
import type { DiscoveredHost } from "../../../stacks/discover";
import type { StackSettings } from "../../../stacks/settings";

const settingsOf = (...names: string[]) => ({ hosts: names.map((name) => ({ name })) }) as unknown as StackSettings;
const host = (name: string): DiscoveredHost => ({
  name,
  address: `10.0.0.${name.slice(1)}`,
  roles: ["mesos-slave"],
  versions: { docker: "1.7.1", "mesos-slave": "0.26.1" },
  leader: [],
  containers: {},
  problems: [],
});

describe("a preview's discovery replayed (the benchmark's program without the hosts' side)", () => {
  it("gives back what the last read found, without reading again", async () => {
    let reads = 0;
    const recorded = recordedDiscovery(async (settings) => (reads++, settings.hosts.map((h) => host(h.name))));
    const found = await recorded.discover(settingsOf("a1", "a2"), "key");
    assert.deepEqual(await recorded.replay(settingsOf("a1", "a2"), "key"), found);
    assert.deepEqual(await recorded.replay(settingsOf("a1", "a2"), "key"), found);
    assert.equal(reads, 1);
  });

  it("refuses before anything was read, and for hosts other than those read", async () => {
    const recorded = recordedDiscovery(async (settings) => settings.hosts.map((h) => host(h.name)));
    await assert.rejects(recorded.replay(settingsOf("a1"), "key"), /no discovery to replay/);
    await recorded.discover(settingsOf("a1", "a2"), "key");
    await assert.rejects(
      recorded.replay(settingsOf("a1", "a3"), "key"),
      /the recorded discovery is of hosts a1,a2, not of the stack's hosts a1,a3/,
    );
  });
});

// The pre-pull under the real engine: a run fetches every new image on every host before its first step stops
// anything, and a pull that fails on one host stops the run before anything is stopped, naming the host and image.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { imageFor } from "../../../catalogue/images";
import type { Cluster } from "../../../sim";
import type { LedgerEntry } from "../../../sim/ledger";
import { oneHopScratchStack, type ScratchStack } from "../../support/scratch-stack";

describe("pre-pulling a run's images before its first window", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;

  before(async () => {
    scratch = await oneHopScratchStack({
      stack: "scratch-prepull",
      network: "127.0.190",
      gateTimeoutSeconds: 60,
    });
    ({ cluster, stack } = scratch);
  });
  after(async () => {
    await scratch?.close();
  });

  /** Every host's ledger entries after `mark` (each host's last seq when it was taken). */
  const since = (mark: Record<string, number>): LedgerEntry[] =>
    cluster.hosts.flatMap((h) => cluster.ledger(h.name).filter((e) => e.seq > (mark[h.name] as number)));
  const markNow = (): Record<string, number> =>
    Object.fromEntries(cluster.hosts.map((h) => [h.name, cluster.ledger(h.name).at(-1)?.seq ?? -1]));

  it("stops the run before anything is stopped when one host cannot pull, naming the host and the image", async () => {
    const mark = markNow();
    await cluster.inject("a2", { kind: "pull-fails", image: "mesosphere/mesos-slave" });
    let failure = "";
    try {
      await stack.up({ onOutput: () => undefined }).catch((error: unknown) => {
        failure = (error as Error).message;
      });
    } finally {
      await cluster.clear("a2");
    }
    const image = imageFor("mesos-slave", "0.26.2").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match(failure, new RegExp(`pre-pull on a2: image ${image} could not be fetched`));
    assert.match(failure, /nothing was stopped/);
    const stops = since(mark).filter((e) => ["container.stop", "engine.stop"].includes(e.kind));
    assert.deepEqual(stops, [], "no container or engine was stopped on any host");
  });

  it("pulls every new image on every host before the first container stops, then moves every host", async () => {
    const mark = markNow();
    await stack.up({ onOutput: () => undefined });
    const entries = since(mark).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const firstStop = entries.findIndex((e) => e.kind === "container.stop");
    assert.ok(firstStop > 0, "the run stopped containers");
    const pulledBefore = new Set(
      entries
        .slice(0, firstStop)
        .filter((e) => e.kind === "image.pull" && e.ok)
        .map((e) => `${e.host} ${e.image}`),
    );
    for (const [host, component] of [
      ["m1", "mesos-master"],
      ["a1", "mesos-slave"],
      ["a2", "mesos-slave"],
    ] as const) {
      const image = imageFor(component, "0.26.2");
      assert.ok(pulledBefore.has(`${host} ${image}`), `${host} had pulled ${image} before the first stop`);
    }
    const outputs = await stack.outputs();
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(outputs.hostVersions?.value as Record<string, Record<string, string>>).map(([h, v]) => [
          h,
          v["mesos-slave"] ?? v["mesos-master"],
        ]),
      ),
      { m1: "0.26.2", a1: "0.26.2", a2: "0.26.2" },
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { ProviderImplementation } from "../../../providers/dynamic";
import { PACKED_KEY, packedArgs, packedImplementation, unpacked } from "../../../providers/packed";

const AGENT = {
  connection: { name: "a1", address: "10.0.0.21", port: 22, hostKeyFingerprint: "SHA256:x" },
  flags: { work_dir: "/data/mesos", cgroups_limit_swap: true },
  masters: ["10.0.0.11", "10.0.0.12"],
  gateTimeoutSeconds: 60,
  version: "0.28.2",
  targetVersion: "1.0.1",
  killsTasks: "no executor containers before 0.23",
};

describe("packed settings", () => {
  it("packs every plain setting into one JSON property and keeps the version, the marks and the outputs by name", () => {
    const packed = packedArgs({ ...AGENT, runningVersion: undefined, __provider: "exports.handler=…" });
    assert.deepEqual(Object.keys(packed).sort(), [
      "__provider",
      "killsTasks",
      "runningVersion",
      PACKED_KEY,
      "targetVersion",
      "version",
    ]);
    assert.deepEqual(JSON.parse(packed[PACKED_KEY] as string), {
      connection: AGENT.connection,
      flags: AGENT.flags,
      gateTimeoutSeconds: 60,
      masters: AGENT.masters,
    });
  });

  it("writes the same settings as the same text whatever the order of their keys", () => {
    const reordered = { version: "0.28.2", flags: { cgroups_limit_swap: true, work_dir: "/data/mesos" } };
    const first = packedArgs({ flags: AGENT.flags, version: "0.28.2" });
    assert.equal(packedArgs(reordered)[PACKED_KEY], first[PACKED_KEY]);
  });

  it("leaves a secret (an Output) and a resource's own key out of the packed text", () => {
    const env = { PASSWORD: pulumi.secret("s3cret") };
    const packed = packedArgs({ flags: AGENT.flags, env, privateKey: "-----BEGIN…" });
    assert.equal(packed.env, env);
    assert.equal(packed.privateKey, "-----BEGIN…");
    assert.doesNotMatch(packed[PACKED_KEY] as string, /s3cret|BEGIN/);
  });

  it("refuses an input that already uses the packed property's name", () => {
    assert.throws(() => packedArgs({ [PACKED_KEY]: "{}" }), /"settings" is the packed settings' property/);
  });

  it("reads packed properties back as they were declared, and a state from before packing as it is", () => {
    const packed = packedArgs(AGENT);
    assert.deepEqual(unpacked(packed).props, AGENT);
    assert.deepEqual(unpacked(packed).packedKeys.sort(), ["connection", "flags", "gateTimeoutSeconds", "masters"]);
    assert.deepEqual(unpacked(AGENT), { props: AGENT, packedKeys: [] });
  });
});

describe("a packed provider", () => {
  /** A provider that records what its methods were given and answers with the inputs plus an output. */
  function recording(): { seen: Record<string, unknown>[]; implementation: ProviderImplementation } {
    const seen: Record<string, unknown>[] = [];
    const outs = (inputs: Record<string, unknown>) => ({ ...inputs, runningVersion: inputs.version });
    const implementation: ProviderImplementation = {
      configure: async () => undefined,
      check: async (_olds, news) => (seen.push(news), { inputs: news }),
      diff: async (_id, olds, news) => {
        seen.push(olds, news);
        const moved =
          (olds.connection as { address?: string }).address !== (news.connection as { address?: string }).address;
        return moved ? { replaces: ["connection"] } : { changes: false };
      },
      create: async (inputs) => (seen.push(inputs), { id: "a1/mesos_slave", outs: outs(inputs) }),
      read: async (id, props) => (seen.push(props!), { id, props, inputs: props }),
      update: async (_id, olds, news) => (seen.push(olds, news), { outs: outs(news) }),
      delete: async (_id, props) => void seen.push(props),
    };
    return { seen, implementation };
  }

  it("gives its methods the settings unpacked and packs again what it returns, its own outputs by name", async () => {
    const { seen, implementation } = recording();
    const provider = packedImplementation(implementation);
    const packed = packedArgs(AGENT);
    const checked = await provider.check({}, packed);
    assert.deepEqual(checked.inputs, packed);
    const created = await provider.create(packed);
    assert.deepEqual(created.outs, { ...packed, runningVersion: "0.28.2" });
    await provider.update("a1/mesos_slave", created.outs, packed);
    await provider.delete("a1/mesos_slave", created.outs);
    for (const props of seen) assert.deepEqual(props.connection, AGENT.connection);
  });

  it("compares a state from before packing with the same settings packed as no change", async () => {
    const { implementation } = recording();
    const provider = packedImplementation(implementation);
    assert.deepEqual(await provider.diff("a1/mesos_slave", AGENT, packedArgs(AGENT)), { changes: false });
  });

  it("names the packed property when a packed setting forces a replacement", async () => {
    const { implementation } = recording();
    const provider = packedImplementation(implementation);
    const moved = packedArgs({ ...AGENT, connection: { ...AGENT.connection, address: "10.0.0.99" } });
    assert.deepEqual(await provider.diff("a1/mesos_slave", packedArgs(AGENT), moved), { replaces: [PACKED_KEY] });
  });
});

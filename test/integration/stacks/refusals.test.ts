// A refused or failed run changes nothing in the stack's state: every kind of refusal, under the real engine, on a
// stack that already holds Docker engines, a master, an agent, Marathon, a ZooKeeper backup and its archives' record.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_APPS, type Cluster } from "../../../sim";
import { PRE_PULL } from "../../../stacks/prepull";
import { scratchStack, SEED_AGENT_SETTINGS, type ScratchStack } from "../../support/scratch-stack";

/** Every resource of the stack's state with its outputs, and the stack's outputs: what a refusal must leave alone. */
async function recordOf(stack: Stack): Promise<Array<{ urn: string; outputs: unknown }>> {
  const state = await stack.exportStack();
  const resources = (state.deployment as { resources?: Array<{ urn: string; outputs?: unknown }> }).resources ?? [];
  // Providers' own entries hold the config they were given (which each case edits), not the stack's record. The
  // pre-pull's entry records what a run fetched, and a run that fails after its pre-pull did fetch: the images are on
  // the hosts (prePullRecord checks that entry on its own).
  return resources
    .filter((r) => !r.urn.includes("::pulumi:providers:") && !r.urn.endsWith(`::${PRE_PULL}`))
    .map((r) => ({ urn: r.urn, outputs: r.outputs ?? {} }))
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

/** The pre-pull's record: each host it fetched images on, with those images. */
async function prePullRecord(stack: Stack): Promise<Array<[string, string[]]>> {
  const state = await stack.exportStack();
  const resources = (state.deployment as { resources?: Array<{ urn: string; outputs?: unknown }> }).resources ?? [];
  const pull = resources.find((r) => r.urn.endsWith(`::${PRE_PULL}`))?.outputs as
    { hosts?: Array<{ connection: { name: string }; images: string[] }> } | undefined;
  return (pull?.hosts ?? [])
    .filter((h) => h.images.length > 0)
    .map((h): [string, string[]] => [h.connection.name, [...h.images].sort()]);
}

describe("a refused or failed run keeps the stack's record", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;
  let stackFile: string;
  let settled: string;

  /** Rewrites the stack file's config with `change` applied; `restore()` puts the settled file back. */
  const editConfig = (change: (config: Record<string, unknown>) => void): void => {
    const file = YAML.parse(settled) as { config: Record<string, unknown> };
    change(file.config);
    fs.writeFileSync(stackFile, YAML.stringify(file));
  };
  const restore = (): void => fs.writeFileSync(stackFile, settled);

  /**
   * Asserts that a preview and an up are both refused with `why`, the preview shows no deletion, and the state is
   * unchanged.
   */
  const assertRefusedKeepingState = async (why: RegExp): Promise<void> => {
    const before = await recordOf(stack);
    // What a person sees of the preview: its output and its errors.
    let preview = "";
    await assert.rejects(
      stack.preview({
        diff: true,
        onOutput: (text) => {
          preview += text;
        },
        onError: (text) => {
          preview += text;
        },
      }),
      why,
    );
    assert.match(preview, why, "the preview says why it refuses");
    assert.doesNotMatch(preview, /\(delete\)|to delete/, "the preview of a refused run shows no deletion");
    await assert.rejects(stack.up({ onOutput: () => undefined }), why);
    assert.deepEqual(await recordOf(stack), before, "the refused up left every resource and output as it was");
  };

  before(async () => {
    scratch = await scratchStack({
      stack: "scratch-refusals",
      hosts: "m1:master+marathon;a1:agent",
      cluster: {
        network: "127.0.121",
        versions: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" },
        apps: DEFAULT_APPS.filter((app) => app.id === "/harbor"),
      },
      config: (cluster) => ({
        targets: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.13.0" },
        zookeeper: { hosts: [cluster.file.zk.dataHost], dataDir: cluster.file.zk.dataDir },
        rollout: { gateTimeoutSeconds: 60 },
        mesosSlave: SEED_AGENT_SETTINGS,
      }),
    });
    ({ cluster, stack, stackFile, settled } = scratch);
  });
  after(async () => {
    await scratch?.close();
  });

  it("keeps the record when the ZooKeeper backup before a storage-migrating hop fails on a host without ZooKeeper's data", async () => {
    const before = await recordOf(stack);
    editConfig((config) => {
      config["mesos-upgrade:zookeeper"] = { hosts: ["a1"] };
    });
    try {
      let preview = "";
      await stack.preview({
        diff: true,
        onOutput: (text) => {
          preview += text;
        },
      });
      assert.doesNotMatch(preview, /\(delete\)|to delete/);
      await assert.rejects(stack.up({ onOutput: () => undefined }), /\/var\/lib\/zookeeper does not exist on a1/);
      assert.deepEqual(await recordOf(stack), before, "the failed up left every resource and output as it was");
      assert.deepEqual(
        await prePullRecord(stack),
        [["m1", ["mesosphere/marathon:v0.13.0"]]],
        "the pre-pull before the failed step fetched Marathon's new image on its host and recorded it",
      );
    } finally {
      restore();
    }
  });

  it("takes the backup and applies the Marathon hop, so the stack holds every kind of resource and record", async () => {
    const result = await stack.up({ onOutput: () => undefined });
    assert.deepEqual(result.outputs.thisRun.value, ["wave 1  m1       marathon      0.11.1 → 0.13.0"]);
    assert.deepEqual(result.outputs.completed.value, { docker: "1.11.2", mesos: "0.25.1", marathon: "0.13.0" });
    const archives = result.outputs.zookeeperArchives.value as Record<string, Array<{ path: string }>>;
    assert.equal(archives["marathon 0.11.1 → 0.13.0"]?.length, 1, JSON.stringify(archives));
    const types = (await recordOf(stack)).map((r) => r.urn.split("::")[2]);
    for (const kind of ["DockerEngine", "MesosMaster", "MesosSlave", "MarathonInstance", "ZooKeeperBackup"]) {
      assert.ok(
        types.some((t) => t?.endsWith(`:${kind}`)),
        `the state holds a ${kind}: ${types.join(", ")}`,
      );
    }
  });

  it("refuses while a host is down (SSH refused)", async () => {
    await cluster.inject("a1", { kind: "ssh-refuse" });
    try {
      await assertRefusedKeepingState(/preflight: 1 host problem\(s\), nothing was touched:[\s\S]*a1/);
    } finally {
      await cluster.clear("a1");
    }
  });

  it("refuses a host whose key does not match the pinned fingerprint", async () => {
    editConfig((config) => {
      const hosts = config["mesos-upgrade:hosts"] as Array<{ hostKeyFingerprint: string }>;
      (hosts[1] as { hostKeyFingerprint: string }).hostKeyFingerprint = (
        hosts[0] as { hostKeyFingerprint: string }
      ).hostKeyFingerprint;
    });
    try {
      await assertRefusedKeepingState(/preflight: 1 host problem\(s\)[\s\S]*a1[\s\S]*host key/i);
    } finally {
      restore();
    }
  });

  it("refuses a stack file with config errors, listing each with its fix (a missing SSH key among them)", async () => {
    editConfig((config) => {
      config["mesos-upgrade:rollout"] = { maxUnavailableSlaves: 0 };
    });
    // The public key pasted where the private key belongs (Pulumi's typed config itself refuses a missing one).
    await stack.setConfig("sshPrivateKey", {
      value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDw operator@laptop",
      secret: true,
    });
    try {
      await assertRefusedKeepingState(
        /the stack's config has 2 problem\(s\):\s+rollout\.maxUnavailableSlaves: must be a whole number of at least 1, got 0\s+sshPrivateKey: is not a private key [^\n]*; set it with `pulumi config set --secret sshPrivateKey --stack scratch-refusals < /,
      );
    } finally {
      restore();
    }
  });

  it("refuses a stack without any SSH key, naming the key and both fixes (Pulumi's own typed-config error does not come first)", async () => {
    await stack.removeConfig("sshPrivateKey");
    try {
      await assertRefusedKeepingState(
        /the stack's config has 1 problem\(s\):\s+sshPrivateKey: is not set; set it with `pulumi config set --secret sshPrivateKey --stack scratch-refusals < ~\/\.ssh\/id_ed25519` \(the operator's key, OpenSSH or PEM\), or log in through your SSH agent: set ssh\.agent: true/,
      );
    } finally {
      await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    }
  });

  it("refuses a target the planner cannot reach", async () => {
    editConfig((config) => {
      config["mesos-upgrade:targets"] = { docker: "1.11.2", mesos: "0.29.0", marathon: "0.13.0" };
    });
    try {
      await assertRefusedKeepingState(
        /plan: targets\.mesos must be a known Mesos release \(0\.22\.0 to [\d.]+\), got "0\.29\.0"/,
      );
    } finally {
      restore();
    }
  });

  it("refuses an agent hop whose restart outlasts the masters' window for a silent agent", async () => {
    editConfig((config) => {
      config["mesos-upgrade:targets"] = { docker: "1.11.2", mesos: "0.26.2", marathon: "0.13.0" };
      config["mesos-upgrade:rollout"] = { gateTimeoutSeconds: 60, agentRestartSeconds: 1000 };
    });
    try {
      await assertRefusedKeepingState(
        /preflight: the masters declare a silent agent lost after 75s, but an agent restart takes up to 1000s/,
      );
    } finally {
      restore();
    }
  });

  it("refuses a stack promoted from a stack the backend does not have, and lets a recorded override past", async () => {
    editConfig((config) => {
      config["mesos-upgrade:promotedFrom"] = "scratch-nowhere";
    });
    await assertRefusedKeepingState(
      /promotion gate:[\s\S]*stack "scratch-nowhere" \(promotedFrom\) does not exist in this backend: run it first, or set promotionOverride to a reason/,
    );
    editConfig((config) => {
      config["mesos-upgrade:promotedFrom"] = "scratch-nowhere";
      config["mesos-upgrade:promotionOverride"] = "proving the override in a test";
    });
    const recordBefore = await recordOf(stack);
    try {
      let output = "";
      const result = await stack.up({
        onOutput: (text) => {
          output += text;
        },
      });
      assert.match(output, /promotion gate overridden \("proving the override in a test"\)/);
      assert.deepEqual(result.outputs.promotionOverride.value, {
        reason: "proving the override in a test",
        overridden: [
          'stack "scratch-nowhere" (promotedFrom) does not exist in this backend: run it first, or set promotionOverride to a reason',
        ],
      });
      // Nothing of the stack's record is deleted: the pre-pull the earlier failed run recorded goes once no step needs
      // it, every component stays.
      assert.ok((result.summary.resourceChanges?.delete ?? 0) <= 1);
      const kept = new Set((await recordOf(stack)).map((r) => r.urn));
      assert.deepEqual(
        recordBefore.filter((r) => !kept.has(r.urn)).map((r) => r.urn),
        [],
        "every resource of the record is still there",
      );
    } finally {
      restore();
    }
  });
});

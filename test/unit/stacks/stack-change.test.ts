import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forecastRollout, type HostVersions } from "../../../stacks/rollout";
import { rawConfigOf, settingsOf } from "../../../stacks/review";
import { parseStackSettings } from "../../../stacks/settings";
import { describeChange, flatten } from "../../../stacks/stack-change";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const raw = (overrides: Record<string, unknown> = {}) => ({
  environment: "prod",
  hosts: [
    { name: "m1", address: "10.0.0.1", roles: ["mesos-master", "marathon"], hostKeyFingerprint: FINGERPRINT },
    { name: "a1", address: "10.0.0.2", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
    { name: "a2", address: "10.0.0.3", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
  ],
  targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
  rollout: { maxUnavailableSlaves: 1 },
  ...overrides,
});
const versions: HostVersions = {
  m1: { docker: "1.7.1", "mesos-master": "0.22.1", marathon: "0.9.1" },
  a1: { docker: "1.7.1", "mesos-slave": "0.22.1" },
  a2: { docker: "1.7.1", "mesos-slave": "0.22.1" },
};
const side = (config: Record<string, unknown>) => ({
  raw: config,
  forecast: forecastRollout(parseStackSettings(config), versions, { recorded: true }),
});

describe("what a stack file change alters", () => {
  it("says nothing when the file means the same", () => {
    assert.deepEqual(describeChange(side(raw()), side(raw())), []);
  });

  it("names a changed target and the path it changes", () => {
    const lines = describeChange(
      side(raw()),
      side(raw({ targets: { docker: "1.11.2", mesos: "0.26.2", marathon: "0.15.3" } })),
    );
    assert.deepEqual(lines.slice(0, 3), [
      "targets:",
      '  targets.mesos: "0.28.2" → "0.26.2"',
      '  targets.marathon: "1.1.7" → "0.15.3"',
    ]);
    assert.ok(lines.includes("path:"));
    assert.ok(
      lines.some((l) => /^ {2}mesos: 0\.22\.2 → .* → 0\.28\.2 {2}becomes {2}0\.22\.2 → .* → 0\.26\.2$/.test(l)),
      lines.join("\n"),
    );
  });

  it("names a change of batch size with the waves it saves", () => {
    const lines = describeChange(side(raw()), side(raw({ rollout: { maxUnavailableSlaves: 2 } })));
    assert.equal(lines[0], "batches:");
    assert.equal(lines[1], "  rollout.maxUnavailableSlaves: 1 → 2");
    const match =
      /^ {2}(\d+) runs, (\d+) steps in (\d+) waves, (\d+) task-killing restarts {2}becomes {2}\1 runs, \2 steps in (\d+) waves, \4 task-killing restarts$/.exec(
        lines[2] ?? "",
      );
    assert.ok(match, lines[2]);
    // 0.22 agents' hops, their switch into executor containers at 0.23 and Docker before 1.12 kill tasks on a1 and a2.
    assert.equal(match[4], "6");
    assert.ok(Number(match[5]) < Number(match[3]), "wider batches save waves where restarts keep tasks");
  });

  it("lists every other changed setting by key, secrets as (secret)", () => {
    const before = raw({
      mesosSlave: { flags: { containerizers: "docker,mesos" } },
      sshPrivateKey: { secure: "v1:abc" },
    });
    const after = raw({
      mesosSlave: { flags: { containerizers: "docker" }, workDir: "/srv/mesos" },
      sshPrivateKey: { secure: "v1:def" },
    });
    const lines = describeChange({ raw: before }, { raw: after });
    assert.deepEqual(lines, [
      "settings:",
      '  mesosSlave.flags.containerizers: "docker,mesos" → "docker"',
      '  mesosSlave.workDir: (unset) → "/srv/mesos"',
    ]);
    assert.deepEqual(flatten({ key: { secure: "x" } }), { key: "(secret)" });
  });
});

describe("a stack file as the review reads it", () => {
  it("keeps the project's keys without their prefix and leaves out the SSH key and other namespaces", () => {
    const text =
      "config:\n  mesos-upgrade:environment: dev\n  mesos-upgrade:sshPrivateKey:\n    secure: v1:x\n  aws:region: eu-west-1\n  mesos-upgrade:rollout:\n    maxUnavailableSlaves: 2\n";
    assert.deepEqual(rawConfigOf(text, "Pulumi.dev.yaml"), {
      environment: "dev",
      rollout: { maxUnavailableSlaves: 2 },
    });
  });

  it("still forecasts a file whose only problems are how to reach its hosts, and reports them", () => {
    const placeholder = raw({
      hosts: [
        {
          name: "m1",
          address: "10.0.0.1",
          roles: ["mesos-master"],
          hostKeyFingerprint: "SHA256:REPLACE-WITH-m1-HOST-KEY",
        },
      ],
    });
    const { settings, problems } = settingsOf(placeholder);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? "", /^hosts\[0\]\.hostKeyFingerprint: is still the placeholder/);
    assert.deepEqual(
      settings?.hosts.map((h) => h.name),
      ["m1"],
    );
  });

  it("forecasts nothing when a problem touches what the rollout reads", () => {
    const { settings, problems } = settingsOf(
      raw({ targets: { docker: "1.11.2", mesos: "0.28.2" }, rollout: { maxUnavailableSlave: 1 } }),
    );
    assert.equal(settings, undefined);
    assert.deepEqual(
      problems.map((p) => p.split(":")[0]),
      ["rollout.maxUnavailableSlave", "targets.marathon"],
    );
  });
});

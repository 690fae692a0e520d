import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { main, probesOf } from "../../../stacks/fingerprints-cli";
import { pinFingerprints } from "../../../stacks/fingerprints";

const FILE = `# The prod cluster (comments stay).
config:
  mesos-upgrade:environment: prod
  mesos-upgrade:ssh:
    user: ops
    jump: {name: bastion, address: 203.0.113.5, hostKeyFingerprint: SHA256:REPLACE-WITH-bastion-KEY}
  mesos-upgrade:hosts:
    - name: m1 # the first master
      address: 10.0.0.1
      roles: [mesos-master]
      hostKeyFingerprint: SHA256:REPLACE-WITH-m1-HOST-KEY
    - name: a1
      address: 10.0.0.2
      roles: [mesos-slave]
      sshPort: 2222
      hostKeyFingerprint: "SHA256:old"
`;

describe("pinning fingerprints in a stack file", () => {
  it("writes each host's and the jump host's fingerprint beside its name, keeping comments and layout", () => {
    const pinned = pinFingerprints(FILE, [
      { name: "m1", fingerprint: "SHA256:m1new" },
      { name: "a1", fingerprint: "SHA256:a1new" },
      { name: "bastion", fingerprint: "SHA256:bnew" },
    ]);
    assert.deepEqual(pinned.changed, ["bastion", "m1", "a1"]);
    assert.equal(
      pinned.text,
      FILE.replace("SHA256:REPLACE-WITH-bastion-KEY", "SHA256:bnew")
        .replace("SHA256:REPLACE-WITH-m1-HOST-KEY", "SHA256:m1new")
        .replace('"SHA256:old"', "SHA256:a1new"),
    );
  });

  it("reports nothing changed when the keys are already pinned", () => {
    assert.deepEqual(pinFingerprints(FILE, [{ name: "a1", fingerprint: "SHA256:old" }]).changed, []);
  });

  it("reads the jump host first, and each host with its port and jump host", () => {
    const probes = probesOf({
      "mesos-upgrade:ssh": {
        port: 22,
        jump: { name: "bastion", address: "203.0.113.5", hostKeyFingerprint: "SHA256:b" },
      },
      "mesos-upgrade:hosts": [
        { name: "m1", address: "10.0.0.1", hostKeyFingerprint: "" },
        { name: "a1", address: "10.0.0.2", sshPort: 2222, jump: "none" },
      ],
    });
    assert.deepEqual(
      probes.map((p) => `${p.name} ${p.address}:${p.port} via ${p.jump?.name ?? "-"}`),
      ["bastion 203.0.113.5:22 via -", "m1 10.0.0.1:22 via bastion", "a1 10.0.0.2:2222 via -"],
    );
  });

  it("refuses unknown options and a missing --stack with the usage (strict parseArgs)", async () => {
    const err: string[] = [];
    assert.equal(
      await main(
        ["--stak", "prod"],
        () => undefined,
        (line) => err.push(line),
      ),
      2,
    );
    assert.match(err.join("\n"), /Unknown option '--stak'[\s\S]*usage: npm run -s fingerprints/);
    assert.equal(
      await main(
        [],
        () => undefined,
        (line) => err.push(line),
      ),
      2,
    );
    const out: string[] = [];
    assert.equal(
      await main(
        ["--help"],
        (line) => out.push(line),
        () => undefined,
      ),
      0,
    );
    assert.match(out.join("\n"), /--write/);
  });
});

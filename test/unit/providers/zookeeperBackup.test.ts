import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { archiveLabel, archiveStamp, implementation } from "../../../providers/zookeeperBackup";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const inputs = {
  connections: [{ name: "m1", address: "10.0.0.1", hostKeyFingerprint: FINGERPRINT }],
  privateKey: "key",
  dataDir: "/var/lib/zookeeper",
  backupDir: "/var/backups/mesos-upgrade",
  reason: "marathon 1.1.0 → 1.1.7",
};

describe("ZooKeeper backup archives", () => {
  it("names an archive after the hop and the UTC time, in characters safe in a file name", () => {
    assert.equal(archiveLabel("marathon 1.1.0 → 1.1.7"), "marathon-1.1.0-to-1.1.7");
    assert.equal(archiveLabel("a/b; rm -rf $(x)"), "a-b-rm-rf-x");
    assert.equal(archiveStamp(new Date("2026-11-25T10:15:00.123Z")), "20261125T101500Z");
  });

  it("refuses relative directories and a missing host, naming the field", async () => {
    const checked = await implementation.check({}, { ...inputs, dataDir: "var/lib/zookeeper", connections: [] });
    assert.deepEqual(
      checked.failures?.map((f) => f.property),
      ["connections", "dataDir"],
    );
    assert.match(
      checked.failures?.[1]?.reason ?? "",
      /dataDir must be an absolute path on the hosts, got "var\/lib\/zookeeper"/,
    );
  });

  it("takes a new backup when what is backed up changes, and none when only the way to reach the hosts does", async () => {
    assert.deepEqual(await implementation.diff("id", inputs, { ...inputs, privateKey: "rotated", connections: [] }), {
      changes: false,
    });
    assert.deepEqual(await implementation.diff("id", inputs, { ...inputs, reason: "marathon 0.10.0 → 0.11.0" }), {
      changes: true,
      replaces: ["reason"],
      deleteBeforeReplace: false,
    });
  });
});

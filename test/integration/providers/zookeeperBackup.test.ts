// The ZooKeeperBackup provider against simulated hosts over real SSH, under the real Pulumi engine.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ZooKeeperBackup } from "../../../providers/zookeeperBackup";
import { startCluster, type Cluster, type SimHost } from "../../../sim";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

describe("ZooKeeperBackup on simulated hosts", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "zookeeper-backup-"));
    cluster = await startCluster("m1:master+marathon;a1:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.105",
      apps: [],
    });
  });
  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const connection = (host: SimHost) => ({
    name: host.name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
  });
  const open = (hosts: readonly string[]) =>
    openStack({
      stack: "scratch-zk-backup",
      program: async () => {
        const backup = new ZooKeeperBackup("zookeeper-backup-marathon-1.1.0-1.1.7", {
          connections: hosts.map((name) => connection(cluster.host(name))),
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          dataDir: "/var/lib/zookeeper",
          backupDir: "/var/backups/mesos-upgrade",
          reason: "marathon 1.1.0 → 1.1.7",
        });
        return { archives: backup.archives };
      },
      scratchProject: { name: "zookeeper-backup", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });
  const backups = async (host: string) =>
    (await cluster.exec(host, "ls /var/backups/mesos-upgrade 2>/dev/null")).stdout
      .split("\n")
      .filter((f) => f.endsWith(".tar.gz"));

  it("refuses a host without ZooKeeper's data directory, naming it and the setting to fix, and records no backup", async () => {
    const stack = await open(["m1", "a1"]);
    let output = "";
    await assert.rejects(
      stack.up({
        onOutput: (text) => {
          output += text;
        },
      }),
    );
    assert.match(
      output,
      /ZooKeeper backup before marathon 1\.1\.0 → 1\.1\.7 failed, nothing of the hop was started: ZooKeeper's data directory \/var\/lib\/zookeeper does not exist on a1 \([\d.:]+\); set zookeeper\.dataDir .* or zookeeper\.hosts/,
    );
    assert.match(
      output,
      /archives already written: m1:\/var\/backups\/mesos-upgrade\/zookeeper-marathon-1\.1\.0-to-1\.1\.7-\d{8}T\d{6}Z\.tar\.gz/,
    );
    assert.ok(!output.includes(cluster.userKey.privateKey.split("\n")[1] as string), "no key material in the output");
    assert.deepEqual(
      (await stack.exportStack()).deployment.resources?.filter((r: { type: string }) =>
        r.type.endsWith("ZooKeeperBackup"),
      ) ?? [],
      [],
    );
  });

  it("archives the data directory with its digest, and the archive holds ZooKeeper's snapshot", async () => {
    const stack = await open(["m1"]);
    const before = await backups("m1");
    const result = await stack.up();
    const [archive] = result.outputs.archives.value as Array<{
      host: string;
      path: string;
      bytes: number;
      sha256: string;
      entries: number;
    }>;
    assert.equal(archive?.host, "m1");
    assert.ok(!before.includes(path.basename(archive.path)), "a new archive");
    const sum = await cluster.exec("m1", `sha256sum ${archive.path}`);
    assert.equal(sum.stdout.split(/\s+/)[0], archive.sha256);
    const snapshot = await cluster.exec("m1", `tar -xzOf ${archive.path} ./version-2/snapshot.json`);
    const tree = JSON.parse(snapshot.stdout) as { children: Record<string, unknown> };
    assert.ok(
      "marathon" in tree.children && "mesos" in tree.children,
      `the snapshot holds /marathon and /mesos: ${Object.keys(tree.children).join(", ")}`,
    );
  });

  it("takes no new backup when nothing changed, and removing the resource leaves the archives in place", async () => {
    const stack = await open(["m1"]);
    const count = (await backups("m1")).length;
    const again = await stack.up();
    assert.equal(again.summary.resourceChanges?.create ?? 0, 0);
    assert.equal((await backups("m1")).length, count);
    await stack.destroy();
    assert.equal((await backups("m1")).length, count, "the archives outlive the resource");
  });
});

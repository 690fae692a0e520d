// The real program's promotion gate on Pulumi's postgres:// backend: stacks test and dev on a small simulated cluster.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { parse, stringify } from "yaml";
import { startCluster, type Cluster } from "../../../sim";
import { clusterProgram } from "../../../stacks/program";
import { repoRoot } from "../../../toolchain/paths";
import { openStack } from "../../../toolchain/workspace";
import { startPostgres, type PostgresServer } from "../../support/postgres";

const SIM_ROLE = { master: "mesos-master", agent: "mesos-slave", marathon: "marathon" } as const;

/** A project directory holding the repository's Pulumi.yaml (main: the repository) and stack files for the cluster. */
function projectFor(dir: string, cluster: Cluster): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`),
  );
  for (const [stack, promotedFrom] of [
    ["test", ""],
    ["dev", "test"],
  ] as const) {
    // The local stack's settings (the seed's agent flags, targets, rollout), with the cluster's hosts and key.
    const local = (
      parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> }
    ).config;
    delete local["mesos-upgrade:simulator"];
    const config: Record<string, unknown> = {
      ...local,
      "mesos-upgrade:environment": stack,
      "mesos-upgrade:hosts": cluster.hosts.map((h) => ({
        name: h.name,
        address: h.address,
        roles: h.roles.map((r) => SIM_ROLE[r]),
        hostKeyFingerprint: h.hostKeyFingerprint,
      })),
      "mesos-upgrade:ssh": { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 },
      ...(cluster.file.zk.dataHost && cluster.file.zk.dataDir
        ? {
            "mesos-upgrade:zookeeper": {
              ...(local["mesos-upgrade:zookeeper"] as object),
              hosts: [cluster.file.zk.dataHost],
              dataDir: cluster.file.zk.dataDir,
            },
          }
        : {}),
      ...(promotedFrom ? { "mesos-upgrade:promotedFrom": promotedFrom } : {}),
    };
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
  }
  return dir;
}

describe("the program's promotion gate on a PostgreSQL backend", () => {
  let dir: string;
  let pgDir: string;
  let server: PostgresServer;
  let cluster: Cluster;
  let open: (stack: "test" | "dev") => Promise<Stack>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesos-upgrade-pg-program-"));
    pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "mesos-upgrade-postgres-"));
    server = await startPostgres(pgDir);
    cluster = await startCluster("m1:master+marathon;a1:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.117",
      sshServer: "ssh2",
      apps: [],
    });
    const projectDir = projectFor(path.join(dir, "project"), cluster);
    const env = {
      ...process.env,
      PULUMI_BACKEND_URL: server.url,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "postgres-program-test",
    };
    open = async (stack) => {
      const opened = await openStack({ stack, program: clusterProgram, projectDir, env });
      await opened.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
      return opened;
    };
  });
  after(async () => {
    await cluster?.stop();
    server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  });

  it("lets dev apply only the hops stack test has completed", async () => {
    const test = await open("test");
    assert.equal((await test.up()).outputs.phase.value, "adopting");
    const tested = await test.up();
    const hop = (tested.outputs.thisRun.value as string[])[0] ?? "";
    assert.match(hop, /mesos-master\s+0\.22\.1 → 0\.22\.2/, "test's first hop: Mesos 0.22.2, before Docker moves");
    assert.equal((tested.outputs.completed.value as Record<string, string>).mesos, "0.22.2");

    // dev runs on the same hosts, now at Mesos 0.22.2: its first run adopts, its next hop is Docker's, which test has
    // not done.
    const dev = await open("dev");
    assert.equal((await dev.up()).outputs.phase.value, "adopting");
    await assert.rejects(
      dev.preview(),
      /promotion gate:[\s\S]*docker 1\.7\.1 → 1\.11\.2 is not completed in stack "test" \(it runs docker 1\.7\.1\); upgrade "test" first, or set promotionOverride to a reason/,
    );
    assert.deepEqual(
      (await dev.workspace.listStacks()).map((s) => s.name).sort(),
      ["dev", "test"],
      "both stacks live in PostgreSQL",
    );
  });
});

// The DockerEngine provider against simulated hosts over real SSH, under the real Pulumi engine.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { DockerEngine } from "../../../providers/dockerEngine";
import { startCluster, type Cluster } from "../../../sim";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

describe("DockerEngine on a simulated host", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-engine-"));
    cluster = await startCluster("d1:none", { stateDir: path.join(dir, "sim"), network: "127.0.61", bootstrap: false });
  });
  after(async () => {
    await cluster?.stop(); // before the state directory goes: stop reads the processes from it
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const program = (version: string, extra: Partial<{ logDriver: string }> = {}) => async () => {
    const host = cluster.hosts[0];
    const engine = new DockerEngine("d1-docker", {
      connection: { name: host.name, address: host.address, port: host.sshPort, user: cluster.userKey.user, hostKeyFingerprint: host.hostKeyFingerprint },
      privateKey: pulumi.secret(cluster.userKey.privateKey),
      version,
      targetVersion: "1.11.2",
      gateTimeoutSeconds: 30,
      runsAgent: false,
      masters: [],
      marathons: [],
      mesosVersion: "0.22.2",
      ...extra,
    });
    return { runningVersion: engine.runningVersion, gateObserved: engine.gateObserved };
  };

  const open = (version: string) => openStack({
    stack: "scratch-docker",
    program: program(version),
    scratchProject: { name: "docker-engine", workDir: path.join(dir, "project") },
    env: { ...process.env, PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_HOME: path.join(dir, "home") },
    toolchain,
  });

  it("adopts a running engine at its version without restarting anything", async () => {
    const stack = await open("1.7.1");
    const result = await stack.up();
    assert.equal(result.outputs.runningVersion.value, "1.7.1");
    assert.match(result.outputs.gateObserved.value, /adopted/);
    const installs = cluster.ledger("d1").filter((e) => e.kind === "package.install" || e.kind === "engine.stop");
    assert.deepEqual(installs, []);
  });

  it("previews the hop as a property diff and applies it through the package manager", async () => {
    const stack = await open("1.11.2");
    let preview = "";
    await stack.preview({ diff: true, onOutput: (text) => { preview += text; } });
    assert.match(preview, /~ version: "1\.7\.1" => "1\.11\.2"/);
    const result = await stack.up();
    assert.equal(result.outputs.runningVersion.value, "1.11.2");
    const apt = cluster.ledger("d1").filter((e) => e.kind === "exec" && e.program === "apt-get").map((e) => e.argv?.join(" "));
    assert.ok(apt.includes("install -y docker-engine=1.11.2-0~trusty"), JSON.stringify(apt));
  });

  it("keeps the private key out of the state file and the outputs (stored only encrypted)", async () => {
    await open("1.11.2");
    const stateFiles = fs.readdirSync(path.join(dir, "state"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    assert.ok(stateFiles.length > 0);
    const keyLine = cluster.userKey.privateKey.split("\n")[1];
    for (const file of stateFiles) {
      const text = fs.readFileSync(path.join(dir, "state", file), "utf8");
      assert.ok(!text.includes(keyLine), `${file} holds the private key in plain text`);
    }
  });
});

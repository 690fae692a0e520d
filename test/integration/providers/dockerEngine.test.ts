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

  const program =
    (version: string, extra: Partial<{ logDriver: string }> = {}) =>
    async () => {
      const host = cluster.hosts[0];
      const engine = new DockerEngine("d1-docker", {
        connection: {
          name: host.name,
          address: host.address,
          port: host.sshPort,
          user: cluster.userKey.user,
          hostKeyFingerprint: host.hostKeyFingerprint,
        },
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

  const open = (version: string) =>
    openStack({
      stack: "scratch-docker",
      program: program(version),
      scratchProject: { name: "docker-engine", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
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
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /~ version: "1\.7\.1" => "1\.11\.2"/);
    const result = await stack.up();
    assert.equal(result.outputs.runningVersion.value, "1.11.2");
    const apt = cluster
      .ledger("d1")
      .filter((e) => e.kind === "exec" && e.program === "apt-get")
      .map((e) => e.argv?.join(" "));
    assert.ok(apt.includes("install -y docker-engine=1.11.2-0~trusty"), JSON.stringify(apt));
  });

  it("keeps the private key out of the state file and the outputs (stored only encrypted)", async () => {
    await open("1.11.2");
    const stateFiles = fs
      .readdirSync(path.join(dir, "state"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".json"));
    assert.ok(stateFiles.length > 0);
    const keyLine = cluster.userKey.privateKey.split("\n")[1];
    for (const file of stateFiles) {
      const text = fs.readFileSync(path.join(dir, "state", file), "utf8");
      assert.ok(!text.includes(keyLine), `${file} holds the private key in plain text`);
    }
  });
});

describe("DockerEngine from docker-engine 17.03 to docker-ce 18.06.3 on a simulated trusty host", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-ce-"));
    cluster = await startCluster("d1:none", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.228",
      bootstrap: false,
      versions: { docker: "17.03.2" },
    });
  });
  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (version: string) =>
    openStack({
      stack: "scratch-docker-ce",
      program: async () => {
        const host = cluster.hosts[0];
        const engine = new DockerEngine("d1-docker", {
          connection: {
            name: host.name,
            address: host.address,
            port: host.sshPort,
            user: cluster.userKey.user,
            hostKeyFingerprint: host.hostKeyFingerprint,
          },
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          version,
          targetVersion: "18.06.3",
          gateTimeoutSeconds: 30,
          runsAgent: false,
          masters: [],
          marathons: [],
          mesosVersion: "1.3.2",
        });
        return { runningVersion: engine.runningVersion, gateObserved: engine.gateObserved };
      },
      scratchProject: { name: "docker-ce", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });
  const apt = () =>
    cluster
      .ledger("d1")
      .filter((e) => e.kind === "exec" && e.program === "apt-get")
      .map((e) => e.argv?.join(" "));
  const packages = () =>
    cluster
      .ledger("d1")
      .filter((e) => e.kind === "package.install" || e.kind === "package.remove")
      .map((e) => `${e.kind} ${e.package} ${e.version}`);

  it("adopts docker-engine 17.03.2 (which answers 17.03.2-ce) at its version, installing nothing", async () => {
    const result = await (await open("17.03.2")).up();
    assert.equal(result.outputs.runningVersion.value, "17.03.2");
    assert.match(result.outputs.gateObserved.value, /adopted/);
    assert.deepEqual(packages(), []);
  });

  it("moves to docker-ce 17.06.2 with one apt install of docker-ce, which removes docker-engine as apt does", async () => {
    const stack = await open("17.06.2");
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /~ version: "17\.03\.2" => "17\.06\.2"/);
    const result = await stack.up();
    assert.equal(result.outputs.runningVersion.value, "17.06.2");
    assert.deepEqual(
      apt().filter((a) => a?.startsWith("install")),
      ["install -d -y docker-ce=17.06.2~ce-0~ubuntu", "install -y docker-ce=17.06.2~ce-0~ubuntu"],
    );
    assert.deepEqual(packages(), [
      "package.remove docker-engine 17.03.2~ce-0~ubuntu-trusty",
      "package.install docker-ce 17.06.2~ce-0~ubuntu",
    ]);
  });

  it("upgrades docker-ce in place to 18.06.3, the last release for trusty", async () => {
    const result = await (await open("18.06.3")).up();
    assert.equal(result.outputs.runningVersion.value, "18.06.3");
    assert.ok(apt().includes("install -y docker-ce=18.06.3~ce~3-0~ubuntu"), JSON.stringify(apt()));
    assert.deepEqual(packages().slice(2), ["package.install docker-ce 18.06.3~ce~3-0~ubuntu"]);
    const refreshed = await (await open("18.06.3")).preview({ diff: true });
    assert.equal(refreshed.changeSummary?.update ?? 0, 0, "a run at the version changes nothing");
  });
});

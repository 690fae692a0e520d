// Faults injected into simulated hosts while the providers move a component: a clear error, the host's state
// recorded truthfully, and `pulumi up` resuming once the fault is fixed.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import { MesosMaster } from "../../../providers/mesosMaster";
import { closeAllConnections, sshShell } from "../../../remote/ssh";
import { startCluster, type Cluster, type SimHost } from "../../../sim";
import { carriedConfig } from "../../../stacks/decide";
import { mesosFlagsOf } from "../../../stacks/flags";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

describe("faults while a Mesos master moves one hop", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  let master: RunningContainer;
  const connection = (host: SimHost) => ({
    name: host.name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
  });

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "faults-"));
    cluster = await startCluster("m1:master+marathon;a1..a4:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.64",
    });
    const m1 = cluster.host("m1");
    master = (await inspectContainer(
      sshShell({ ...connection(m1), privateKey: cluster.userKey.privateKey }),
      "mesos_master",
    )) as RunningContainer;
    await closeAllConnections();
  });
  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (version: string) =>
    openStack({
      stack: "scratch-faults",
      program: async () => {
        const m1 = cluster.host("m1");
        const resource = new MesosMaster("m1-mesos-master", {
          connection: connection(m1),
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          version,
          targetVersion: "0.28.2",
          gateTimeoutSeconds: 8,
          ...carriedConfig("mesos-master", master, { flags: {} }),
          masters: [m1.address],
        });
        return { runningVersion: resource.runningVersion, gateObserved: resource.gateObserved };
      },
      scratchProject: { name: "faults", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });
  const stops = () =>
    cluster.ledger("m1").filter((e) => e.kind === "container.stop" && e.name === "mesos_master").length;

  it("adopts the running master", async () => {
    const result = await (await open("0.22.1")).up();
    assert.equal(result.outputs.runningVersion.value, "0.22.1");
  });

  it("stops before touching anything when the new image cannot be pulled, and resumes once the registry works", async () => {
    await cluster.inject("m1", { kind: "pull-fails", image: "mesosphere/mesos-master" } as never);
    const before = stops();
    await assert.rejects(
      (await open("0.23.1")).up(),
      /m1 \(127\.0\.64\.11:\d+\): `docker pull mesosphere\/mesos-master:0\.23\.1-1\.0\.ubuntu1404` failed with exit code 1/,
    );
    assert.equal(stops(), before, "the running master was not stopped");
    assert.equal(
      (await (await open("0.22.1")).outputs()).runningVersion.value,
      "0.22.1",
      "the state still says 0.22.1, which is what runs",
    );
    await cluster.clear("m1", "pull-fails");
    const resumed = await (await open("0.23.1")).up();
    assert.equal(resumed.outputs.runningVersion.value, "0.23.1");
  });

  it("puts the previous version back when the new one crash-loops, and records that on the resource", async () => {
    await cluster.inject("m1", {
      kind: "crash-loop",
      image: "mesosphere/mesos-master:0.24.2-2.0.35.ubuntu1404",
    } as never);
    await assert.rejects(
      (await open("0.24.2")).up(),
      /mesos-master on m1: health gate "mesos-master on m1 serves 0\.24\.2[^"]*" did not pass within 8s[\s\S]*rolled back to 0\.23\.1/,
    );
    const stack = await open("0.24.2");
    await stack.refresh();
    assert.equal((await stack.outputs()).runningVersion.value, "0.23.1");
    await cluster.clear("m1", "crash-loop");
    const resumed = await stack.up();
    assert.equal(resumed.outputs.runningVersion.value, "0.24.2");
  });

  it("names the host when SSH refuses, and resumes once it answers", async () => {
    await cluster.inject("m1", { kind: "ssh-refuse" } as never);
    await assert.rejects((await open("0.25.1")).up(), /m1 \(127\.0\.64\.11:\d+\): cannot connect/);
    await cluster.clear("m1", "ssh-refuse");
    const resumed = await (await open("0.25.1")).up();
    assert.equal(resumed.outputs.runningVersion.value, "0.25.1");
  });

  it("records a hand-made change on refresh, and the next preview shows the hop again", async () => {
    const old = master.image.replace(/:.*$/, ":0.24.2-2.0.35.ubuntu1404");
    const run = await cluster.exec(
      "m1",
      `docker rm -f mesos_master >/dev/null && docker run -d --name mesos_master --net host --restart always ${master.volumes.map((v) => `-v ${v}`).join(" ")} ${old} ${
        mesosFlagsOf(master)
          ? Object.entries(mesosFlagsOf(master))
              .map(([k, v]) => `--${k}=${v}`)
              .join(" ")
          : ""
      }`,
    );
    assert.equal(run.code, 0, run.stderr);
    const seen = await cluster.exec("m1", "docker inspect --format '{{.Config.Image}}' mesos_master");
    assert.match(
      seen.stdout,
      /0\.24\.2/,
      `after the hand-made change: ${seen.stdout} ${seen.stderr} / run: ${run.stdout} ${run.stderr}`,
    );
    const stack = await open("0.25.1");
    await stack.refresh();
    const state = (await stack.exportStack()).deployment as {
      resources: Array<{ type: string; outputs: Record<string, unknown> }>;
    };
    const recorded = state.resources.find((r) => r.type.endsWith("MesosMaster"));
    assert.equal(recorded?.outputs.runningVersion, "0.24.2", "refresh recorded what really runs");
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /~ version\s*: "0\.24\.2" => "0\.25\.1"/);
  });
});

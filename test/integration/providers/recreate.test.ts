// A container started with many `docker run` options keeps every one across a hop and across a rollback: the provider
// re-creates it from its whole inspected configuration, under the real engine, over real SSH, on a simulated host.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { runArgv, specOf } from "../../../providers/container";
import { inspectContainer, type RunningContainer } from "../../../observe/containers";
import { MesosMaster } from "../../../providers/mesosMaster";
import { closeAllConnections, sshShell } from "../../../remote/ssh";
import { DEFAULT_APPS, startCluster, type Cluster, type SimHost } from "../../../sim";
import { envWithoutFlags, mesosFlagsOf } from "../../../stacks/flags";
import { ensureToolchain, type Toolchain } from "../../../toolchain/setup";
import { openStack } from "../../../toolchain/workspace";

// What an operator of 2015 could have given the master's container, beyond what the stack sets (one of each kind).
const OPTIONS = [
  "--memory",
  "512m",
  "--memory-swap",
  "1g",
  "--cpu-shares",
  "512",
  "--cpuset-cpus",
  "0,1",
  "--dns",
  "10.0.0.2",
  "--dns",
  "10.0.0.3",
  "--dns-search",
  "corp.example",
  "--add-host",
  "zk1:10.0.0.11",
  "--add-host",
  "registry:10.0.0.12",
  "--pid",
  "host",
  "-v",
  "/sys/fs/cgroup:/sys/fs/cgroup:ro",
  "-v",
  "/var/run/docker.sock:/var/run/docker.sock",
  "--log-driver",
  "syslog",
  "--log-opt",
  "tag=mesos-master",
  "--label",
  "com.example.team=platform",
  "--label",
  "com.example.role=master",
  "--entrypoint",
  "/usr/sbin/mesos-master",
  "--ulimit",
  "nofile=8192:16384",
  "--user",
  "root",
  "--restart",
  "unless-stopped",
  "-e",
  "GLOG_v=1",
  "--cap-add",
  "SYS_PTRACE",
  "--security-opt",
  "label:disable",
  "--oom-kill-disable",
  "--cgroup-parent",
  "/mesos",
  "--workdir",
  "/var/lib/mesos",
  "--expose",
  "5050",
];

type Inspected = Record<string, unknown> & { Config: Record<string, unknown>; HostConfig: Record<string, unknown> };

/**
 * The inspect output without what differs between any two containers (ids, times, state) or between images, and with
 * the master's flags as one set, however given: the stack renders MESOS_* variables as arguments (Mesos reads both),
 * in its own order.
 */
function comparable(inspected: Inspected): Inspected {
  const {
    Id: _id,
    Created: _created,
    Image: _image,
    State: _state,
    ResolvConfPath: _r,
    HostnamePath: _h,
    HostsPath: _hs,
    LogPath: _l,
    RestartCount: _rc,
    Args: _args,
    ...rest
  } = inspected;
  const { Image: _configImage, Cmd: cmd, Env: env, ...config } = inspected.Config;
  const environment = (env as string[] | null) ?? [];
  const flagsInEnv = environment
    .filter((e) => e.startsWith("MESOS_"))
    .map((e) => `--${e.slice(6, e.indexOf("=")).toLowerCase()}=${e.slice(e.indexOf("=") + 1)}`);
  const flags = [...((cmd as string[] | null) ?? []), ...flagsInEnv].sort();
  return {
    ...rest,
    Config: { ...config, Env: environment.filter((e) => !e.startsWith("MESOS_")), flags },
    HostConfig: inspected.HostConfig,
  } as Inspected;
}

describe("re-creating a container keeps its whole configuration", () => {
  let cluster: Cluster;
  let toolchain: Toolchain;
  let dir: string;
  let started: Inspected;
  let master: RunningContainer;

  const connection = (host: SimHost) => ({
    name: host.name,
    address: host.address,
    port: host.sshPort,
    user: cluster.userKey.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
  });
  const inspect = async (): Promise<Inspected> =>
    (JSON.parse((await cluster.exec("m1", "docker inspect mesos_master")).stdout) as Inspected[])[0] as Inspected;

  before(async () => {
    toolchain = await ensureToolchain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "recreate-"));
    cluster = await startCluster("m1:master+marathon;a1:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.66",
      versions: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" },
      apps: DEFAULT_APPS.filter((app) => app.id === "/harbor"),
    });
    const shell = sshShell({ ...connection(cluster.host("m1")), privateKey: cluster.userKey.privateKey });
    const stock = (await inspectContainer(shell, "mesos_master")) as RunningContainer;
    // The same master, started again by hand with every option above.
    const argv = runArgv(specOf(stock));
    argv.splice(argv.indexOf(stock.image), 0, ...OPTIONS);
    const run = await cluster.exec(
      "m1",
      `docker rm -f mesos_master >/dev/null && ${argv.map((a) => `'${a}'`).join(" ")}`,
    );
    assert.equal(run.code, 0, run.stderr);
    started = await inspect();
    master = (await inspectContainer(shell, "mesos_master")) as RunningContainer;
    await closeAllConnections();
  });
  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (version: string) =>
    openStack({
      stack: "scratch-recreate",
      program: async () => {
        const m1 = cluster.host("m1");
        // As the stack program passes them: the flags, own environment and volumes read from what runs.
        const resource = new MesosMaster("m1-mesos-master", {
          connection: connection(m1),
          privateKey: pulumi.secret(cluster.userKey.privateKey),
          version,
          targetVersion: "0.28.2",
          gateTimeoutSeconds: 10,
          flags: mesosFlagsOf(master),
          env: envWithoutFlags(master.env),
          volumes: [...master.volumes],
          masters: [m1.address],
        });
        return { runningVersion: resource.runningVersion };
      },
      scratchProject: { name: "recreate", workDir: path.join(dir, "project") },
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_HOME: path.join(dir, "home"),
      },
      toolchain,
    });

  it("docker inspect reports every option the container was started with, and the image's environment merged in", () => {
    const host = started.HostConfig;
    assert.equal(host.Memory, 536870912);
    assert.equal(host.MemorySwap, 1073741824);
    assert.equal(host.CpuShares, 512);
    assert.deepEqual(host.Dns, ["10.0.0.2", "10.0.0.3"]);
    assert.deepEqual(host.ExtraHosts, ["zk1:10.0.0.11", "registry:10.0.0.12"]);
    assert.equal(host.PidMode, "host");
    assert.deepEqual(host.LogConfig, { Type: "syslog", Config: { tag: "mesos-master" } });
    assert.deepEqual(host.Ulimits, [{ Name: "nofile", Hard: 16384, Soft: 8192 }]);
    assert.deepEqual(host.RestartPolicy, { Name: "unless-stopped", MaximumRetryCount: 0 });
    assert.ok((host.Binds as string[]).includes("/sys/fs/cgroup:/sys/fs/cgroup:ro"));
    assert.equal(started.Config.User, "root");
    assert.deepEqual(started.Config.Entrypoint, ["/usr/sbin/mesos-master"]);
    assert.deepEqual(started.Config.Labels, { "com.example.team": "platform", "com.example.role": "master" });
    assert.ok((started.Config.Env as string[]).includes("GLOG_v=1"));
    assert.ok(
      (started.Config.Env as string[]).some((e) => e.startsWith("PATH=")),
      "the image's PATH is merged into Config.Env",
    );
    assert.equal(
      master.env.PATH,
      undefined,
      "the provider reads the image's PATH as the image's, not the container's own",
    );
  });

  it("after a hop, inspect of the new container equals the old one except the image", async () => {
    await (await open("0.25.1")).up();
    const result = await (await open("0.26.2")).up();
    assert.equal(result.outputs.runningVersion.value, "0.26.2");
    const now = await inspect();
    assert.notEqual(now.Id, started.Id, "the container was re-created");
    assert.match(String(now.Config.Image), /mesos-master:0\.26\.2/);
    assert.deepEqual(comparable(now), comparable(started));
  });

  it("after a rollback, the previous container comes back with its whole configuration too", async () => {
    const before = await inspect();
    await cluster.inject("m1", {
      kind: "crash-loop",
      image: "mesosphere/mesos-master:0.27.2-2.0.15.ubuntu1404",
    } as never);
    try {
      await assert.rejects((await open("0.27.2")).up(), /rolled back to 0\.26\.2/);
    } finally {
      await cluster.clear("m1", "crash-loop");
    }
    const now = await inspect();
    assert.notEqual(now.Id, before.Id);
    assert.deepEqual(comparable(now), comparable(before));
    assert.equal(now.Config.Image, before.Config.Image);
  });
});

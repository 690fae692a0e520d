// The stack's outputs tell what the hosts run, after a step fails half way through a run too: under the real engine,
// a Mesos hop whose last agent step fails, then the run that finishes it.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { versionOfImage } from "../../../providers/images";
import { DEFAULT_APPS, startCluster, type Cluster } from "../../../sim";
import { clusterProgram } from "../../../stacks/program";
import { completedOfRunning, hostVersionsOfResources, type HostVersions } from "../../../stacks/truth";
import { repoRoot } from "../../../toolchain/paths";
import { openStack } from "../../../toolchain/workspace";

const STACK = "scratch-outputs";
const ROLE = { master: "mesos-master", agent: "mesos-slave", marathon: "marathon" } as const;
/** The containers' names on the simulated hosts (the names operators chose; never "mesos-…", which agents stop). */
const CONTAINER = { master: "mesos_master", agent: "mesos_slave", marathon: "marathon" } as const;

describe("the stack's outputs after a failed step", () => {
  let dir: string;
  let cluster: Cluster;
  let stack: Stack;

  /** What every host runs now, read from its containers' images and its Docker engine. */
  async function hostsRun(): Promise<HostVersions> {
    const hosts: Record<string, Record<string, string>> = {};
    for (const host of cluster.hosts) {
      const versions: Record<string, string> = {};
      const docker = await cluster.exec(host.name, "docker version --format '{{.Server.Version}}'");
      versions.docker = docker.stdout.trim();
      for (const role of host.roles) {
        const inspect = await cluster.exec(host.name, `docker inspect ${CONTAINER[role]}`);
        const [container] = JSON.parse(inspect.stdout) as Array<{ Config: { Image: string }; State: { Running: boolean } }>;
        versions[ROLE[role]] = container?.State.Running ? (versionOfImage(container.Config.Image) ?? container.Config.Image) : "stopped";
      }
      hosts[host.name] = versions;
    }
    return hosts;
  }

  /** The hosts' versions as the stack's resources recorded them in the state. */
  async function recordedByResources(): Promise<HostVersions> {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: Array<{ urn: string; outputs?: Record<string, unknown> }> }).resources ?? [];
    return hostVersionsOfResources(Object.fromEntries(resources.map((r) => [r.urn, { outputs: r.outputs }])));
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "outputs-"));
    process.env.MESOS_UPGRADE_WORK = dir;
    cluster = await startCluster("m1:master+marathon;a1,a2:agent", {
      stateDir: path.join(dir, "sim"),
      network: "127.0.122",
      versions: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" },
      apps: DEFAULT_APPS.filter((app) => app.id === "/harbor"),
    });
    const projectDir = path.join(dir, "project");
    fs.mkdirSync(projectDir, { recursive: true });
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`));
    fs.writeFileSync(path.join(projectDir, `Pulumi.${STACK}.yaml`), YAML.stringify({
      config: {
        "mesos-upgrade:environment": "local",
        "mesos-upgrade:hosts": cluster.hosts.map((h) => ({ name: h.name, address: h.address, roles: h.roles.map((r) => ROLE[r]), hostKeyFingerprint: h.hostKeyFingerprint })),
        "mesos-upgrade:ssh": { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 },
        "mesos-upgrade:targets": { docker: "1.11.2", mesos: "0.26.2", marathon: "0.11.1" },
        "mesos-upgrade:rollout": { gateTimeoutSeconds: 30 },
        "mesos-upgrade:mesosSlave": { workDir: "/data/mesos", flags: { cgroups_limit_swap: true, docker_remove_delay: "6hrs", containerizers: "docker,mesos" } },
      },
    }));
    stack = await openStack({ stack: STACK, program: clusterProgram, projectDir });
    await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    const adopted = await stack.up({ onOutput: () => undefined });
    assert.equal(adopted.outputs.phase.value, "adopting");
  });
  after(async () => {
    await cluster?.stop();
    delete process.env.MESOS_UPGRADE_WORK;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("records after adoption exactly what the hosts run", async () => {
    const outputs = await stack.outputs();
    assert.deepEqual(outputs.hostVersions?.value, await hostsRun());
    assert.deepEqual(outputs.completed?.value, { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" });
  });

  it("never records a version a host does not run when a step fails half way, and the resources record each host's truth", async () => {
    const before = (await stack.outputs()).hostVersions?.value as HostVersions;
    // a2's agent is the last step of the Mesos hop (one agent at a time); its new image cannot be pulled.
    await cluster.inject("a2", { kind: "pull-fails", image: "mesosphere/mesos-slave" });
    try {
      await assert.rejects(stack.up({ onOutput: () => undefined }), /a2/);
    } finally {
      await cluster.clear("a2");
    }
    const running = await hostsRun();
    assert.equal(running.m1?.["mesos-master"], "0.26.2", "the master's step was done before the failure");
    assert.equal(running.a2?.["mesos-slave"], "0.25.1", "a2 never moved");
    const outputs = await stack.outputs();
    const recorded = outputs.hostVersions?.value as HostVersions;
    assert.deepEqual(recorded, before, "the failed run recorded no outputs: the last successful run's record stands");
    assert.equal(recorded.a2?.["mesos-slave"], running.a2?.["mesos-slave"], "no host is recorded ahead of what it runs");
    assert.deepEqual(outputs.completed?.value, completedOfRunning(running), "completed is what every host runs");
    assert.deepEqual(await recordedByResources(), running, "each resource recorded what its host runs, including the steps done before the failure");
  });

  it("records what the hosts run once the next run finishes the hop, restarting no Docker engine on the way", async () => {
    const engineEvents = () => cluster.ledger().filter((e) => e.kind === "engine.stop" || e.kind === "engine.start").length;
    const enginesBefore = engineEvents();
    let preview = "";
    await stack.preview({ diff: true, onOutput: (text) => { preview += text; } });
    assert.doesNotMatch(preview, /DockerEngine: \(update\)|mesosVersion/, "the Mesos version moving is context, not a change of any Docker engine");
    const result = await stack.up({ onOutput: () => undefined });
    assert.equal(engineEvents(), enginesBefore, "a Mesos hop run restarts no Docker engine, though the hosts carry stock daemon options");
    const running = await hostsRun();
    assert.equal(running.a2?.["mesos-slave"], "0.26.2");
    assert.deepEqual(result.outputs.hostVersions.value, running);
    assert.deepEqual(result.outputs.completed.value, { docker: "1.11.2", mesos: "0.26.2", marathon: "0.11.1" });
  });
});

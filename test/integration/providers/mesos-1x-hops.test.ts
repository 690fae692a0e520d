// Mesos past 1.3 under the real engine: a cluster of 3 masters and 2 agents (executor containers on) hops
// 1.6.2 → 1.7.3 → 1.8.1 through the stack's plan and the providers' gates. 1.8 removed the *.json aliases (MESOS-4509),
// so every gate after the masters' 1.8 step reads /master/state and /state; no task of a multi-instance app is lost.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { versionOfImage } from "../../../catalogue/images";
import { bootstrapCommands, CONTAINER_NAMES, PORTS, type AppDefinition, type Cluster } from "../../../sim";
import { scratchStack, SEED_AGENT_SETTINGS, type ScratchStack } from "../../support/scratch-stack";

const APPS: AppDefinition[] = [
  {
    id: "/redis",
    instances: 2,
    cpus: 0.25,
    mem: 128,
    constraints: [["hostname", "UNIQUE"]],
    container: { type: "DOCKER", docker: { image: "redis:3.0.7", network: "BRIDGE" } },
  },
  {
    id: "/drone",
    instances: 2,
    cpus: 0.25,
    mem: 128,
    container: { type: "DOCKER", docker: { image: "drone/drone:0.4", network: "BRIDGE" } },
  },
];

describe("Mesos 1.6.2 → 1.8.1 on 3 masters and 2 agents with executor containers, under the real engine", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;

  /** Waits until Marathon runs every app at its instance count. */
  async function appsRunning(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const apps = await cluster.apps().catch(() => []);
      if (apps.length === APPS.length && apps.every((a) => a.tasksRunning === a.instances)) return;
      if (Date.now() > deadline) assert.fail(`apps not running: ${JSON.stringify(apps)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    scratch = await scratchStack({
      stack: "scratch-mesos-1x",
      hosts: "m1:master+marathon;m2,m3:master;a1,a2:agent",
      cluster: {
        network: "127.0.248",
        versions: { docker: "1.11.2", mesos: "1.6.2", marathon: "1.8.244" },
        apps: APPS,
      },
      config: () => ({
        targets: { docker: "1.11.2", mesos: "1.8.1", marathon: "1.8.244" },
        rollout: { gateTimeoutSeconds: 60 },
        mesosSlave: {
          ...SEED_AGENT_SETTINGS,
          flags: { ...SEED_AGENT_SETTINGS.flags, executor_registration_timeout: "5mins" },
        },
      }),
      adopt: false,
    });
    ({ cluster, stack } = scratch);
    // Executor containers on before the stack adopts the cluster (--docker_mesos_image with the bootstrap's
    // --pid host): the tasks started without them are lost once here, and Marathon starts them again.
    for (const host of cluster.file.hosts.filter((h) => h.roles.includes("agent"))) {
      const command = bootstrapCommands(cluster.file, host).find((c) => c.includes(`--name ${CONTAINER_NAMES.agent} `));
      const image = /mesosphere\/mesos-slave:\S+/.exec(command as string)?.[0] as string;
      const run = await cluster.exec(
        host.name,
        `docker rm -f ${CONTAINER_NAMES.agent} >/dev/null && ${(command as string).replace(" mesosphere/", ` -e MESOS_DOCKER_MESOS_IMAGE=${image} mesosphere/`)}`,
      );
      assert.equal(run.code, 0, run.stderr);
    }
    await appsRunning();
    const adopted = await stack.up({ onOutput: () => undefined });
    assert.equal(adopted.outputs.phase.value, "adopting");
  });
  after(async () => {
    await scratch?.close();
  });

  it("converges every master and agent to 1.8.1 through 1.7.3, the gates reading /master/state once *.json is gone, without losing a task", async () => {
    const since = new Date().toISOString();
    let log = "";
    // One run per phase: 1.6.2 → 1.7.3 everywhere, then → 1.8.1 (as converge runs them).
    let completed: unknown;
    for (let run = 0; run < 3 && (completed as { mesos?: string } | undefined)?.mesos !== "1.8.1"; run++) {
      const result = await stack.up({
        onOutput: (text) => {
          log += text;
        },
      });
      completed = result.outputs.completed?.value;
    }
    assert.deepEqual(completed, { docker: "1.11.2", mesos: "1.8.1", marathon: "1.8.244" }, log);
    const steps = cluster
      .ledger()
      .filter((e) => e.kind === "container.start" && e.time >= since && /mesos_(master|slave)/.test(String(e.name)))
      .map((e) => `${e.host} ${versionOfImage(String(e.image))}`);
    for (const host of ["m1", "m2", "m3", "a1", "a2"]) {
      assert.deepEqual(
        steps.filter((s) => s.startsWith(`${host} `)),
        [`${host} 1.7.3`, `${host} 1.8.1`],
        `${host} hops one minor at a time: ${steps.join(", ")}`,
      );
    }
    assert.deepEqual(cluster.lostTasks(since), [], "no task lost: executor containers outlive every agent restart");
    await appsRunning();
    const leader = await cluster.mesosLeader();
    assert.ok(leader, "a leading master");
    const json = await cluster.service(leader.name, PORTS.master, "/master/state.json");
    assert.equal(json.status, 404, "1.8 serves no /master/state.json: the gates above read /master/state");
    const state = await cluster.service(leader.name, PORTS.master, "/master/state");
    assert.equal((state.json as { version: string }).version, "1.8.1");
  });
});

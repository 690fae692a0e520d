// A change of a Docker daemon option at the same version (docker.logDriver, the seed's last step) or of an agent flag
// (mesosSlave.flags) goes through the planner like a hop: shown in the plan table and preview, then applied host by
// host, never two agents' engines or agents down at once with batch size 1, under the real engine against a simulated
// cluster.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { getJson } from "../../../remote/http";
import { DEFAULT_APPS, type Cluster } from "../../../sim";
import { scratchStack, SEED_AGENT_SETTINGS, writeStackFile, type ScratchStack } from "../../support/scratch-stack";

describe("settings changes rolled through waves: a Docker log driver, then an agent flag", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;

  const settings = (logDriver: string, agentFlags: Record<string, unknown> = {}) => ({
    targets: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" },
    rollout: { gateTimeoutSeconds: 60, maxUnavailableSlaves: 1 },
    docker: { logDriver },
    mesosSlave: { ...SEED_AGENT_SETTINGS, flags: { ...SEED_AGENT_SETTINGS.flags, ...agentFlags } },
  });
  /**
   * The agents in the order a run of task-killing restarts takes them: the one running /harbor last (so that harbor
   * starts again on a host already restarted), the others in their order. Marathon placed harbor on any agent.
   */
  const harborLast = async (): Promise<string[]> => {
    const answer = await getJson<{ apps: Array<{ id: string; tasks?: Array<{ host: string }> }> }>(
      `http://${cluster.host("m1").address}:8080/v2/apps?embed=apps.tasks`,
    );
    const at = answer?.apps.find((app) => app.id === "/harbor")?.tasks?.[0]?.host;
    const host = cluster.hosts.find((h) => h.address === at || h.name === at)?.name;
    assert.ok(host, `Marathon says where /harbor runs: ${JSON.stringify(answer)}`);
    return [...["a1", "a2", "a3"].filter((name) => name !== host), host];
  };
  const writeStack = (logDriver: string, agentFlags: Record<string, unknown> = {}) =>
    writeStackFile(scratch.stackFile, cluster, settings(logDriver, agentFlags));

  before(async () => {
    scratch = await scratchStack({
      stack: "scratch-settings",
      hosts: "m1:master+marathon;a1,a2,a3:agent",
      cluster: {
        network: "127.0.68",
        versions: { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" },
        apps: DEFAULT_APPS.filter((app) => app.id === "/harbor"),
      },
      config: () => settings("json-file"),
    });
    ({ cluster, stack } = scratch);
    const settled = await stack.up({ onOutput: () => undefined });
    assert.equal(settled.outputs.phase.value, "converged");
  });
  after(async () => {
    await scratch?.close();
  });

  it("shows the change in preview as the run's settings steps, one engine per wave, and a logDriver change of each engine", async () => {
    writeStack("none");
    // The stack file holds the encrypted key too: writing it again means setting the key again.
    await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /~ phase\s*: "converged" => "settings"/);
    assert.match(
      preview,
      /wave 1 {2}m1 +docker +1\.11\.2 → 1\.11\.2 \(settings: log driver json-file → none \(docker\.logDriver\)\)/,
    );
    // Each engine restart stops its host's tasks: the host running /harbor goes last.
    const order = await harborLast();
    assert.match(
      preview,
      new RegExp(
        `wave 2 {2}${order[0]} +docker[\\s\\S]*wave 3 {2}${order[1]} +docker[\\s\\S]*wave 4 {2}${order[2]} +docker +1\\.11\\.2 → 1\\.11\\.2 \\(settings: log driver json-file → none`,
      ),
    );
    assert.equal((preview.match(/~ logDriver\s*: "json-file" => "none"/g) ?? []).length, 4, preview);
  });

  it("restarts each engine with the new log driver, one at a time, never two agents' engines down at once", async () => {
    const since = new Date().toISOString();
    await stack.up({ onOutput: () => undefined });
    for (const host of cluster.hosts) {
      const info = await cluster.exec(host.name, "docker info");
      assert.match(info.stdout, /^Logging Driver: none$/m, `${host.name} runs the new log driver`);
    }
    const windows = ["a1", "a2", "a3"]
      .map((name) => {
        const events = cluster
          .ledger(name)
          .filter((e) => e.time >= since && (e.kind === "engine.stop" || e.kind === "engine.start"));
        const stop = events.find((e) => e.kind === "engine.stop");
        const start = events.filter((e) => e.kind === "engine.start").at(-1);
        assert.ok(stop && start, `${name}'s engine restarted`);
        return { name, stop: Date.parse(stop.time), start: Date.parse(start.time) };
      })
      .sort((a, b) => a.stop - b.stop);
    for (let i = 1; i < windows.length; i++) {
      assert.ok(
        (windows[i] as { stop: number }).stop >= (windows[i - 1] as { start: number }).start,
        `${windows[i]?.name}'s engine stopped only after ${windows[i - 1]?.name}'s was back`,
      );
    }
    const again = await stack.up({ onOutput: () => undefined });
    assert.equal(again.outputs.phase.value, "converged", "nothing left to change");
  });

  it("shows an agent flag changed in the stack as the run's settings steps, one agent per wave, and a flag change of each agent", async () => {
    writeStack("none", { docker_remove_delay: "12hrs" });
    await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    let preview = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
    });
    assert.match(preview, /~ phase\s*: "converged" => "settings"/);
    // Each agent's first restart into executor containers stops its tasks: the host running /harbor goes last.
    const order = await harborLast();
    assert.match(
      preview,
      new RegExp(
        `wave 1 {2}${order[0]} +mesos-slave +0\\.25\\.1 → 0\\.25\\.1 \\(settings: flag docker_remove_delay 6hrs → 12hrs \\(mesosSlave\\.flags\\)\\)[\\s\\S]*wave 2 {2}${order[1]} +mesos-slave[\\s\\S]*wave 3 {2}${order[2]} +mesos-slave`,
      ),
    );
    assert.equal(
      (preview.match(/\+ docker_remove_delay\s*: "12hrs"|~ docker_remove_delay\s*: "6hrs" => "12hrs"/g) ?? []).length,
      3,
      preview,
    );
  });

  it("restarts each agent with the new flag, one at a time, never two agents down at once", async () => {
    const since = new Date().toISOString();
    await stack.up({ onOutput: () => undefined });
    const windows = ["a1", "a2", "a3"]
      .map((name) => {
        const events = cluster
          .ledger(name)
          .filter(
            (e) =>
              e.time >= since &&
              (e.kind === "container.stop" || e.kind === "container.start") &&
              (e.image ?? "").includes("mesos-slave"),
          );
        const stop = events.find((e) => e.kind === "container.stop");
        const start = events.filter((e) => e.kind === "container.start").at(-1);
        assert.ok(stop && start, `${name}'s agent restarted`);
        return { name, stop: Date.parse(stop.time), start: Date.parse(start.time) };
      })
      .sort((a, b) => a.stop - b.stop);
    for (let i = 1; i < windows.length; i++) {
      assert.ok(
        (windows[i] as { stop: number }).stop >= (windows[i - 1] as { start: number }).start,
        `${windows[i]?.name}'s agent stopped only after ${windows[i - 1]?.name}'s was back`,
      );
    }
    for (const name of ["a1", "a2", "a3"]) {
      const ps = await cluster.exec(name, "docker inspect mesos_slave");
      assert.match(ps.stdout, /--docker_remove_delay=12hrs/, `${name}'s agent runs the new flag`);
    }
    const master = cluster.ledger("m1").filter((e) => e.time >= since && e.kind === "container.stop");
    assert.deepEqual(master, [], "the master and Marathon kept running");
    const again = await stack.up({ onOutput: () => undefined });
    assert.equal(again.outputs.phase.value, "converged", "nothing left to change");
  });
});

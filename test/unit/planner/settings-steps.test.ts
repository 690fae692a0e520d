import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planRun, renderPlanTable, type PlanInput, type SettingsChange } from "../../../planner";
import { agent, master } from "./helpers";

/** The seed cluster at its targets: Docker 1.11.2, Mesos 0.28.2 (agents with executor containers), Marathon 1.1.7. */
function converged(changes: readonly SettingsChange[], maxUnavailableSlaves = 1): PlanInput {
  const at = { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" };
  return {
    desired: at,
    hosts: [
      master("m1", at, ["mesos-master", "marathon"]),
      master("m2", at),
      master("m3", at),
      ...["a1", "a2", "a3", "a4"].map((name) => ({ ...agent(name, at), executorContainers: true })),
    ],
    rollout: { maxUnavailableSlaves },
    settingsChanges: changes,
  };
}
const logDriverOff = (hosts: readonly string[]): SettingsChange[] =>
  hosts.map((host) => ({ host, component: "docker", change: "log driver json-file → none" }));
const ALL = ["m1", "m2", "m3", "a1", "a2", "a3", "a4"];
const waves = (input: PlanInput) => {
  const plan = planRun(input);
  return [...new Set(plan.steps.map((s) => s.wave))].map((w) =>
    plan.steps.filter((s) => s.wave === w).map((s) => s.host),
  );
};

describe("settings changes at the same version are planned like a hop", () => {
  it("restarts every engine for a new log driver in the Docker hop's order: control hosts one at a time, leader last, then agents one at a time", () => {
    const plan = planRun(converged(logDriverOff(ALL)));
    assert.equal(plan.phase, "settings");
    assert.deepEqual(waves(converged(logDriverOff(ALL))), [["m2"], ["m3"], ["m1"], ["a1"], ["a2"], ["a3"], ["a4"]]);
    assert.ok(
      plan.steps.every((s) => s.from === "1.11.2" && s.to === "1.11.2" && s.settings === "log driver json-file → none"),
    );
  });

  it("never takes two agents' engines down at once with batch size 1, and marks an engine before 1.12 on an agent host as killing its tasks", () => {
    const plan = planRun(converged(logDriverOff(ALL), 1));
    for (const wave of new Set(plan.steps.map((s) => s.wave))) {
      assert.ok(plan.steps.filter((s) => s.wave === wave && s.host.startsWith("a")).length <= 1);
    }
    assert.match(
      plan.steps.find((s) => s.host === "a1")?.killsTasks ?? "",
      /Docker 1\.11\.2 stops every container when the engine restarts/,
    );
    assert.equal(plan.steps.find((s) => s.host === "m1")?.killsTasks, undefined);
  });

  it("keeps task-killing engine restarts one host per wave even with a larger batch size", () => {
    assert.deepEqual(waves(converged(logDriverOff(["a1", "a2", "a3"]), 2)), [["a1"], ["a2"], ["a3"]]);
  });

  it("goes one layer per run, Docker first, and waits while a version hop remains", () => {
    const mixed = [
      ...logDriverOff(["a1"]),
      { host: "m2", component: "mesos-master" as const, change: "flag max_slave_ping_timeouts 5 → 10" },
    ];
    assert.deepEqual(
      planRun(converged(mixed)).steps.map((s) => `${s.host} ${s.component}`),
      ["a1 docker"],
    );
    const behind = converged(logDriverOff(ALL));
    const hop = planRun({
      ...behind,
      desired: { ...behind.desired, marathon: "1.1.7" },
      hosts: behind.hosts.map((h) => (h.name === "m2" ? { ...h, versions: { ...h.versions, marathon: "1.1.5" } } : h)),
    });
    assert.equal(hop.phase, "marathon", "the version hop goes first; the settings wait");
  });

  it("shows settings steps and the changes still waiting in the plan table", () => {
    const input = converged(logDriverOff(ALL));
    const table = renderPlanTable(planRun(input), input);
    assert.match(table, /^phase: settings — 7 steps in 7 waves/);
    assert.match(table, /a1\s+docker\s+1\.11\.2\s+restart \(settings\)/);
    assert.match(
      table,
      /settings changes \(a restart at the same version, in waves like a hop\):\n  wave 1  m2 docker 1\.11\.2: log driver json-file → none/,
    );
    const behind = {
      ...input,
      hosts: input.hosts.map((h) => (h.name === "m2" ? { ...h, versions: { ...h.versions, marathon: "1.1.5" } } : h)),
    };
    assert.match(
      renderPlanTable(planRun(behind), behind),
      /settings changes waiting for a later run \(after the version hops, one layer per run\):\n  docker on 7 hosts \(m1\.\.m3, a1\.\.a4\): log driver json-file → none/,
    );
  });

  it("refuses a settings change on a host the input does not list", () => {
    assert.throws(() => planRun(converged([{ host: "zz", component: "docker", change: "x" }])), /settingsChanges\[0\]/);
  });
});

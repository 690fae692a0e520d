import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { planRun, renderPlanTable, type PlanInput } from "../../../planner";
import { agent, master } from "./helpers";

describe("renderPlanTable", () => {
  it("shows per host and component: current → this run → target, the wave and the remaining path, then the notes", () => {
    const input: PlanInput = {
      desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "0.23.1", marathon: "0.11.0" }, ["mesos-master", "marathon"]),
        agent("a1", { docker: "1.11.2", mesos: "0.23.1" }),
      ],
      rollout: { maxUnavailableSlaves: 1 },
    };
    assert.equal(
      renderPlanTable(planRun(input), input),
      [
        "phase: mesos — 2 steps in 2 waves; policy marathon-docs",
        "HOST  COMPONENT     CURRENT  THIS RUN  TARGET  WAVE  REMAINING PATH",
        "m1    docker        1.11.2   =         1.11.2  -     -",
        "m1    mesos-master  0.23.1   → 0.24.2  0.28.2  1     0.25.1 → 0.26.2 → 0.27.3 → 0.28.2",
        "m1    marathon      0.11.0   =         1.1.7   -     0.11.1 → 0.13.0 → 0.14.0 → 0.15.0 → 0.15.3 → 1.0.0-RC1 → 1.1.0 → 1.1.7",
        "a1    docker        1.11.2   =         1.11.2  -     -",
        "a1    mesos-slave   0.23.1   → 0.24.2  0.28.2  2     0.25.1 → 0.26.2 → 0.27.3 → 0.28.2",
        "",
        "task-killing restarts (hosts without Marathon tasks first; together only on hosts that share no multi-instance app; each waits until its host's multi-instance apps are whole and no other restart stops one of them, then until every multi-instance app is healthy again):",
        "  a1 mesos-slave 0.23.1 → 0.24.2: the agent moves its executors into their own containers (--docker_mesos_image, --pid=host) at 0.24.2; executors started without them die with the old container",
        "",
        "notes:",
        "  [mesos] Mesos 0.24: masters publish their ZooKeeper info as JSON; every scheduler must link libmesos >= 0.23 before the first master moves (source: fact sheet §1.3; apache/mesos@1.0.4:docs/upgrades.md)",
        "  [mesos] Mesos agent 0.24.0: --docker_sandbox_directory is renamed --sandbox_directory (the old name no longer loads) (source: catalogue/flags (per-version flag schemas))",
        "",
      ].join("\n"),
    );
  });

  it("lists blockers under the table", () => {
    const input: PlanInput = {
      desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      hosts: [master("m1", { docker: "1.11.2", mesos: "0.24.2", marathon: "0.15.7" }, ["mesos-master", "marathon"])],
      rollout: { maxUnavailableSlaves: 1 },
      frameworks: { "jenkins-mesos-plugin": "0.10.1" },
    };
    const text = renderPlanTable(planRun(input), input);
    assert.match(text, /^phase: blocked — 0 steps in 0 waves; policy marathon-docs\n/);
    assert.match(
      text,
      /\nblocked:\n  mesos: mesos stops at 0\.24\.2: jenkins-mesos-plugin 0\.10\.1 works with Mesos up to 0\.24\.x: /,
    );
    assert.match(
      text,
      /\n  marathon: marathon stops at 0\.15\.7: Marathon 1\.0\.0-RC1 needs Mesos >= 0\.28\.0 \(Marathon docs\) and Mesos stops at 0\.24\.2\n/,
    );
  });

  it("lists settings changes waiting for a later run once per change, hosts that wait for the same one named together", () => {
    const hosts = [
      master("m1", { docker: "1.11.2", mesos: "0.23.1", marathon: "0.11.0" }, ["mesos-master", "marathon"]),
      ...["a1", "a2", "a3", "a5"].map((name) => agent(name, { docker: "1.11.2", mesos: "0.23.1" })),
    ];
    const input: PlanInput = {
      desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      hosts,
      rollout: { maxUnavailableSlaves: 1 },
      settingsChanges: [
        ...hosts.map((h) => ({ host: h.name, component: "docker" as const, change: "log driver json-file → none" })),
        { host: "m1", component: "marathon", change: "flag --event_subscriber http_callback → (none)" },
      ],
    };
    const table = renderPlanTable(planRun(input), input);
    assert.match(
      table,
      /waiting for a later run \(after the version hops, one layer per run\):\n {2}docker on 5 hosts \(m1, a1\.\.a3, a5\): log driver json-file → none\n {2}m1 marathon: flag --event_subscriber http_callback → \(none\)\n/,
    );
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  compareVersions,
  invariantViolations,
  planRun,
  renderPlanTable,
  storageMigrations,
  type Plan,
  type PlanInput,
} from "../../../planner";
import { agent, applyStep, converge, master, runSummary, seedCluster } from "./helpers";

const NEWEST = { docker: "18.06.3", mesos: "1.11.0", marathon: "1.10.26" };
const toNewest = (overrides: Partial<PlanInput> = {}) => seedCluster(4, { desired: NEWEST, ...overrides });
const noteOf = (plan: Plan, pattern: RegExp) => plan.notes.find((n) => pattern.test(n.message))?.message;

describe("planRun to the newest releases (Mesos 1.11.0, Marathon 1.10.26, Docker 18.06.3)", () => {
  it("converges from the seed's cluster through every line, Marathon moving as soon as Mesos would leave its window", () => {
    const { plans, final } = converge(toNewest(), 200);
    assert.deepEqual(runSummary(plans), [
      "mesos 0.22.1->0.22.2",
      "mesos 0.22.2->0.23.1",
      "marathon 0.9.0->0.10.0",
      "marathon 0.10.0->0.11.0",
      "mesos 0.23.1->0.24.2",
      "mesos 0.24.2->0.25.1",
      "mesos 0.25.1->0.26.2",
      "mesos 0.26.2->0.27.3",
      "mesos 0.27.3->0.28.3",
      "mesos 0.28.3->1.0.4",
      "marathon 0.11.0->0.11.1",
      "marathon 0.11.1->0.13.0",
      "marathon 0.13.0->0.14.0",
      "marathon 0.14.0->0.15.0",
      "marathon 0.15.0->0.15.3",
      "marathon 0.15.3->1.0.0-RC1",
      "marathon 1.0.0-RC1->1.1.0",
      "marathon 1.1.0->1.3.14",
      "mesos 1.0.4->1.1.3",
      "docker 1.7.1->18.06.3",
      "mesos 1.1.3->1.2.3",
      "marathon 1.3.14->1.4.13",
      "mesos 1.2.3->1.3.2",
      "marathon 1.4.13->1.5.15",
      "mesos 1.3.2->1.4.3",
      "mesos 1.4.3->1.5.3",
      "marathon 1.5.15->1.6.590",
      "marathon 1.6.590->1.7.236",
      "mesos 1.5.3->1.6.2",
      "mesos 1.6.2->1.7.3",
      "marathon 1.7.236->1.8.244",
      "mesos 1.7.3->1.8.1",
      "marathon 1.8.244->1.9.109",
      "mesos 1.8.1->1.9.0",
      "marathon 1.9.109->1.10.26",
      "mesos 1.9.0->1.10.0",
      "mesos 1.10.0->1.11.0",
      "converged",
    ]);
    for (const host of final.hosts) {
      for (const [part, version] of Object.entries(host.versions)) {
        assert.equal(version, part === "docker" ? "18.06.3" : part === "marathon" ? "1.10.26" : "1.11.0");
      }
    }
  });

  it("keeps every invariant after every single step, and every agent on 1.0.x before any master leaves 1.0.x", () => {
    let state = toNewest();
    for (let run = 0; run < 200; run++) {
      const plan = planRun(state);
      if (plan.steps.length === 0) return;
      for (const step of plan.steps) {
        state = applyStep(state, step);
        assert.deepEqual(
          invariantViolations(state),
          [],
          `after ${step.host} ${step.component} ${step.from} -> ${step.to}`,
        );
        const masterPastOne = state.hosts.some(
          (h) => h.versions["mesos-master"] !== undefined && compareVersions(h.versions["mesos-master"], "1.1.0") >= 0,
        );
        const agentBeforeOne = state.hosts.some(
          (h) => h.versions["mesos-slave"] !== undefined && compareVersions(h.versions["mesos-slave"], "1.0.0") < 0,
        );
        assert.ok(
          !(masterPastOne && agentBeforeOne),
          `a master left 1.0.x while a 0.x agent runs (${step.host} ${step.from} -> ${step.to})`,
        );
      }
    }
    assert.fail("no convergence");
  });

  it("stops every Marathon instance at once for 1.1 → 1.3, in one wave marked whole-cluster, and says so", () => {
    const input = toNewest({
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "1.0.4", marathon: "1.1.7" }, ["mesos-master", "marathon"]),
        master("m2", { docker: "1.11.2", mesos: "1.0.4", marathon: "1.1.7" }),
        master("m3", { docker: "1.11.2", mesos: "1.0.4", marathon: "1.1.7" }),
        agent("a1", { docker: "1.11.2", mesos: "1.0.4" }),
      ],
      desired: { docker: "1.11.2", mesos: "1.0.4", marathon: "1.3.14" },
    });
    const plan = planRun(input);
    assert.equal(plan.phase, "marathon");
    assert.deepEqual(
      plan.steps.map((s) => [s.host, s.wave, s.restart]),
      [
        ["m2", 1, "whole-cluster"],
        ["m3", 1, "whole-cluster"],
        ["m1", 1, "whole-cluster"],
      ],
    );
    assert.match(
      noteOf(plan, /^whole-cluster restart/) ?? "",
      /all 3 Marathon instance\(s\) stop before any starts at 1\.3\.14.*Curator leader election/,
    );
    assert.deepEqual(
      storageMigrations("marathon", "1.1.7", "1.3.14").map((c) => c.at),
      ["1.3.0"],
    );
    const table = renderPlanTable(plan, input);
    assert.match(table, /^phase: marathon — 3 steps in 1 wave;/);
    assert.match(table, /\nm2 +marathon +1\.1\.7 +→ 1\.3\.14 +1\.3\.14 +1 \(all stop, then start\)/);
  });

  it("rolls Marathon past 1.3 one instance at a time again, the leader last", () => {
    const input = toNewest({
      hosts: [
        master("m1", { docker: "18.06.3", mesos: "1.2.3", marathon: "1.3.14" }, ["mesos-master", "marathon"]),
        master("m2", { docker: "18.06.3", mesos: "1.2.3", marathon: "1.3.14" }),
        agent("a1", { docker: "18.06.3", mesos: "1.2.3" }),
      ],
    });
    const plan = planRun(input);
    assert.deepEqual(
      plan.steps.map((s) => [s.host, s.component, s.to, s.wave, s.restart]),
      [
        ["m2", "marathon", "1.4.13", 1, undefined],
        ["m1", "marathon", "1.4.13", 2, undefined],
      ],
    );
    assert.match(
      plan.notes[0]?.message ?? "",
      /^Marathon moves before Mesos 1\.3\.2: on m1, Marathon 1\.3\.14 is planned against Mesos up to 1\.2\.x/,
    );
  });

  it("moves Mesos masters (leader last) before agents in waves on the 1.x lines too", () => {
    const input = toNewest({
      hosts: [
        master("m1", { docker: "18.06.3", mesos: "1.9.0", marathon: "1.10.26" }, ["mesos-master", "marathon"]),
        master("m2", { docker: "18.06.3", mesos: "1.9.0", marathon: "1.10.26" }),
        ...["a1", "a2", "a3"].map((n) => ({
          ...agent(n, { docker: "18.06.3", mesos: "1.9.0" }),
          executorContainers: true,
        })),
      ],
    });
    const plan = planRun(input);
    assert.deepEqual(
      plan.steps.map((s) => [s.host, s.to, s.wave]),
      [
        ["m2", "1.10.0", 1],
        ["m1", "1.10.0", 2],
        ["a1", "1.10.0", 3],
        ["a2", "1.10.0", 3],
        ["a3", "1.10.0", 4],
      ],
    );
    assert.ok(noteOf(plan, /TASK_RESOURCE_LIMITS/));
  });

  it("holds Docker >= 1.12 until every agent runs a Mesos with the MESOS-7777 fix, moving Mesos first and saying why", () => {
    const input = toNewest({
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "1.0.4", marathon: "1.3.14" }, ["mesos-master", "marathon"]),
        agent("a1", { docker: "1.11.2", mesos: "1.0.4" }),
      ],
    });
    const plan = planRun(input);
    assert.equal(plan.phase, "mesos");
    assert.equal(plan.steps[0]?.to, "1.1.3");
    assert.match(
      plan.notes[0]?.message ?? "",
      /^Mesos moves to 1\.1\.3 before Docker 18\.06\.3: a1 runs Mesos 1\.0\.4, and Docker >= 1\.12 leaks mount namespaces/,
    );
  });

  it("notes the docker-ce package switch and that the engine step stops every container", () => {
    const input = toNewest({
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "1.1.3", marathon: "1.3.14" }, ["mesos-master", "marathon"]),
        agent("a1", { docker: "1.11.2", mesos: "1.1.3" }),
      ],
    });
    const plan = planRun(input);
    assert.equal(plan.phase, "docker");
    assert.ok(noteOf(plan, /^Docker 17\.06: the engine comes from the docker-ce package/));
    assert.ok(noteOf(plan, /stops every container on the host.*\(2 hosts in this run\)/));
  });
});

describe("planRun ceilings past 0.28", () => {
  it("stops Mesos at 1.0.4 while desired.marathon stays on 1.1.7, and says to raise it", () => {
    const plan = converge(
      seedCluster(2, { desired: { docker: "1.11.2", mesos: "1.11.0", marathon: "1.1.7" } }),
      100,
    ).plans.at(-1) as Plan;
    assert.equal(plan.phase, "blocked");
    assert.equal(plan.targets.mesos, "1.0.4");
    assert.match(
      plan.blocked[0]?.reason ?? "",
      /^mesos stops at 1\.0\.4: desired\.marathon 1\.1\.7: Marathon 1\.1\.7 is planned against Mesos up to 1\.0\.x.*raise desired\.marathon$/,
    );
  });

  it("stops Mesos at 1.7.3 for mesos-dns 0.6.0 (state.json is gone in 1.8), not for 0.7.0-rc1", () => {
    const blocked = planRun(toNewest({ frameworks: { "mesos-dns": "0.6.0" } }));
    assert.equal(blocked.targets.mesos, "1.7.3");
    assert.match(
      blocked.blocked.find((b) => b.component === "mesos")?.reason ?? "",
      /mesos-dns 0\.6\.0 works with Mesos up to 1\.7\.x: .*state\.json.*v0\.7\.0-rc1/,
    );
    assert.equal(planRun(toNewest({ frameworks: { "mesos-dns": "0.7.0-rc1" } })).targets.mesos, "1.11.0");
  });

  it("stops Marathon at 1.4.13 for bamboo before 0.2.16 (no event stream), and Mesos inside 1.4's window", () => {
    const plan = planRun(toNewest({ frameworks: { bamboo: "0.2.15" } }));
    assert.equal(plan.targets.marathon, "1.4.13");
    assert.equal(plan.targets.mesos, "1.3.2");
    assert.match(
      plan.blocked.find((b) => b.component === "marathon")?.reason ?? "",
      /bamboo 0\.2\.15 works with Marathon up to 1\.4\.x: .*eventSubscriptions/,
    );
    assert.equal(planRun(toNewest({ frameworks: { bamboo: "0.2.16" } })).targets.marathon, "1.10.26");
  });

  it("still stops Mesos at 0.24.2 for Jenkins' plugin 0.10.1; plugin 2.0 (no libmesos) lets it reach 1.11.0 with a note", () => {
    assert.equal(planRun(toNewest({ frameworks: { "jenkins-mesos-plugin": "0.10.1" } })).targets.mesos, "0.24.2");
    const plan = planRun(toNewest({ frameworks: { "jenkins-mesos-plugin": "2.0.0" } }));
    assert.equal(plan.targets.mesos, "1.11.0");
    assert.ok(plan.notes.some((n) => /plugin 2\.0 no longer loads libmesos/.test(n.message)));
    assert.ok(!plan.notes.some((n) => /relink it/.test(n.message)));
  });

  it("stops Mesos below 1.4.3 when desired.docker is older than 1.8 (the agent refuses it)", () => {
    const plan = planRun(toNewest({ desired: { docker: "1.7.1", mesos: "1.5.3", marathon: "1.5.15" } }));
    assert.equal(plan.targets.mesos, "1.4.2");
    assert.match(
      plan.blocked.find((b) => b.component === "mesos")?.reason ?? "",
      /Mesos 1\.4\.3 needs Docker >= 1\.8\.0 and desired\.docker is 1\.7\.1/,
    );
  });
});

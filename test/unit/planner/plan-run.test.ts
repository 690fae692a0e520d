import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  compareVersions,
  invariantViolations,
  isKnownBad,
  planRun,
  storageMigrations,
  type HostInput,
  type Plan,
  type PlanInput,
} from "../../../planner";
import { agent, applyPlan, applyStep, converge, master, runSummary, seedCluster, versionOn } from "./helpers";

const stepsOf = (plan: Plan, component: string) => plan.steps.filter((s) => s.component === component);
const wavesOf = (plan: Plan) =>
  [...new Set(plan.steps.map((s) => s.wave))].map((w) => plan.steps.filter((s) => s.wave === w).map((s) => s.host));

/** The seed cluster after the forced patch and the Docker run: Docker 1.11.2, Mesos 0.22.2, Marathon 0.9.0. */
function afterDocker(agents = 5, overrides: Partial<PlanInput> = {}): PlanInput {
  const input = seedCluster(agents, overrides);
  return {
    ...input,
    hosts: input.hosts.map((h) => ({
      ...h,
      versions: Object.fromEntries(
        Object.entries(h.versions).map(([k, v]) => [k, k === "docker" ? "1.11.2" : k === "marathon" ? v : "0.22.2"]),
      ),
    })),
  };
}

describe("planRun: the whole upgrade", () => {
  it("takes the seed cluster to Docker 1.11.2, Mesos 0.28.2 and Marathon 1.1.7, one hop per run, Docker then Mesos then Marathon", () => {
    // GIVEN the seed's starting cluster
    // WHEN every run is applied and planned again
    const { plans, final } = converge(seedCluster(5));
    // THEN the runs are these, in this order
    assert.deepEqual(runSummary(plans), [
      "mesos 0.22.1->0.22.2",
      "docker 1.7.1->1.11.2",
      "mesos 0.22.2->0.23.1",
      "marathon 0.9.0->0.10.0",
      "marathon 0.10.0->0.11.0",
      "mesos 0.23.1->0.24.2",
      "mesos 0.24.2->0.25.1",
      "mesos 0.25.1->0.26.2",
      "mesos 0.26.2->0.27.3",
      "mesos 0.27.3->0.28.2",
      "marathon 0.11.0->0.11.1",
      "marathon 0.11.1->0.13.0",
      "marathon 0.13.0->0.14.0",
      "marathon 0.14.0->0.15.0",
      "marathon 0.15.0->0.15.3",
      "marathon 0.15.3->1.0.0-RC1",
      "marathon 1.0.0-RC1->1.1.0",
      "marathon 1.1.0->1.1.7",
      "converged",
    ]);
    // AND every host ends at desired
    for (const host of final.hosts) {
      for (const [part, version] of Object.entries(host.versions)) {
        const layer = part === "docker" ? "docker" : part === "marathon" ? "marathon" : "mesos";
        assert.equal(version, final.desired[layer], `${host.name} ${part}`);
      }
    }
  });

  it("says converged with no steps, no blockers and empty paths once everything is at desired", () => {
    const { final } = converge(seedCluster(2));
    const plan = planRun(final);
    assert.deepEqual(
      { phase: plan.phase, steps: plan.steps, blocked: plan.blocked, paths: plan.paths },
      { phase: "converged", steps: [], blocked: [], paths: { docker: [], mesos: [], marathon: [] } },
    );
  });

  it("converges a single-host cluster that runs every role (the seed's dev environment)", () => {
    const dev: PlanInput = {
      desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.1" },
      hosts: [
        {
          name: "dev",
          roles: ["mesos-master", "mesos-slave", "marathon"],
          versions: { docker: "1.7.1", "mesos-master": "0.22.1", "mesos-slave": "0.22.1", marathon: "0.9.1" },
        },
      ],
      rollout: { maxUnavailableSlaves: 1 },
    };
    const { plans, final } = converge(dev);
    assert.equal(plans[plans.length - 1]?.phase, "converged");
    assert.deepEqual(final.hosts[0]?.versions, {
      docker: "1.11.2",
      "mesos-master": "0.28.2",
      "mesos-slave": "0.28.2",
      marathon: "1.1.1",
    });
  });

  it("finishes an interrupted run: the next plan repeats the hop for the hosts still behind", () => {
    // GIVEN a Mesos run of which only the first two steps were applied
    const start = afterDocker(5);
    const plan = planRun(start);
    assert.equal(plan.phase, "mesos");
    const half = plan.steps.slice(0, 2).reduce(applyStep, start);
    // WHEN planning again
    const next = planRun(half);
    // THEN the same hop continues with the remaining steps in the same order
    assert.deepEqual(
      next.steps.map(({ host, component, from, to }) => ({ host, component, from, to })),
      plan.steps.slice(2).map(({ host, component, from, to }) => ({ host, component, from, to })),
    );
  });
});

describe("planRun: layers and cross-layer prerequisites", () => {
  it("patches a 0.22.1 cluster to 0.22.2 before any engine goes to Docker >= 1.8 (MESOS-2986)", () => {
    const plan = planRun(seedCluster(3));
    assert.equal(plan.phase, "mesos");
    assert.ok(plan.steps.every((s) => s.from === "0.22.1" && s.to === "0.22.2"));
    assert.equal(plan.steps.length, 6, "every master and agent");
    assert.match(
      plan.notes[0]?.message ?? "",
      /^Mesos moves to 0\.22\.2 before Docker 1\.11\.2: a1 runs Mesos 0\.22\.1, and Mesos <= 0\.22\.1 parses `Client version:`.*MESOS-2986/,
    );
    assert.deepEqual(plan.paths.mesos, ["0.22.2", "0.23.1", "0.24.2", "0.25.1", "0.26.2", "0.27.3", "0.28.2"]);
  });

  it("upgrades Docker straight away on a 0.22.2 cluster", () => {
    const input = seedCluster(2);
    const patched = {
      ...input,
      hosts: input.hosts.map((h) => ({
        ...h,
        versions: {
          ...h.versions,
          ...(h.versions["mesos-master"] ? { "mesos-master": "0.22.2" } : { "mesos-slave": "0.22.2" }),
        },
      })),
    };
    const plan = planRun(patched);
    assert.equal(plan.phase, "docker");
    assert.ok(plan.steps.every((s) => s.from === "1.7.1" && s.to === "1.11.2"));
  });

  it("does not patch Mesos first when Docker stays below 1.8", () => {
    const plan = planRun(seedCluster(2, { desired: { docker: "1.7.1", mesos: "0.28.2", marathon: "1.1.7" } }));
    assert.equal(plan.phase, "mesos");
    assert.ok(plan.steps.every((s) => s.to === "0.23.1"));
  });

  it("finishes Docker before any Mesos hop and Mesos before any Marathon hop it does not need", () => {
    const { plans } = converge(seedCluster(2));
    const phases = plans.map((p) => p.phase);
    assert.ok(phases.indexOf("docker") < phases.indexOf("marathon"));
    const lastMesos = phases.lastIndexOf("mesos");
    const marathonRuns = phases.map((p, i) => (p === "marathon" ? i : -1)).filter((i) => i >= 0);
    const forced = marathonRuns.filter((i) => i < lastMesos);
    assert.deepEqual(
      forced.map((i) => plans[i]?.notes[0]?.message.startsWith("Marathon moves before Mesos 0.24.2")),
      [true, true],
    );
  });

  it("moves Marathon before any master goes to 0.24 while its libmesos is older than 0.23", () => {
    // GIVEN the cluster at Mesos 0.23.1 with Marathon 0.9.0 (libmesos 0.22.1)
    let input = afterDocker(2);
    input = applyPlan(input, planRun(input));
    assert.equal(versionOn(input, "a1", "mesos-slave"), "0.23.1");
    // WHEN planning the next run
    const plan = planRun(input);
    // THEN Marathon moves, not Mesos, and the note says why
    assert.equal(plan.phase, "marathon");
    assert.ok(plan.steps.every((s) => s.to === "0.10.0"));
    assert.equal(
      plan.notes[0]?.message.slice(0, 111),
      "Marathon moves before Mesos 0.24.2: m1 runs Marathon 0.9.0 with libmesos 0.22.1, and 0.24 masters publish their",
    );
  });

  it("does not make a Marathon hop before every Mesos host runs the Mesos it needs", () => {
    for (const policy of ["marathon-docs", "seed-table"] as const) {
      const { plans } = converge(seedCluster(2, { policy }));
      let state = seedCluster(2, { policy });
      for (const plan of plans) {
        assert.deepEqual(invariantViolations(state), [], `${policy} before ${plan.phase}`);
        state = applyPlan(state, plan);
      }
    }
  });
});

describe("planRun: Mesos rules", () => {
  it("moves every master before any agent for the same hop", () => {
    const plan = planRun(afterDocker(4));
    const lastMaster = Math.max(...stepsOf(plan, "mesos-master").map((s) => s.seq));
    const firstAgent = Math.min(...stepsOf(plan, "mesos-slave").map((s) => s.seq));
    assert.ok(lastMaster < firstAgent);
  });

  it("moves standby masters first and the leading master last, one per wave", () => {
    const input = afterDocker(1);
    const leaderOnM2 = {
      ...input,
      hosts: input.hosts.map((h) =>
        h.name === "m1"
          ? { ...h, leader: ["marathon" as const] }
          : h.name === "m2"
            ? { ...h, leader: ["mesos-master" as const] }
            : h,
      ),
    };
    const masters = stepsOf(planRun(leaderOnM2), "mesos-master");
    assert.deepEqual(
      masters.map((s) => [s.host, s.wave]),
      [
        ["m1", 1],
        ["m3", 2],
        ["m2", 3],
      ],
    );
  });

  it("moves agent restarts that kill their tasks (0.22 agents) one at a time, whatever maxUnavailableSlaves", () => {
    const plan = planRun(afterDocker(5, { rollout: { maxUnavailableSlaves: 2 } }));
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a1"], ["a2"], ["a3"], ["a4"], ["a5"]]);
    assert.ok(
      plan.steps
        .filter((s) => s.component === "mesos-slave")
        .every((s) => /agent 0\.22\.2 runs its executors inside its own container/.test(s.killsTasks ?? "")),
    );
  });

  it("waves task-killing agent restarts of hosts that share no multi-instance app, at most maxUnavailableSlaves each", () => {
    const input = afterDocker(5, { rollout: { maxUnavailableSlaves: 2 } });
    const placed: Record<string, string[]> = {
      a1: ["/redis"],
      a2: ["/redis", "/queue"],
      a3: [],
      a4: ["/queue"],
      a5: [],
    };
    const plan = planRun({
      ...input,
      hosts: input.hosts.map((h) => (placed[h.name] ? { ...h, multiInstanceApps: placed[h.name] } : h)),
    });
    // a2 shares /redis with a1, a4 shares /queue with a2: each pair kept apart, the hosts of those apps last.
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a3"], ["a2", "a5"], ["a1", "a4"]]);
    assert.ok(plan.steps.filter((s) => s.component === "mesos-slave").every((s) => s.killsTasks));
  });

  it("keeps a task-killing restart alone when where its host's apps run is unknown", () => {
    const input = afterDocker(3, { rollout: { maxUnavailableSlaves: 3 } });
    const plan = planRun({
      ...input,
      hosts: input.hosts.map((h) => (h.name === "a2" ? h : { ...h, multiInstanceApps: [] })),
    });
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a2"], ["a1", "a3"]]);
  });

  it("restarts hosts without Marathon tasks first and hosts of multi-instance apps last, in as few waves", () => {
    const input = afterDocker(6, { rollout: { maxUnavailableSlaves: 2 } });
    const placed: Record<string, Pick<HostInput, "multiInstanceApps" | "marathonTasks">> = {
      a1: { multiInstanceApps: ["/redis"], marathonTasks: 1 },
      a2: { multiInstanceApps: ["/redis"], marathonTasks: 2 },
      a3: { multiInstanceApps: [], marathonTasks: 1 },
      a4: { multiInstanceApps: [], marathonTasks: 0 },
      a5: { multiInstanceApps: [], marathonTasks: 0 },
      a6: { multiInstanceApps: [], marathonTasks: 0 },
    };
    const plan = planRun({ ...input, hosts: input.hosts.map((h) => ({ ...h, ...placed[h.name] })) });
    // The tasks a1..a3 run start again on hosts already restarted; the two /redis hosts still go apart, each beside
    // another host, so the six restarts take three waves, as in host order.
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a4", "a5"], ["a1", "a6"], ["a2", "a3"]]);
  });

  it("moves agents already running executor containers in waves of at most maxUnavailableSlaves, their tasks kept", () => {
    const input = afterDocker(5, { rollout: { maxUnavailableSlaves: 2 } });
    const at023 = {
      ...input,
      hosts: input.hosts.map((h) => ({
        ...h,
        versions: {
          ...h.versions,
          ...(h.versions["mesos-slave"] ? { "mesos-slave": "0.23.1" } : {}),
          ...(h.versions["mesos-master"] ? { "mesos-master": "0.23.1" } : {}),
          ...(h.versions.marathon ? { marathon: "0.11.0" } : {}),
        },
        ...(h.roles.includes("mesos-slave") ? { executorContainers: true } : {}),
      })),
    };
    const plan = planRun(at023);
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a1", "a2"], ["a3", "a4"], ["a5"]]);
    assert.deepEqual(
      plan.steps.filter((s) => s.killsTasks),
      [],
    );
    const first = planRun({ ...at023, hosts: at023.hosts.map((h) => ({ ...h, executorContainers: false })) });
    assert.match(
      first.steps.find((s) => s.host === "a1")?.killsTasks ?? "",
      /moves its executors into their own containers \(--docker_mesos_image, --pid=host\) at 0\.24\.2/,
    );
  });

  it("moves one minor per run and never lands on a known-bad release", () => {
    const { plans } = converge(seedCluster(2));
    for (const plan of plans.filter((p) => p.phase === "mesos")) {
      const targets = new Set(plan.steps.map((s) => s.to));
      assert.equal(targets.size, 1);
      const [to] = [...targets] as [string];
      assert.equal(isKnownBad("mesos", to), undefined);
    }
  });

  it("finishes the agents of a hop before any master starts the next one", () => {
    // GIVEN masters already at 0.24.2 and agents still at 0.23.1
    const input: PlanInput = {
      desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "0.24.2", marathon: "0.11.0" }, ["mesos-master"]),
        agent("a1", { docker: "1.11.2", mesos: "0.23.1" }),
      ],
      rollout: { maxUnavailableSlaves: 1 },
    };
    // THEN only the agent moves, to the masters' version
    assert.deepEqual(
      planRun(input).steps.map((s) => [s.host, s.from, s.to]),
      [["a1", "0.23.1", "0.24.2"]],
    );
  });

  it("notes the 1.0 slave → agent renames and the required agent work_dir on the 0.28 → 1.0 hop", () => {
    const input: PlanInput = {
      desired: { docker: "1.11.2", mesos: "1.0.4", marathon: "1.1.7" },
      hosts: [
        master("m1", { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" }, ["mesos-master", "marathon"]),
        agent("a1", { docker: "1.11.2", mesos: "0.28.2" }),
      ],
      rollout: { maxUnavailableSlaves: 1 },
    };
    const messages = planRun(input).notes.map((n) => n.message);
    assert.ok(
      messages.includes(
        "Mesos master 1.0.0: --slave_ping_timeout is renamed --agent_ping_timeout (the old name still loads, deprecated)",
      ),
    );
    assert.ok(messages.includes("Mesos agent 1.0.0: --work_dir is required (no default)"));
    assert.ok(
      messages.includes(
        "Mesos master 1.0.0: --registry_strict=true is refused (Mesos 1.0 disabled --registry_strict and the master exits when it is true)",
      ),
    );
  });

  it("notes a missing leader mark, since the leader cannot then be kept last", () => {
    const input = afterDocker(1);
    const plan = planRun({ ...input, hosts: input.hosts.map(({ leader: _leader, ...h }) => h) });
    assert.ok(plan.notes.some((n) => n.message.startsWith("no host is marked as the mesos-master leader")));
  });
});

describe("planRun: Marathon rules", () => {
  it("moves Marathon instances one at a time with the leader last", () => {
    const input = afterDocker(1);
    const leaderOnM3 = {
      ...input,
      hosts: input.hosts.map((h) =>
        h.name === "m1"
          ? { ...h, leader: ["mesos-master" as const] }
          : h.name === "m3"
            ? { ...h, leader: ["marathon" as const] }
            : h,
      ),
    };
    const marathon = converge(leaderOnM3).plans.find((p) => p.phase === "marathon") as Plan;
    assert.deepEqual(
      marathon.steps.map((s) => [s.host, s.wave]),
      [
        ["m1", 1],
        ["m2", 2],
        ["m3", 3],
      ],
    );
  });

  it("notes the storage migration on the hop to 0.13", () => {
    const { plans } = converge(seedCluster(1));
    const to013 = plans.find((p) => p.steps[0]?.to === "0.13.0") as Plan;
    assert.ok(
      to013.notes.some((n) => n.message.startsWith("Marathon 0.13 (breaking): task keys and storage format change")),
    );
  });

  it("names the hops that migrate Marathon's storage, which call for a ZooKeeper backup", () => {
    const at = (from: string, to: string) => storageMigrations("marathon", from, to).map((m) => m.at);
    assert.deepEqual(at("0.10.0", "0.11.0"), ["0.11.0"]);
    assert.deepEqual(at("0.11.1", "0.13.0"), ["0.13.0"]);
    assert.deepEqual(at("1.1.0", "1.1.7"), ["1.1.5"]);
    assert.deepEqual(at("1.1.0", "1.1.4"), []);
    assert.deepEqual(at("0.9.1", "0.10.0"), []);
    assert.deepEqual(at("0.15.3", "1.0.0-RC1"), []);
    assert.deepEqual(storageMigrations("mesos", "0.22.1", "0.28.2"), []);
  });

  it("stops Marathon at the highest version the Mesos target allows, stricter under the seed-table policy", () => {
    // GIVEN a Jenkins plugin that holds Mesos at 0.24.x
    const frameworks = { "jenkins-mesos-plugin": "0.10.1" };
    const docs = planRun(seedCluster(1, { frameworks }));
    const seed = planRun(seedCluster(1, { frameworks, policy: "seed-table" }));
    // THEN Marathon docs allow 0.15.x on 0.24 (>= 0.24.0) but the seed's table wants 0.26 for 0.14/0.15
    assert.deepEqual(docs.targets, { docker: "1.11.2", mesos: "0.24.2", marathon: "0.15.7" });
    assert.deepEqual(seed.targets, { docker: "1.11.2", mesos: "0.24.2", marathon: "0.13.1" });
    assert.equal(
      seed.blocked[1]?.reason,
      "marathon stops at 0.13.1: Marathon 0.14.0 needs Mesos >= 0.26.0 (the seed's table) and Mesos stops at 0.24.2",
    );
  });
});

describe("planRun: Docker rules", () => {
  it("moves master/Marathon hosts one at a time with leading hosts last, then agent hosts in waves", () => {
    const input = seedCluster(5, { rollout: { maxUnavailableSlaves: 3 } });
    const patched = applyPlan(input, planRun(input));
    const plan = planRun(patched);
    assert.equal(plan.phase, "docker");
    // Engines before 1.12 stop every container: on agent hosts that kills the tasks; where their apps are unknown (no
    // Marathon placement in the input), one host at a time.
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a1"], ["a2"], ["a3"], ["a4"], ["a5"]]);
  });

  it("upgrades a host that only runs Docker with the agent hosts' waves", () => {
    const input = seedCluster(2);
    const withTools = {
      ...input,
      hosts: [...input.hosts, { name: "jenkins", roles: [], versions: { docker: "1.7.1" } }],
    };
    const plan = planRun(applyPlan(withTools, planRun(withTools)));
    assert.deepEqual(wavesOf(plan), [["m2"], ["m3"], ["m1"], ["a1"], ["a2"], ["jenkins"]]);
  });

  it("notes the 1.10 image migration and that engine restarts before 1.12 stop every container", () => {
    const input = seedCluster(2);
    const plan = planRun(applyPlan(input, planRun(input)));
    const messages = plan.notes.map((n) => n.message);
    assert.ok(messages.some((m) => m.startsWith("Docker 1.10: the first start migrates every image")));
    assert.ok(
      messages.includes(
        "Docker engine restart before 1.12 stops every container on the host (no live-restore): the host's Mesos/Marathon containers and its tasks go down until the engine is back (5 hosts in this run)",
      ),
    );
  });

  it("moves engines from 1.12 on one minor per run, where live-restore holds", () => {
    const input: PlanInput = {
      desired: { docker: "1.13.1", mesos: "1.1.3", marathon: "1.1.7" },
      hosts: [master("m1", { docker: "1.12.6", mesos: "1.1.3", marathon: "1.1.7" }, ["mesos-master", "marathon"])],
      rollout: { maxUnavailableSlaves: 1 },
    };
    const plan = planRun(input);
    assert.deepEqual(
      plan.steps.map((s) => [s.from, s.to]),
      [["1.12.6", "1.13.1"]],
    );
    assert.ok(!plan.notes.some((n) => n.message.startsWith("Docker engine restart before 1.12")));
  });
});

describe("planRun: framework ceilings", () => {
  it("stops Mesos at 0.24.2 for Jenkins' mesos plugin 0.10.1 and says why", () => {
    const { plans, final } = converge(seedCluster(1, { frameworks: { "jenkins-mesos-plugin": "0.10.1" } }));
    const last = plans[plans.length - 1] as Plan;
    assert.equal(last.phase, "blocked");
    assert.equal(versionOn(final, "a1", "mesos-slave"), "0.24.2");
    assert.deepEqual(last.blocked[0], {
      component: "mesos",
      reason:
        "mesos stops at 0.24.2: jenkins-mesos-plugin 0.10.1 works with Mesos up to 0.24.x: the plugin bundles a Mesos JAR older than 0.25 and its maintainer names Mesos 0.25 as the last change that broke the plugin (inference); upgrade the plugin to 0.11.0–0.13.1 (Mesos 0.27.0 JAR), which works with Mesos 0.28",
    });
  });

  it("stops Mesos at 0.23.1 for mesos-dns 0.1.x, which cannot read 0.24 masters' JSON", () => {
    const plan = planRun(seedCluster(1, { frameworks: { "mesos-dns": "0.1.2" } }));
    assert.equal(plan.targets.mesos, "0.23.1");
    assert.match(
      plan.blocked[0]?.reason ?? "",
      /^mesos stops at 0\.23\.1: mesos-dns 0\.1\.2 works with Mesos up to 0\.23\.x/,
    );
  });

  it("lets a plugin already broken at the running Mesos pass, and reports it", () => {
    const plan = planRun(seedCluster(1, { frameworks: { "jenkins-mesos-plugin": "0.14.0" } }));
    assert.equal(plan.targets.mesos, "0.28.2");
    assert.ok(
      plan.notes.some(
        (n) =>
          n.message.startsWith("jenkins-mesos-plugin 0.14.0 already fails with the running Mesos 0.22.1") &&
          /JNI|JAR/.test(n.message),
      ),
    );
  });

  it("does not hold Mesos back for a plugin whose JAR loads on every hop", () => {
    const plan = planRun(
      seedCluster(1, { frameworks: { "jenkins-mesos-plugin": "0.13.1", "mesos-dns": "0.6.0", bamboo: "0.2.21" } }),
    );
    assert.deepEqual(plan.blocked, []);
  });

  it("shows bamboo's need for Marathon http_callback before 0.2.16", () => {
    const plan = planRun(seedCluster(1, { frameworks: { bamboo: "0.2.15" } }));
    assert.ok(
      plan.notes.some((n) => n.component === "framework" && n.message.includes("--event_subscriber http_callback")),
    );
  });

  it("keeps every step at or below the blocked target", () => {
    const { plans } = converge(seedCluster(1, { frameworks: { "mesos-dns": "0.4.0" } }));
    for (const step of plans.flatMap((p) => p.steps)) {
      if (step.component.startsWith("mesos")) assert.ok(compareVersions(step.to, "0.25.1") <= 0);
    }
  });
});

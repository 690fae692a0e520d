import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DOCKER_LINES, MARATHON_LINES, MESOS_LINES } from "../../../catalogue";
import {
  compareVersions,
  findPath,
  invariantViolations,
  isKnownBad,
  minMesosFor,
  planRun,
  PlanInputError,
  validatePlanInput,
  type HostInput,
  type MarathonPolicy,
  type Plan,
  type PlanInput,
  type Role,
} from "../../../planner";
import {
  containerizerRefusal,
  dockerTooOld,
  marathonMasterProblem,
  marathonWindowProblem,
} from "../../../planner/compatibility";
import { lineIndex } from "../../../planner/versions";
import { applyStep } from "./helpers";

type Gen = fc.GeneratorValue;

const MESOS_RELEASES = MESOS_LINES.flatMap((l) => l.releases);
const DOCKER_RELEASES = DOCKER_LINES.flatMap((l) => l.releases);
const MARATHON_RELEASES = MARATHON_LINES.flatMap((l) => l.releases);
const atLeast = (list: readonly string[], v: string) => list.filter((r) => compareVersions(r, v) >= 0);
const pick = <T>(g: Gen, list: readonly T[]): T => g(fc.constantFrom, ...list);
const max = (vs: readonly string[]) => [...vs].sort(compareVersions)[vs.length - 1] as string;
const min = (vs: readonly string[]) => [...vs].sort(compareVersions)[0] as string;

/** A random cluster that keeps every invariant, with desired versions at or above what runs. */
function randomCluster(g: Gen): PlanInput {
  const policy: MarathonPolicy = pick(g, ["marathon-docs", "seed-table"] as const);
  const base = g(fc.integer, { min: 0, max: MESOS_LINES.length - 1 });
  const top = Math.min(base + 1, MESOS_LINES.length - 1);
  const lineRelease = (line: number) => pick(g, (MESOS_LINES[line] as { releases: readonly string[] }).releases);
  const masterCount = g(fc.integer, { min: 1, max: 3 });
  const agentCount = g(fc.integer, { min: 0, max: 6 });
  const masterLines = Array.from({ length: masterCount }, () => g(fc.integer, { min: base, max: top }));
  const lowestMasterLine = Math.min(...masterLines);
  const hosts: { name: string; roles: Role[]; versions: Record<string, string>; leader?: Role[] }[] = [];
  masterLines.forEach((line, i) => {
    const roles: Role[] = ["mesos-master"];
    if (g(fc.boolean)) roles.push("marathon");
    if (g(fc.integer, { min: 0, max: 4 }) === 0 && line === base) roles.push("mesos-slave");
    const mesos = lineRelease(line);
    hosts.push({
      name: `m${i + 1}`,
      roles,
      versions: {
        "mesos-master": mesos,
        ...(roles.includes("mesos-slave") ? { "mesos-slave": lineRelease(base) } : {}),
      },
    });
  });
  for (let i = 0; i < agentCount; i++) {
    hosts.push({
      name: `a${i + 1}`,
      roles: ["mesos-slave"],
      versions: { "mesos-slave": lineRelease(g(fc.integer, { min: base, max: lowestMasterLine })) },
    });
  }
  if (g(fc.boolean)) hosts.push({ name: "mar1", roles: ["marathon"], versions: {} });
  // Engines every Mesos of the cluster can drive, so no target falls below a running engine.
  const runningMesos = hosts.flatMap((h) =>
    [h.versions["mesos-master"], h.versions["mesos-slave"]].filter((v): v is string => v !== undefined),
  );
  for (const host of hosts) {
    const agentMesos = host.versions["mesos-slave"];
    const engines = DOCKER_RELEASES.filter(
      (d) =>
        runningMesos.every((m) => containerizerRefusal(m, d) === undefined) &&
        (agentMesos === undefined || dockerTooOld(agentMesos, d) === undefined),
    );
    host.versions.docker = pick(g, engines);
  }
  const mesosVersions = hosts.flatMap((h) =>
    [h.versions["mesos-master"], h.versions["mesos-slave"]].filter((v): v is string => v !== undefined),
  );
  const lowMesos = min(mesosVersions);
  const highMaster = max(
    hosts.flatMap((h) => (h.versions["mesos-master"] === undefined ? [] : [h.versions["mesos-master"]])),
  );
  const marathons = MARATHON_RELEASES.filter(
    (m) =>
      compareVersions(minMesosFor(m, policy), lowMesos) <= 0 &&
      marathonMasterProblem(m, highMaster) === undefined &&
      marathonWindowProblem(m, highMaster) === undefined,
  );
  const marathon = marathons.length === 0 ? undefined : pick(g, marathons);
  for (const host of hosts) {
    if (marathon === undefined) host.roles = host.roles.filter((r) => r !== "marathon");
    else if (host.roles.includes("marathon")) host.versions.marathon = marathon;
  }
  const live = hosts.filter((h) => h.roles.length > 0 || h.name !== "mar1");
  const masters = live.filter((h) => h.roles.includes("mesos-master"));
  const marathonHosts = live.filter((h) => h.roles.includes("marathon"));
  if (g(fc.boolean)) {
    (masters[g(fc.integer, { min: 0, max: masters.length - 1 })] as { leader?: Role[] }).leader = ["mesos-master"];
  }
  if (marathonHosts.length > 0 && g(fc.boolean)) {
    const leader = marathonHosts[g(fc.integer, { min: 0, max: marathonHosts.length - 1 })] as { leader?: Role[] };
    leader.leader = [...(leader.leader ?? []), "marathon"];
  }
  const runningDocker = live.map((h) => h.versions.docker as string);
  const desiredMesos = pick(
    g,
    atLeast(MESOS_RELEASES, max(mesosVersions)).filter(
      (v) =>
        isKnownBad("mesos", v) === undefined && runningDocker.every((d) => containerizerRefusal(v, d) === undefined),
    ),
  );
  const marathonFloor = marathon ?? (MARATHON_RELEASES[0] as string);
  const desiredMarathon = pick(
    g,
    atLeast(MARATHON_RELEASES, marathonFloor)
      .filter(
        (m) =>
          compareVersions(minMesosFor(m, policy), desiredMesos) <= 0 &&
          marathonMasterProblem(m, desiredMesos) === undefined,
      )
      .concat([marathonFloor]),
  );
  const desiredDocker = pick(
    g,
    atLeast(DOCKER_RELEASES, max(live.map((h) => h.versions.docker as string)))
      .filter((d) => containerizerRefusal(desiredMesos, d) === undefined)
      .concat([max(live.map((h) => h.versions.docker as string))]),
  );
  const frameworks = g(fc.subarray, [
    ["jenkins-mesos-plugin", pick(g, ["0.10.1", "0.13.1", "0.14.0"])],
    ["mesos-dns", pick(g, ["0.1.2", "0.2.0", "0.4.0", "0.6.0"])],
    ["bamboo", "0.2.15"],
  ] as [string, string][]);
  return {
    desired: { docker: desiredDocker, mesos: desiredMesos, marathon: desiredMarathon },
    hosts: live as HostInput[],
    rollout: { maxUnavailableSlaves: g(fc.integer, { min: 1, max: 4 }) },
    policy,
    ...(frameworks.length > 0 ? { frameworks: Object.fromEntries(frameworks) } : {}),
  };
}

const isControl = (input: PlanInput, host: string) =>
  input.hosts.some((h) => h.name === host && (h.roles.includes("mesos-master") || h.roles.includes("marathon")));
const leaderOf = (input: PlanInput, role: Role) => input.hosts.find((h) => h.leader?.includes(role) === true)?.name;

/** The rules a single plan must keep: order, waves, one hop, masters before agents, leaders last. */
function checkPlan(input: PlanInput, plan: Plan): void {
  const { steps } = plan;
  assert.deepEqual(
    steps.map((s) => s.seq),
    steps.map((_, i) => i + 1),
  );
  const waves = steps.map((s) => s.wave);
  assert.ok(
    waves.every((w, i) => (i === 0 ? w === 1 : w === (waves[i - 1] as number) || w === (waves[i - 1] as number) + 1)),
    "waves run 1, 2, 3… in order",
  );
  assert.equal(new Set(steps.map((s) => s.to)).size <= 1, true, "one hop per run");
  for (const wave of new Set(waves)) {
    const inWave = steps.filter((s) => s.wave === wave);
    const alone = inWave.some(
      (s) =>
        s.component === "mesos-master" ||
        s.component === "marathon" ||
        (s.component === "docker" && isControl(input, s.host)),
    );
    const wholeCluster = inWave.every((s) => s.component === "marathon" && s.restart === "whole-cluster");
    if (wholeCluster) {
      assert.equal(
        inWave.length,
        steps.length,
        `wave ${wave}: a whole-cluster Marathon restart is the run's only wave`,
      );
    } else if (alone) {
      assert.equal(inWave.length, 1, `wave ${wave}: masters, Marathons and their hosts' engines go one at a time`);
    } else assert.ok(inWave.length <= input.rollout.maxUnavailableSlaves, `wave ${wave} has ${inWave.length} agents`);
  }
  const masters = steps.filter((s) => s.component === "mesos-master");
  const agents = steps.filter((s) => s.component === "mesos-slave");
  if (masters.length > 0 && agents.length > 0) {
    assert.ok(Math.max(...masters.map((s) => s.seq)) < Math.min(...agents.map((s) => s.seq)), "masters before agents");
  }
  for (const [role, moving] of [
    ["mesos-master", masters],
    ["marathon", steps.filter((s) => s.component === "marathon")],
  ] as const) {
    const leader = leaderOf(input, role);
    if (leader !== undefined && moving.some((s) => s.host === leader)) {
      assert.equal(moving[moving.length - 1]?.host, leader, `${role} leader last`);
    }
  }
  const dockerSteps = steps.filter((s) => s.component === "docker");
  const firstOther = dockerSteps.findIndex((s) => !isControl(input, s.host));
  if (firstOther >= 0) {
    assert.ok(
      dockerSteps.slice(firstOther).every((s) => !isControl(input, s.host)),
      "control hosts' engines first",
    );
  }
}

/** The rules a single step must keep. */
function checkStep(step: Plan["steps"][number]): void {
  assert.ok(compareVersions(step.to, step.from) > 0, `never a downgrade: ${step.from} -> ${step.to}`);
  const layer = step.component === "docker" ? "docker" : step.component === "marathon" ? "marathon" : "mesos";
  if (layer === "mesos") {
    assert.equal(isKnownBad("mesos", step.to), undefined, `never lands on known-bad ${step.to}`);
    assert.ok(
      lineIndex("mesos", step.to) - lineIndex("mesos", step.from) <= 1,
      `one minor per hop: ${step.from} -> ${step.to}`,
    );
  } else if (layer === "marathon") {
    assert.equal(findPath(layer, step.from, step.to).length, 1, `one hop: ${step.from} -> ${step.to}`);
  } else {
    // A Docker run moves every engine onto the layer's next hop, computed from the lowest engine: an
    // engine without live-restore goes straight on, and so does any engine beside it (see notes.ts).
    assert.ok(findPath(layer, step.from, step.to).length >= 1, `upward: ${step.from} -> ${step.to}`);
  }
}

/** Plans and applies (all steps, or a prefix when `interrupt` says so) until a plan has no steps. */
function replay(g: Gen, input: PlanInput, interrupt: boolean): { final: PlanInput; last: Plan } {
  let state = input;
  for (let run = 0; run < 120; run++) {
    const plan = planRun(state);
    checkPlan(state, plan);
    if (plan.steps.length === 0) return { final: state, last: plan };
    const count = interrupt ? g(fc.integer, { min: 1, max: plan.steps.length }) : plan.steps.length;
    for (const step of plan.steps.slice(0, count)) {
      checkStep(step);
      state = applyStep(state, step);
      assert.deepEqual(
        invariantViolations(state),
        [],
        `after step ${step.seq} ${step.host} ${step.component} ${step.from} -> ${step.to}`,
      );
    }
  }
  assert.fail("no convergence after 120 runs");
}

function validOrSkip(input: PlanInput): boolean {
  try {
    validatePlanInput(input);
    return true;
  } catch (error) {
    if (error instanceof PlanInputError) return false;
    throw error;
  }
}

function assertConverged(input: PlanInput, final: PlanInput, last: Plan): void {
  assert.ok(last.phase === "converged" || last.phase === "blocked");
  for (const host of final.hosts) {
    for (const [part, version] of Object.entries(host.versions)) {
      const layer = part === "docker" ? "docker" : part === "marathon" ? "marathon" : "mesos";
      assert.equal(version, last.targets[layer], `${host.name} ${part} at its target`);
    }
  }
  if (last.phase === "converged") {
    assert.deepEqual(last.targets, input.desired);
    assert.deepEqual(last.blocked, []);
  } else {
    assert.ok(last.blocked.length > 0, "blocked says why");
  }
}

/** Runs `body` on random sound clusters that validate. */
function forRandomClusters(numRuns: number, body: (g: Gen, input: PlanInput) => void): void {
  fc.assert(
    fc.property(fc.gen(), (g) => {
      const input = randomCluster(g);
      fc.pre(validOrSkip(input));
      body(g, input);
    }),
    { numRuns },
  );
}

describe("planner properties", () => {
  it("random clusters reach their targets by applying whole runs, keeping every invariant after every single step", () => {
    forRandomClusters(300, (g, input) => {
      assert.deepEqual(invariantViolations(input), [], "the generated cluster is sound");
      const { final, last } = replay(g, input, false);
      assertConverged(input, final, last);
    });
  });

  it("random clusters still converge when every run is interrupted after a random number of steps", () => {
    forRandomClusters(200, (g, input) => {
      const { final, last } = replay(g, input, true);
      assertConverged(input, final, last);
    });
  });

  it("a converged or blocked plan is stable: planning again changes nothing", () => {
    forRandomClusters(100, (g, input) => {
      const { final, last } = replay(g, input, false);
      assert.deepEqual(planRun(final), last);
    });
  });
});

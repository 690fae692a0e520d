// The newest versions end to end (issue 16): a stack whose targets are Mesos 1.11.0, Marathon 1.10.26 and Docker
// 18.06.3 converges a simulated cluster of 3 masters (each with Marathon) and 2 agents from the seed's starting point
// (Mesos 0.22.1, Marathon 0.9.1, Docker 1.7.1, agents without executor containers as the seed's operators ran them),
// one hop per `pulumi up` as `converge` runs them, under the real engine: the runs and their steps are the planner's
// forecast, each run changes what its preview said, ZooKeeper is archived before each Marathon storage migration
// (holding the state from before it), no multi-instance app ever runs without an instance, tasks are lost only at
// the restarts the plans forecast as task-killing, and a last run changes nothing.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { versionOfImage } from "../../../catalogue/images";
import { storageMigrations } from "../../../planner";
import type { Cluster } from "../../../sim";
import { converge, type ConvergeResult } from "../../../stacks/converge";
import { CLUSTER_SHAPES, type ClusterShape } from "../../../stacks/localCluster";
import { rawConfigOf, settingsOf } from "../../../stacks/review";
import { forecastRollout, type HostVersions, type RolloutForecast } from "../../../stacks/rollout";
import { appsRunning, watchAppInstances } from "../../support/app-instances";
import { previewedHops } from "../../support/previewed-changes";
import { ROLE, scratchStack, type ScratchStack } from "../../support/scratch-stack";
import { assertArchiveBefore } from "../../support/zookeeper-archives";
import { repoRoot } from "../../../toolchain/paths";

/** The seed's starting point: the simulator's default versions. */
const START = { docker: "1.7.1", mesos: "0.22.1", marathon: "0.9.1" };
/**
 * The committed stack file whose targets are the newest releases, and the simulated cluster `--cluster newest` starts.
 */
const NEWEST = newestStackFile();
const SHAPE = CLUSTER_SHAPES.newest as ClusterShape;
const TARGETS = NEWEST.targets as { docker: string; mesos: string; marathon: string };
const MARATHONS = ["m1", "m2", "m3"];

/** Pulumi.newest.yaml's settings (keys without "mesos-upgrade:"), but its environment and placeholder hosts. */
function newestStackFile(): Record<string, Record<string, unknown>> {
  const file = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.newest.yaml"), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  return Object.fromEntries(
    Object.entries(file.config)
      .map(([key, value]) => [key.replace(/^mesos-upgrade:/, ""), value] as const)
      .filter(([key]) => key !== "environment" && key !== "hosts"),
  );
}
const STACK = "scratch-newest";

/** Where the convergence's wall time went: in steps, in each `up` outside its steps, and before each `up` (preview). */
function overheadOf(result: ConvergeResult): string {
  let inSteps = 0;
  let upOutsideSteps = 0;
  let beforeUp = 0;
  let previous = result.started;
  for (const run of result.timelineRuns) {
    const steps = result.steps.filter((s) => s.run === run.run && s.end !== undefined);
    const busy = steps.length
      ? Math.max(...steps.map((s) => s.end as number)) - Math.min(...steps.map((s) => s.start))
      : 0;
    inSteps += busy;
    upOutsideSteps += run.end - run.start - busy;
    beforeUp += run.start - previous;
    previous = run.end;
  }
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  return `${result.timelineRuns.length} runs in ${s(previous - result.started)}: steps ${s(inSteps)}, each up outside its steps ${s(upOutsideSteps)}, before each up (preview, program) ${s(beforeUp)}`;
}

describe("the newest versions end to end from the seed's start: Mesos 0.22.1 → 1.11.0, Marathon 0.9.1 → 1.10.26, Docker 1.7.1 → 18.06.3", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;
  let result: ConvergeResult;
  /** The planner's forecast for the stack file and the hosts' starting versions, before the adopting run. */
  let forecast: RolloutForecast;
  const log: string[] = [];

  before(async () => {
    scratch = await scratchStack({
      stack: STACK,
      hosts: SHAPE.hosts as string,
      cluster: { network: "127.0.232", versions: START, apps: SHAPE.apps },
      // The committed stack file, with the simulator's gate timeout and ZooKeeper host (as `npm start` sets it).
      config: () => ({
        ...NEWEST,
        rollout: { ...NEWEST.rollout, gateTimeoutSeconds: 120 },
        zookeeper: { ...NEWEST.zookeeper, hosts: ["m1"] },
      }),
      adopt: false,
    });
    ({ cluster, stack } = scratch);
    const { settings, problems } = settingsOf(
      rawConfigOf(fs.readFileSync(scratch.stackFile, "utf8"), scratch.stackFile),
    );
    assert.ok(settings, problems.join("; "));
    const versions: HostVersions = Object.fromEntries(
      cluster.hosts.map((h) => [
        h.name,
        {
          docker: START.docker,
          ...Object.fromEntries(h.roles.map((r) => [ROLE[r], r === "marathon" ? START.marathon : START.mesos])),
        },
      ]),
    );
    forecast = forecastRollout(settings, versions, { recorded: false });
    assert.deepEqual(forecast.refusals, [], "the planner forecasts the whole way");
    await appsRunning(cluster);
  });
  after(async () => {
    if (process.env.NEWEST_LOG) fs.writeFileSync(process.env.NEWEST_LOG, log.join("\n"));
    await scratch?.close();
  });

  it("converges to the newest versions, one hop per run, without a multi-instance app ever running no instance", async (t) => {
    const watch = watchAppInstances(cluster, log);
    try {
      result = await converge(stack, { stack: STACK, maxRuns: 60, log: (line) => log.push(line) });
    } finally {
      watch.stop();
    }
    t.diagnostic(overheadOf(result));
    assert.equal(result.phase, "converged", log.slice(-5).join("\n"));
    const final = await stack.up({ onOutput: () => undefined });
    assert.equal(final.outputs.phase.value, "converged");
    assert.equal(final.summary.resourceChanges?.update ?? 0, 0, "a last up at the targets updates nothing");
    assert.equal(final.summary.resourceChanges?.create ?? 0, 0, "a last up at the targets creates nothing");
    const versions = final.outputs.hostVersions.value as Record<string, Record<string, string>>;
    for (const [host, v] of Object.entries(versions)) {
      assert.equal(v.docker, TARGETS.docker, host);
      if (v["mesos-master"]) assert.equal(v["mesos-master"], TARGETS.mesos, host);
      if (v["mesos-slave"]) assert.equal(v["mesos-slave"], TARGETS.mesos, host);
      if (v.marathon) assert.equal(v.marathon, TARGETS.marathon, host);
    }
    watch.assertNeverDown(["/rabbitmq"]);
    await appsRunning(cluster);
  });

  it("changes in each run exactly the version hops its preview showed", () => {
    assert.ok(result, "the convergence ran");
    const text = log.join("\n");
    const plans = [...text.matchAll(/── run (\d+): plan ──\n([\s\S]*?)(?=── run \d+: |$)/g)];
    const runs: string[][] = [];
    for (const [, run, section] of plans) {
      const previewed = previewedHops(section as string)
        .map(({ host, component, from, to }) => `${host} ${component} ${from} → ${to}`)
        .sort();
      const applied = result.steps
        .filter((s) => s.run === Number(run) && s.op === "update" && s.from !== s.to && s.from && s.to)
        .map((s) => `${s.hosts.join(",")} ${s.component} ${s.from} → ${s.to}`)
        .sort();
      assert.deepEqual(applied, previewed, `run ${run}: what changed is what the preview showed`);
      if (applied.length > 0) runs.push(applied);
    }
    // The runs and their version hops are the planner's forecast (stacks/rollout.ts forecastRollout) for the stack
    // file and the seed's versions, made before the adopting run: run by run, step by step.
    const forecastRuns = forecast.runs
      .map((r) =>
        r.plan.steps
          .filter((s) => s.from !== s.to)
          .map((s) => `${s.host} ${s.component} ${s.from} → ${s.to}`)
          .sort(),
      )
      .filter((hops) => hops.length > 0);
    assert.ok(forecastRuns.length > 30, `the forecast walks the whole way: ${forecastRuns.length} runs`);
    assert.equal(
      runs.length,
      forecastRuns.length,
      `${runs.length} runs changed versions; the planner forecast ${forecastRuns.length}`,
    );
    assert.equal(
      runs.flat().length,
      forecastRuns.flat().length,
      `${runs.flat().length} version hops; the planner forecast ${forecastRuns.flat().length}`,
    );
    runs.forEach((hops, i) => assert.deepEqual(hops, forecastRuns[i], `run ${i + 1} after adopting is the forecast's`));
  });

  it("archives ZooKeeper's data before each Marathon hop that migrates storage, before any instance stops, holding the state from before the hop", async () => {
    const text = log.join("\n");
    const marathonHops = [
      ...new Set(
        previewedHops(text)
          .filter((hop) => hop.host === "m1" && hop.component === "marathon")
          .map((hop) => `${hop.from} → ${hop.to}`),
      ),
    ];
    // Marathon's hops on m1 are the forecast's: from 0.9.1 one release at a time, 1.1.0 → 1.3.14 whole-cluster.
    const forecastHops = forecast.runs.flatMap((r) =>
      r.plan.steps.filter((s) => s.host === "m1" && s.component === "marathon").map((s) => `${s.from} → ${s.to}`),
    );
    assert.deepEqual(marathonHops, forecastHops, "Marathon's hops are the forecast's");
    assert.ok(marathonHops.includes("1.1.0 → 1.3.14"), marathonHops.join(" "));
    const migrating = marathonHops.filter((hop) => {
      const [from, to] = hop.split(" → ") as [string, string];
      return storageMigrations("marathon", from, to).length > 0;
    });
    const created = [
      ...new Set([...text.matchAll(/\n {2}\+ zookeeper-backup-marathon-(\S+) {2}\(create\)/g)].map((m) => m[1])),
    ];
    assert.deepEqual(
      created,
      migrating.map((hop) => hop.replace(" → ", "-")),
      "one backup for each migrating hop, none for the others",
    );
    const ledger = [...cluster.ledger()].sort((a, b) => a.time.localeCompare(b.time));
    const tars = ledger.filter(
      (e) =>
        (e.kind === "exec" && e.program === "tar") || (e.kind === "ssh.exec" && /\btar -czf\b/.test(e.command ?? "")),
    );
    assert.equal(tars.length, migrating.length, `one archive per migrating hop: ${tars.length}`);
    const marathonAt = (e: (typeof ledger)[number], kind: string, version: string): boolean =>
      e.kind === kind && /marathon/.test(e.image ?? "") && versionOfImage(String(e.image)) === version;
    migrating.forEach((hop, i) => {
      const [from, to] = hop.split(" → ") as [string, string];
      // The hop's stop on each host: its last stop of a `from` instance before it first started a `to` one (earlier
      // stops of `from` instances were Docker steps restarting the engine, before the hop's run).
      const hopStops = MARATHONS.map((host) => {
        const firstStart = ledger.find((e) => e.host === host && marathonAt(e, "container.start", to));
        assert.ok(firstStart, `${host} started marathon ${to}`);
        const stop = ledger.filter(
          (e) => e.host === host && e.time <= firstStart.time && marathonAt(e, "container.stop", from),
        );
        assert.ok(stop.length > 0, `${host} stopped marathon ${from} before starting ${to}`);
        return stop.at(-1)!.time;
      }).sort();
      const archive = tars[i]!;
      assert.ok(
        archive.time < hopStops[0]!,
        `the archive for ${hop} (${archive.time}) came before its first stop (${hopStops[0]})`,
      );
      const previous = migrating[i - 1];
      if (previous) {
        const previousTo = previous.split(" → ")[1] as string;
        const previousStart = ledger.find((e) => marathonAt(e, "container.start", previousTo));
        assert.ok(
          previousStart && archive.time > previousStart.time,
          `the archive for ${hop} was taken after the hop before it`,
        );
      }
    });
    // Each archive holds what Marathon had stored before the hop: `from`'s storage and the apps.
    const recorded = (await stack.outputs()).zookeeperArchives?.value as Record<
      string,
      Array<{ host: string; path: string }>
    >;
    assert.deepEqual(
      Object.keys(recorded ?? {}),
      migrating.map((hop) => `marathon ${hop}`),
      "the stack outputs say where every archive is",
    );
    for (const hop of migrating) {
      const [from, to] = hop.split(" → ") as [string, string];
      const archives = recorded[`marathon ${from} → ${to}`] ?? [];
      assert.ok(archives.length > 0, `an archive for marathon ${from} → ${to}`);
      for (const archive of archives) await assertArchiveBefore(cluster, archive, from, to, "/rabbitmq");
    }
  });

  it("loses tasks only at the restarts the planner forecast as task-killing: a Docker engine, or an agent's move into executor containers", () => {
    // The forecast's task-killing steps (planner/task-killing.ts), by host: "a1 docker", "a1 mesos-slave".
    const killing = new Set(
      forecast.runs.flatMap((r) => r.plan.steps.filter((s) => s.killsTasks).map((s) => `${s.host} ${s.component}`)),
    );
    assert.ok(killing.size > 0, "the forecast names task-killing restarts");
    const ledger = cluster.ledger();
    const engineStops = ledger.filter((e) => e.kind === "engine.stop");
    const agentStops = ledger.filter((e) => e.kind === "container.stop" && e.name === "mesos_slave");
    const addressOf = new Map(cluster.hosts.map((h) => [h.address, h.name]));
    const lost = cluster.lostTasks();
    for (const task of lost) {
      const host = addressOf.get(String((task as unknown as { agentHost: string }).agentHost));
      const recent = (stop: { host?: string; time: string }) =>
        stop.host === host && stop.time <= task.time && Date.parse(task.time) - Date.parse(stop.time) < 120_000;
      // A Docker step on Mesos >= 0.25 drains its agent first: the master removes the machine it takes down, so its
      // tasks are LOST (REASON_SLAVE_REMOVED, "down for maintenance") just before that step stops the engine.
      const drained =
        task.reason === "REASON_SLAVE_REMOVED" &&
        /down for maintenance/.test(String(task.message)) &&
        engineStops.some(
          (stop) =>
            stop.host === host && stop.time >= task.time && Date.parse(stop.time) - Date.parse(task.time) < 120_000,
        );
      const byEngine = killing.has(`${host} docker`) && (drained || engineStops.some(recent));
      const byAgent = killing.has(`${host} mesos-slave`) && agentStops.some(recent);
      assert.ok(
        byEngine || byAgent,
        `task lost without a forecast task-killing restart on its host (${lost.length} lost): ${JSON.stringify(task)}`,
      );
    }
  });
});

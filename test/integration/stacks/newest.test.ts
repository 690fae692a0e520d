// The newest versions end to end (issue 16): a stack whose targets are Mesos 1.11.0, Marathon 1.10.26 and Docker
// 18.06.3 converges a simulated cluster of 3 masters (each with Marathon) and 2 agents running executor containers
// from the seed table's end (Mesos 0.28.2, Marathon 1.1.7, Docker 1.11.2), one hop per `pulumi up` as `converge`
// runs them, under the real engine: each run changes what its preview said, ZooKeeper is archived before each
// Marathon storage migration, no multi-instance app ever runs without an instance, and a last run changes nothing.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { versionOfImage } from "../../../catalogue/images";
import { storageMigrations } from "../../../planner";
import { bootstrapCommands, CONTAINER_NAMES, DEFAULT_APPS, type Cluster } from "../../../sim";
import { converge, type ConvergeResult } from "../../../stacks/converge";
import { scratchStack, type ScratchStack } from "../../support/scratch-stack";

const START = { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" };
const TARGETS = { docker: "18.06.3", mesos: "1.11.0", marathon: "1.10.26" };
const MARATHONS = ["m1", "m2", "m3"];
const APPS = DEFAULT_APPS.filter((app) => app.id === "/rabbitmq" || app.id === "/harbor");

describe("the newest versions end to end: Mesos 0.28.2 → 1.11.0, Marathon 1.1.7 → 1.10.26, Docker 1.11.2 → 18.06.3", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;
  let result: ConvergeResult;
  /** When the convergence started (after the agents were started again with executor containers). */
  let since = "";
  const log: string[] = [];
  /** Each multi-instance app's fewest running instances seen, and when. */
  const fewestRunning = new Map<string, { running: number; when: string }>();

  /** Waits until Marathon runs every app at its instance count. */
  async function appsRunning(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const apps = await cluster.apps().catch(() => []);
      if (apps.length > 0 && apps.every((a) => a.tasksRunning === a.instances)) return;
      if (Date.now() > deadline) assert.fail(`apps not running: ${JSON.stringify(apps)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    scratch = await scratchStack({
      stack: "scratch-newest",
      hosts: "m1,m2,m3:master+marathon;a1,a2:agent",
      cluster: {
        network: "127.0.232",
        versions: START,
        apps: APPS,
      },
      config: () => ({
        targets: TARGETS,
        rollout: { gateTimeoutSeconds: 120, maxUnavailableSlaves: 1 },
        mesosSlave: {
          workDir: "/data/mesos",
          flags: { cgroups_limit_swap: true, docker_remove_delay: "6hrs", containerizers: "docker,mesos" },
        },
        docker: { logDriver: "json-file" },
        // The simulator keeps ZooKeeper's data on its first master (as `npm start` sets it).
        zookeeper: { hosts: ["m1"] },
      }),
      adopt: false,
    });
    ({ cluster, stack } = scratch);
    // At the seed table's end the providers have restarted every agent with executor containers
    // (--docker_mesos_image, the agent's own image: providers/mesosSlave.ts); the simulator's bootstrap starts
    // agents without them, so each agent is started again as the providers leave it, before the stack adopts it.
    for (const host of cluster.file.hosts.filter((h) => h.roles.includes("agent"))) {
      const command = bootstrapCommands(cluster.file, host).find((c) => c.includes(`--name ${CONTAINER_NAMES.agent} `));
      const image = /mesosphere\/mesos-slave:\S+/.exec(command as string)?.[0] as string;
      const run = await cluster.exec(
        host.name,
        `docker rm -f ${CONTAINER_NAMES.agent} >/dev/null && ${(command as string).replace(" mesosphere/", ` -e MESOS_DOCKER_MESOS_IMAGE=${image} mesosphere/`)}`,
      );
      assert.equal(run.code, 0, run.stderr);
    }
    // Every task started before (3: rabbitmq ×2, harbor) is lost once here, its executor a child of the old
    // agent's container; wait for those reports before counting, then for Marathon to run every app again.
    const started = APPS.reduce((sum, app) => sum + app.instances, 0);
    const deadline = Date.now() + 60_000;
    while (cluster.lostTasks().length < started) {
      if (Date.now() > deadline) assert.fail(`the ${started} tasks of the old agents were not reported lost`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await appsRunning();
  });
  after(async () => {
    if (process.env.NEWEST_LOG) fs.writeFileSync(process.env.NEWEST_LOG, log.join("\n"));
    await scratch?.close();
  });

  it("converges to the newest versions, one hop per run, without a multi-instance app ever running no instance", async () => {
    const poller = setInterval(() => {
      cluster.apps().then(
        (apps) => {
          for (const app of apps.filter((a) => a.instances > 1)) {
            if (app.tasksRunning < (fewestRunning.get(app.id)?.running ?? Infinity)) {
              fewestRunning.set(app.id, {
                running: app.tasksRunning,
                when: `at ${new Date().toISOString()}, during "${log[log.length - 1] ?? "the first run"}"`,
              });
            }
          }
        },
        () => undefined,
      );
    }, 100);
    since = new Date().toISOString();
    try {
      result = await converge(stack, { stack: "scratch-newest", maxRuns: 40, log: (line) => log.push(line) });
    } finally {
      clearInterval(poller);
    }
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
    assert.ok(fewestRunning.has("/rabbitmq"), "rabbitmq was watched");
    for (const [app, fewest] of fewestRunning) {
      assert.ok(fewest.running >= 1, `${app} dropped to ${fewest.running} running instances ${fewest.when}`);
    }
    await appsRunning();
  });

  it("changes in each run exactly the version hops its preview showed", () => {
    assert.ok(result, "the convergence ran");
    const text = log.join("\n");
    const plans = [...text.matchAll(/── run (\d+): plan ──\n([\s\S]*?)(?=── run \d+: |$)/g)];
    let hops = 0;
    for (const [, run, section] of plans) {
      const previewed = [
        ...(section as string).matchAll(
          /\n {2}~ (\S+)-(docker|mesos-master|mesos-slave|marathon) {2}(?:.*; )?version: (\S+) → (\S+?)(?=;|\n|$)/g,
        ),
      ]
        .map(([, host, component, from, to]) => `${host} ${component} ${from} → ${to}`)
        .sort();
      const applied = result.steps
        .filter((s) => s.run === Number(run) && s.op === "update" && s.from !== s.to && s.from && s.to)
        .map((s) => `${s.hosts.join(",")} ${s.component} ${s.from} → ${s.to}`)
        .sort();
      assert.deepEqual(applied, previewed, `run ${run}: what changed is what the preview showed`);
      hops += applied.length;
    }
    // The planner's forecast (stacks/rollout.ts forecastRollout) for these hosts and versions: 21 runs of 89 steps,
    // Docker once on each host, Mesos 0.28.2 → 1.11.0 in 12 hops on each, Marathon 1.1.7 → 1.10.26 in 8 on each master.
    assert.equal(hops, 5 + 5 * 12 + 3 * 8, `${hops} version hops in ${plans.length} runs`);
    assert.equal(
      plans.filter(([, , section]) => /\n {2}~ \S+-(docker|mesos|marathon)/.test(section as string)).length,
      21,
    );
  });

  it("archives ZooKeeper's data before each Marathon hop that migrates storage, before any instance stops", () => {
    const text = log.join("\n");
    const marathonHops = [
      ...new Set(
        [...text.matchAll(/\n {2}~ m1-marathon {2}(?:.*; )?version: (\S+) → (\S+?)(?=;|\n|$)/g)].map(
          (m) => `${m[1]}-${m[2]}`,
        ),
      ),
    ];
    assert.ok(marathonHops.includes("1.1.7-1.3.14"), marathonHops.join(" "));
    const migrating = marathonHops.filter((hop) => {
      const [from, to] = hop.split("-") as [string, string];
      return storageMigrations("marathon", from, to).length > 0;
    });
    const created = [
      ...new Set([...text.matchAll(/\n {2}\+ zookeeper-backup-marathon-(\S+) {2}\(create\)/g)].map((m) => m[1])),
    ];
    assert.deepEqual(created, migrating, "one backup for each migrating hop, none for the others");
    const ledger = [...cluster.ledger()].sort((a, b) => a.time.localeCompare(b.time));
    const tars = ledger.filter(
      (e) =>
        (e.kind === "exec" && e.program === "tar") || (e.kind === "ssh.exec" && /\btar -czf\b/.test(e.command ?? "")),
    );
    assert.equal(tars.length, migrating.length, `one archive per migrating hop: ${tars.length}`);
    const marathonAt = (e: (typeof ledger)[number], kind: string, version: string): boolean =>
      e.kind === kind && /marathon/.test(e.image ?? "") && versionOfImage(String(e.image)) === version;
    migrating.forEach((hop, i) => {
      const [from, to] = hop.split("-") as [string, string];
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
        const previousTo = previous.split("-")[1] as string;
        const previousStart = ledger.find((e) => marathonAt(e, "container.start", previousTo));
        assert.ok(
          previousStart && archive.time > previousStart.time,
          `the archive for ${hop} was taken after the hop before it`,
        );
      }
    });
  });

  it("loses tasks only where a drained Docker step takes an agent down, never at a Mesos or Marathon step", () => {
    const ledger = cluster.ledger();
    const engineStops = ledger.filter((e) => e.kind === "engine.stop" && e.time >= since);
    const addressOf = new Map(cluster.hosts.map((h) => [h.address, h.name]));
    const lost = cluster.lostTasks(since);
    for (const task of lost) {
      const host = addressOf.get(String((task as unknown as { agentHost: string }).agentHost));
      // A Docker step on Mesos >= 0.25 drains its agent first: the master removes the machine it takes down, so its
      // tasks are LOST (REASON_SLAVE_REMOVED, "down for maintenance") just before that step stops the engine.
      const drained =
        task.reason === "REASON_SLAVE_REMOVED" &&
        /down for maintenance/.test(String(task.message)) &&
        engineStops.some(
          (stop) =>
            stop.host === host && stop.time >= task.time && Date.parse(stop.time) - Date.parse(task.time) < 120_000,
        );
      assert.ok(
        drained,
        `task lost outside a drained Docker step on its host (${lost.length} lost): ${JSON.stringify(task)}`,
      );
    }
  });
});

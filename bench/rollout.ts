// `npm run bench -- rollout [--agents N]`: one Mesos hop and one Docker hop on a simulated cluster of 3 masters and N
// agents under the real engine (the project's converge and program), against the physical limit of the simulator's
// own latency model, a naive serial chain on the same cluster, and the engine's floor for a preview.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as YAML from "yaml";
import { planRun } from "../planner";
import { DEFAULT_GATE_INTERVAL_SECONDS } from "../remote/gate";
import { DEFAULT_APPS, startCluster, STACK_ROLE, type Cluster, type LedgerEntry } from "../sim";
import { REALISTIC } from "../sim/time";
import { converge, ENGINE_PARALLEL, type ConvergeResult } from "../stacks/converge";
import { clusterProgramWith } from "../stacks/program";
import { GATE_INTERVAL_RANGE } from "../stacks/settings";
import { repoRoot } from "../toolchain/paths";
import { openStack } from "../toolchain/workspace";
import { runNaiveChain } from "./naive-chain";
import { planInput } from "./planner.bench";
import { alternatedPreviews, floorProgram, median, medianText, timedPreview, type FloorHost } from "./preview-floor";
import { withCpuOf, withOwnCpu } from "./process-cpu";
import { readClusterFile } from "../sim/layout";
import { commandsPerStep, firstCommandTimes, loginSummary, tasksStartedAhead } from "./rollout-ledger";
import { startExecutorContainers } from "./executor-containers";
import { breakdownLine, breakdownOf, slowWindows, slowWindowsLine } from "./rollout-breakdown";
import { limitsByRun, type HopStep, type PhysicalLimit } from "./rollout-limit";
import { floorWaves, hopFloorLine, timedHopFloor } from "./hop-floor";
import { budgetVerdict, SIM_MEMORY_MB_PER_HOST, THOUSAND_PREVIEW_FLOOR_RATIO } from "./budgets";
import { standInDiscovery, standInHosts, type StackHostEntry } from "./thousand-hosts";
import { recordedDiscovery } from "./replayed-discovery";

/** The benchmark's options. */
export interface RolloutBenchOptions {
  /** Agents besides the 3 masters. @default 100 */
  readonly agents: number;
  /** Wall seconds per real-world second of the realistic profile. @default 0.2 */
  readonly timeScale: number;
  /** The stack's rollout.maxUnavailableSlaves (agents per wave). @default 10 */
  readonly batch: number;
  /** First three octets of the cluster's loopback network. @default "127.0.150" */
  readonly network: string;
  /**
   * Hosts of the scale preview at the end (the program plans and declares them; minutes on a loaded machine); 0 for
   * none. `--thousand 1` is 1,000, `--thousand 0` none, any other count from 10 that many. @default 1000
   */
  readonly scaleHosts: number;
  /**
   * Which hops both chains take: both, the Mesos hop alone (half the time at 100 agents), or none (adoption, the
   * preview against its floor and the 1,000 hosts: the program's cost at a size, in minutes). @default "both"
   */
  readonly hops: "both" | "mesos" | "none";
  /**
   * Whether the naive chain runs after ours. Without it the last line says `naive/ours=-`: a run at time scale 1 (what
   * a real host takes) measures hop/limit in about 12 minutes at 100 agents, where the naive chain would take 80.
   * @default true
   */
  readonly naive: boolean;
}

/** The usage line. */
export const ROLLOUT_USAGE =
  "usage: npm run bench -- rollout [--agents N (default 100)] [--batch N (default 10)] [--time-scale S (default 0.2)] [--network 127.0.150] [--thousand 0|1|N (hosts of the scale preview: 1 = 1,000 (default), 0 none, N ≥ 10 that many)] [--hops both|mesos|none (default both)] [--naive yes|no (default yes)]";

/** Parses `rollout`'s flags; throws with the usage on anything else. */
export function parseRolloutArgs(argv: readonly string[]): RolloutBenchOptions {
  const options: { -readonly [K in keyof RolloutBenchOptions]: RolloutBenchOptions[K] } = {
    agents: 100,
    timeScale: 0.2,
    batch: 10,
    network: "127.0.150",
    scaleHosts: 1000,
    hops: "both",
    naive: true,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = Number(value);
    if (flag === "--agents" && Number.isInteger(number) && number >= 3 && number <= 240) options.agents = number;
    else if (flag === "--batch" && Number.isInteger(number) && number >= 1) options.batch = number;
    else if (flag === "--time-scale" && number > 0 && number <= 1) options.timeScale = number;
    else if (flag === "--network" && value && /^127\.\d{1,3}\.\d{1,3}$/.test(value)) options.network = value;
    else if (flag === "--thousand" && (number === 0 || number === 1 || (Number.isInteger(number) && number >= 10))) {
      options.scaleHosts = number === 1 ? 1000 : number;
    } else if (flag === "--hops" && (value === "both" || value === "mesos" || value === "none")) options.hops = value;
    else if (flag === "--naive" && (value === "yes" || value === "no")) options.naive = value === "yes";
    else {
      throw new Error(
        `${flag} ${value ?? ""}: not understood (--agents takes 3 to 240, --batch ≥ 1, --time-scale 0 to 1)\n${ROLLOUT_USAGE}`,
      );
    }
  }
  return options;
}

// The cluster starts where agents keep their tasks across a Mesos restart: Mesos 0.26.1 with every agent's executors
// in their own containers (bench/executor-containers.ts), Marathon 0.15.3 (the seed's line on 0.26), Docker 1.7.1.
// Ours takes one hop of each: Mesos 0.26.1 → 0.27.2 (agents keep their tasks, so they go in waves of the batch), Docker
// 1.7.1 → 1.8.3 (every engine restart on an agent stops its containers, so each agent host is a window of its own in
// any chain). The naive chain then takes the next: 0.27.2 → 0.28.2, 1.8.3 → 1.9.1 — the same images' sizes (the
// simulator's registry sizes images by repository) and the same windows in the simulator's model.
/**
 * The simulated hosts' CPU priority (sim/cluster.ts StartOptions.niceness). They stand for 103 machines with cores of
 * their own, and take half a core of this one between them whether anything happens to them or not: at a lower
 * priority they take only what the engine and the provider leave idle, so what is measured is the tool's time, not
 * its contention with the hosts it drives (bench/RESULTS.md, 2026-12-04 night).
 */
const HOST_NICENESS = 10;

/**
 * The benchmark stack's `rollout.gateIntervalSeconds`: the default pace of a gate on a real host (0.5 s) at the
 * simulated world's pace, i.e. times the time scale, and no shorter than the setting allows. The hosts' latencies are
 * scaled, so a gate looking every 0.5 s of wall time at time scale 0.2 would look five times less often, against the
 * agent's return, than the default does on a real host; the tool's own costs (SSH, HTTP, the engine's saves) stay at
 * this machine's speed.
 */
export function gateIntervalAtScale(timeScale: number): number {
  return Math.max(GATE_INTERVAL_RANGE.min, Number((DEFAULT_GATE_INTERVAL_SECONDS * timeScale).toFixed(3)));
}

const START = { docker: "1.7.1", mesos: "0.26.1", marathon: "0.15.3" };
const TARGETS = { docker: "1.8.3", mesos: "0.27.2", marathon: "0.15.3" };
const NAIVE = { mesos: "0.28.2", dockerPackage: "1.9.1-0~trusty" };

/** Resident memory of a process and its descendants' group, in MB (from /proc). */
function residentMb(pids: readonly number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/** The stack file of the benchmark's stack: the local stack's settings with the cluster's hosts, one hop's targets. */
function writeProject(
  dir: string,
  cluster: Cluster,
  batch: number,
  targets: typeof TARGETS,
  stack: { name: string; hosts: readonly StackHostEntry[] } = { name: "scratch-bench", hosts: stackHostsOf(cluster) },
): string {
  const projectDir = path.join(dir, "project");
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`),
  );
  const local = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const config: Record<string, unknown> = { ...local.config };
  delete config["mesos-upgrade:simulator"];
  config["mesos-upgrade:hosts"] = stack.hosts;
  config["mesos-upgrade:ssh"] = { user: cluster.userKey.user, port: cluster.hosts[0]?.sshPort ?? 22 };
  config["mesos-upgrade:targets"] = targets;
  // The engines keep the driver they run (json-file): the local stack's switch to "none" is a settings run of its own,
  // one window per agent host, which is no part of a hop.
  config["mesos-upgrade:docker"] = { ...(config["mesos-upgrade:docker"] as object), logDriver: "json-file" };
  config["mesos-upgrade:rollout"] = {
    ...(config["mesos-upgrade:rollout"] as object),
    maxUnavailableSlaves: batch,
    gateTimeoutSeconds: 600,
    gateIntervalSeconds: gateIntervalAtScale(cluster.file.profile.timeScale),
  };
  const zk = cluster.file.zk;
  if (zk.dataHost && zk.dataDir) {
    config["mesos-upgrade:zookeeper"] = {
      ...(config["mesos-upgrade:zookeeper"] as object),
      hosts: [zk.dataHost],
      dataDir: zk.dataDir,
    };
  }
  fs.writeFileSync(path.join(projectDir, `Pulumi.${stack.name}.yaml`), YAML.stringify({ config }, { lineWidth: 0 }));
  return projectDir;
}

/** The simulated cluster's hosts as the stack's `hosts` setting. */
function stackHostsOf(cluster: Cluster): StackHostEntry[] {
  return cluster.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    roles: h.roles.map((r) => STACK_ROLE[r]),
    hostKeyFingerprint: h.hostKeyFingerprint,
  }));
}

/** Terminal task states other than a task's own end: Marathon runs such a task again. */
const DIED = new Set(["TASK_LOST", "TASK_KILLED", "TASK_FAILED"]);

/**
 * The longest health-check interval among the multi-instance apps whose tasks died on a step's host while the step
 * ran (from the cluster's record of task states), or nothing when none died. Only those: on a host among others the
 * step's gate waits for every multi-instance app to be whole again, and no rollout keeps a single-instance app up (it
 * is down until Marathon runs it elsewhere, which no later window waits for).
 */
function killedCheck(
  step: ConvergeResult["steps"][number],
  cluster: Cluster,
  ledger: readonly LedgerEntry[],
): { killedCheckSeconds?: number } {
  const host = cluster.host(step.hosts[0] as string);
  const [from, to] = [new Date(step.start).toISOString(), new Date(step.end ?? Date.now()).toISOString()];
  const apps = ledger
    .filter(
      (e) =>
        e.kind === "task.status" &&
        DIED.has(String(e.state)) &&
        (e.agentHost === host.name || e.agentHost === host.address) &&
        e.time >= from &&
        e.time <= to,
    )
    .map((e) => DEFAULT_APPS.find((app) => app.id === e.appId))
    .filter((app) => (app?.instances ?? 0) > 1);
  if (apps.length === 0) return {};
  const interval = (app: (typeof apps)[number]) =>
    Math.max(
      0,
      ...(app?.healthChecks ?? []).map((check) => Number((check as { intervalSeconds?: number }).intervalSeconds ?? 0)),
    );
  return { killedCheckSeconds: Math.max(0, ...apps.map(interval)) };
}

/** The hop steps of a converge's result (updates of a component, with their run and wave). */
function hopSteps(result: ConvergeResult, cluster: Cluster): HopStep[] {
  const restarts = (host: string): HopStep["restarts"] => cluster.host(host).roles.map((r) => STACK_ROLE[r]);
  // The cluster's record is every host's ledger file: read once for all the steps.
  const ledger = cluster.ledger();
  return hopUpdates(result).map((s, i) => ({
    host: s.hosts[0] as string,
    component: s.component as HopStep["component"],
    ...(s.from !== undefined ? { from: s.from } : {}),
    to: s.to as string,
    run: s.run,
    wave: waveOf(s, i),
    ...(s.component === "docker" ? { restarts: restarts(s.hosts[0] as string) } : {}),
    ...(s.component === "docker" ? killedCheck(s, cluster, ledger) : {}),
    ...(leaderRestarted(s, cluster, ledger) ? { leaderRestarted: true } : {}),
  }));
}

/**
 * Whether a step on a master's host saw a Mesos leader elected while it ran: it stopped the leader (masters go one at
 * a time).
 */
function leaderRestarted(
  step: ConvergeResult["steps"][number],
  cluster: Cluster,
  ledger: readonly LedgerEntry[],
): boolean {
  if (!cluster.host(step.hosts[0] as string).roles.includes("master")) return false;
  const [from, to] = [new Date(step.start).toISOString(), new Date(step.end ?? Date.now()).toISOString()];
  return ledger.some((e) => e.kind === "leader.elected" && e.service === "mesos" && e.time >= from && e.time <= to);
}

/** A converge's updates of a component (the steps of hops and settings changes), in the order they started. */
function hopUpdates(result: ConvergeResult): ConvergeResult["steps"] {
  return result.steps.filter((s) => s.op === "update" && s.component !== "zookeeper-backup" && s.to !== undefined);
}

/** The window of the `index`th of hopUpdates: its wave, or, where the run's outputs do not name it, one of its own. */
const waveOf = (step: ConvergeResult["steps"][number], index: number): number => step.wave ?? 1000 + index;

/** A run of ours with version changes or settings restarts: what it changed, its wall seconds and its limit. */
interface HopRun {
  readonly run: number;
  /** mesos or docker: a version hop of that layer; settings: restarts at the same versions only. */
  readonly kind: "mesos" | "docker" | "settings";
  readonly seconds: number;
  readonly steps: number;
  readonly limit: PhysicalLimit;
  readonly timeline: { readonly start: number; readonly end: number };
}

/** Each run's kind, wall time and limit (pure). */
function runKinds(
  steps: readonly HopStep[],
  result: Pick<ConvergeResult, "timelineRuns">,
  limits: ReturnType<typeof limitsByRun>,
): HopRun[] {
  return limits.flatMap(({ run, limit }) => {
    const timeline = result.timelineRuns.find((r) => r.run === run);
    if (!timeline) return [];
    const own = steps.filter((step) => step.run === run);
    const hop = own.find((step) => step.from !== step.to);
    const kind = !hop ? "settings" : hop.component === "docker" ? "docker" : "mesos";
    return [{ run, kind, seconds: (timeline.end - timeline.start) / 1000, steps: own.length, limit, timeline }];
  });
}

/** The 1,000-host measure's line. */
function thousandLine(t: ThousandHosts): string {
  const ratio = t.previewSeconds / t.floorSeconds;
  return `${t.hosts} hosts: planned alone in ${t.planMs.toFixed(0)} ms; the program's first preview (discovery a stand-in: 4 hosts read, the other agents copies of a1) declared ${t.resources} components in ${t.previewSeconds.toFixed(1)} s against the engine's floor of ${t.floorSeconds.toFixed(1)} s (${two(ratio)}×): ${budgetVerdict(ratio, THOUSAND_PREVIEW_FLOOR_RATIO, `${THOUSAND_PREVIEW_FLOOR_RATIO}× the engine's floor`)}`;
}

/** What the 1,000-host measure found. */
interface ThousandHosts {
  /** The planner alone on 997 agents and 3 masters, in ms. */
  readonly planMs: number;
  /** The program's first preview of the stack (adoption): every component declared, discovery a stand-in. */
  readonly previewSeconds: number;
  /** The engine's floor for as many no-op resources. */
  readonly floorSeconds: number;
  readonly hosts: number;
  readonly resources: number;
}

/**
 * The program plans and declares `total` hosts (3 masters and the rest agents) in a preview: the cluster's masters
 * and first agent are read for real, every other agent is a stand-in of the first (bench/thousand-hosts.ts).
 */
async function thousandHosts(
  dir: string,
  cluster: Cluster,
  batch: number,
  targets: typeof TARGETS,
  total: number,
): Promise<ThousandHosts> {
  const input = planInput(total - 3, "0.25.1");
  const started = performance.now();
  planRun(input);
  const planMs = performance.now() - started;
  const real = stackHostsOf(cluster).filter((h) => ["m1", "m2", "m3", "a1"].includes(h.name));
  const template = real.find((h) => h.name === "a1") as StackHostEntry;
  const hosts = standInHosts(real, template, total - real.length);
  const name = "scratch-bench-1000";
  const stack = await openStack({
    stack: name,
    program: clusterProgramWith(standInDiscovery(new Set(real.map((h) => h.name)), template.name)),
    projectDir: writeProject(dir, cluster, batch, targets, { name, hosts }),
  });
  await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
  const previewSeconds = await timedPreview(stack);
  const floorHosts: FloorHost[] = hosts.map((h) => ({ name: h.name, components: h.roles.length + 1 }));
  const floor = await openStack({
    stack: "scratch-bench-1000-floor",
    program: floorProgram(floorHosts),
    scratchProject: { name: "bench-thousand", workDir: path.join(dir, "thousand") },
  });
  const floorSeconds = await timedPreview(floor);
  const resources = floorHosts.reduce((sum, h) => sum + h.components, 0);
  return { planMs, previewSeconds, floorSeconds, hosts: hosts.length, resources };
}

const two = (n: number): string => n.toFixed(2);

/** A window this far over its limit's (wall seconds) is named in the run's lines: it lost time to something. */
const SLOW_WINDOW_SECONDS = 2;

/** Runs the benchmark; the last line printed is the summary line. */
export async function runRolloutBench(options: RolloutBenchOptions, log: (line: string) => void): Promise<string> {
  const scale = options.timeScale;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-rollout-"));
  process.env.MESOS_UPGRADE_WORK = dir;
  const spec = `m1,m2,m3:master+marathon;a1..a${options.agents}:agent`;
  log(
    `machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, load ${os.loadavg().map(two).join(" ")}`,
  );
  log(
    `cluster: 3 masters with Marathon, ${options.agents} agents; realistic profile at time scale ${scale}; hosts at niceness ${HOST_NICENESS}; gates look every ${gateIntervalAtScale(scale)} s; registry ${(100 / REALISTIC.registrySecondsPer100MB).toFixed(0)} MB/s, host links ${(100 / REALISTIC.pullSecondsPer100MB).toFixed(1)} MB/s`,
  );
  const t = Date.now();
  const cluster = await startCluster(spec, {
    stateDir: path.join(dir, "sim"),
    network: options.network,
    profile: "realistic",
    timeScale: scale,
    versions: START,
    timeoutMs: 1_800_000,
    niceness: HOST_NICENESS,
  });
  // Ctrl-C or SIGTERM: stop the cluster (its processes are detached and would outlive the benchmark), then exit.
  const stop = (): void => void cluster.stop().finally(() => process.exit(130));
  process.once("SIGINT", stop).once("SIGTERM", stop);
  try {
    const memory = residentMb(Object.values(cluster.file.pids));
    const perHost = memory / cluster.hosts.length;
    log(
      `cluster up in ${((Date.now() - t) / 1000).toFixed(0)} s; simulator memory ${memory.toFixed(0)} MB for ${cluster.hosts.length} hosts (${perHost.toFixed(0)} MB per host process, ZooKeeper included): ${budgetVerdict(perHost, SIM_MEMORY_MB_PER_HOST, `${SIM_MEMORY_MB_PER_HOST} MB per host process`)}`,
    );

    const restarted = Date.now();
    await startExecutorContainers(cluster, 1_800_000);
    log(
      `agents restarted with executor containers, every app running again in ${((Date.now() - restarted) / 1000).toFixed(0)} s (Mesos ${START.mesos}, Marathon ${START.marathon}, Docker ${START.docker})`,
    );

    const targets =
      options.hops === "none" ? START : options.hops === "mesos" ? { ...TARGETS, docker: START.docker } : TARGETS;
    log(
      options.hops === "none"
        ? `\nours: adopt the cluster at Mesos ${targets.mesos} and Docker ${targets.docker} (no hop)`
        : `\nours: converge to Mesos ${targets.mesos} and Docker ${targets.docker} (batches of ${options.batch})`,
    );
    // The program as an operator runs it, its last discovery kept for the preview with discovery replayed (below).
    const discovery = recordedDiscovery();
    const projectDir = writeProject(dir, cluster, options.batch, targets);
    const stack = await openStack({
      stack: "scratch-bench",
      program: clusterProgramWith(discovery.discover),
      projectDir,
    });
    await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    const result = await converge(stack, { stack: "scratch-bench", maxRuns: 10, log });
    if (result.phase !== "converged") {
      throw new Error(`converge ended ${result.phase} after ${result.runs} run(s); see above`);
    }
    const steps = hopSteps(result, cluster);
    const runs = runKinds(steps, result, limitsByRun(steps, { ...REALISTIC, timeScale: scale }));
    // The hosts' record of the runs (the floors and previews below add nothing to it that these counts read).
    const ledger = cluster.ledger();
    const nameByAddress = new Map(cluster.hosts.map((h) => [h.address, h.name]));
    for (const r of runs) {
      log(
        `run ${r.run} (${r.kind}): ${r.seconds.toFixed(1)} s wall, ${r.steps} steps in ${r.limit.windows.length} windows; limit ${r.limit.seconds.toFixed(0)} simulated s = pulls ${r.limit.pullSeconds.toFixed(1)} s + windows ${(r.limit.seconds - r.limit.pullSeconds).toFixed(0)} s (${(r.limit.seconds * scale).toFixed(1)} s wall): run/limit=${two(r.seconds / (r.limit.seconds * scale))}`,
      );
      const ran = hopUpdates(result).flatMap((s, i) =>
        s.run === r.run && s.end !== undefined
          ? [{ run: s.run, wave: waveOf(s, i), start: s.start, end: s.end, host: s.hosts[0] as string }]
          : [],
      );
      const reached = firstCommandTimes(ledger, ran);
      const timed = ran.map((s, i) => ({ ...s, ...(reached[i] !== undefined ? { reached: reached[i] } : {}) }));
      const limitWindows = new Map(r.limit.windows.map((w) => [w.wave, w.seconds * scale]));
      log(`  ${breakdownLine(breakdownOf(r.timeline, timed, limitWindows), r.limit.pullSeconds * scale)}`);
      log(`  ${slowWindowsLine(slowWindows(ran, limitWindows, SLOW_WINDOW_SECONDS), SLOW_WINDOW_SECONDS)}`);
      const ahead = tasksStartedAhead(
        ledger,
        r.timeline,
        ran,
        (agentHost) => nameByAddress.get(agentHost) ?? agentHost,
      );
      log(
        `  tasks started on a host before its step of the run stopped anything there: ${ahead.length ? ahead.join(", ") : "none"}`,
      );
    }
    const hopRuns = runs.filter((r) => r.kind !== "settings");
    const hopSeconds = hopRuns.reduce((sum, r) => sum + r.seconds, 0);
    const limitWall = hopRuns.reduce((sum, r) => sum + r.limit.seconds * scale, 0);
    if (hopRuns.length) {
      log(
        `ours: ${hopSeconds.toFixed(1)} s wall (${(hopSeconds / scale).toFixed(0)} simulated s) for the Mesos and Docker hop runs; their limit ${limitWall.toFixed(1)} s wall`,
      );
    } else log(`ours: adopted in ${((Date.now() - result.started) / 1000).toFixed(0)} s (${result.runs} run(s))`);
    const floorHosts: FloorHost[] = cluster.hosts.map((h) => ({ name: h.name, components: h.roles.length + 1 }));
    for (const r of hopRuns) {
      const waves = floorWaves(steps, r.run, r.limit.windows, scale);
      const floor = await timedHopFloor(
        (program) =>
          openStack({
            stack: `scratch-bench-hop-floor-${r.run}`,
            program,
            scratchProject: { name: "bench-hop-floor", workDir: path.join(dir, "hop-floor") },
          }),
        floorHosts,
        waves,
        ENGINE_PARALLEL,
      );
      log(`  ${hopFloorLine(r.run, floor, waves)}`);
    }

    const logins = loginSummary(
      ledger,
      hopRuns.map((r) => r.timeline),
      cluster.hosts.map((h) => h.name),
    );
    const perStep = commandsPerStep(
      ledger,
      result.steps
        .filter((s) => s.op === "update" && s.end !== undefined)
        .map((s) => ({
          host: s.hosts[0] as string,
          start: s.start,
          end: s.end as number,
          // The gate began about N s before the step ended ("(after Ns)", rounded to a tenth: 50 ms more).
          ...(s.gateSeconds !== undefined ? { gateFrom: (s.end as number) - s.gateSeconds * 1000 - 50 } : {}),
        })),
    );
    if (hopRuns.length) {
      log(
        `SSH logins per host per pulumi up: at most ${logins.max}, ${two(logins.mean)} on average; per step ${two(perStep.commands)} remote commands outside gate polling, and ${two(perStep.gateCommands)} commands and ${two(perStep.gateRequests)} HTTP requests through SSH of its hold's and gate's looks`,
      );
    }

    // The simulated hosts' processes (and the commands they ran) share this machine's cores with the engine.
    const simulatorPids = Object.values(readClusterFile(cluster.file.stateDir)?.pids ?? {});
    const floor = await openStack({
      stack: "scratch-bench-floor",
      program: floorProgram(floorHosts),
      scratchProject: { name: "bench-floor", workDir: path.join(dir, "floor") },
    });
    await floor.up({ onOutput: () => undefined });
    // The same stack, its program given back the discovery of the preview before it instead of reading the hosts.
    const replayed = await openStack({
      stack: "scratch-bench",
      program: clusterProgramWith(discovery.replay),
      projectDir,
    });
    const hostsCpu: number[] = [];
    const programCpu = { ours: [] as number[], replayed: [] as number[] };
    const previews = await alternatedPreviews({
      ours: async () => {
        const [[seconds, own], cpu] = await withCpuOf(simulatorPids, () => withOwnCpu(() => timedPreview(stack)));
        hostsCpu.push(cpu);
        programCpu.ours.push(own);
        return seconds;
      },
      replayed: async () => {
        const [seconds, own] = await withOwnCpu(() => timedPreview(replayed));
        programCpu.replayed.push(own);
        return seconds;
      },
      floor: () => timedPreview(floor),
    });
    const previewSeconds = median(previews.ours);
    const floorSeconds = median(previews.floor);
    log(
      `pulumi preview of ${cluster.hosts.length} hosts: ${medianText(previews.ours)} (the simulated hosts used ${median(hostsCpu).toFixed(1)} CPU s of this machine's ${os.cpus().length} cores meanwhile); the engine's floor (${floorHosts.reduce((s, h) => s + h.components, 0)} no-op resources): ${medianText(previews.floor)}, taken in turn with ours`,
    );
    log(
      `  with the discovery of the preview before it replayed (no host read): ${medianText(previews.replayed)}, ${two(median(previews.replayed) / floorSeconds)}× the floor: the program's own part; the hosts' side of discovery is the rest`,
    );
    log(
      `  the program's own process (its thread, the engine and the provider left out): ${median(programCpu.ours).toFixed(1)} CPU s a preview, ${median(programCpu.replayed).toFixed(1)} with discovery replayed: discovery's SSH logins and reads take ${(median(programCpu.ours) - median(programCpu.replayed)).toFixed(1)} s of it on the operator's machine whatever the hosts cost`,
    );
    if (options.hops === "none") {
      const upStarted = Date.now();
      await stack.up({ onOutput: () => undefined });
      log(
        `pulumi up with nothing to do, ${cluster.hosts.length} hosts: ${((Date.now() - upStarted) / 1000).toFixed(1)} s`,
      );
      if (options.scaleHosts) {
        log(thousandLine(await thousandHosts(dir, cluster, options.batch, targets, options.scaleHosts)));
      }
      const line = `rollout: hop/limit=- naive/ours=- preview/floor=${two(previewSeconds / floorSeconds)} logins/host=-`;
      log(line);
      return line;
    }

    // Before the naive chain, which takes the cluster a hop past the targets: the stand-in hosts copy a1 as it runs.
    if (options.scaleHosts) {
      log(thousandLine(await thousandHosts(dir, cluster, options.batch, targets, options.scaleHosts)));
    }

    let naive: { mesos: number; docker: number } | undefined;
    if (options.naive) {
      log(
        `\nnaive serial chain: Mesos ${targets.mesos} → ${NAIVE.mesos}${options.hops === "both" ? `, then Docker ${targets.docker} → ${NAIVE.dockerPackage}` : ""}, one host at a time`,
      );
      naive = await runNaiveChain(cluster, NAIVE.mesos, options.hops === "both" ? NAIVE.dockerPackage : undefined, log);
      const total = naive.mesos + naive.docker;
      log(`naive chain: ${total.toFixed(1)} s wall (${(total / scale).toFixed(0)} simulated s)`);
    } else log("\nnaive serial chain: not run (--naive no)");
    for (const kind of options.hops === "both" ? (["mesos", "docker"] as const) : (["mesos"] as const)) {
      const ours = hopRuns.filter((r) => r.kind === kind);
      const seconds = ours.reduce((sum, r) => sum + r.seconds, 0);
      const limit = ours.reduce((sum, r) => sum + r.limit.seconds * scale, 0);
      const versus = naive
        ? `naive ${naive[kind].toFixed(1)} s (naive/ours=${two(naive[kind] / seconds)})`
        : "naive not run";
      log(
        `${kind} hop: ours ${seconds.toFixed(1)} s, limit ${limit.toFixed(1)} s (hop/limit=${two(seconds / limit)}), ${versus}`,
      );
    }

    const line = `rollout: hop/limit=${two(hopSeconds / limitWall)} naive/ours=${naive ? two((naive.mesos + naive.docker) / hopSeconds) : "-"} preview/floor=${two(previewSeconds / floorSeconds)} logins/host=${two(logins.max)}`;
    log(line);
    return line;
  } finally {
    process.off("SIGINT", stop).off("SIGTERM", stop);
    await cluster.stop();
    delete process.env.MESOS_UPGRADE_WORK;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

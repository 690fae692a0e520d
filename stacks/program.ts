// The Pulumi program, a thin shell: gather (config, discovery, records) → decide (stacks/decide.ts) → declare
// resources.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { HostComponent } from "../planner";
import { PROJECT_NAME, readStackRoutesFrom } from "../providers/component";
import { DockerEngine } from "../providers/dockerEngine";
import { allEnded } from "./all-ended";
import { startDynamicProvider } from "./provider-start";
import { hasNoOtherHost } from "./singleHost";
import { downtimeForecast } from "./downtime-forecast";
import { MarathonInstance } from "../providers/marathonInstance";
import { MesosMaster } from "../providers/mesosMaster";
import { MesosSlave } from "../providers/mesosSlave";
import { ZooKeeperBackup } from "../providers/zookeeperBackup";
import { PrePull } from "../providers/prePull";
import { PRE_PULL, prePullOf } from "./prepull";
import { discoveredOnce, discoveryKey } from "./run-discovery";
import { firstAnswer, placedApps, type PlacedApp } from "../observe/services";
import { closeAllConnections } from "../remote/ssh";
import { decideRun, type BackupRecord, type RunDecision, type RunFacts } from "./decide";
import { discoverCluster, type DiscoveredHost } from "./discover";
import type { Completed } from "./promotion";
import { connectionArgsOf, stackSecrets } from "./reach";
import { sealEnv } from "./secret-env";
import { recordedOutputs, recordedResources } from "./record";
import { failingCleanly, Refusal } from "./refusal";
import { parseStackSettings, rawSettingsOf, StackSettingsError, type StackSettings } from "./settings";
import { privateKeyProblem } from "./syntax";
import { completedOfRunning, hostVersionsOfResources, type HostVersions } from "./truth";

const PROJECT = PROJECT_NAME;

/** The settings of the running stack, or a RunError listing every problem (no stack trace for a config mistake). */
export function stackSettings(): StackSettings {
  const config = pulumi.runtime.allConfig();
  const raw = rawSettingsOf(config);
  const sshSettings = raw.ssh as { agent?: unknown } | undefined;
  const keyProblem = privateKeyProblem(
    config[`${PROJECT}:sshPrivateKey`],
    sshSettings?.agent === true || sshSettings?.agent === "true",
    pulumi.getStack(),
  );
  const keyProblems = keyProblem ? [{ key: "sshPrivateKey", message: keyProblem }] : [];
  try {
    const settings = parseStackSettings(raw);
    if (keyProblems.length) throw new StackSettingsError(keyProblems);
    return settings;
  } catch (error) {
    if (!(error instanceof StackSettingsError)) throw error;
    const all = error.problems.some((p) => p.key === "sshPrivateKey")
      ? error.problems
      : [...error.problems, ...keyProblems];
    throw new Refusal(
      `the stack's config has ${all.length} problem(s):\n  ${new StackSettingsError(all).message.split("\n").join("\n  ")}`,
    );
  }
}

/** The versions the stack's promotedFrom stack has completed; null when the backend has no such stack. */
async function previousCompleted(promotedFrom: string): Promise<Completed | null | undefined> {
  if (!promotedFrom) return undefined;
  // What its hosts run as its resources recorded it (true after a failed run too); a stack without them, its outputs.
  const resources = await recordedResources(PROJECT, promotedFrom);
  if (resources === undefined) return null;
  const hosts = hostVersionsOfResources(resources);
  if (Object.keys(hosts).length) return completedOfRunning(hosts);
  return (await recordedOutputs(PROJECT, promotedFrom))?.completed as Completed | undefined;
}

/** What this stack's own last run recorded: whether it adopted the cluster, and the ZooKeeper backups it took. */
async function ownRecord(): Promise<{ adopted: boolean; backups: BackupRecord[] }> {
  const recorded = (await recordedOutputs(PROJECT, pulumi.getStack())) ?? {};
  return {
    adopted: recorded.hostVersions !== undefined,
    backups: Array.isArray(recorded.zookeeperBackups) ? (recorded.zookeeperBackups as BackupRecord[]) : [],
  };
}

/** The whole cluster, so the preview tree reads like it: cluster → host → components. */
export class MesosCluster extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:cluster:MesosCluster`, name, {}, opts);
  }
}

/** One host of the cluster in the preview tree. */
export class ClusterHost extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:cluster:Host`, name, {}, opts);
  }
}

/** How the program reads the hosts: discoverCluster, or (the rollout benchmark's 1,000 hosts) a stand-in. */
export type Discover = (settings: StackSettings, privateKey: string) => Promise<DiscoveredHost[]>;

/**
 * Builds the resources of one run; returns the stack outputs. A refusal (or any failure) fails the run and changes
 * nothing.
 */
export async function clusterProgram(): Promise<Record<string, unknown>> {
  return failingCleanly(() => clusterRun(discoverCluster));
}

/** The program with another way to read the hosts; everything after discovery is the program's own. */
export function clusterProgramWith(discover: Discover): () => Promise<Record<string, unknown>> {
  return () => failingCleanly(() => clusterRun(discover));
}

/** Gather (settings, secrets, discovery, records: I/O) → decide (stacks/decide.ts, pure) → declare (resources). */
async function clusterRun(discover: Discover): Promise<Record<string, unknown>> {
  // The provider process starts while discovery reads the hosts, not after it (provider-start.ts).
  void startDynamicProvider();
  const settings = stackSettings();
  const config = new pulumi.Config(PROJECT);
  let keyOutput: pulumi.Output<string>;
  try {
    keyOutput = stackSecrets(config, settings);
  } catch (error) {
    throw new Refusal((error as Error).message);
  }
  // The program's reads (discovery, then Marathon's apps for the forecast) share one connection per host, closed
  // once they are done: closing after discovery made the apps' read log in to a Marathon host a second time, the
  // third login of a `pulumi up` there (issue 14; the provider process's pooled connection is the second).
  let facts: RunFacts;
  let decision: Extract<RunDecision, { kind: "declare" }>;
  let apps: readonly PlacedApp[] | undefined;
  try {
    facts = await gather(settings, keyOutput, discover);
    let decided = decideRun(facts);
    if (decided.kind === "declare") {
      // With no other host every step stops something nothing takes over: the forecast names each app and API
      // (singleHost.ts). Where restarts stop tasks, where the apps run decides which restarts may share a wave.
      const single = hasNoOtherHost(facts.found) && decided.plan.steps.length > 0;
      apps = decided.killing.length || single ? await appsWithTasks(facts.found) : undefined;
      if (apps && decided.killing.length > 1) decided = decideRun({ ...facts, apps });
    }
    for (const notice of decided.notices) pulumi.log[notice.level](notice.text);
    if (decided.kind === "refuse") throw new Refusal(decided.message);
    decision = decided;
  } finally {
    await closeAllConnections();
  }
  const downtime = downtimeForecast(decision.plan.steps, facts.found, apps ?? "unanswered");
  if (downtime.length) pulumi.log.warn(`downtime this run:\n  ${downtime.join("\n  ")}`);
  // The pre-pull only logs in to each host, by the same connections as the steps.
  const pulls = prePullOf(decision.plan.steps, facts.settings, (host) => connectionArgsOf(facts.settings, host));
  return withoutStackCapture(() => declare(decision, downtime, facts.settings.secretEnv, pulls));
}

/**
 * Runs `build` with no stack trace captured by the errors made meanwhile. The SDK captures one (`new Error().stack`,
 * for its report of leaked promises) for every promise it makes, twenty and more per resource: at 200 hosts 1.2 of
 * the program's 7.8 CPU seconds in a preview (issue 14). Declaring resources throws nothing of ours.
 *
 * The SDK also records, for every resource, where it was declared: a stack trace it takes with no depth limit, which
 * the engine keeps in the state (sourcePosition and stackTrace, 0.8 KB of the agent step's 8 KB). Here that is this
 * library's own code under the checkout's path, which tells an operator nothing, and the engine writes the whole
 * state at every step's start and end (issue 14). An error's text is its first line alone meanwhile, which the SDK
 * reads as a trace with no frames.
 */
export function withoutStackCapture<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = headerOnly;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

/** An error's stack text without frames: "Error: message", as its first line reads. */
function headerOnly(error: unknown): string {
  return error instanceof Error ? Error.prototype.toString.call(error) : "Error";
}

/** The facts a run is decided from: what every host runs, what this stack and its promotedFrom stack recorded. */
async function gather(
  settings: StackSettings,
  keyOutput: pulumi.Output<string>,
  discover: Discover,
): Promise<RunFacts> {
  const discovery = async () => {
    const privateKey = await new Promise<string>((resolve) =>
      keyOutput.apply((value) => {
        resolve(value);
        return value;
      }),
    );
    // A converge run's update takes its preview's discovery (run-discovery.ts); otherwise every host is read.
    return discoveredOnce(discoveryKey(pulumi.getStack(), settings, privateKey), pulumi.runtime.isDryRun(), () =>
      discover(settings, privateKey),
    );
  };
  // The engine reads the stacks' records while the hosts are read: 0.2 s of a preview of 103 hosts (issue 14). Each
  // read ends before the run goes on, failed or not: no host connection outlives the program's closing them.
  const [found, record, previous] = await allEnded([
    discovery(),
    ownRecord(),
    previousCompleted(settings.promotedFrom),
  ] as const);
  return {
    stack: pulumi.getStack(),
    settings,
    found,
    adopted: record.adopted,
    recordedBackups: record.backups,
    previousCompleted: previous,
  };
}

/**
 * Declares the decided resources; returns the stack's outputs. No resource is given the stack's secrets: their
 * providers read them from the stack config the engine hands them (providers/component.ts configureFromStack), so
 * the key is in no resource's state.
 */
function declare(
  decision: Extract<RunDecision, { kind: "declare" }>,
  downtime: string[],
  secretEnv: readonly string[],
  pulls: ReturnType<typeof prePullOf>,
): Record<string, unknown> {
  // The providers read the stack's HTTP routes from its config with this program's parsing: no resource carries them.
  readStackRoutesFrom(path.join(__dirname, "provider-context.js"));
  const cluster = new MesosCluster(pulumi.getStack());
  // Every step waits for the run's pre-pull: the images and packages are on every host before the first window.
  const prePull = pulls.length ? new PrePull(PRE_PULL, { hosts: pulls }, { parent: cluster }) : undefined;
  const declaredBackups = decision.backups.map(({ name, record, args }) => ({
    record,
    resource: new ZooKeeperBackup(name, args, { parent: cluster }),
  }));
  const byName = new Map<string, pulumi.Resource>(
    declaredBackups.map(({ resource }, i) => [decision.backups[i].name, resource]),
  );
  const hostParents = new Map(
    decision.hosts.map((name) => [name, new ClusterHost(`${pulumi.getStack()}-${name}`, { parent: cluster })]),
  );
  const running = new Map(
    decision.hosts.map((name) => [name, {} as Partial<Record<HostComponent, pulumi.Output<string>>>]),
  );
  for (const r of decision.resources) {
    const opts: pulumi.CustomResourceOptions = {
      parent: hostParents.get(r.host),
      dependsOn: [
        ...r.dependsOn.map((name) => byName.get(name) as pulumi.Resource),
        ...(prePull && r.wave !== undefined ? [prePull] : []),
      ],
    };
    // Secret environment values become Pulumi secrets, and the resource's env output stays secret (secret-env.ts).
    const sealed = "env" in r.args ? sealEnv(r.args.env, secretEnv) : undefined;
    const sealedOpts = { ...opts, ...sealed?.opts };
    const resource =
      r.component === "docker"
        ? new DockerEngine(r.name, r.args, opts)
        : r.component === "mesos-master"
          ? new MesosMaster(r.name, { ...r.args, ...sealed?.args }, sealedOpts)
          : r.component === "mesos-slave"
            ? new MesosSlave(r.name, { ...r.args, ...sealed?.args }, sealedOpts)
            : new MarathonInstance(r.name, { ...r.args, ...sealed?.args }, sealedOpts);
    byName.set(r.name, resource);
    (running.get(r.host) as Partial<Record<HostComponent, pulumi.Output<string>>>)[r.component] =
      resource.runningVersion;
  }

  // What the hosts run once every resource has finished its step, as each recorded it: a run that fails half way
  // registers no new outputs, so the stack never records versions its hosts do not run.
  const hostVersions = pulumi.all(
    Object.fromEntries([...running].map(([name, components]) => [name, pulumi.all(components)])),
  );
  const { outputs } = decision;
  return {
    phase: outputs.phase,
    thisRun: outputs.thisRun,
    taskKilling: outputs.taskKilling,
    blocked: outputs.blocked,
    remainingPath: outputs.remainingPath,
    targets: outputs.targets,
    hostVersions,
    completed: hostVersions.apply((hosts) => completedOfRunning(hosts as HostVersions)),
    promotionOverride: outputs.promotionOverride,
    zookeeperBackups: outputs.zookeeperBackups,
    zookeeperArchives: Object.fromEntries(
      declaredBackups.map(({ record, resource }) => [`marathon ${record.from} → ${record.to}`, resource.archives]),
    ),
    downtime,
  };
}

/** Marathon's apps with where their tasks run, from the first Marathon that answers; undefined when none does. */
function appsWithTasks(found: readonly DiscoveredHost[]): Promise<readonly PlacedApp[] | undefined> {
  const marathons = found.filter((h) => h.roles.includes("marathon")).map((h) => h.address);
  return firstAnswer(marathons, placedApps);
}

// The Pulumi program: a stack's config → discovery → the planner's one-hop plan → one resource per component per host.
import * as pulumi from "@pulumi/pulumi";
import { lowestFrom, planRun, renderPlanTable, storageMigrations, type HostComponent, type Plan, type PlanInput, type PlanStep, type Role } from "../planner";
import type { ConnectionArgs } from "../providers/component";
import { DockerEngine } from "../providers/dockerEngine";
import { MarathonInstance } from "../providers/marathonInstance";
import { MesosMaster } from "../providers/mesosMaster";
import { MesosSlave } from "../providers/mesosSlave";
import { ZooKeeperBackup } from "../providers/zookeeperBackup";
import { getJson } from "../remote/http";
import { serviceUrl } from "../remote/routes";
import { closeAllConnections } from "../remote/ssh";
import { discoverCluster, planHosts, type DiscoveredHost } from "./discover";
import { logDriverThisRun, settingsChangesOf } from "./settings-changes";
import { envWithoutFlags, marathonFlagsOf, mergedFlags, mesosFlagsOf } from "./flags";
import { silenceWindowProblem } from "./preflight";
import { promotionRefusals, type Completed } from "./promotion";
import { planProblemLines } from "./planProblems";
import { connectionArgsOf, SECRET_KEYS, stackSecrets } from "./reach";
import { recordedOutputs, recordedResources } from "./record";
import { failingCleanly, Refusal } from "./refusal";
import { parseStackSettings, StackSettingsError, type StackSettings } from "./settings";
import { privateKeyProblem } from "./syntax";
import { completedOfRunning, hostVersionsOfResources, type HostVersions } from "./truth";

const PROJECT = "mesos-upgrade";

/** The stack's config as plain values (objects parsed), without the project namespace. */
function rawConfig(): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    if ((SECRET_KEYS as readonly string[]).includes(name)) continue;
    try {
      raw[name] = JSON.parse(value);
    } catch {
      raw[name] = value;
    }
  }
  return raw;
}

/** The settings of the running stack, or a RunError listing every problem (no stack trace for a config mistake). */
export function stackSettings(): StackSettings {
  const sshSettings = rawConfig().ssh as { agent?: unknown } | undefined;
  const keyProblem = privateKeyProblem(pulumi.runtime.allConfig()[`${PROJECT}:sshPrivateKey`], sshSettings?.agent === true || sshSettings?.agent === "true");
  const keyProblems = keyProblem ? [{ key: "sshPrivateKey", message: keyProblem }] : [];
  try {
    const settings = parseStackSettings(rawConfig());
    if (keyProblems.length) throw new StackSettingsError(keyProblems);
    return settings;
  } catch (error) {
    if (!(error instanceof StackSettingsError)) throw error;
    const all = error.problems.some((p) => p.key === "sshPrivateKey") ? error.problems : [...error.problems, ...keyProblems];
    throw new Refusal(`the stack's config has ${all.length} problem(s):\n  ${new StackSettingsError(all).message.split("\n").join("\n  ")}`);
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
  return { adopted: recorded.hostVersions !== undefined, backups: Array.isArray(recorded.zookeeperBackups) ? (recorded.zookeeperBackups as BackupRecord[]) : [] };
}

/** The resource name of one component on one host. */
const resourceName = (host: string, component: HostComponent): string => `${host}-${component}`;

/** A human line for each step: "wave 2  a1  mesos-slave  0.22.1 → 0.23.1". */
function stepLines(steps: readonly PlanStep[]): string[] {
  return steps.map((s) => `wave ${s.wave}  ${s.host.padEnd(8)} ${s.component.padEnd(13)} ${s.from} → ${s.to}${s.settings ? ` (settings: ${s.settings})` : ""}`);
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

/** Builds the resources of one run; returns the stack outputs. A refusal (or any failure) fails the run and changes nothing. */
export async function clusterProgram(): Promise<Record<string, unknown>> {
  return failingCleanly(clusterRun);
}

async function clusterRun(): Promise<Record<string, unknown>> {
  const settings = stackSettings();
  const config = new pulumi.Config(PROJECT);
  let keyOutput: pulumi.Output<string>;
  try {
    keyOutput = stackSecrets(config, settings);
  } catch (error) {
    throw new Refusal((error as Error).message);
  }
  const privateKey = await new Promise<string>((resolve) => keyOutput.apply((value) => { resolve(value); return value; }));
  let found: DiscoveredHost[];
  try {
    found = await discoverCluster(settings, privateKey);
  } finally {
    await closeAllConnections();
  }
  const problems = found.flatMap((host) => host.problems);
  if (problems.length) throw new Refusal(`preflight: ${problems.length} host problem(s), nothing was touched:\n  ${problems.join("\n  ")}`);

  const input: PlanInput = {
    desired: settings.targets,
    hosts: planHosts(found),
    rollout: { maxUnavailableSlaves: settings.rollout.maxUnavailableSlaves },
    frameworks: settings.frameworks,
    policy: settings.rollout.policy,
    settingsChanges: settingsChangesOf(found, settings.docker),
  };
  let planned: Plan;
  try {
    planned = planRun(input);
  } catch (error) {
    const lines = planProblemLines(error);
    throw new Refusal(lines.length === 1 ? `plan: ${lines[0]}` : `plan: ${lines.length} problems:\n  ${lines.join("\n  ")}`);
  }
  // The first run of a stack only adopts what runs (brownfield): nothing restarts, and every later hop
  // shows in preview as a property diff of a resource the stack already holds.
  const record = await ownRecord();
  const adopting = !record.adopted;
  const plan: Plan = adopting ? { ...planned, steps: [] } : planned;
  if (adopting) pulumi.log.info(`first run of stack "${pulumi.getStack()}": adopting the running cluster, nothing is restarted; the next run applies: ${planned.steps.length} step(s) of ${planned.phase}`);

  const refusals = promotionRefusals(plan.steps, settings.promotedFrom, await previousCompleted(settings.promotedFrom));
  if (refusals.length && !settings.promotionOverride) throw new Refusal(`promotion gate:\n  ${refusals.join("\n  ")}`);
  if (refusals.length) pulumi.log.warn(`promotion gate overridden ("${settings.promotionOverride}"):\n  ${refusals.join("\n  ")}`);

  const masters = found.filter((h) => h.roles.includes("mesos-master")).map((h) => h.address);
  const marathons = found.filter((h) => h.roles.includes("marathon")).map((h) => h.address);
  const stepOf = new Map(plan.steps.map((s) => [`${s.host}/${s.component}`, s]));
  const masterStep = plan.steps.find((s) => s.component === "mesos-master");
  const masterVersion = found.find((h) => h.versions["mesos-master"])?.versions["mesos-master"];
  if (plan.steps.some((s) => s.component === "mesos-slave") && masterVersion) {
    const masterFlags = mergedFlags(mesosFlagsOf(found.find((h) => h.containers["mesos-master"])?.containers["mesos-master"]), settings.mesosMaster.flags);
    const problem = silenceWindowProblem(masterStep?.to ?? masterVersion, masterFlags, settings.rollout.agentRestartSeconds);
    if (problem) throw new Refusal(`preflight: ${problem}`);
  }

  const backupNeed = backupNeedOf(plan, settings, found);
  if (backupNeed) {
    pulumi.log.info(`preflight: marathon ${backupNeed.from} → ${backupNeed.to} migrates Marathon's storage (at ${backupNeed.migrations.join(", ")}); ZooKeeper's ${backupNeed.dataDir} on ${backupNeed.hosts.join(", ")} is archived to ${backupNeed.backupDir} before anything is touched`);
  }

  pulumi.log.info(`plan (${plan.phase}):\n${renderPlanTable(plan, input)}`);
  const downtime = await singleInstanceDowntime(plan, found).finally(closeAllConnections);
  if (downtime.length) pulumi.log.warn(`downtime this run:\n  ${downtime.join("\n  ")}`);
  const cluster = new MesosCluster(pulumi.getStack());
  const resources = new Map<string, pulumi.Resource>();
  const byWave = new Map<number, pulumi.Resource[]>();
  const connectionOf = (host: DiscoveredHost): ConnectionArgs => connectionArgsOf(settings, host.name);
  // Preflight: a Marathon hop that migrates its storage starts only after ZooKeeper's data is archived. Backups
  // taken by earlier runs stay declared as they were recorded, so the stack keeps where every archive is and a
  // preview never shows a backup going away.
  const stillReachable = (b: BackupRecord) => b.hosts.some((name) => found.some((h) => h.name === name));
  const backups = [...record.backups.filter((b) => stillReachable(b) && (!backupNeed || backupName(b) !== backupName(backupNeed))), ...(backupNeed ? [backupNeed] : [])];
  const declaredBackups = backups.map((record) => ({
    record,
    resource: new ZooKeeperBackup(backupName(record), {
      connections: record.hosts.flatMap((name) => found.filter((h) => h.name === name)).map(connectionOf),
      privateKey: keyOutput,
      dataDir: record.dataDir,
      backupDir: record.backupDir,
      reason: `marathon ${record.from} → ${record.to}`,
    }, { parent: cluster }),
  }));
  const backup = backupNeed ? declaredBackups[declaredBackups.length - 1]?.resource : undefined;
  const common = (host: DiscoveredHost, component: HostComponent) => {
    const step = stepOf.get(`${host.name}/${component}`);
    const current = host.versions[component] as string;
    const waveBefore = step ? [...byWave.entries()].filter(([wave]) => wave < step.wave).flatMap(([, list]) => list) : [];
    return {
      step,
      args: {
        connection: connectionOf(host),
        privateKey: keyOutput,
        version: step ? step.to : current,
        targetVersion: plan.targets[component === "docker" ? "docker" : component === "marathon" ? "marathon" : "mesos"] ?? current,
        gateTimeoutSeconds: settings.rollout.gateTimeoutSeconds,
        rollbackOnFailure: settings.rollout.rollbackOnFailure,
      },
      dependsOn: backup ? [backup, ...waveBefore] : waveBefore,
    };
  };

  // Steps in seq order first, so every wave's resources exist before the next wave depends on them.
  const order = [...found].sort((a, b) => a.name.localeCompare(b.name));
  const declared: Array<{ host: DiscoveredHost; component: HostComponent }> = [];
  for (const host of order) for (const component of ["docker", ...host.roles] as HostComponent[]) declared.push({ host, component });
  declared.sort((a, b) => (stepOf.get(`${a.host.name}/${a.component}`)?.seq ?? 1e9) - (stepOf.get(`${b.host.name}/${b.component}`)?.seq ?? 1e9));
  const hostParents = new Map(order.map((h) => [h.name, new ClusterHost(`${pulumi.getStack()}-${h.name}`, { parent: cluster })]));
  const running = new Map(found.map((h) => [h.name, {} as Partial<Record<HostComponent, pulumi.Output<string>>>]));

  /**
   * The name a component's container gets: the stack's setting at a restart the plan already makes (the rename
   * shows in preview as a containerName change of that step), else the name it runs under now.
   */
  const containerNameOf = (host: DiscoveredHost, role: Role, step: PlanStep | undefined, wanted: string): string =>
    (step ? wanted : host.containers[role]?.name) ?? wanted;

  for (const { host, component } of declared) {
    const { step, args, dependsOn } = common(host, component);
    const opts: pulumi.CustomResourceOptions = { parent: hostParents.get(host.name), dependsOn };
    const name = resourceName(host.name, component);
    let resource: pulumi.Resource;
    switch (component) {
      case "docker":
        resource = new DockerEngine(name, {
          ...args,
          suite: settings.docker.suite,
          logDriver: logDriverThisRun(host, step, settings.docker),
          ...(step?.settings ? { settingsStep: step.settings } : {}),
          registryMirrors: [...settings.docker.registryMirrors],
          insecureRegistries: [...settings.docker.insecureRegistries],
          runsAgent: host.roles.includes("mesos-slave"),
          masters,
          marathons,
          mesosVersion: host.versions["mesos-slave"] ?? host.versions["mesos-master"] ?? masterVersion ?? "0.0.0",
        }, opts);
        break;
      case "mesos-master":
        resource = new MesosMaster(name, { ...args, containerName: containerNameOf(host, "mesos-master", step, settings.mesosMaster.containerName), ...(settings.mesosMaster.image ? { image: settings.mesosMaster.image } : {}), flags: mergedFlags(mesosFlagsOf(host.containers["mesos-master"]), settings.mesosMaster.flags), volumes: [...(host.containers["mesos-master"]?.volumes ?? ["/var/lib/mesos:/var/lib/mesos"])], env: envWithoutFlags(host.containers["mesos-master"]?.env), masters }, opts);
        break;
      case "mesos-slave": {
        const workDir = settings.mesosSlave.workDir;
        const running = host.containers["mesos-slave"];
        // The executor image the agent derived from its own image follows the agent to the new version.
        const carried = mesosFlagsOf(running);
        if (running && carried.docker_mesos_image === running.image) delete carried.docker_mesos_image;
        const volumes = [...new Set([`${workDir}:${workDir}`, ...(running?.volumes ?? ["/var/run/docker.sock:/var/run/docker.sock"]).filter((v) => !v.endsWith(`:${workDir}`))])];
        resource = new MesosSlave(name, { ...args, containerName: containerNameOf(host, "mesos-slave", step, settings.mesosSlave.containerName), ...(settings.mesosSlave.image ? { image: settings.mesosSlave.image } : {}), flags: mergedFlags(carried, { ...settings.mesosSlave.flags, work_dir: workDir }), volumes, env: envWithoutFlags(running?.env), masters, marathons, ...(step?.killsTasks ? { killsTasks: step.killsTasks } : {}) }, opts);
        break;
      }
      case "marathon":
        resource = new MarathonInstance(name, { ...args, containerName: containerNameOf(host, "marathon", step, settings.marathon.containerName), ...(settings.marathon.image ? { image: settings.marathon.image } : {}), flags: mergedFlags(marathonFlagsOf(host.containers.marathon), settings.marathon.flags), volumes: [...(host.containers.marathon?.volumes ?? [])], env: { ...(host.containers.marathon?.env ?? {}) }, masters }, opts);
        break;
    }
    resources.set(name, resource);
    (running.get(host.name) as Partial<Record<HostComponent, pulumi.Output<string>>>)[component] = (resource as DockerEngine | MesosMaster).runningVersion;
    if (step) byWave.set(step.wave, [...(byWave.get(step.wave) ?? []), resource]);
  }

  // What the hosts run once every resource has finished its step, as each recorded it: a run that fails half way
  // registers no new outputs, so the stack never records versions its hosts do not run.
  const hostVersions = pulumi.all(Object.fromEntries([...running].map(([name, components]) => [name, pulumi.all(components)])));
  return {
    phase: adopting ? "adopting" : plan.phase,
    thisRun: stepLines(plan.steps),
    // The restarts the plan forecasts to kill their host's tasks ("a1 docker 1.7.1 → 1.11.2"), for the main job's report.
    taskKilling: plan.steps.filter((s) => s.killsTasks).map((s) => `${s.host} ${s.component} ${s.from} → ${s.to}`),
    blocked: plan.blocked,
    remainingPath: plan.paths,
    targets: plan.targets,
    hostVersions,
    completed: hostVersions.apply((hosts) => completedOfRunning(hosts as HostVersions)),
    promotionOverride: refusals.length ? { reason: settings.promotionOverride, overridden: refusals } : null,
    zookeeperBackups: backups.map(({ from, to, hosts, dataDir, backupDir }) => ({ from, to, hosts, dataDir, backupDir })),
    zookeeperArchives: Object.fromEntries(declaredBackups.map(({ record, resource }) => [`marathon ${record.from} → ${record.to}`, resource.archives])),
    downtime,
  };
}

/** A ZooKeeper backup: the Marathon hop it precedes, where ZooKeeper's data is, and where the archives go. */
interface BackupRecord {
  readonly from: string;
  readonly to: string;
  readonly hosts: readonly string[];
  readonly dataDir: string;
  readonly backupDir: string;
}

/** A backup this run needs before anything is touched, with the storage migrations that call for it. */
interface BackupNeed extends BackupRecord {
  readonly migrations: readonly string[];
}

const backupName = (backup: BackupRecord): string => `zookeeper-backup-marathon-${backup.from}-${backup.to}`;

/**
 * Whether this run's Marathon step crosses a storage migration (0.11, 0.13, 1.1.5), and on which hosts ZooKeeper
 * keeps its data (zookeeper.hosts, else the mesos-master hosts). Refuses when those are not the stack's hosts.
 */
function backupNeedOf(plan: Plan, settings: StackSettings, found: readonly DiscoveredHost[]): BackupNeed | undefined {
  const steps = plan.steps.filter((s) => s.component === "marathon");
  if (steps.length === 0) return undefined;
  const from = lowestFrom(steps);
  const to = steps[0]?.to as string;
  const migrations = storageMigrations("marathon", from, to).map((m) => m.at);
  if (migrations.length === 0) return undefined;
  const names = settings.zookeeper.hosts.length ? settings.zookeeper.hosts : found.filter((h) => h.roles.includes("mesos-master")).map((h) => h.name);
  const unknown = names.filter((name) => !found.some((h) => h.name === name));
  if (unknown.length || names.length === 0) {
    const why = unknown.length ? `zookeeper.hosts names ${unknown.map((n) => `"${n}"`).join(", ")}, not among the stack's hosts` : "the stack has no mesos-master host to find ZooKeeper on";
    throw new Refusal(`preflight: marathon ${from} → ${to} migrates Marathon's storage and needs a ZooKeeper backup first, but ${why}; set zookeeper.hosts to the hosts that run ZooKeeper`);
  }
  return { from, to, migrations, hosts: names, dataDir: settings.zookeeper.dataDir, backupDir: settings.zookeeper.backupDir };
}

/** One Marathon app with where its tasks run (`/v2/apps?embed=apps.tasks`). */
interface PlacedApp {
  readonly id: string;
  readonly instances: number;
  readonly tasks?: ReadonlyArray<{ readonly host: string }>;
}

/**
 * The downtime forecast of a run: single-instance apps on a host whose restart this run kills its tasks (the plan's
 * task-killing steps) are down until Marathon starts them elsewhere.
 */
async function singleInstanceDowntime(plan: Plan, found: readonly DiscoveredHost[]): Promise<string[]> {
  // The plan marks the restarts that stop a host's tasks (planner/task-killing.ts): Docker before 1.12 on an agent
  // host, a 0.22 agent, an agent's first restart into executor containers.
  const killing = plan.steps.filter((s) => s.killsTasks).map((s) => ({ step: s, host: found.find((h) => h.name === s.host) })).filter((k): k is { step: PlanStep; host: DiscoveredHost } => k.host !== undefined);
  if (killing.length === 0) return [];
  const what = (step: PlanStep) => (step.component === "docker" ? "Docker" : "the Mesos agent");
  let apps: readonly PlacedApp[] | undefined;
  for (const host of found.filter((h) => h.roles.includes("marathon"))) {
    apps = (await getJson<{ apps: PlacedApp[] }>(serviceUrl(host.address, 8080, "/v2/apps?embed=apps.tasks")))?.apps;
    if (apps) break;
  }
  if (!apps) return [`restarts of ${killing.map(({ step, host }) => `${what(step)} on ${host.name}`).join(", ")} stop their tasks; Marathon did not answer, so which single-instance apps go down is unknown`];
  const lines: string[] = [];
  for (const { step, host } of killing) {
    for (const app of apps.filter((a) => a.instances === 1 && (a.tasks ?? []).some((t) => t.host === host.address || t.host === host.name))) {
      lines.push(`${app.id} (single instance) is down while ${what(step)} restarts on ${host.name}, until Marathon starts it elsewhere`);
    }
  }
  return lines;
}

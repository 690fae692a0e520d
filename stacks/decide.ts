// Deciding a run, pure: from plain facts (the stack's settings, what discovery found, what the stack and the stack it
// is promoted from recorded) to the run's preflight checks, each resource's arguments and the stack's outputs.
// No clock, no network, no Pulumi engine: stacks/program.ts gathers the facts, calls this, and declares the result.
import { layerOf } from "../catalogue/components";
import {
  lowestFrom,
  planRun,
  renderPlanTable,
  storageMigrations,
  type HostComponent,
  type Plan,
  type PlanInput,
  type PlanStep,
  type Role,
} from "../planner";
import type { FlagValue } from "../planner";
import type { ConnectionArgs } from "../providers/component";
import { planHosts, type DiscoveredHost } from "./discover";
import type { PlacedApp } from "../observe/placement";
import { pendingDaemonOptions, pendingOptionsLines } from "./pending-options";
import { containerSettingsThisRun, logDriverThisRun, settingsChangesOf } from "./settings-changes";
import { carriedConfig } from "./carried-config";
// The carried configuration is decided here too (tests and providers' callers read it from this module).
export { carriedConfig, type CarriedConfig } from "./carried-config";
import { dockerOpts } from "../providers/dockerEngine";
import { mergedFlags, mesosFlagsOf } from "./flags";
import { pathFlagProblems } from "./path-flags";
import { planProblemLines } from "./planProblems";
import { silenceWindowProblem } from "./preflight";
import { promotionRefusals, type Completed } from "./promotion";
import { connectionArgsOf } from "./reach";
import type { StackSettings } from "./settings";
import { DEFAULT_GATE_INTERVAL_SECONDS } from "../remote/gate";

/** Everything a run's decision depends on, as plain data. */
export interface RunFacts {
  /** The stack's name (`pulumi.getStack()`). */
  readonly stack: string;
  readonly settings: StackSettings;
  /** What every host runs now (stacks/discover.ts). */
  readonly found: readonly DiscoveredHost[];
  /** Whether this stack's last run recorded the cluster (false: this run only adopts it). */
  readonly adopted: boolean;
  /** The ZooKeeper backups this stack's earlier runs took, as their outputs recorded them. */
  readonly recordedBackups: readonly BackupRecord[];
  /**
   * What the promotedFrom stack has completed: null when the backend has no such stack, undefined when it has no
   * record.
   */
  readonly previousCompleted: Completed | null | undefined;
  /**
   * Marathon's apps with where their tasks run, when the program asked (a run with task-killing restarts): the
   * planner then waves such restarts of hosts that share no multi-instance app. @default unknown: each goes alone
   */
  readonly apps?: readonly PlacedApp[];
}

/** A ZooKeeper backup: the Marathon hop it precedes, where ZooKeeper's data is, and where the archives go. */
export interface BackupRecord {
  readonly from: string;
  readonly to: string;
  readonly hosts: readonly string[];
  readonly dataDir: string;
  readonly backupDir: string;
}

/** A backup this run needs before anything is touched, with the storage migrations that call for it. */
export interface BackupNeed extends BackupRecord {
  readonly migrations: readonly string[];
}

/** A line the program writes before it declares anything. */
export interface Notice {
  readonly level: "info" | "warn";
  readonly text: string;
}

/** The preflight checks of a run, in the order they run. */
export type CheckName =
  "host-problems" | "plan" | "path-flags" | "promotion-gate" | "silence-window" | "zookeeper-backup";

/**
 * The stack keys that override a failed check with a reason (kubeadm's --ignore-preflight-errors, named in the stack).
 */
export type OverrideKey = "promotionOverride";

/** What the checks see: the facts, and the plan once it could be made. */
export interface CheckContext {
  readonly facts: RunFacts;
  /** The planner's plan; undefined when it could not be made (the "plan" check then fails). */
  readonly planned: Plan | undefined;
  /** The plan this run applies: none of the steps when it only adopts. */
  readonly plan: Plan | undefined;
  readonly planProblems: readonly string[];
}

/**
 * One preflight check. A mandatory check that finds problems refuses the run; an overridable one is passed when the
 * stack gives a reason in its override key, and the run then warns and records what it overrode.
 */
export interface PreflightCheck {
  readonly name: CheckName;
  /** How the run's messages name the check. */
  readonly title: string;
  readonly override?: OverrideKey;
  readonly problems: (context: CheckContext) => readonly string[];
  /** The refusal's text for these problems. */
  readonly refusal: (problems: readonly string[]) => string;
  /** What the run says once the check has passed. */
  readonly passed?: (context: CheckContext) => Notice | undefined;
}

/** The run's preflight checks, in order; the first mandatory failure refuses the run before anything is touched. */
export const PREFLIGHT_CHECKS: readonly PreflightCheck[] = [
  {
    name: "host-problems",
    title: "host problems",
    problems: ({ facts }) => facts.found.flatMap((host) => host.problems),
    refusal: (problems) =>
      `preflight: ${problems.length} host problem(s), nothing was touched:\n  ${problems.join("\n  ")}`,
  },
  {
    name: "plan",
    title: "plan",
    problems: ({ planProblems }) => planProblems,
    refusal: (lines) =>
      lines.length === 1 ? `plan: ${lines[0]}` : `plan: ${lines.length} problems:\n  ${lines.join("\n  ")}`,
    // The first run of a stack only adopts what runs (brownfield): nothing restarts, and every later hop shows in
    // preview as a property diff of a resource the stack already holds.
    passed: ({ facts, planned }) =>
      facts.adopted || !planned
        ? undefined
        : {
            level: "info",
            text: `first run of stack "${facts.stack}": adopting the running cluster, nothing is restarted; the next run applies: ${planned.steps.length} step(s) of ${planned.phase}`,
          },
  },
  {
    name: "path-flags",
    title: "flags on the path",
    problems: ({ facts, plan }) => (plan ? pathFlagProblems(facts.settings, facts.found, plan.paths) : []),
    refusal: (problems) =>
      `preflight: ${problems.length} flag problem(s) on the way to the targets, nothing was touched:\n  ${problems.join("\n  ")}`,
  },
  {
    name: "promotion-gate",
    title: "promotion gate",
    override: "promotionOverride",
    problems: ({ facts, plan }) =>
      promotionRefusals(plan?.steps ?? [], facts.settings.promotedFrom, facts.previousCompleted),
    refusal: (problems) => `promotion gate:\n  ${problems.join("\n  ")}`,
  },
  {
    name: "silence-window",
    title: "agent silence window",
    problems: ({ facts, plan }) => {
      const problem = plan && silenceWindowOf(plan, facts);
      return problem ? [problem] : [];
    },
    refusal: (problems) => `preflight: ${problems[0]}`,
  },
  {
    name: "zookeeper-backup",
    title: "ZooKeeper backup",
    problems: ({ facts, plan }) => {
      const need = plan && backupNeedOf(plan, facts.settings, facts.found);
      return need && "problem" in need ? [need.problem] : [];
    },
    refusal: (problems) => `preflight: ${problems[0]}`,
    passed: ({ facts, plan }) => {
      const need = plan && backupNeedOf(plan, facts.settings, facts.found);
      if (!need || "problem" in need) return undefined;
      return {
        level: "info",
        text: `preflight: marathon ${need.from} → ${need.to} migrates Marathon's storage (at ${need.migrations.join(", ")}); ZooKeeper's ${need.dataDir} on ${need.hosts.join(", ")} is archived to ${need.backupDir} before anything is touched`,
      };
    },
  },
];

/** A check that failed and was overridden by the stack, with the reason it gave. */
export interface OverriddenCheck {
  readonly check: CheckName;
  readonly key: OverrideKey;
  readonly reason: string;
  readonly problems: readonly string[];
}

/** The arguments every component resource takes, without the key (the program adds the stack's secret). */
interface CommonArgs {
  readonly connection: ConnectionArgs;
  readonly version: string;
  readonly targetVersion: string;
  readonly gateTimeoutSeconds: number;
  /** Set only when the stack sets a pace other than the gates' own (a state written before has none). */
  readonly gateIntervalSeconds?: number;
  readonly rollbackOnFailure: boolean;
}

export interface DockerEngineDecision extends CommonArgs {
  readonly suite: string;
  readonly logDriver: string;
  readonly registryMirrors: string[];
  readonly insecureRegistries: string[];
  readonly runsAgent: boolean;
  readonly masters: string[];
  readonly marathons: string[];
  /** Where ZooKeeper serves: the addresses of zookeeper.hosts, else of the masters. */
  readonly zookeepers: string[];
  readonly mesosVersion: string;
}

/** The arguments of a containerized component (master, agent, Marathon). */
export interface ContainerDecision extends CommonArgs {
  readonly containerName: string;
  readonly image?: string;
  readonly flags: Record<string, FlagValue>;
  readonly volumes: string[];
  readonly env: Record<string, string>;
  readonly masters: string[];
  /** Marathon's whole-cluster hop (1.1 → 1.3): the step waits for the other instances (`peers`) to stop. */
  readonly restart?: "whole-cluster";
  readonly peers?: Omit<ConnectionArgs, "http">[];
}

export interface MesosSlaveDecision extends ContainerDecision {
  readonly marathons: string[];
  readonly killsTasks?: string;
}

/** One resource of the run: its name, host and component, its arguments, and the resources it waits for (by name). */
export type ResourceDecision =
  | {
      readonly component: "docker";
      readonly name: string;
      readonly host: string;
      readonly args: DockerEngineDecision;
      readonly dependsOn: readonly string[];
      readonly wave?: number;
    }
  | {
      readonly component: "mesos-master";
      readonly name: string;
      readonly host: string;
      readonly args: ContainerDecision;
      readonly dependsOn: readonly string[];
      readonly wave?: number;
    }
  | {
      readonly component: "mesos-slave";
      readonly name: string;
      readonly host: string;
      readonly args: MesosSlaveDecision;
      readonly dependsOn: readonly string[];
      readonly wave?: number;
    }
  | {
      readonly component: "marathon";
      readonly name: string;
      readonly host: string;
      readonly args: ContainerDecision;
      readonly dependsOn: readonly string[];
      readonly wave?: number;
    };

/** One ZooKeeper backup resource: the record it keeps and its arguments (without the key). */
export interface BackupDecision {
  readonly name: string;
  readonly record: BackupRecord;
  readonly args: {
    readonly connections: ConnectionArgs[];
    readonly dataDir: string;
    readonly backupDir: string;
    readonly reason: string;
  };
}

/** A restart of this run that stops its host's tasks (the plan's task-killing steps). */
export interface KillingRestart {
  readonly step: PlanStep;
  readonly host: DiscoveredHost;
}

/** The outputs the decision alone fixes (the program adds what the resources report: versions, archives). */
export interface DecidedOutputs {
  readonly phase: string;
  readonly thisRun: string[];
  /**
   * The restarts the plan forecasts to kill their host's tasks ("a1 docker 1.7.1 → 1.11.2"), for the main job's report.
   */
  readonly taskKilling: string[];
  readonly blocked: Plan["blocked"];
  readonly remainingPath: Plan["paths"];
  readonly targets: Plan["targets"];
  readonly promotionOverride: { readonly reason: string; readonly overridden: readonly string[] } | null;
  readonly zookeeperBackups: BackupRecord[];
}

/** What a run does: refuse (naming the failed check), or declare these resources. */
export type RunDecision =
  | {
      readonly kind: "refuse";
      readonly check: CheckName;
      readonly message: string;
      readonly notices: readonly Notice[];
    }
  | {
      readonly kind: "declare";
      readonly notices: readonly Notice[];
      readonly plan: Plan;
      readonly adopting: boolean;
      readonly overridden: readonly OverriddenCheck[];
      /** The ClusterHost component of each host, in the order they are declared. */
      readonly hosts: readonly string[];
      readonly backups: readonly BackupDecision[];
      /** In the plan's order (steps first, by seq), so every wave exists before the next depends on it. */
      readonly resources: readonly ResourceDecision[];
      readonly killing: readonly KillingRestart[];
      readonly outputs: DecidedOutputs;
    };

/** The planner's input for the discovered cluster. */
export function planInputOf(
  settings: StackSettings,
  found: readonly DiscoveredHost[],
  apps?: readonly PlacedApp[],
): PlanInput {
  return {
    desired: settings.targets,
    hosts: planHosts(found, apps),
    rollout: { maxUnavailableSlaves: settings.rollout.maxUnavailableSlaves },
    frameworks: settings.frameworks,
    policy: settings.rollout.policy,
    settingsChanges: settingsChangesOf(found, settings),
  };
}

/** Runs the checks in order: the first mandatory failure refuses; an overridable failure with a reason is recorded. */
export function runChecks(
  context: CheckContext,
  checks: readonly PreflightCheck[] = PREFLIGHT_CHECKS,
): {
  readonly notices: Notice[];
  readonly overridden: OverriddenCheck[];
  readonly refused?: { readonly check: CheckName; readonly message: string };
} {
  const notices: Notice[] = [];
  const overridden: OverriddenCheck[] = [];
  for (const check of checks) {
    const problems = check.problems(context);
    if (problems.length) {
      const reason = check.override ? context.facts.settings[check.override] : "";
      if (!reason) return { notices, overridden, refused: { check: check.name, message: check.refusal(problems) } };
      overridden.push({ check: check.name, key: check.override as OverrideKey, reason, problems });
      notices.push({ level: "warn", text: `${check.title} overridden ("${reason}"):\n  ${problems.join("\n  ")}` });
      continue;
    }
    const notice = check.passed?.(context);
    if (notice) notices.push(notice);
  }
  return { notices, overridden };
}

/** Decides one run from its facts. */
export function decideRun(facts: RunFacts): RunDecision {
  const { settings, found } = facts;
  const input = planInputOf(settings, found, facts.apps);
  let planned: Plan | undefined;
  let planProblems: string[] = [];
  // The plan is only made for hosts without problems: the host check refuses the run before it otherwise.
  if (!found.some((host) => host.problems.length)) {
    try {
      planned = planRun(input);
    } catch (error) {
      planProblems = planProblemLines(error);
    }
  }
  const adopting = !facts.adopted;
  const plan = planned && (adopting ? { ...planned, steps: [] } : planned);
  const checked = runChecks({ facts, planned, plan, planProblems });
  if (checked.refused) return { kind: "refuse", ...checked.refused, notices: checked.notices };
  if (!plan) throw new Error("decideRun: the plan check passed without a plan");

  const backupNeed = backupNeedOf(plan, settings, found);
  const need = backupNeed && !("problem" in backupNeed) ? backupNeed : undefined;
  // Daemon options adoption left different wait for a planned Docker step: the plan table says which, on which host.
  // Each host's options as its engine gets them this run (the log driver changes only at a settings step).
  const dockerStep = (host: DiscoveredHost) => plan.steps.find((s) => s.host === host.name && s.component === "docker");
  const pending = pendingOptionsLines(
    found.flatMap((host) =>
      pendingDaemonOptions(
        [host],
        dockerOpts({ ...settings.docker, logDriver: logDriverThisRun(host, dockerStep(host), settings.docker) }),
        plan,
      ),
    ),
  );
  const notices = [
    ...checked.notices,
    {
      level: "info" as const,
      text: `plan (${plan.phase}):\n${renderPlanTable(plan, input)}${pending.map((line) => `${line}\n`).join("")}`,
    },
  ];
  const backups = backupsOf(facts, need);
  const resources = resourcesOf(facts, plan, need ? backupName(need) : undefined);
  const promotion = checked.overridden.find((o) => o.key === "promotionOverride");
  return {
    kind: "declare",
    notices,
    plan,
    adopting,
    overridden: checked.overridden,
    hosts: [...found].sort((a, b) => a.name.localeCompare(b.name)).map((h) => h.name),
    backups,
    resources,
    killing: killingRestarts(plan, found),
    outputs: {
      phase: adopting ? "adopting" : plan.phase,
      thisRun: stepLines(plan.steps),
      taskKilling: plan.steps.filter((s) => s.killsTasks).map((s) => `${s.host} ${s.component} ${s.from} → ${s.to}`),
      blocked: plan.blocked,
      remainingPath: plan.paths,
      targets: plan.targets,
      promotionOverride: promotion ? { reason: promotion.reason, overridden: promotion.problems } : null,
      zookeeperBackups: backups.map(({ record: { from, to, hosts, dataDir, backupDir } }) => ({
        from,
        to,
        hosts,
        dataDir,
        backupDir,
      })),
    },
  };
}

/** The resource name of one component on one host. */
export const resourceName = (host: string, component: HostComponent): string => `${host}-${component}`;

/** The resource name of a ZooKeeper backup. */
export const backupName = (backup: BackupRecord): string => `zookeeper-backup-marathon-${backup.from}-${backup.to}`;

/** A human line for each step: "wave 2  a1  mesos-slave  0.22.1 → 0.23.1". */
export function stepLines(steps: readonly PlanStep[]): string[] {
  return steps.map(
    (s) =>
      `wave ${s.wave}  ${s.host.padEnd(8)} ${s.component.padEnd(13)} ${s.from} → ${s.to}${s.settings ? ` (settings: ${s.settings})` : ""}${s.restart === "whole-cluster" ? " (whole-cluster: every instance stops, then all start)" : ""}`,
  );
}

/** The masters' silence window against an agent's restart, when this run restarts agents. */
function silenceWindowOf(plan: Plan, facts: RunFacts): string | undefined {
  const { found, settings } = facts;
  const masterStep = plan.steps.find((s) => s.component === "mesos-master");
  const masterVersion = found.find((h) => h.versions["mesos-master"])?.versions["mesos-master"];
  if (!plan.steps.some((s) => s.component === "mesos-slave") || !masterVersion) return undefined;
  const masterFlags = mergedFlags(
    mesosFlagsOf(found.find((h) => h.containers["mesos-master"])?.containers["mesos-master"]),
    settings.mesosMaster.flags,
  );
  return silenceWindowProblem(masterStep?.to ?? masterVersion, masterFlags, settings.rollout.agentRestartSeconds);
}

/**
 * Whether this run's Marathon step crosses a storage migration (0.11, 0.13, 1.1.5), and on which hosts ZooKeeper
 * keeps its data (zookeeper.hosts, else the mesos-master hosts); a problem when those are not the stack's hosts.
 */
export function backupNeedOf(
  plan: Plan,
  settings: StackSettings,
  found: readonly DiscoveredHost[],
): BackupNeed | { readonly problem: string } | undefined {
  const steps = plan.steps.filter((s) => s.component === "marathon");
  if (steps.length === 0) return undefined;
  const from = lowestFrom(steps);
  const to = steps[0]?.to as string;
  const migrations = storageMigrations("marathon", from, to).map((m) => m.at);
  if (migrations.length === 0) return undefined;
  const names = settings.zookeeper.hosts.length
    ? settings.zookeeper.hosts
    : found.filter((h) => h.roles.includes("mesos-master")).map((h) => h.name);
  const unknown = names.filter((name) => !found.some((h) => h.name === name));
  if (unknown.length || names.length === 0) {
    const why = unknown.length
      ? `zookeeper.hosts names ${unknown.map((n) => `"${n}"`).join(", ")}, not among the stack's hosts`
      : "the stack has no mesos-master host to find ZooKeeper on";
    return {
      problem: `marathon ${from} → ${to} migrates Marathon's storage and needs a ZooKeeper backup first, but ${why}; set zookeeper.hosts to the hosts that run ZooKeeper`,
    };
  }
  return {
    from,
    to,
    migrations,
    hosts: names,
    dataDir: settings.zookeeper.dataDir,
    backupDir: settings.zookeeper.backupDir,
  };
}

/**
 * The backups the run declares: those taken by earlier runs stay declared as they were recorded (while one of their
 * hosts is still the stack's), so the stack keeps where every archive is and a preview never shows one going away;
 * this run's own comes last.
 */
function backupsOf(facts: RunFacts, need: BackupNeed | undefined): BackupDecision[] {
  const { found, settings } = facts;
  const stillReachable = (b: BackupRecord) => b.hosts.some((name) => found.some((h) => h.name === name));
  const records: BackupRecord[] = [
    ...facts.recordedBackups.filter((b) => stillReachable(b) && (!need || backupName(b) !== backupName(need))),
    ...(need ? [need] : []),
  ];
  return records.map((record) => ({
    name: backupName(record),
    record,
    args: {
      connections: record.hosts
        .flatMap((name) => found.filter((h) => h.name === name))
        .map((h) => connectionArgsOf(settings, h.name)),
      dataDir: record.dataDir,
      backupDir: record.backupDir,
      reason: `marathon ${record.from} → ${record.to}`,
    },
  }));
}

/**
 * The name a component's container gets: the stack's setting at a restart the plan already makes (the rename shows in
 * preview as a containerName change of that step), else the name it runs under now.
 */
const containerNameOf = (host: DiscoveredHost, role: Role, step: PlanStep | undefined, wanted: string): string =>
  (step ? wanted : host.containers[role]?.name) ?? wanted;

/** The other Marathon instances' connections, for a whole-cluster step to read. */
const peersOf = (facts: RunFacts, self: string): Omit<ConnectionArgs, "http">[] =>
  facts.found
    .filter((h) => h.roles.includes("marathon") && h.name !== self)
    .map((h) => connectionArgsOf(facts.settings, h.name));

/**
 * The steps of the latest wave before `wave`: a step waits for them, and each of them for the wave before it, so
 * nothing starts before every earlier wave has ended. Waiting on every earlier step instead made each step's recorded
 * dependencies grow with the cluster: the state of a hop at 100 agents grew from 1.7 to 2.5 MB, its size quadratic in
 * the cluster's, and the engine writes it whole at every step's start and end (issue 14).
 */
function previousWave(byWave: ReadonlyMap<number, readonly string[]>, wave: number): readonly string[] {
  let latest: number | undefined;
  for (const earlier of byWave.keys()) {
    if (earlier < wave && (latest === undefined || earlier > latest)) latest = earlier;
  }
  return latest === undefined ? [] : (byWave.get(latest) ?? []);
}

/** Every component resource of the run with its arguments, steps first in the plan's order. */
function resourcesOf(facts: RunFacts, plan: Plan, backup: string | undefined): ResourceDecision[] {
  const { settings, found } = facts;
  const masters = found.filter((h) => h.roles.includes("mesos-master")).map((h) => h.address);
  const marathons = found.filter((h) => h.roles.includes("marathon")).map((h) => h.address);
  const zookeepers = settings.zookeeper.hosts.length
    ? found.filter((h) => settings.zookeeper.hosts.includes(h.name)).map((h) => h.address)
    : masters;
  const masterVersion = found.find((h) => h.versions["mesos-master"])?.versions["mesos-master"];
  const stepOf = new Map(plan.steps.map((s) => [`${s.host}/${s.component}`, s]));
  const order = [...found].sort((a, b) => a.name.localeCompare(b.name));
  const declared: Array<{ host: DiscoveredHost; component: HostComponent }> = [];
  for (const host of order) {
    for (const component of ["docker", ...host.roles] as HostComponent[]) declared.push({ host, component });
  }
  declared.sort(
    (a, b) =>
      (stepOf.get(`${a.host.name}/${a.component}`)?.seq ?? 1e9) -
      (stepOf.get(`${b.host.name}/${b.component}`)?.seq ?? 1e9),
  );

  const byWave = new Map<number, string[]>();
  const resources: ResourceDecision[] = [];
  for (const { host, component } of declared) {
    const step = stepOf.get(`${host.name}/${component}`);
    const current = host.versions[component] as string;
    const waveBefore = step ? previousWave(byWave, step.wave) : [];
    const name = resourceName(host.name, component);
    const common: CommonArgs = {
      connection: connectionArgsOf(settings, host.name),
      version: step ? step.to : current,
      targetVersion: plan.targets[layerOf(component)] ?? current,
      gateTimeoutSeconds: settings.rollout.gateTimeoutSeconds,
      ...(settings.rollout.gateIntervalSeconds === DEFAULT_GATE_INTERVAL_SECONDS
        ? {}
        : { gateIntervalSeconds: settings.rollout.gateIntervalSeconds }),
      rollbackOnFailure: settings.rollout.rollbackOnFailure,
    };
    const base = {
      name,
      host: host.name,
      dependsOn: backup ? [backup, ...waveBefore] : waveBefore,
      ...(step ? { wave: step.wave } : {}),
    };
    switch (component) {
      case "docker":
        resources.push({
          ...base,
          component,
          args: {
            ...common,
            suite: settings.docker.suite,
            logDriver: logDriverThisRun(host, step, settings.docker),
            ...(step?.settings ? { settingsStep: step.settings } : {}),
            registryMirrors: [...settings.docker.registryMirrors],
            insecureRegistries: [...settings.docker.insecureRegistries],
            runsAgent: host.roles.includes("mesos-slave"),
            masters,
            marathons,
            zookeepers,
            mesosVersion: host.versions["mesos-slave"] ?? host.versions["mesos-master"] ?? masterVersion ?? "0.0.0",
          },
        });
        break;
      case "mesos-master":
        resources.push({
          ...base,
          component,
          args: {
            ...common,
            containerName: containerNameOf(host, "mesos-master", step, settings.mesosMaster.containerName),
            ...(settings.mesosMaster.image ? { image: settings.mesosMaster.image } : {}),
            ...carriedConfig("mesos-master", host.containers["mesos-master"], {
              ...containerSettingsThisRun("mesos-master", host, step, settings),
              secretEnv: settings.secretEnv,
            }),
            masters,
          },
        });
        break;
      case "mesos-slave":
        resources.push({
          ...base,
          component,
          args: {
            ...common,
            containerName: containerNameOf(host, "mesos-slave", step, settings.mesosSlave.containerName),
            ...(settings.mesosSlave.image ? { image: settings.mesosSlave.image } : {}),
            ...carriedConfig("mesos-slave", host.containers["mesos-slave"], {
              ...containerSettingsThisRun("mesos-slave", host, step, settings),
              secretEnv: settings.secretEnv,
            }),
            masters,
            marathons,
            ...(step?.killsTasks ? { killsTasks: step.killsTasks } : {}),
          },
        });
        break;
      case "marathon":
        resources.push({
          ...base,
          component,
          args: {
            ...common,
            containerName: containerNameOf(host, "marathon", step, settings.marathon.containerName),
            ...(settings.marathon.image ? { image: settings.marathon.image } : {}),
            ...carriedConfig("marathon", host.containers.marathon, {
              ...containerSettingsThisRun("marathon", host, step, settings),
              secretEnv: settings.secretEnv,
            }),
            masters,
            ...(step?.restart === "whole-cluster" ? { restart: step.restart, peers: peersOf(facts, host.name) } : {}),
          },
        });
        break;
    }
    if (step) byWave.set(step.wave, [...(byWave.get(step.wave) ?? []), name]);
  }
  return resources;
}

/**
 * The restarts of this run that stop their host's tasks, as the plan marks them (planner/task-killing.ts): Docker
 * before 1.12 on an agent host, a 0.22 agent, an agent's first restart into executor containers.
 */
export function killingRestarts(plan: Plan, found: readonly DiscoveredHost[]): KillingRestart[] {
  return plan.steps
    .filter((s) => s.killsTasks)
    .map((step) => ({ step, host: found.find((h) => h.name === step.host) }))
    .filter((k): k is KillingRestart => k.host !== undefined);
}

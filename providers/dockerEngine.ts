// DockerEngine: the Docker engine of one host, moved by its package manager, with the host's work kept alive.
// The provider and the engine's lifecycle live here; the decision is engineDecision.ts, the package enginePackage.ts,
// the Mesos maintenance drain engineDrain.ts.
import * as pulumi from "@pulumi/pulumi";
import { compareVersions, isKnownRelease } from "../planner";
import { sshShell, type RemoteShell } from "../remote/ssh";
import {
  componentDiff,
  configureFromStack,
  connectionFailures,
  inputsOf,
  targetOf,
  type ComponentArgs,
  type ComponentInputs,
  type ComponentState,
} from "./component";
import { listContainers, runningToDocker, type RunningContainer } from "../observe/containers";
import { DelegatingResource, type ProviderImplementation } from "./dynamic";
import { packedArgs, packedImplementation } from "./packed";
import { ComponentFailure } from "./failure";
import { changeSteps, decideEngine, type InterruptedInstall } from "./engineDecision";
import { drain, drainTarget, finishDrain, undrain, type DrainTarget, type UnfinishedDrain } from "./engineDrain";
import {
  PACKAGES,
  commandFailure,
  dockerOpts,
  downloadPackage,
  finishInstall,
  installPackage,
  installedPackage,
  pinnedPackage,
  type EngineAction,
} from "./enginePackage";
import { waitForEngine } from "./engineGate";
import { holdAgentApps, holdNote } from "./app-budget";

export { dockerOpts, packageVersion } from "./enginePackage";
export type { InterruptedInstall } from "./engineDecision";
export type { Machine, UnfinishedDrain } from "./engineDrain";
import { serverVersion } from "../observe/docker";

/** Inputs of a DockerEngine. */
export interface DockerEngineArgs extends ComponentArgs {
  /**
   * Ubuntu suite of the engine's packages (`docker-engine=<version>-0~<suite>`, docker-ce from 17.06).
   * @default "trusty"
   */
  readonly suite?: pulumi.Input<string>;
  /** The daemon's log driver. @default "json-file" */
  readonly logDriver?: pulumi.Input<string>;
  readonly registryMirrors?: pulumi.Input<pulumi.Input<string>[]>;
  /** Registries reached without TLS, e.g. a harbor at "10.0.0.5:5000". */
  readonly insecureRegistries?: pulumi.Input<pulumi.Input<string>[]>;
  /** Whether the host runs a Mesos agent: its tasks stop with the engine (no live-restore before 1.12). */
  readonly runsAgent: pulumi.Input<boolean>;
  /** Addresses of the cluster's Mesos masters. */
  readonly masters: pulumi.Input<pulumi.Input<string>[]>;
  /** Addresses of the cluster's Marathon instances (the app-health gate asks them). */
  readonly marathons: pulumi.Input<pulumi.Input<string>[]>;
  /** Addresses of the ZooKeeper servers (the single-host gate asks each one `srvr`). @default the masters */
  readonly zookeepers?: pulumi.Input<pulumi.Input<string>[]>;
  /** The Mesos version the cluster runs: from 0.25 an agent host is drained with maintenance primitives first. */
  readonly mesosVersion: pulumi.Input<string>;
  /**
   * The plan's settings step for this engine (what changes): the engine restarts at its version for its new options.
   */
  readonly settingsStep?: pulumi.Input<string>;
}

export interface DockerEngineInputs extends ComponentInputs {
  readonly settingsStep?: string;
  readonly suite?: string;
  readonly logDriver?: string;
  readonly registryMirrors?: readonly string[];
  readonly insecureRegistries?: readonly string[];
  readonly runsAgent: boolean;
  readonly masters: readonly string[];
  readonly marathons: readonly string[];
  readonly zookeepers?: readonly string[];
  readonly mesosVersion: string;
}

export interface DockerEngineOutputs extends DockerEngineInputs, ComponentState {
  /** Containers that were running with a restart policy before the change and were back after it. */
  readonly keptContainers: readonly string[];
  /** Set while an install this provider started is unfinished; the next `pulumi up` finishes it. */
  readonly interruptedInstall?: InterruptedInstall;
  /**
   * Set while a machine this provider drained is still down; the next `pulumi up` brings it up before anything else.
   */
  readonly unfinishedDrain?: UnfinishedDrain;
  /**
   * Set when the engine runs the version asked but its gate did not pass (`keep`: the containers that must be back);
   * the next `pulumi up` checks the gate again, restarting nothing, and the step is done only once it passes.
   */
  readonly failedGate?: { readonly keep: readonly string[] };
}

/** Inputs that describe the cluster around the engine, not the engine: they never make a diff. */
const CONTEXT_KEYS: readonly string[] = ["masters", "marathons", "zookeepers", "mesosVersion", "settingsStep"];
const INPUT_KEYS = [
  "connection",
  "privateKey",
  "version",
  "targetVersion",
  "gateTimeoutSeconds",
  "gateIntervalSeconds",
  "rollbackOnFailure",
  "uninstallOnDelete",
  "suite",
  "logDriver",
  "registryMirrors",
  "insecureRegistries",
  "runsAgent",
  "masters",
  "marathons",
  "zookeepers",
  "mesosVersion",
  "settingsStep",
];
// DOCKER_OPTS lands in /etc/default/docker, which the upstart job sources as shell: only plain words may go there.
const SAFE_OPTION = /^[A-Za-z0-9._:/-]+$/;
const SUITE = /^[a-z0-9][a-z0-9.+~-]*$/;

/** Names of the containers with a restart policy that `pick` accepts. */
async function policyContainers(shell: RemoteShell, pick: (c: RunningContainer) => boolean): Promise<string[]> {
  return (await listContainers(shell))
    .filter((c) => c.restart !== "no" && pick(c))
    .map((c) => c.name)
    .sort();
}

/**
 * Containers that must come back after the engine restarts: those with a restart policy that run, or wait out its
 * delay (Docker calls those running too).
 */
const restartingContainers = (shell: RemoteShell) => policyContainers(shell, runningToDocker);

/** Containers back after the restart: their process runs now (one waiting to be restarted again is not back). */
const containersBack = (shell: RemoteShell) => policyContainers(shell, (c) => c.running);

function checkInputs(news: DockerEngineInputs): pulumi.dynamic.CheckFailure[] {
  const failures = connectionFailures(news);
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of ["version", "targetVersion"] as const) {
    if (!isKnownRelease("docker", news[key])) {
      fail(key, `${key} "${news[key]}" is not a known Docker engine release; e.g. "1.11.2" or "18.06.3"`);
    }
  }
  if (failures.length === 0 && compareVersions(news.version, news.targetVersion) > 0) {
    fail("version", `version "${news.version}" is beyond targetVersion "${news.targetVersion}"`);
  }
  for (const [key, values] of [
    ["registryMirrors", news.registryMirrors],
    ["insecureRegistries", news.insecureRegistries],
    ["logDriver", [news.logDriver ?? "json-file"]],
  ] as const) {
    for (const value of values ?? []) {
      if (!SAFE_OPTION.test(value)) {
        fail(
          key,
          `${key}: ${JSON.stringify(value)} is not a valid ${key} value (letters, digits, . _ : / - only: it goes into DOCKER_OPTS, which the init script reads as shell), e.g. "10.0.0.5:5000"`,
        );
      }
    }
  }
  if (news.suite !== undefined && !SUITE.test(news.suite)) {
    fail(
      "suite",
      `suite: ${JSON.stringify(news.suite)} is not an Ubuntu suite of apt.dockerproject.org, e.g. "trusty" or "ubuntu-trusty"`,
    );
  }
  return failures;
}

async function upgrade(
  id: string,
  inputs: DockerEngineInputs,
  provider: unknown,
  recorded?: DockerEngineOutputs,
): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  // A machine we drained and could not bring up comes first: until it is up its agent cannot register, whatever
  // else this run would do. The record is cleared only once it is up; if that fails again, it stays.
  const { unfinishedDrain, ...rest } = recorded ?? ({} as Partial<DockerEngineOutputs>);
  const previous = recorded && (rest as DockerEngineOutputs);
  if (!unfinishedDrain) return hop(id, inputs, provider, previous, undefined);
  let note: string;
  try {
    note = await finishDrain(inputs.masters, unfinishedDrain, inputs.gateTimeoutSeconds ?? 300);
  } catch (error) {
    throw new ComponentFailure(
      `docker on ${shell.label}: ${(error as Error).message}. It was drained by an earlier run of this stack, which records it: the next \`pulumi up\` tries again first`,
      id,
      { ...recorded, __provider: provider },
    );
  }
  return hop(id, inputs, provider, previous, { note, keep: unfinishedDrain.keep });
}

/** The engine's hop (or nothing, when it runs the version asked), once no drain of ours is left unfinished. */
async function hop(
  id: string,
  inputs: DockerEngineInputs,
  provider: unknown,
  previous: DockerEngineOutputs | undefined,
  finishedDrain: { note: string; keep: readonly string[] } | undefined,
): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  const name = inputs.connection.name;
  const live = await serverVersion(shell);
  const installed = previous?.interruptedInstall ? await installedPackage(shell) : undefined;
  const decision = decideEngine({
    name,
    version: inputs.version,
    live,
    ...(previous ? { previous } : {}),
    ...(installed ? { installed } : {}),
  });
  switch (decision.kind) {
    case "refuse":
      throw new Error(decision.message);
    case "finish":
      return change(id, inputs, provider, { action: "finish", from: decision.from, keep: decision.keep });
    case "install": {
      if (previous?.failedGate && live) {
        // The last hop's gate has not passed: no further hop on this host until it does.
        const gate = await engineGate(shell, { ...inputs, version: live }, previous.failedGate.keep);
        if (gate.failure) {
          throw new Error(
            `docker on ${shell.label}: the gate of its last hop (to ${live}) has still not passed, so ${inputs.version} is not installed: ${gate.failure}. Nothing was changed; the next \`pulumi up\` checks it again`,
          );
        }
      }
      return change(id, inputs, provider, {
        action: "install",
        from: decision.from,
        keep: await restartingContainers(shell),
      });
    }
    case "settled":
      return settled(id, shell, inputs, provider, live as string, previous, finishedDrain);
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown engine decision ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The engine runs the version asked: nothing is restarted; a machine an earlier run left down was just brought up. */
async function settled(
  id: string,
  shell: RemoteShell,
  inputs: DockerEngineInputs,
  provider: unknown,
  live: string,
  previous: DockerEngineOutputs | undefined,
  finishedDrain: { note: string; keep: readonly string[] } | undefined,
): Promise<DockerEngineOutputs> {
  const changedAt = previous?.changedAt ?? "";
  // The machine just came back, or the last run's gate did not pass: the step is done once its work is, as after a
  // hop (the next step waits for it), and nothing is restarted for it.
  const recheck =
    finishedDrain ??
    (previous?.failedGate
      ? { note: "the engine already ran it, its gate checked again", keep: previous.failedGate.keep }
      : undefined);
  if (recheck) {
    const gate = await engineGate(shell, inputs, recheck.keep);
    const kept = await restartingContainers(shell).catch(() => []);
    if (gate.failure) {
      throw new ComponentFailure(
        `docker on ${shell.label}: ${recheck.note}; ${gate.failure}. The next \`pulumi up\` checks it again`,
        id,
        {
          ...inputs,
          runningVersion: live,
          changedAt,
          gateObserved: "health gate failed",
          keptContainers: kept,
          failedGate: { keep: recheck.keep },
          __provider: provider,
        },
      );
    }
    return {
      ...inputs,
      runningVersion: live,
      changedAt,
      gateObserved: `${recheck.note}; ${gate.observed}`,
      keptContainers: kept,
    };
  }
  const currentOpts = (await shell.run(["cat", "/etc/default/docker"], { allowFailure: true })).stdout;
  const optsChanged = !currentOpts.split("\n").includes(dockerOpts(inputs));
  if (optsChanged && inputs.settingsStep) {
    // A settings step of the plan: restart the engine at its version for its new options, drained and gated as a hop.
    return change(id, inputs, provider, { action: "restart", from: live, keep: await restartingContainers(shell) });
  }
  const kept = await restartingContainers(shell);
  const pending = optsChanged ? `; daemon options pending until the next Docker step on ${inputs.connection.name}` : "";
  const gateObserved = previous
    ? `${previous.gateObserved.replace(/; daemon options (differ and apply at the engine's next hop|pending until the next Docker step on \S+)$/, "")}${pending}`
    : `adopted: already running this version, nothing restarted${pending}`;
  return { ...inputs, runningVersion: live, changedAt, gateObserved, keptContainers: kept };
}

/**
 * Waits until the engine answers at `inputs.version` with `keep` back and what the host's work needs (engineGate.ts).
 */
function engineGate(shell: RemoteShell, inputs: DockerEngineInputs, keep: readonly string[]) {
  const scope = {
    host: inputs.connection,
    version: inputs.version,
    runsAgent: inputs.runsAgent,
    masters: inputs.masters,
    marathons: inputs.marathons,
    zookeepers: inputs.zookeepers ?? inputs.masters,
    keep,
  };
  return waitForEngine(
    scope,
    { version: serverVersion, containers: containersBack },
    shell,
    inputs.gateTimeoutSeconds ?? 300,
    inputs.gateIntervalSeconds,
  );
}

/**
 * Changes the engine: download its package, hold the agent host's multi-instance apps (app-budget.ts), drain the host
 * (Mesos ≥ 0.25 agents), write the options, install/restart/finish, bring the host back, then wait for the engine, its
 * containers and (on agents) every multi-instance app. On failure the resource records what the host really has,
 * including an unfinished install for the next run to finish.
 */
async function change(
  id: string,
  inputs: DockerEngineInputs,
  provider: unknown,
  plan: { action: EngineAction; from: string; keep: readonly string[] },
): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  const pinned = pinnedPackage(inputs.version, inputs.suite);
  const steps = changeSteps(plan.action, inputs);
  if (steps.includes("download")) {
    // Before anything is drained or stopped: a package apt cannot get costs no task (and on a single host, no API).
    try {
      await downloadPackage(shell, pinned);
    } catch (error) {
      throw new Error(
        `docker on ${shell.label}: ${commandFailure(error, pinned, "download")}. Nothing was drained or stopped; the engine still runs ${plan.from}. Check the host's apt sources (${pinned.repository}) and run \`pulumi up\` again`,
        { cause: error },
      );
    }
  }
  // Every change restarts the engine, which stops the agent's tasks: the step holds its host's multi-instance apps.
  const hold = inputs.runsAgent
    ? await holdAgentApps(inputs, `docker on ${inputs.connection.name}`, `the engine still runs ${plan.from}`)
    : undefined;
  try {
    const changed = await changeHeld(id, inputs, provider, plan, { shell, pinned, steps });
    return { ...changed, gateObserved: `${holdNote(hold)}${changed.gateObserved}` };
  } finally {
    hold?.release();
  }
}

/** change() once the host's apps are held: drain, write the options, install or restart, bring back, gate. */
async function changeHeld(
  id: string,
  inputs: DockerEngineInputs,
  provider: unknown,
  plan: { action: EngineAction; from: string; keep: readonly string[] },
  made: { shell: RemoteShell; pinned: ReturnType<typeof pinnedPackage>; steps: ReturnType<typeof changeSteps> },
): Promise<DockerEngineOutputs> {
  const { shell, pinned, steps } = made;
  const name = inputs.connection.name;
  const { keep } = plan;
  const drained: DrainTarget | undefined = steps.includes("drain")
    ? await drainTarget(inputs.connection, inputs.masters)
    : undefined;
  if (drained) await drain(drained);
  let failure: string | undefined;
  let leftDown: UnfinishedDrain | undefined;
  try {
    // Options first: the package's postinst restarts the daemon, which reads them (log-driver needs a restart).
    await shell.run(["sh", "-c", 'printf "%s\\n" "$1" > /etc/default/docker', "sh", dockerOpts(inputs)]);
    switch (plan.action) {
      case "restart":
        await shell.run(["service", "docker", "restart"]);
        break;
      case "install":
        await installPackage(shell, pinned);
        break;
      case "finish":
        await finishInstall(shell, pinned, async () => (await serverVersion(shell)) !== undefined);
        break;
      default: {
        const unreachable: never = plan.action;
        throw new Error(`unknown engine action ${String(unreachable)}`);
      }
    }
  } catch (error) {
    failure = commandFailure(error, pinned, plan.action);
  }
  if (drained) {
    try {
      // A master on this very host restarts with its engine: wait for a leader before asking to bring the machine up.
      await undrain(inputs.masters, drained, inputs.gateTimeoutSeconds ?? 300);
    } catch (error) {
      failure = failure ? `${failure}; ${(error as Error).message}` : (error as Error).message;
      leftDown = { machine: drained.machine, master: drained.url, keep };
    }
  }
  let observed = "";
  let gateFailed = false;
  if (!failure) {
    const gate = await engineGate(shell, inputs, keep);
    observed = gate.observed ?? "";
    failure = gate.failure;
    gateFailed = gate.failure !== undefined;
  }
  const now = await serverVersion(shell);
  const kept = await restartingContainers(shell).catch(() => []);
  const changedAt = new Date().toISOString();
  if (!failure) {
    return { ...inputs, runningVersion: now ?? "none", changedAt, gateObserved: observed, keptContainers: kept };
  }

  const pkg = await installedPackage(shell).catch(() => undefined);
  const unfinished: InterruptedInstall | undefined =
    now !== inputs.version && pkg?.name === pinned.name && pkg.version === pinned.version
      ? {
          package: pinned.name,
          packageVersion: pinned.version,
          version: inputs.version,
          from: plan.from,
          status: pkg.status,
          keep,
        }
      : undefined;
  // `version` is what last ran (the hop is still to do), so the next preview shows it again.
  const outputs: DockerEngineOutputs = {
    ...inputs,
    version: now ?? plan.from,
    runningVersion: now ?? "none",
    changedAt,
    gateObserved: "health gate failed",
    keptContainers: kept,
    ...(unfinished ? { interruptedInstall: unfinished } : {}),
    ...(leftDown ? { unfinishedDrain: leftDown } : {}),
    ...(gateFailed && now === inputs.version ? { failedGate: { keep } } : {}),
  };
  const engineState = unfinished
    ? `${unfinished.package} is left ${unfinished.packageVersion} "${unfinished.status}" and the engine ${now ? `runs ${now}` : "is stopped"} (it ran ${plan.from}). ` +
      `Fix the cause (on ${name}: /var/log/upstart/docker.log, \`dpkg --audit\`), then run \`pulumi up\` again: it finishes this install (\`apt-get install -f\`, the pinned ${unfinished.packageVersion}) and waits for the engine`
    : `the engine now runs ${now ?? "nothing (daemon down)"}`;
  const drainState = leftDown
    ? `. ${leftDown.machine.hostname} stays down for maintenance; the stack records it, and the next \`pulumi up\` brings it up (through whichever master leads then) before anything else`
    : outputs.failedGate
      ? "; the stack records the gate as not passed, and the next `pulumi up` checks it again, restarting nothing"
      : "";
  throw new ComponentFailure(`docker on ${shell.label}: ${failure}. ${engineState}${drainState}`, id, {
    ...outputs,
    __provider: provider,
  });
}

// The settings travel packed (providers/packed.ts); the methods below see them unpacked.
export const implementation: ProviderImplementation = packedImplementation({
  configure: configureFromStack,
  async check(_olds, news) {
    const failures = checkInputs(news as DockerEngineInputs);
    return failures.length ? { inputs: news, failures } : { inputs: news };
  },
  async diff(_id, olds, news) {
    // A machine left down by our drain is work to do even when no input changed: the update brings it up.
    if ((olds as DockerEngineOutputs).unfinishedDrain) return { changes: true };
    // So is a gate that did not pass: the update checks it again.
    if ((olds as DockerEngineOutputs).failedGate) return { changes: true };
    // Context (where the masters and Marathons are, the cluster's Mesos version) is read when the engine has work,
    // never a reason to update it: an update of an engine at its version would touch a host no step planned.
    return componentDiff(
      olds,
      news,
      INPUT_KEYS.filter((key) => !CONTEXT_KEYS.includes(key)),
    );
  },
  async create(raw) {
    const inputs = raw as DockerEngineInputs;
    const id = `${inputs.connection.name}/docker`;
    return { id, outs: await upgrade(id, inputs, raw.__provider) };
  },
  async read(id, props) {
    const state = props as DockerEngineOutputs;
    const shell = sshShell(targetOf(state));
    const live = await serverVersion(shell);
    const { interruptedInstall: recorded, ...rest } = state;
    // An unfinished install stays recorded only while the host still shows it; otherwise refresh records what runs.
    const pkg = recorded ? await installedPackage(shell) : undefined;
    const interruptedInstall =
      recorded && pkg?.version === recorded.packageVersion && live !== recorded.version
        ? { ...recorded, status: pkg.status }
        : undefined;
    const version = live ?? interruptedInstall?.from ?? state.version;
    const inputs = inputsOf(state, INPUT_KEYS);
    return {
      id,
      props: {
        ...rest,
        version,
        runningVersion: live ?? "none",
        ...(interruptedInstall ? { interruptedInstall } : {}),
      },
      inputs: { ...inputs, version },
    };
  },
  async update(id, olds, news) {
    return {
      outs: await upgrade(
        id,
        news as DockerEngineInputs,
        (news as Record<string, unknown>).__provider,
        olds as DockerEngineOutputs,
      ),
    };
  },
  async delete(_id, props) {
    const state = props as DockerEngineOutputs;
    if (!state.uninstallOnDelete) return; // Removing a resource from a program must never uninstall prod Docker.
    await sshShell(targetOf(state)).run(["apt-get", "remove", "-y", ...PACKAGES]);
  },
});

/** The Docker engine of a host (type `pulumi-nodejs:dynamic/docker:DockerEngine`). */
export class DockerEngine extends DelegatingResource {
  declare readonly runningVersion: pulumi.Output<string>;
  declare readonly keptContainers: pulumi.Output<string[]>;
  declare readonly gateObserved: pulumi.Output<string>;
  declare readonly interruptedInstall: pulumi.Output<InterruptedInstall | undefined>;
  declare readonly unfinishedDrain: pulumi.Output<UnfinishedDrain | undefined>;

  constructor(name: string, args: DockerEngineArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      __filename,
      name,
      packedArgs({
        runningVersion: undefined,
        changedAt: undefined,
        gateObserved: undefined,
        keptContainers: undefined,
        interruptedInstall: undefined,
        unfinishedDrain: undefined,
        ...args,
      }),
      opts,
      "docker",
      "DockerEngine",
    );
  }
}

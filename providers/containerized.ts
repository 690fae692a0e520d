// The lifecycle shared by components that run as one Docker container per host: Mesos masters, agents, Marathon.
import type * as pulumi from "@pulumi/pulumi";
import * as pulumiRuntime from "@pulumi/pulumi";
import {
  compareVersions,
  hopRefusal,
  isKnownBad,
  isKnownRelease,
  toCommandLine,
  flagsForVersion,
  validateFlags,
  type FlagValue,
} from "../planner";
import { waitForGate, type HealthGate } from "../remote/gate";
import { sshShell, type RemoteShell } from "../remote/ssh";
import {
  componentDiff,
  configureFromStack,
  connectionFailures,
  hostFailures,
  inputsOf,
  targetOf,
  type ComponentInputs,
  type ComponentState,
  type ConnectionArgs,
} from "./component";
import { pullImage, removeContainer, type ContainerSpec } from "./container";
import { ComponentFailure } from "./failure";
import { isSecretEnvName } from "../catalogue/secret-env";
import { imageFor, versionOfImage, type ContainerComponent } from "../catalogue/images";
import { listContainers, pickComponentContainer, type RunningContainer } from "../observe/containers";
import { DelegatingResource, type ProviderImplementation } from "./dynamic";
import { packedArgs, packedImplementation } from "./packed";
import { swapContainer } from "./swap";
import { holdAgentApps, holdNote } from "./app-budget";
import { peersStoppedGate } from "./whole-cluster";

/** Inputs of a containerised component, resolved. */
export interface ContainerizedInputs extends ComponentInputs {
  /** Image repository; the tag follows from the version. */
  readonly image?: string;
  /** The component's flags by name (any Mesos version's name; renamed across hops as the version needs). */
  readonly flags: Readonly<Record<string, FlagValue>>;
  /** Bind mounts "hostPath:containerPath". */
  readonly volumes?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Names in `env` the stack lists as secrets, besides those whose name says so: they reach Docker in an env file. */
  readonly secretEnv?: readonly string[];
  /**
   * The container's name; the container is found by what it runs, so a different name is a rename at the next
   * restart. Never "mesos-…": a recovering agent stops such containers. @default the kind's name (mesos_slave, …)
   */
  readonly containerName?: string;
  /** Addresses of every Mesos master of the cluster (leader and quorum checks, task checks). */
  readonly masters: readonly string[];
  /** Addresses of the Marathon instances (the gate of a task-killing restart waits for their apps). @default none */
  readonly marathons?: readonly string[];
  /** Why this step kills the tasks on the host (the planner's mark); the gate then waits for the apps instead. */
  readonly killsTasks?: string;
  /**
   * The planner's mark of a hop that cannot roll (Marathon 1.1 → 1.3): the step stops its container, waits until no
   * instance in `peers` runs a version the new one cannot meet (providers/whole-cluster.ts), then starts.
   */
  readonly restart?: "whole-cluster";
  /** The other instances' hosts, read over SSH with this resource's key by a whole-cluster step. @default none */
  readonly peers?: readonly Omit<ConnectionArgs, "http">[];
}

/**
 * Outputs of a containerised component. They keep the private key because refresh and delete receive only
 * the outputs; the engine stores it encrypted, as a secret, because it is a secret input of the same name.
 */
export interface ContainerizedOutputs extends ContainerizedInputs, ComponentState {
  readonly containerId: string;
  readonly imageId: string;
  /** Flags the version renamed or dropped when they were rendered, for the reviewer. */
  readonly flagNotes: readonly string[];
}

/** What differs between the containerised components. */
export interface ContainerizedKind {
  /** Component as the planner names it. */
  readonly component: ContainerComponent;
  /** The planner's version line: Mesos masters and agents share Mesos versions. */
  readonly line: "mesos" | "marathon";
  /** The container's name on the host unless the inputs name another. */
  readonly containerName: string;
  /**
   * Why starting the new container now would harm the host (e.g. an agent would stop a container), or undefined;
   * `containers` are the host's, as the step read them.
   */
  readonly refuseStart?: (
    inputs: ContainerizedInputs,
    running: RunningContainer | undefined,
    containers: readonly RunningContainer[],
  ) => string | undefined;
  /** Flags the kind adds at `version` unless the inputs set them (e.g. the agent's executor containers). */
  readonly addedFlags?: (inputs: ContainerizedInputs, version: string) => Readonly<Record<string, FlagValue>>;
  /** Whether the container runs in the host's PID namespace at `version`. @default false */
  readonly pidHost?: (version: string) => boolean;
  /** Volumes every such container gets unless the stack says otherwise. */
  readonly defaultVolumes: (inputs: ContainerizedInputs) => readonly string[];
  /** More problems specific to the kind (e.g. the agent's required settings). */
  readonly extraCheck?: (inputs: ContainerizedInputs) => pulumi.dynamic.CheckFailure[];
  /**
   * Reads what the kind's gates need from before the restart (say, the agent's tasks), once per step, and gives the
   * gate after starting any version: the new one's, and the previous one's should the step roll back.
   */
  readonly gates: (shell: RemoteShell, inputs: ContainerizedInputs) => Promise<(version: string) => HealthGate>;
}

/** What a step starts before the restart: the new image's pull, and its gates' reads of what runs before it. */
interface StepStart {
  readonly pulled: Promise<void>;
  readonly gates: Promise<(version: string) => HealthGate>;
}

/**
 * Starts a step's pull and its gates' reads at once (none needs another). A step that stops before its restart
 * (refused, or nothing to do) leaves them unawaited: what they found is not its outcome, so their failures are kept
 * from surfacing as the provider process's unhandled rejections; a step that goes on awaits them and fails on them.
 */
function startStep(kind: ContainerizedKind, shell: RemoteShell, inputs: ContainerizedInputs, image: string): StepStart {
  const started = { pulled: pullImage(shell, image), gates: kind.gates(shell, inputs) };
  started.pulled.catch(() => undefined);
  started.gates.catch(() => undefined);
  return started;
}

/**
 * The container that replaces `running`: what the stack asks for, and everything else `running` was started with
 * (limits, DNS, extra hosts, labels, log driver, entrypoint, ulimits, user…, as docker-compose re-creates), so only
 * the image, the arguments and what the stack changed differ. Host PID and privileged stay once an operator set them;
 * an operator's "unless-stopped" or "on-failure" policy stays too (any policy but "no" brings the component back).
 */
export function replacementSpec(wanted: ContainerSpec, running: RunningContainer | undefined): ContainerSpec {
  if (!running) return wanted;
  const keptRestart =
    running.restart === "unless-stopped" || running.restart === "on-failure" || running.restart === "always";
  return {
    ...wanted,
    ...(running.options ? { options: running.options } : {}),
    ...(wanted.pidHost || running.pidHost ? { pidHost: true } : {}),
    privileged: wanted.privileged || running.privileged,
    restart: keptRestart ? (running.restart as ContainerSpec["restart"]) : wanted.restart,
  };
}

/** Input keys (`read` gives them back): a change of any but the credentials and the gates' pace is a change. */
const INPUT_KEYS = [
  "connection",
  "privateKey",
  "version",
  "targetVersion",
  "gateTimeoutSeconds",
  "gateIntervalSeconds",
  "rollbackOnFailure",
  "uninstallOnDelete",
  "image",
  "flags",
  "volumes",
  "env",
  "containerName",
  "masters",
  "marathons",
  "killsTasks",
];

/** The container the inputs ask for at `version`. */
export function desiredSpec(
  kind: ContainerizedKind,
  inputs: ContainerizedInputs,
  version: string,
): { spec: ContainerSpec; flagNotes: string[] } {
  const translated = flagsForVersion(kind.component, version, {
    ...(kind.addedFlags?.(inputs, version) ?? {}),
    ...inputs.flags,
  });
  return {
    spec: {
      name: inputs.containerName ?? kind.containerName,
      image: imageFor(kind.component, version, inputs.image),
      args: toCommandLine(kind.component, version, translated.flags),
      env: inputs.env ?? {},
      ...(inputs.secretEnv?.length ? { secretEnv: inputs.secretEnv } : {}),
      volumes: inputs.volumes ?? kind.defaultVolumes(inputs),
      hostNetwork: true,
      privileged: kind.component === "mesos-slave",
      ...(kind.pidHost?.(version) ? { pidHost: true } : {}),
      restart: "always",
    },
    flagNotes: [
      ...translated.renamed.map((r) => `--${r.from} is --${r.to} from ${version}`),
      ...translated.dropped.map((d) => `--${d.flag} dropped: ${d.reason}`),
    ],
  };
}

// Every value reaches `docker run` as one quoted argument, so the shell never sees it; these rules keep out what an
// argument cannot carry (NUL) or what breaks on the way (a newline splits MESOS_*/MARATHON_* variables and log lines).
const CONTROL = /[\u0000-\u001f\u007f]/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VOLUME_MODE = /^(ro|rw|z|Z)(,(ro|rw|z|Z))?$/;
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;

/** Problems with the flag values, environment and bind mounts, each naming the field and its value. */
function settingsFailures(news: ContainerizedInputs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason: `${property}: ${reason}` });
  for (const [name, value] of Object.entries(news.flags ?? {})) {
    if (typeof value === "string" && CONTROL.test(value)) {
      fail(
        `flags.${name}`,
        `${JSON.stringify(value)} contains a control character (newline, tab, NUL…); write the value on one line (JSON without indentation)`,
      );
    }
  }
  for (const [key, value] of Object.entries(news.env ?? {})) {
    if (!ENV_NAME.test(key)) {
      fail(
        `env.${key}`,
        `${JSON.stringify(key)} is not an environment variable name (letters, digits and _, not starting with a digit)`,
      );
    } else if (typeof value !== "string" || CONTROL.test(value)) {
      fail(
        `env.${key}`,
        `${isSecretEnvName(key, news.secretEnv) ? "the secret value" : JSON.stringify(value)} is not a one-line string; remove newlines and other control characters`,
      );
    }
  }
  (news.volumes ?? []).forEach((volume, i) => {
    const parts = typeof volume === "string" ? volume.split(":") : [];
    const [host = "", container = "", mode] = parts;
    const fine =
      typeof volume === "string" &&
      !CONTROL.test(volume) &&
      (parts.length === 2 || parts.length === 3) &&
      (host.startsWith("/") || VOLUME_NAME.test(host)) &&
      container.startsWith("/") &&
      (mode === undefined || VOLUME_MODE.test(mode));
    if (!fine) {
      fail(
        `volumes[${i}]`,
        `${JSON.stringify(volume)} is not a bind mount "hostPath:containerPath[:ro|rw]" (absolute paths, no ":" or control characters inside), e.g. "/data/mesos:/data/mesos"`,
      );
    }
  });
  return failures;
}

function checkInputs(kind: ContainerizedKind, news: ContainerizedInputs): pulumi.dynamic.CheckFailure[] {
  const failures = connectionFailures(news);
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of ["version", "targetVersion"] as const) {
    const value = news[key];
    if (!isKnownRelease(kind.line, value)) {
      fail(
        key,
        `${key} "${value}" is not a known ${kind.line === "mesos" ? "Mesos" : "Marathon"} release; see \`npm run -s plan -- path ${kind.line} <from> <to>\` for the releases on the way`,
      );
    } else {
      const bad = isKnownBad(kind.line, value);
      if (bad) fail(key, `${key} "${value}" is a release never to land on: ${bad.reason}`);
    }
  }
  if (failures.length === 0 && compareVersions(news.version, news.targetVersion) > 0) {
    fail(
      "version",
      `version "${news.version}" is beyond targetVersion "${news.targetVersion}"; raise the target or lower this run's hop`,
    );
  }
  if (failures.length === 0) {
    for (const problem of validateFlags(kind.component, news.version, news.flags ?? {})) {
      if (problem.severity === "error") fail(`flags.${problem.flag}`, problem.message);
    }
    failures.push(...(kind.extraCheck?.(news) ?? []));
  }
  const name = news.containerName;
  if (name !== undefined && (typeof name !== "string" || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name))) {
    fail(
      "containerName",
      `containerName ${JSON.stringify(name)} is not a Docker container name (letters, digits, "_", ".", "-"; e.g. "${kind.containerName}")`,
    );
  }
  if (news.restart !== undefined && news.restart !== "whole-cluster") {
    fail("restart", `restart ${JSON.stringify(news.restart)} is not a restart kind; leave it unset or "whole-cluster"`);
  }
  if (news.peers !== undefined && !Array.isArray(news.peers)) {
    fail("peers", "list the other instances' connections ({name, address, hostKeyFingerprint, …})");
  }
  for (const peer of Array.isArray(news.peers) ? news.peers : []) {
    for (const f of hostFailures(peer)) fail("peers", `peers: ${f.reason}`);
  }
  if (!Array.isArray(news.masters) || news.masters.length === 0) {
    fail("masters", "list the addresses of the cluster's Mesos masters (the health gates ask them)");
  }
  return [...failures, ...settingsFailures(news)];
}

function outputsOf(
  inputs: ContainerizedInputs,
  container: RunningContainer,
  extra: Pick<ContainerizedOutputs, "changedAt" | "gateObserved" | "flagNotes">,
): ContainerizedOutputs {
  return {
    ...inputs,
    runningVersion: versionOfImage(container.image) ?? "unknown",
    containerId: container.id,
    imageId: container.imageId,
    ...extra,
  };
}

/** The resource class shared by the containerised components; each kind names its provider and type. */
export class ContainerizedResource extends DelegatingResource {
  declare readonly runningVersion: pulumiRuntime.Output<string>;
  declare readonly containerId: pulumiRuntime.Output<string>;
  declare readonly gateObserved: pulumiRuntime.Output<string>;

  constructor(
    implementationFile: string,
    name: string,
    args: object,
    opts: pulumiRuntime.CustomResourceOptions | undefined,
    module: string,
    type: string,
  ) {
    const outputs = {
      runningVersion: undefined,
      containerId: undefined,
      imageId: undefined,
      changedAt: undefined,
      gateObserved: undefined,
      flagNotes: undefined,
    };
    super(implementationFile, name, packedArgs({ ...outputs, ...args }), opts, module, type);
  }
}

/** The provider methods of a containerised component kind. */
export function containerizedImplementation(kind: ContainerizedKind): ProviderImplementation {
  const label = (inputs: ContainerizedInputs) => `${kind.component} on ${inputs.connection.name}`;
  /**
   * The host's containers (one read per step) and the one that runs the component, found by its image repository or
   * command, whatever its name.
   */
  const read = async (
    shell: RemoteShell,
    inputs: ContainerizedInputs,
  ): Promise<{ running: RunningContainer | undefined; containers: RunningContainer[] }> => {
    const containers = await listContainers(shell);
    const picked = pickComponentContainer(containers, {
      component: kind.component,
      ...(inputs.image ? { repository: inputs.image } : {}),
    });
    if (picked.problem) throw new Error(`${shell.label}: ${picked.problem}`);
    return { running: picked.container, containers };
  };
  const find = async (shell: RemoteShell, inputs: ContainerizedInputs) => (await read(shell, inputs)).running;

  /** Moves the component to inputs.version (a hop, or a settings change at the same version). */
  async function apply(
    id: string,
    inputs: ContainerizedInputs,
    running: RunningContainer | undefined,
    containers: readonly RunningContainer[],
    provider: unknown,
    started?: StepStart,
  ): Promise<ContainerizedOutputs> {
    const shell = sshShell(targetOf(inputs));
    const { spec: wanted, flagNotes } = desiredSpec(kind, inputs, inputs.version);
    const spec = replacementSpec(wanted, running);
    const previousVersion = running ? versionOfImage(running.image) : undefined;
    // A container that runs under a "mesos-…" name may stay (adopted as it is), but none is started under one:
    // parse() in apache/mesos src/slave/containerizer/docker.cpp makes a recovering agent stop it as an orphan.
    if (spec.name.startsWith("mesos-")) {
      throw new Error(
        `${label(inputs)}: containerName "${spec.name}" starts with "mesos-": a Mesos agent recovering on the host would stop it as an orphan (parse() in Mesos' Docker containerizer); set it to "${spec.name.replace(/^mesos-/, "mesos_")}" and run again; nothing was changed`,
      );
    }
    const refusal = kind.refuseStart?.(inputs, running, containers);
    if (refusal) throw new Error(`${label(inputs)}: ${refusal}; nothing was changed`);
    // The image's pull and the gates' reads of what runs before the restart (begun with the step's read when it is a
    // hop: update) end before the swap stops anything; a failed pull still stops the step first.
    const { pulled, gates } = started ?? startStep(kind, shell, inputs, spec.image);
    const [gateAt] = await Promise.all([gates, pulled.catch(() => undefined)]);
    const gate = gateAt(inputs.version);
    const restoredGate = previousVersion ? gateAt(previousVersion) : undefined;
    // A restart that stops the agent's tasks holds the host's multi-instance apps until its gate sees them whole.
    const hold = inputs.killsTasks
      ? await holdAgentApps(inputs, label(inputs), `${label(inputs)} still runs ${running?.image ?? "nothing"}`)
      : undefined;
    const outcome = await swapContainer(shell, {
      desired: spec,
      previous: running,
      pulled,
      gate,
      restoredGate,
      rollback: inputs.rollbackOnFailure ?? true,
      ...(inputs.restart === "whole-cluster"
        ? {
            waitBeforeStart: peersStoppedGate(
              inputs.connection.name,
              inputs.peers ?? [],
              inputs.privateKey,
              inputs.image,
              inputs.version,
              inputs.gateTimeoutSeconds ?? 300,
            ),
          }
        : {}),
    }).finally(() => hold?.release());
    const changedAt = new Date().toISOString();
    if (outcome.kind === "swapped") {
      return outputsOf(inputs, outcome.container, {
        changedAt,
        gateObserved: `${holdNote(hold)}${outcome.gateObserved} (after ${outcome.seconds}s)`,
        flagNotes,
      });
    }
    const truth = outcome.container;
    const properties = truth
      ? {
          ...outputsOf({ ...inputs, version: versionOfImage(truth.image) ?? inputs.version }, truth, {
            changedAt,
            gateObserved: "health gate failed",
            flagNotes,
          }),
          __provider: provider,
        }
      : {
          ...inputs,
          runningVersion: "none",
          containerId: "",
          imageId: "",
          changedAt,
          gateObserved: "health gate failed; no container is running",
          flagNotes,
          __provider: provider,
        };
    const what =
      outcome.kind === "rolled-back"
        ? `rolled back to ${previousVersion}`
        : `left at ${truth ? truth.image : "nothing running"}`;
    throw new ComponentFailure(`${label(inputs)}: ${outcome.failure}; ${what}`, id, properties);
  }

  /** Waits for the gate of what already runs at inputs.version; records it healthy, or fails saying it still is not. */
  async function recheck(
    id: string,
    inputs: ContainerizedInputs,
    running: RunningContainer,
    previous: ContainerizedOutputs,
    provider: unknown,
  ): Promise<ContainerizedOutputs> {
    const gate = (await kind.gates(sshShell(targetOf(inputs)), inputs))(inputs.version);
    const kept = { changedAt: previous.changedAt, flagNotes: previous.flagNotes };
    try {
      const passed = await waitForGate(gate);
      return outputsOf(inputs, running, { ...kept, gateObserved: `${passed.observed} (after ${passed.seconds}s)` });
    } catch (error) {
      const properties = {
        ...outputsOf(inputs, running, { ...kept, gateObserved: "health gate failed" }),
        __provider: provider,
      };
      throw new ComponentFailure(
        `${label(inputs)}: ${(error as Error).message}; left at ${running.image}`,
        id,
        properties,
      );
    }
  }

  // The settings travel packed (providers/packed.ts); the methods below see them unpacked.
  return packedImplementation({
    configure: configureFromStack,
    async check(_olds, news) {
      const failures = checkInputs(kind, news as ContainerizedInputs);
      return failures.length ? { inputs: news, failures } : { inputs: news };
    },

    async diff(_id, olds, news) {
      return componentDiff(olds, news, INPUT_KEYS);
    },

    async create(raw) {
      const inputs = raw as ContainerizedInputs;
      const id = `${inputs.connection.name}/${kind.containerName}`;
      const shell = sshShell(targetOf(inputs));
      const { running, containers } = await read(shell, inputs);
      const runningVersion = running && versionOfImage(running.image);
      if (running && running.running && runningVersion === inputs.version) {
        // Adoption: the cluster existed before Pulumi managed it. Same version: restart nothing.
        const { flagNotes } = desiredSpec(kind, inputs, inputs.version);
        return {
          id,
          outs: outputsOf(inputs, running, {
            changedAt: "",
            gateObserved: "adopted: already running this version, nothing restarted",
            flagNotes,
          }),
        };
      }
      const refusal = hopRefusal(kind.line, label(inputs), runningVersion, inputs.version);
      if (refusal) throw new Error(refusal);
      return { id, outs: await apply(id, inputs, running, containers, raw.__provider) };
    },

    async read(id, props) {
      const state = props as ContainerizedOutputs;
      const shell = sshShell(targetOf(state));
      const running = await find(shell, state);
      if (!running) return { id, props: { ...state, runningVersion: "none", containerId: "", imageId: "" } };
      const live = versionOfImage(running.image) ?? "unknown";
      // Inputs too (engine ≥ 3.216): the next preview then diffs against what really runs and shows the hop again.
      const inputs = inputsOf(state, INPUT_KEYS);
      return {
        id,
        props: { ...state, version: live, runningVersion: live, containerId: running.id, imageId: running.imageId },
        inputs: { ...inputs, version: live },
      };
    },

    async update(id, olds, news) {
      const previous = olds as ContainerizedOutputs;
      const inputs = news as ContainerizedInputs;
      const shell = sshShell(targetOf(inputs));
      // A hop's pull and its gates' reads go beside the read of what runs, not after it: a step that the read then
      // stops has only fetched an image the run's pre-pull had fetched already, and read. A hop the record already
      // refuses (one a plan never makes: more than one hop away), or from a record of no release, starts nothing.
      const recorded = previous.runningVersion;
      const { spec } = desiredSpec(kind, inputs, inputs.version);
      const hop =
        inputs.version !== recorded &&
        isKnownRelease(kind.line, recorded) &&
        !hopRefusal(kind.line, label(inputs), recorded, inputs.version);
      const started = hop ? startStep(kind, shell, inputs, spec.image) : undefined;
      const { running, containers } = await read(shell, inputs);
      const live = running ? versionOfImage(running.image) : undefined;
      if (live !== previous.runningVersion) {
        throw new Error(
          `${label(inputs)} runs ${live ?? "nothing"}, but the stack recorded ${previous.runningVersion}: it was changed by hand. Run \`pulumi refresh\` to record what runs, then \`pulumi up\` again`,
        );
      }
      const refusal = hopRefusal(kind.line, label(inputs), live, inputs.version);
      if (refusal) throw new Error(refusal);
      const unchanged =
        running &&
        running.running &&
        live === inputs.version &&
        running.image === spec.image &&
        JSON.stringify(running.args) === JSON.stringify(spec.args) &&
        running.name === spec.name &&
        JSON.stringify([...running.volumes].sort()) === JSON.stringify([...spec.volumes].sort());
      if (unchanged && running && previous.gateObserved?.startsWith("health gate failed")) {
        // The last run left this version running unhealthy (no rollback): a re-run checks it again, restarting nothing.
        return { outs: await recheck(id, inputs, running, previous, (news as Record<string, unknown>).__provider) };
      }
      if (unchanged && running) {
        return {
          outs: {
            ...outputsOf(inputs, running, {
              changedAt: previous.changedAt,
              gateObserved: previous.gateObserved,
              flagNotes: previous.flagNotes,
            }),
          },
        };
      }
      return {
        outs: await apply(id, inputs, running, containers, (news as Record<string, unknown>).__provider, started),
      };
    },

    async delete(_id, props) {
      const state = props as ContainerizedOutputs;
      if (!state.uninstallOnDelete) return; // Removing a resource from a program must never stop prod Mesos.
      const shell = sshShell(targetOf(state));
      const running = await find(shell, state);
      if (running) await removeContainer(shell, running.name);
    },
  });
}

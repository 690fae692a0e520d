// MesosSlave: the Mesos agent container on one host, moved one hop per run; its tasks must survive (recovery).
import * as pulumi from "@pulumi/pulumi";
import { EXECUTOR_CONTAINERS } from "../catalogue/executors";
import { checkRequiredAgentSettings, compareVersions, type FlagValue } from "../planner";
import type { ComponentArgs } from "./component";
import { ContainerizedResource, containerizedImplementation, type ContainerizedInputs } from "./containerized";
import { DEFAULT_CONTAINER_NAMES, imageFor } from "../catalogue/images";
import { containersAnAgentWouldStop } from "../observe/containers";
import {
  agentState,
  degradedApps,
  leaderState,
  marathonApps,
  metrics,
  runningTasksOn,
  type AgentState,
} from "../observe/services";
import { appsDown, isSingleHost } from "./engineGate";
import { componentGatePace, type HealthGate } from "../remote/gate";

/** Inputs of a MesosSlave. */
export interface MesosSlaveArgs extends ComponentArgs {
  /** Image repository. @default "mesosphere/mesos-slave" */
  readonly image?: pulumi.Input<string>;
  /** Agent flags by name, e.g. {master: "zk://…/mesos", work_dir: "/data/mesos", cgroups_limit_swap: true}. */
  readonly flags: pulumi.Input<Record<string, pulumi.Input<FlagValue>>>;
  /**
   * @default [work_dir:work_dir, /var/run/docker.sock:/var/run/docker.sock]: the work dir at the same path
   * inside and out, so checkpoints and sandboxes survive the agent container (seed: -v /data/mesos:/data/mesos).
   */
  readonly volumes?: pulumi.Input<pulumi.Input<string>[]>;
  readonly env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Names in `env` the stack lists as secrets (besides PASSWORD, SECRET, TOKEN, CREDENTIAL… names). */
  readonly secretEnv?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The container's name; found by what it runs, renamed at its next restart. Never "mesos-…". @default "mesos_slave"
   */
  readonly containerName?: pulumi.Input<string>;
  /** Addresses of every master of the cluster. */
  readonly masters: pulumi.Input<pulumi.Input<string>[]>;
  /** Addresses of the Marathon instances; a task-killing restart waits until their multi-instance apps are healthy. */
  readonly marathons?: pulumi.Input<pulumi.Input<string>[]>;
  /** Why this step kills the agent's tasks (the planner's mark, shown in preview); the gate then waits for the apps. */
  readonly killsTasks?: pulumi.Input<string>;
}

/**
 * From 0.23 the agent runs each executor in a container of its own (--docker_mesos_image, the agent's own image),
 * and runs in the host's PID namespace so it finds them again on recovery: its tasks then survive its restarts
 * (catalogue/executors.ts). The image's entrypoint prepends mesos-slave to the executor's command with Mesosphere's
 * images (mesosphere-backup/docker-containers#80): a stack can name another image in flags.docker_mesos_image.
 */
const executorContainersAt = (version: string): boolean => compareVersions(version, EXECUTOR_CONTAINERS.since) >= 0;

const workDirOf = (inputs: ContainerizedInputs): string => String(inputs.flags.work_dir ?? "/data/mesos");

export const implementation = containerizedImplementation({
  component: "mesos-slave",
  line: "mesos",
  containerName: DEFAULT_CONTAINER_NAMES["mesos-slave"],
  // A starting agent stops every "mesos-…" container it does not track (parse() in src/slave/containerizer/docker.cpp,
  // --docker_kill_orphans): never start one while such a container runs on the host.
  refuseStart: (inputs, running, containers) => {
    if (inputs.flags.docker_kill_orphans === false || inputs.flags.docker_kill_orphans === "false") return undefined;
    const doomed = containersAnAgentWouldStop(containers, running?.name);
    if (doomed.length === 0) return undefined;
    const names = doomed.map((c) => `"${c.name}" (${c.image})`).join(", ");
    return `the agent would stop ${names} when it starts: Mesos' Docker containerizer kills every container named "mesos-…" it does not track. Rename ${doomed.length > 1 ? "them" : "it"} without the "mesos-" prefix first (for a master or Marathon: its stack's mesosMaster.containerName / marathon.containerName takes effect at its next restart)`;
  },
  addedFlags: (inputs, version): Record<string, FlagValue> =>
    executorContainersAt(version) ? { docker_mesos_image: imageFor("mesos-slave", version, inputs.image) } : {},
  pidHost: () => true,
  defaultVolumes: (inputs) => [
    `${workDirOf(inputs)}:${workDirOf(inputs)}`,
    "/var/run/docker.sock:/var/run/docker.sock",
  ],
  extraCheck: (inputs) =>
    checkRequiredAgentSettings(inputs.version, {
      flags: inputs.flags,
      volumes: inputs.volumes ?? [`${workDirOf(inputs)}:${workDirOf(inputs)}`],
    })
      .filter((problem) => problem.severity === "error")
      .map((problem) => ({ property: `flags.${problem.flag}`, reason: problem.message })),
  gates: async (_shell, inputs: ContainerizedInputs) => {
    // What the agent runs now, read once for the gates of both versions: after the restart the same agent must be back
    // with the same tasks (recovery).
    const [before, leader] = await Promise.all([agentState(inputs.connection.address), leaderState(inputs.masters)]);
    const tasksBefore = before && leader ? runningTasksOn(leader, before.id) : [];
    return (version: string) =>
      inputs.killsTasks ? killingGate(inputs, version, before?.id) : recoveryGate(inputs, version, before, tasksBefore);
  },
});

/** The gate of a restart that keeps the agent's tasks: the same agent back at `version`, registered, tasks running. */
function recoveryGate(
  inputs: ContainerizedInputs,
  version: string,
  before: AgentState | undefined,
  tasksBefore: readonly string[],
): HealthGate {
  const address = inputs.connection.address;
  return {
    description: `mesos-slave on ${inputs.connection.name} serves ${version}, re-registered as the same agent, and its ${tasksBefore.length} running tasks still run`,
    timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
    ...componentGatePace(inputs.gateIntervalSeconds),
    check: async () => {
      const [state, snapshot, nowLeader] = await Promise.all([
        agentState(address),
        metrics(address, 5051),
        leaderState(inputs.masters),
      ]);
      if (!state) return { passed: false, observed: "agent not answering /state" };
      const registered = snapshot?.["slave/registered"] === 1;
      const running = nowLeader ? runningTasksOn(nowLeader, state.id) : [];
      const kept = tasksBefore.filter((task) => running.includes(task));
      const sameAgent = !before || state.id === before.id;
      // An agent that has not registered yet may have no id at all (after a shutdown it starts afresh): not "a NEW
      // agent".
      const observed = `agent ${state.version} ${registered ? "registered" : "not registered"}${sameAgent || !state.id ? "" : ` as a NEW agent ${state.id}`}, ${kept.length}/${tasksBefore.length} tasks still running`;
      return {
        passed: state.version === version && registered && sameAgent && kept.length === tasksBefore.length,
        observed,
      };
    },
  };
}

/**
 * The gate of a restart that kills the agent's tasks (planner/task-killing.ts): the same agent back at `version`,
 * registered, and every multi-instance app of Marathon at its instance count (healthy where it has checks) again.
 */
function killingGate(inputs: ContainerizedInputs, version: string, agentId: string | undefined) {
  const address = inputs.connection.address;
  const marathons = inputs.marathons ?? [];
  // On a host that is also the master (the seed's dev machine) there is no other host: every app must be back.
  const single = isSingleHost({ host: inputs.connection, runsAgent: true, masters: inputs.masters ?? [] });
  return {
    description: `mesos-slave on ${inputs.connection.name} serves ${version}, re-registered as the same agent, and every ${single ? "app (single-instance ones too: there is no other host)" : "multi-instance app"} is healthy again (this restart kills its tasks: ${inputs.killsTasks})`,
    timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
    ...componentGatePace(inputs.gateIntervalSeconds),
    check: async () => {
      const [state, snapshot] = await Promise.all([agentState(address), metrics(address, 5051)]);
      if (!state) return { passed: false, observed: "agent not answering /state" };
      const registered = snapshot?.["slave/registered"] === 1;
      const sameAgent = !agentId || state.id === agentId;
      let degraded: string[] = [];
      for (const marathon of marathons) {
        const apps = await marathonApps(marathon);
        if (apps) {
          degraded = single ? appsDown(apps) : degradedApps(apps);
          break;
        }
        degraded = ["marathon not answering"];
      }
      const observed = `agent ${state.version} ${registered ? "registered" : "not registered"}${sameAgent || !state.id ? "" : ` as a NEW agent ${state.id}`}, apps degraded: ${degraded.join(", ") || "none"}`;
      return { passed: state.version === version && registered && sameAgent && degraded.length === 0, observed };
    },
  };
}

/** A Mesos agent container (type `pulumi-nodejs:dynamic/mesos:MesosSlave`). */
export class MesosSlave extends ContainerizedResource {
  constructor(name: string, args: MesosSlaveArgs, opts?: pulumi.CustomResourceOptions) {
    super(__filename, name, args, opts, "mesos", "MesosSlave");
  }
}

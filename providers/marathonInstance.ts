// MarathonInstance: one Marathon container, moved one hop per run; back when it answers /ping through a leader.
import * as pulumi from "@pulumi/pulumi";
import type { FlagValue } from "../planner";
import type { ComponentArgs, ConnectionArgs } from "./component";
import { inspectContainer } from "../observe/containers";
import { ContainerizedResource, containerizedImplementation, type ContainerizedInputs } from "./containerized";
import { componentGatePace, type HealthGate } from "../remote/gate";
import type { RemoteShell } from "../remote/ssh";
import { DEFAULT_CONTAINER_NAMES, versionOfImage } from "../catalogue/images";
import { degradedApps, marathonApps, marathonInfo, marathonLeader, marathonPing } from "../observe/services";

/** Inputs of a MarathonInstance. */
export interface MarathonInstanceArgs extends ComponentArgs {
  /** Image repository. @default "mesosphere/marathon" */
  readonly image?: pulumi.Input<string>;
  /** Marathon flags by name, e.g. {master: "zk://…/mesos", zk: "zk://…/marathon"}. */
  readonly flags: pulumi.Input<Record<string, pulumi.Input<FlagValue>>>;
  readonly volumes?: pulumi.Input<pulumi.Input<string>[]>;
  readonly env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Names in `env` the stack lists as secrets (besides PASSWORD, SECRET, TOKEN, CREDENTIAL… names). */
  readonly secretEnv?: pulumi.Input<pulumi.Input<string>[]>;
  /** The container's name; found by what it runs, renamed at its next restart. Never "mesos-…". @default "marathon" */
  readonly containerName?: pulumi.Input<string>;
  /** Addresses of every Mesos master of the cluster. */
  readonly masters: pulumi.Input<pulumi.Input<string>[]>;
  /** The planner's mark of a hop that cannot roll (1.1 → 1.3): stop, wait for `peers` to stop, start. */
  readonly restart?: pulumi.Input<"whole-cluster">;
  /** The other instances' hosts (connections), read over SSH by a whole-cluster step. */
  readonly peers?: pulumi.Input<pulumi.Input<Omit<ConnectionArgs, "http">>[]>;
}

export const implementation = containerizedImplementation({
  component: "marathon",
  line: "marathon",
  containerName: DEFAULT_CONTAINER_NAMES.marathon,
  defaultVolumes: () => [],
  gates: async (shell, inputs: ContainerizedInputs) => (version: string) =>
    inputs.restart === "whole-cluster" && inputs.version === version
      ? wholeClusterGate(shell, inputs, version)
      : instanceGate(shell, inputs, version),
});

/** One instance is back: it runs `version` and answers /ping through an elected leader. */
function instanceGate(shell: RemoteShell, inputs: ContainerizedInputs, version: string): HealthGate {
  return {
    // A standby proxies every request to the leader (LeaderProxyFilter), so its own version is read from Docker.
    description: `marathon on ${inputs.connection.name} runs ${version} and answers /ping through an elected leader`,
    timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
    ...componentGatePace(inputs.gateIntervalSeconds),
    check: async () => {
      const [container, ping, leader] = await Promise.all([
        inspectContainer(shell, inputs.containerName ?? DEFAULT_CONTAINER_NAMES.marathon),
        marathonPing(inputs.connection.address),
        marathonLeader(inputs.connection.address),
      ]);
      const running = container?.running ? versionOfImage(container.image) : undefined;
      const state = running ?? (container?.restarting ? "restarting (it keeps exiting)" : "not running");
      const observed = `container ${state}, /ping ${ping}, leader ${leader ?? "none"}`;
      return { passed: running === version && ping === "pong" && Boolean(leader), observed };
    },
  };
}

/**
 * After a whole-cluster restart, besides the instance's own gate: the leader runs `version` (a standby passes
 * /v2/info on to the leader, so its answer is the leader's) and every app with several instances is healthy.
 */
function wholeClusterGate(shell: RemoteShell, inputs: ContainerizedInputs, version: string): HealthGate {
  const own = instanceGate(shell, inputs, version);
  return {
    ...own,
    description: `${own.description}, a ${version} leader, and every app healthy (whole-cluster restart)`,
    check: async () => {
      const [mine, info, apps] = await Promise.all([
        own.check(),
        marathonInfo(inputs.connection.address),
        marathonApps(inputs.connection.address),
      ]);
      const degraded = apps ? degradedApps(apps) : undefined;
      const observed = `${mine.observed}, leader version ${info?.version ?? "unknown"}, apps ${
        degraded === undefined
          ? "not answered"
          : degraded.length
            ? `degraded: ${degraded.join(", ")}`
            : `${apps?.length ?? 0} healthy`
      }`;
      return { passed: mine.passed && info?.version === version && degraded?.length === 0, observed };
    },
  };
}

/** A Marathon instance (type `pulumi-nodejs:dynamic/marathon:MarathonInstance`). */
export class MarathonInstance extends ContainerizedResource {
  constructor(name: string, args: MarathonInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(__filename, name, args, opts, "marathon", "MarathonInstance");
  }
}

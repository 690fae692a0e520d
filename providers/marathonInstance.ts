// MarathonInstance: one Marathon container, moved one hop per run; back when it answers /ping through a leader.
import * as pulumi from "@pulumi/pulumi";
import type { FlagValue } from "../planner";
import type { ComponentArgs } from "./component";
import { inspectContainer } from "../observe/containers";
import { ContainerizedResource, containerizedImplementation, type ContainerizedInputs } from "./containerized";
import { delegatingProvider } from "./dynamic";
import { DEFAULT_CONTAINER_NAMES, versionOfImage } from "../catalogue/images";
import { marathonLeader, marathonPing } from "../observe/services";

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
}

export const implementation = containerizedImplementation({
  component: "marathon",
  line: "marathon",
  containerName: DEFAULT_CONTAINER_NAMES.marathon,
  defaultVolumes: () => [],
  gate: async (shell, inputs: ContainerizedInputs, version: string) => ({
    // A standby proxies every request to the leader (LeaderProxyFilter), so its own version is read from Docker.
    description: `marathon on ${inputs.connection.name} runs ${version} and answers /ping through an elected leader`,
    timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
    intervalSeconds: 0.5,
    stableChecks: 2,
    check: async () => {
      const [container, ping, leader] = await Promise.all([
        inspectContainer(shell, inputs.containerName ?? DEFAULT_CONTAINER_NAMES.marathon),
        marathonPing(inputs.connection.address),
        marathonLeader(inputs.connection.address),
      ]);
      const running = container?.running ? versionOfImage(container.image) : undefined;
      const observed = `container ${running ?? "not running"}, /ping ${ping}, leader ${leader ?? "none"}`;
      return { passed: running === version && ping === "pong" && Boolean(leader), observed };
    },
  }),
});

const provider = delegatingProvider(__filename);

/** A Marathon instance (type `pulumi-nodejs:dynamic/marathon:MarathonInstance`). */
export class MarathonInstance extends ContainerizedResource {
  constructor(name: string, args: MarathonInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, args, opts, "marathon", "MarathonInstance");
  }
}

// MesosMaster: the Mesos master container on one host, moved one hop per run behind a leader-and-quorum gate.
import * as pulumi from "@pulumi/pulumi";
import type { FlagValue } from "../planner";
import type { ComponentArgs } from "./component";
import { ContainerizedResource, containerizedImplementation, type ContainerizedInputs } from "./containerized";
import { DEFAULT_CONTAINER_NAMES } from "../catalogue/images";
import { electedMasters, masterState, mesosVersion } from "../observe/services";
import { componentGatePace, type HealthGate } from "../remote/gate";

/** Inputs of a MesosMaster. */
export interface MesosMasterArgs extends ComponentArgs {
  /** Image repository. @default "mesosphere/mesos-master" */
  readonly image?: pulumi.Input<string>;
  /** Master flags by name, e.g. {zk: "zk://…/mesos", quorum: 2, work_dir: "/var/lib/mesos"}. */
  readonly flags: pulumi.Input<Record<string, pulumi.Input<FlagValue>>>;
  /** @default ["/var/lib/mesos:/var/lib/mesos"] (the replicated log survives the container) */
  readonly volumes?: pulumi.Input<pulumi.Input<string>[]>;
  readonly env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Names in `env` the stack lists as secrets (besides PASSWORD, SECRET, TOKEN, CREDENTIAL… names). */
  readonly secretEnv?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The container's name; found by what it runs, renamed at its next restart. Never "mesos-…". @default "mesos_master"
   */
  readonly containerName?: pulumi.Input<string>;
  /** Addresses of every master of the cluster. */
  readonly masters: pulumi.Input<pulumi.Input<string>[]>;
}

/** This master's own version: from its state when it answers, else `/version` (a 1.0 standby redirects state). */
async function ownVersion(address: string): Promise<string> {
  const state = await masterState(address);
  if (!("unavailable" in state)) return state.version;
  return (await mesosVersion(address)) ?? `not answering (${state.unavailable})`;
}

/** A master is back: it serves `version` and the masters elected one leader, looked at the stack's pace. */
export function masterGate(inputs: ContainerizedInputs, version: string): HealthGate {
  return {
    description: `mesos-master on ${inputs.connection.name} serves ${version} and the masters elected one leader with quorum`,
    timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
    ...componentGatePace(inputs.gateIntervalSeconds),
    check: async () => {
      const [own, elected] = await Promise.all([ownVersion(inputs.connection.address), electedMasters(inputs.masters)]);
      const observed = `${inputs.connection.name} at ${own}, leader ${elected.length ? elected.join(", ") : "none"}`;
      return { passed: own === version && elected.length === 1, observed };
    },
  };
}

export const implementation = containerizedImplementation({
  component: "mesos-master",
  line: "mesos",
  containerName: DEFAULT_CONTAINER_NAMES["mesos-master"],
  defaultVolumes: () => ["/var/lib/mesos:/var/lib/mesos"],
  gates: async (_shell, inputs: ContainerizedInputs) => (version: string) => masterGate(inputs, version),
});

/** A Mesos master container (type `pulumi-nodejs:dynamic/mesos:MesosMaster`). */
export class MesosMaster extends ContainerizedResource {
  constructor(name: string, args: MesosMasterArgs, opts?: pulumi.CustomResourceOptions) {
    super(__filename, name, args, opts, "mesos", "MesosMaster");
  }
}

/** The planner's public data shapes: what it reads (PlanInput) and what it decides (Plan). */
import type { FrameworkName } from "../catalogue/frameworks";

import type { Component, HostComponent, Role } from "../catalogue/components";

export type { Component, HostComponent, Role };

/**
 * Which minimum Mesos a Marathon hop needs: `marathon-docs` (Marathon's "Requirements", the hard rule)
 * or `seed-table` (the seed's table, the team's stricter plan).
 */
export type MarathonPolicy = "marathon-docs" | "seed-table";

/** Where a run stands: the layer its steps touch, or `converged` / `blocked` when it has none. */
export type Phase = "docker" | "mesos" | "marathon" | "settings" | "converged" | "blocked";

/** A host as observed: its roles and the version of each component it runs. */
export interface HostInput {
  /** Unique host name. */
  readonly name: string;
  /** Roles besides Docker, which every host runs. */
  readonly roles: readonly Role[];
  /** The running version of `docker` and of each role. */
  readonly versions: Readonly<Partial<Record<HostComponent, string>>>;
  /** Roles this host currently leads. @default leads nothing */
  readonly leader?: readonly Role[];
  /** The agent runs its executors in containers of their own (--docker_mesos_image with --pid=host). @default false */
  readonly executorContainers?: boolean;
  /**
   * Marathon's apps of more than one instance with a task on the host (their ids), as Marathon said when the run was
   * planned. Task-killing steps of hosts with none in common may share a wave. @default unknown: such steps go alone
   */
  readonly multiInstanceApps?: readonly string[];
  /**
   * How many of Marathon's tasks (of any app) run on the host, as Marathon said when the run was planned. Task-killing
   * steps of hosts that run none go first, so that the tasks later steps stop start again on hosts already done.
   * @default unknown
   */
  readonly marathonTasks?: number;
}

/** Everything one plan needs: where to go, what runs now, how fast to roll. */
export interface PlanInput {
  /** Target version of each layer. */
  readonly desired: Readonly<Record<Component, string>>;
  /** Every host of the cluster. */
  readonly hosts: readonly HostInput[];
  /** Rollout limits. */
  readonly rollout: {
    /** Most agents down at once: the size of an agent wave. */
    readonly maxUnavailableSlaves: number;
  };
  /** Versions of the frameworks and tools running against the cluster. @default none */
  readonly frameworks?: Readonly<Partial<Record<FrameworkName, string>>>;
  /** Marathon minimum-Mesos rule. @default "marathon-docs" */
  readonly policy?: MarathonPolicy;
  /**
   * Settings that differ from what a host runs at the same version (Docker daemon options; a master's, agent's or
   * Marathon's flags, env or volumes). Each is a restart: once no version hop remains, a run applies them like a hop.
   * @default none
   */
  readonly settingsChanges?: readonly SettingsChange[];
}

/** A restart a component needs for its settings alone, at the version it runs. */
export interface SettingsChange {
  readonly host: string;
  readonly component: HostComponent;
  /** What changes, for people: "log driver json-file → none". */
  readonly change: string;
}

/** One component on one host moving one hop. */
export interface PlanStep {
  /** Order within the run, from 1. */
  readonly seq: number;
  /** Steps sharing a wave may run together; waves run in order. */
  readonly wave: number;
  /** The host. */
  readonly host: string;
  /** What moves. */
  readonly component: HostComponent;
  /** Version before the step. */
  readonly from: string;
  /** Version after the step. */
  readonly to: string;
  /** A restart for settings alone (from = to): what changes. */
  readonly settings?: string;
  /**
   * Why the step kills the tasks on its host (see planner/task-killing.ts). Such steps share a wave only when their
   * hosts run no multi-instance app in common (planner/waves.ts), and each holds its apps while it runs
   * (providers/app-budget.ts).
   */
  readonly killsTasks?: string;
  /**
   * `whole-cluster`: the step belongs to a hop that cannot roll (Marathon 1.1 → 1.3): every instance of
   * the wave stops first, then all start at `to`. @default rolling, one restart at a time
   */
  readonly restart?: "whole-cluster";
}

/** Why a layer cannot reach its desired version. */
export interface Blocker {
  /** The layer held back. */
  readonly component: Component;
  /** The reason, naming the version it stops at and what would lift it. */
  readonly reason: string;
}

/** Something a person applying the run should know, with where the fact comes from. */
export interface PlanNote {
  /** What the note is about. */
  readonly component: Component | "framework";
  /** The note. */
  readonly message: string;
  /** Where the fact comes from. */
  readonly source: string;
}

/** The plan for one run (one `pulumi up`): one hop of one layer. */
export interface Plan {
  /** The layer this run moves, or `converged` / `blocked`. */
  readonly phase: Phase;
  /** The steps of this run in order. */
  readonly steps: readonly PlanStep[];
  /** Layers that stop short of `desired`, and why. */
  readonly blocked: readonly Blocker[];
  /** Remaining hops of each layer from its lowest running version to its target (this run's hop first). */
  readonly paths: Readonly<Record<Component, readonly string[]>>;
  /** Where each layer is heading: `desired`, or lower where blocked. */
  readonly targets: Readonly<Record<Component, string>>;
  /** Implications of this run: flags renamed or dropped, downtime, migrations, forced cross-layer steps. */
  readonly notes: readonly PlanNote[];
}

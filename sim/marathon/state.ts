// The explicit state of one simulated Marathon instance and the handles its modules share (the node).
import type { marathonRelease, marathonTraits } from "../catalogue/marathon";
import type { ContainerContext } from "../docker/program";
import type { DaemonLife, MasterInfo, ZkUrl } from "../mesos/common";
import type { ZkClient } from "../zk/client";
import { emptyHealthState, type HealthState } from "./health-checker";

/** A Marathon app definition (the subset the simulator acts on; other fields are kept and echoed). */
export interface AppDefinition {
  id: string;
  instances: number;
  cpus: number;
  mem: number;
  disk?: number;
  cmd?: string | null;
  args?: string[] | null;
  env?: Record<string, string>;
  constraints?: string[][];
  container?: {
    type: string;
    docker?: {
      image: string;
      network?: string;
      privileged?: boolean;
      portMappings?: Array<{ containerPort: number; hostPort?: number; servicePort?: number; protocol?: string }>;
    };
  };
  ports?: number[];
  healthChecks?: Array<Record<string, unknown>>;
  labels?: Record<string, string>;
  version?: string;
  [key: string]: unknown;
}

/** A task as Marathon tracks it. */
export interface MarathonTask {
  id: string;
  appId: string;
  host: string;
  slaveId: string;
  ports: number[];
  stagedAt: string;
  startedAt: string | null;
  version: string;
  /** The Mesos state, or "killing" once Marathon asked for the kill (scale-down, app removal). */
  state: string;
  /** The agent's Mesos version at launch (COMMAND health results depend on it). */
  agentVersion?: string;
  /** The environment the task was launched with ($HOST, $PORT0… for COMMAND checks). */
  env?: Record<string, string>;
}

/** A deployment in progress (one step: scale the app). */
export interface Deployment {
  readonly id: string;
  readonly version: string;
  readonly app: string;
}

/** Everything one Marathon instance knows; the leader's registry is loaded from ZooKeeper when it is elected. */
export interface MarathonState {
  values: Map<string, string | boolean>;
  /** Event callback subscriptions (before 1.5, with --event_subscriber http_callback); kept in memory here. */
  callbackUrls: string[];
  hostname: string;
  port: number;
  zkUrl: ZkUrl | undefined;
  /** This instance's election znode. */
  member: string | undefined;
  /** host:port of the leader, as read from the election group. */
  leader: string | undefined;
  isLeader: boolean;
  /** True while this instance loads the registry to become leader. */
  electing: boolean;
  master: MasterInfo | undefined;
  masterId: string | undefined;
  frameworkId: string | undefined;
  /** Position in the master's status update stream. */
  cursor: number;
  apps: Map<string, AppDefinition>;
  tasks: Map<string, MarathonTask>;
  /** Per app, tasks that ended without being asked to (their replacements record what they replace). */
  ended: Map<string, string[]>;
  deployments: Map<string, Deployment>;
  cycles: number;
  health: HealthState;
}

export function newState(hostname: string): MarathonState {
  return {
    values: new Map(),
    callbackUrls: [],
    hostname,
    port: 8080,
    zkUrl: undefined,
    member: undefined,
    leader: undefined,
    isLeader: false,
    electing: false,
    master: undefined,
    masterId: undefined,
    frameworkId: undefined,
    cursor: 0,
    apps: new Map(),
    tasks: new Map(),
    ended: new Map(),
    deployments: new Map(),
    cycles: 0,
    health: emptyHealthState(),
  };
}

/** One Marathon instance: its container, release, lifecycle, state and ZooKeeper session. */
export interface MarathonNode {
  readonly ctx: ContainerContext;
  readonly release: ReturnType<typeof marathonRelease>;
  readonly version: string;
  readonly traits: ReturnType<typeof marathonTraits>;
  readonly life: DaemonLife;
  readonly state: MarathonState;
  zk: ZkClient | undefined;
}

/** A log line as MarathonSchedulerService writes it. */
export function log(node: MarathonNode, level: string, message: string): void {
  node.ctx.stdout(`[${new Date().toISOString()}] ${level} ${message} (mesosphere.marathon.MarathonSchedulerService)`);
}

/** host:port this instance announces. */
export function self(node: MarathonNode): string {
  return `${node.state.hostname}:${node.state.port}`;
}

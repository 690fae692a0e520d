// The explicit state of one simulated Mesos master and the handles its modules share (the node).
import { randomUUID } from "node:crypto";
import { compareVersions } from "../../catalogue/versions";
import { agentWord, type MasterInfo, type ZkUrl, type MesosNode } from "../common";
import { flagSeconds, flagText, type MesosFlagValues } from "../flags";
import { NO_MAINTENANCE, type MaintenanceState } from "../maintenance";
import type { FrameworkInfo, SlaveInfo, StatusUpdate, TaskInfo, TaskState } from "../messages";

/** A registered agent as the master tracks it. */
export interface AgentEntry {
  readonly id: string;
  info: SlaveInfo;
  version: string;
  registeredTime: number;
  reregisteredTime?: number;
  connected: boolean;
  missedPings: number;
  /**
   * Wall time (`Date.now()`) the last answered ping was sent, or the agent (re-)registered: its silence starts here.
   */
  lastHeardMs: number;
}

/** A task the master knows, with the statuses it went through. */
export interface TaskEntry {
  task: TaskInfo;
  state: TaskState;
  statuses: Array<{ state: TaskState; timestamp: number }>;
}

/** A registered framework and its completed tasks. */
export interface FrameworkEntry {
  info: FrameworkInfo & { id: string };
  registeredTime: number;
  connected: boolean;
  completed: TaskEntry[];
}

/**
 * The registrar's state, kept where every master of the quorum reads it (registry.proto: slaves, machines, schedules).
 */
export interface Registry {
  agents: Record<string, { hostname: string; ip: string }>;
  removed: string[];
  /** Scheduled machines and the schedule: a new leader recovers them, so a machine down stays down. */
  maintenance?: MaintenanceState;
}

/** Everything one master knows; the registry (agents admitted or removed, maintenance) lives in ZooKeeper. */
export interface MasterState {
  flags: MesosFlagValues;
  ip: string;
  port: number;
  hostname: string;
  id: string;
  info: MasterInfo | undefined;
  leader: MasterInfo | undefined;
  elected: boolean;
  /** True once the registrar recovered (a quorum of masters is up); only then does the leader admit agents. */
  recovered: boolean;
  electedTime: number;
  startTime: number;
  zkUrl: ZkUrl | undefined;
  /** This master's znode in the leader election group. */
  member: string | undefined;
  quorum: number;
  agents: Map<string, AgentEntry>;
  tasks: Map<string, TaskEntry>;
  frameworks: Map<string, FrameworkEntry>;
  /** Every status update, in order; a framework reads them from its cursor. */
  updates: Array<StatusUpdate & { seq: number }>;
  nextAgent: number;
  maintenance: MaintenanceState;
}

export function newMasterState(ip: string, hostname: string): MasterState {
  return {
    flags: new Map(),
    ip,
    port: 5050,
    hostname,
    id: "",
    info: undefined,
    leader: undefined,
    elected: false,
    recovered: false,
    electedTime: 0,
    startTime: Date.now() / 1000,
    zkUrl: undefined,
    member: undefined,
    quorum: 1,
    agents: new Map(),
    tasks: new Map(),
    frameworks: new Map(),
    updates: [],
    nextAgent: 0,
    maintenance: NO_MAINTENANCE,
  };
}

/** One master: its container, release, lifecycle and state. */
export interface MasterNode extends MesosNode {
  readonly state: MasterState;
}

export { agentWord };

/** The master's id: a UUID from 1.0, before that <date>-<ip as integer>-<port>-<pid> (master.cpp). */
export function masterId(version: string, ip: string, port: number): string {
  if (compareVersions(version, "1.0.0") >= 0) return randomUUID();
  const now = new Date();
  const date = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const ipInt = ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  return `${date}-${ipInt}-${port}-${process.pid}`;
}

/** Seconds between pings to each agent (--slave_ping_timeout / --agent_ping_timeout where the release has them). */
export function pingTimeout(node: MasterNode): number {
  const { flags } = node.state;
  return node.traits.pingFlags
    ? flagSeconds(flags, "slave_ping_timeout", flagSeconds(flags, "agent_ping_timeout", 15))
    : 15;
}

/** Missed pings after which an agent is removed (--max_slave_ping_timeouts / --max_agent_ping_timeouts). */
export function maxPings(node: MasterNode): number {
  if (!node.traits.pingFlags) return 5;
  const { flags } = node.state;
  return Number(flagText(flags, "max_slave_ping_timeouts") ?? flagText(flags, "max_agent_ping_timeouts") ?? 5);
}

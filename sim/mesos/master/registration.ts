// Registration with the leading master: agents (new, re-registering with their tasks, too old for the release, or
// on a machine down for maintenance) and frameworks.
import { compareVersions } from "../../catalogue/versions";
import type { Reply } from "../../http";
import { glog } from "../common";
import { isDown } from "../maintenance";
import { TERMINAL, type FrameworkInfo, type ReportedTask, type SlaveInfo } from "../messages";
import { removeAgent } from "./agents";
import { updateRegistry } from "./registry";
import { agentWord, type AgentEntry, type MasterNode } from "./state";
import { recordStatus } from "./tasks";

/** What an agent sends to (re-)register: its info and version, and on re-registration its id and tasks. */
export interface AgentRegistration {
  readonly slave: SlaveInfo;
  readonly version?: string;
  readonly slave_id?: string;
  readonly tasks?: ReportedTask[];
}

/** The answer of a master that is not (yet) the recovered leader. */
export function notLeading(): Reply {
  return { status: 503, body: { message: "Not the leading master" } };
}

export async function registerAgent(node: MasterNode, body: AgentRegistration): Promise<Reply> {
  const { state, ctx, traits } = node;
  if (!state.elected || !state.recovered) return notLeading();
  const agentVersion = body.version ?? "0.22.0";
  if (traits.minimumAgentVersion && compareVersions(agentVersion, traits.minimumAgentVersion) < 0) {
    glog(
      ctx,
      "W",
      "master.cpp:5519",
      `Ignoring ${body.slave_id ? "re-" : ""}registration attempt from old agent at slave(1)@${body.slave.ip}:${body.slave.port}: agent version is ${agentVersion}, minimum supported agent version is ${traits.minimumAgentVersion}`,
    );
    return { status: 202, body: { ignored: true } };
  }
  if (isDown(state.maintenance, body.slave)) {
    return {
      body: {
        shutdown: true,
        message: `${agentWord(node)} attempted to register while its machine is down for maintenance`,
      },
    };
  }
  if (body.slave_id) return reregisterAgent(node, body, body.slave_id, agentVersion);
  // A new registration from the address of a known agent means that agent lost its state: remove the old one.
  for (const old of [...state.agents.values()].filter(
    (a) => a.info.ip === body.slave.ip && a.info.port === body.slave.port,
  )) {
    await removeAgent(
      node,
      old,
      "re-registered as a new agent",
      `${agentWord(node)} ${old.info.hostname} removed: registered again as a new agent`,
    );
  }
  const id = `${state.id}-S${state.nextAgent++}`;
  state.agents.set(id, {
    id,
    info: body.slave,
    version: agentVersion,
    registeredTime: Date.now() / 1000,
    connected: true,
    missedPings: 0,
    lastHeardMs: Date.now(),
  });
  await updateRegistry(node, (registry) => {
    registry.agents[id] = { hostname: body.slave.hostname, ip: body.slave.ip };
  });
  ctx.ledger.record({
    kind: "agent.registered",
    agentId: id,
    agentHost: body.slave.hostname,
    version: agentVersion,
    detail: { reregistered: false },
  });
  glog(
    ctx,
    "I",
    "master.cpp:3764",
    `Registered ${traits.agentWord} ${id} at slave(1)@${body.slave.ip}:${body.slave.port} (${body.slave.hostname})`,
  );
  return { body: { slave_id: id, master_id: state.id } };
}

/** Re-registration: refused after removal; the tasks the agent does not report are LOST, the ones it reports kept. */
async function reregisterAgent(
  node: MasterNode,
  body: AgentRegistration,
  agentId: string,
  agentVersion: string,
): Promise<Reply> {
  const { state, ctx, traits } = node;
  // Re-admission is one registrar operation: refused for a removed agent, else the agent is (again) admitted.
  const removed = await updateRegistry(node, (registry) => {
    if (registry.removed.includes(agentId)) return true;
    registry.agents[agentId] = { hostname: body.slave.hostname, ip: body.slave.ip };
    return false;
  });
  if (removed) {
    return { body: { shutdown: true, message: `${agentWord(node)} attempted to re-register after removal` } };
  }
  const existing = state.agents.get(agentId);
  const agent: AgentEntry = existing ?? {
    id: agentId,
    info: body.slave,
    version: agentVersion,
    registeredTime: Date.now() / 1000,
    connected: true,
    missedPings: 0,
    lastHeardMs: Date.now(),
  };
  agent.info = body.slave;
  agent.version = agentVersion;
  agent.connected = true;
  agent.missedPings = 0;
  agent.lastHeardMs = Date.now();
  agent.reregisteredTime = Date.now() / 1000;
  state.agents.set(agent.id, agent);
  const reported = new Set((body.tasks ?? []).map((t) => t.task.task_id));
  for (const task of [...state.tasks.values()].filter(
    (t) => t.task.slave_id === agent.id && !reported.has(t.task.task_id),
  )) {
    recordStatus(
      node,
      task,
      "TASK_LOST",
      "REASON_SLAVE_REREGISTERED",
      "Task was not reported by the re-registered agent",
    );
  }
  for (const reportedTask of body.tasks ?? []) {
    if (TERMINAL.has(reportedTask.state)) continue;
    const known = state.tasks.get(reportedTask.task.task_id);
    if (known) known.state = reportedTask.state;
    else {
      state.tasks.set(reportedTask.task.task_id, {
        task: reportedTask.task,
        state: reportedTask.state,
        statuses: [{ state: reportedTask.state, timestamp: Date.now() / 1000 }],
      });
    }
  }
  ctx.ledger.record({
    kind: "agent.registered",
    agentId: agent.id,
    agentHost: body.slave.hostname,
    version: agentVersion,
    detail: { reregistered: true, tasks: reported.size },
  });
  glog(
    ctx,
    "I",
    "master.cpp:3920",
    `Re-registered ${traits.agentWord} ${agent.id} at slave(1)@${body.slave.ip}:${body.slave.port} (${body.slave.hostname})`,
  );
  return { body: { slave_id: agent.id, master_id: state.id } };
}

/** A framework (re-)registers; its id is kept across re-registration, as are its completed tasks. */
export function registerFramework(node: MasterNode, info: FrameworkInfo): Reply {
  const { state } = node;
  if (!state.elected || !state.recovered) return notLeading();
  const id = info.id ?? `${state.id}-0000`;
  const existing = state.frameworks.get(id);
  state.frameworks.set(id, {
    info: { ...info, id },
    registeredTime: existing?.registeredTime ?? Date.now() / 1000,
    connected: true,
    completed: existing?.completed ?? [],
  });
  return { body: { framework_id: id, master_id: state.id, master_info: state.info } };
}

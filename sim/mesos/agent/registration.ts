// The agent and its master: detecting the leader (ZooKeeper or --master host:port), registering (a fresh id is
// checkpointed as meta/slaves/latest) or re-registering with its tasks, answering pings, and shutting down when told.
import { rmSync, symlinkSync } from "node:fs";
import type { Reply } from "../../http";
import { connectZk, detectMaster, glog, oneAtATime, parseZkUrl, sameMaster, sendMessage } from "../common";
import type { ReportedTask } from "../messages";
import { flagSeconds } from "../flags";
import { metaDir, real, writeJson } from "./checkpoint";
import { DEFAULT_REGISTRATION_BACKOFF_FACTOR_SECONDS, registrationWaits } from "./registration-backoff";
import { agentWord, noReregister, type AgentNode } from "./state";
import { flush, setTaskState } from "./status-updates";

function reportedTasks(node: AgentNode): ReportedTask[] {
  return [...node.state.tasks.values()].map((t) => ({ task: t.task, state: t.state, container_name: t.containerName }));
}

/** Registers (or re-registers) with the leading master, once at a time. */
export async function register(node: AgentNode): Promise<void> {
  const { state, ctx, life, traits, version } = node;
  if (state.registering || state.registered || life.ended || !state.master || noReregister(node)) return;
  state.registering = true;
  try {
    const master = state.master;
    const message = state.id ? "ReregisterSlaveMessage" : "RegisterSlaveMessage";
    const answer = await sendMessage(master.ip, master.port, "master", message, {
      slave: state.info,
      version,
      ...(state.id ? { slave_id: state.id, tasks: reportedTasks(node) } : {}),
    }).catch(() => undefined);
    // An answer from a master that is no longer the one detected is ignored (Slave::registered checks `from`).
    if (!answer || answer.status !== 200 || state.master !== master) return;
    const body = answer.json as { slave_id?: string; shutdown?: boolean; message?: string };
    if (body.shutdown) return shutdown(node, body.message ?? "Master asked the agent to shut down");
    const fresh = state.id === undefined;
    state.id = body.slave_id;
    state.registered = true;
    if (fresh) {
      writeJson(node, `${metaDir(node)}/slaves/${state.id}/slave.info`, state.info);
      const latest = real(node, `${metaDir(node)}/slaves/latest`);
      rmSync(latest, { force: true });
      symlinkSync(state.id as string, latest);
      glog(ctx, "I", "slave.cpp:859", `Registered with master ${master.pid}; given ${traits.agentWord} ID ${state.id}`);
    } else {
      glog(ctx, "I", "slave.cpp:902", `Re-registered with master ${master.pid}`);
      // The executor of these tasks did not survive: the status update manager reports them now, and the
      // containerizer destroys their containers (Slave::reregisterExecutorTimeout → containerizer->destroy).
      for (const gone of [...state.tasks.values()].filter((t) => t.executorGone)) {
        setTaskState(node, gone, "TASK_LOST", "REASON_EXECUTOR_TERMINATED", "Abnormal executor termination");
        gone.killing = true;
        void ctx.engine?.stop(gone.containerName, { remove: true, timeoutSeconds: 0 }).catch(() => undefined);
      }
    }
    await flush(node);
  } finally {
    state.registering = false;
  }
}

/**
 * Registers with the master the agent has just detected, as Slave::detected and Slave::doReliableRegistration do
 * (registration-backoff.ts): a random wait first, then attempts at random, doubling intervals. A chain of attempts
 * ends once the agent is registered or has no master; as in Mesos, a chain begun for one master goes on after another
 * is detected (its attempts go to the master of the moment), beside the new master's own.
 */
export function registerWithDetected(node: AgentNode, random: () => number = Math.random): void {
  const { state, life } = node;
  const factor = flagSeconds(state.flags, "registration_backoff_factor", DEFAULT_REGISTRATION_BACKOFF_FACTOR_SECONDS);
  const waits = registrationWaits(factor, random);
  const attempt = (): void => {
    if (life.ended || state.registered || !state.master) return;
    void register(node);
    life.after(waits.next().value, attempt);
  };
  life.after(waits.next().value, attempt);
}

/** Shuts down as the master asked: stops every task's container and forgets its id (Slave::finalize). */
export async function shutdown(node: AgentNode, message: string): Promise<void> {
  const { state, ctx, life } = node;
  glog(
    ctx,
    "I",
    "slave.cpp:1911",
    `${agentWord(node)} asked to shut down by ${state.master?.pid ?? "master"} because '${message}'`,
  );
  for (const running of [...state.tasks.values()]) {
    running.killing = true;
    await ctx.engine?.stop(running.containerName, { timeoutSeconds: 0 });
  }
  // A terminating agent removes meta/slaves/latest so that it starts afresh next time (Slave::finalize).
  rmSync(real(node, `${metaDir(node)}/slaves/latest`), { force: true });
  life.exit(`${agentWord(node)} terminating: ${message}`, 0);
}

/**
 * Answers the master's ping when it is addressed to this agent (its id stands for the agent's pid, which a new agent
 * at the same address would share), registered or re-registering: Slave::ping sends its pong whatever the agent's
 * state (slave.cpp 0.24.1). A ping saying the master holds the agent disconnected (it missed a ping, e.g. one sent
 * before the agent had read its registration's answer) forces a re-registration, which reactivates it (MESOS-1529):
 * else the agent would stay inactive, offered to no framework, while it answers every ping. From 0.21.0
 * (PingSlaveMessage.connected, MESOS-1668).
 */
export function ping(node: AgentNode, body: { slave_id?: string; connected?: boolean }): Reply {
  const { state, ctx } = node;
  if (noReregister(node) || body.slave_id !== state.id) {
    return { status: 409, body: { message: "not this agent" } };
  }
  if (body.connected === false && state.registered && !state.registering) {
    glog(
      ctx,
      "I",
      "slave.cpp",
      `Master marked the ${agentWord(node)} as disconnected but the ${agentWord(node)} considers itself registered! Forcing re-registration.`,
    );
    // Mesos discards its master detection here: the same leader is detected again, and registered with as any is.
    state.registered = false;
    registerWithDetected(node);
  }
  return { body: { pong: true } };
}

/** Follows the leading master: from ZooKeeper (a new leader means registering again) or a fixed host:port. */
export async function followMaster(node: AgentNode, masterFlag: string): Promise<void> {
  const { state, ctx, life, version } = node;
  if (!masterFlag.startsWith("zk://")) {
    const [host, port] = masterFlag.replace(/^master@/, "").split(":");
    state.master = {
      id: "",
      ip: host as string,
      port: Number(port ?? 5050),
      pid: `master@${host}:${port ?? 5050}`,
      hostname: host as string,
      version,
      address: { ip: host as string, port: Number(port ?? 5050), hostname: host as string },
    };
    registerWithDetected(node);
    return;
  }
  const url = parseZkUrl(masterFlag);
  if ("error" in url) return life.exit(`Failed to create a master detector: ${url.error}`);
  const zk = await connectZk(url, ctx.clock.ms(ctx.clock.profile.zkSessionTimeoutSeconds));
  if (!life.hold(zk)) return;
  life.zk = zk;
  const detect = oneAtATime(async () => {
    if (life.ended) return;
    const detected = await detectMaster(zk, url.path, version);
    if (detected.error) return life.exit(`Failed to detect a master: ${detected.error}`);
    if (!sameMaster(detected.leader, state.master)) {
      state.master = detected.leader;
      state.registered = false;
      if (detected.leader) {
        glog(ctx, "I", "slave.cpp:662", `New master detected at ${detected.leader.pid}`);
        registerWithDetected(node);
      } else glog(ctx, "I", "slave.cpp:672", "Lost leading master");
    }
  });
  await zk.watchChildren(url.path, () => void detect().catch(() => undefined));
  await detect();
}

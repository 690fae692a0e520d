// The simulated `mesos-master` of a release: a program that loads its flags, serves HTTP, contends for leadership
// and, as leader, pings its agents. The parts, each over the explicit state in state.ts: registry.ts (the registrar's
// znode), election.ts (ZooKeeper contest, registrar recovery), registration.ts (agents and frameworks), agents.ts
// (ping-timeout window, removal), tasks.ts (status updates, launches, kills, reconciliation), libprocess.ts (the
// messages it answers), shapes.ts and routes.ts (the HTTP endpoints; maintenance rules in ../maintenance.ts).
import { mesosRelease, mesosTraits } from "../../catalogue/mesos";
import type { ContainerContext, Program } from "../../docker/program";
import { mesosHttpAccess } from "../http-access";
import { bindAddress, containerFileReader, daemonLife, glog, imageTag, parseZkUrl, serveHttp } from "../common";
import { flagText, loadMesosFlags, usageText } from "../flags";
import { pingAgents } from "./agents";
import { contend } from "./election";
import { handle } from "./routes";
import { masterId, newMasterState, pingTimeout, type MasterNode } from "./state";

async function start(node: MasterNode): Promise<void> {
  const { ctx, life, state, version } = node;
  const { exit } = life;
  const loaded = loadMesosFlags("master", version, ctx.args, ctx.env, containerFileReader(ctx));
  if ("error" in loaded) return exit(usageText("master", version, loaded.error));
  state.flags = loaded.values;
  for (const warning of loaded.warnings) glog(ctx, "W", "main.cpp:230", warning);
  const bind = bindAddress(ctx, flagText(state.flags, "ip"));
  if ("error" in bind) return exit(bind.error);
  state.ip = bind.ip;
  state.port = Number(flagText(state.flags, "port") ?? 5050);
  state.hostname = flagText(state.flags, "hostname") ?? ctx.host.name;
  const registry = flagText(state.flags, "registry") ?? "replicated_log";
  if (registry === "replicated_log" && flagText(state.flags, "work_dir") === undefined) {
    return exit("--work_dir needed for replicated log based registry");
  }
  const zkText = flagText(state.flags, "zk");
  if (zkText !== undefined && registry === "replicated_log" && flagText(state.flags, "quorum") === undefined) {
    return exit("Need to specify --quorum for replicated log based registry when using ZooKeeper");
  }
  state.quorum = Number(flagText(state.flags, "quorum") ?? 1);
  await ctx.clock.sleep(ctx.clock.profile.mesosStartSeconds);
  if (life.ended) return;
  state.id = masterId(version, state.ip, state.port);
  state.info = {
    id: state.id,
    ip: state.ip,
    port: state.port,
    pid: `master@${state.ip}:${state.port}`,
    hostname: state.hostname,
    version,
    address: { ip: state.ip, port: state.port, hostname: state.hostname },
  };
  const access = mesosHttpAccess("master", version, state.flags, ctx.env, containerFileReader(ctx));
  if ("error" in access) return exit(access.error);
  const served = await serveHttp(
    state.ip,
    state.port,
    access.guard((req) => handle(node, req)),
    access.tls,
  );
  if ("error" in served) return exit(served.error);
  life.server = served;
  glog(ctx, "I", "master.cpp:312", `Master ${state.id} (${state.hostname}) started on ${state.ip}:${state.port}`);
  glog(
    ctx,
    "I",
    "master.cpp:314",
    `Flags at startup: ${[...state.flags].map(([k, v]) => `--${k}="${String(v)}"`).join(" ")}`,
  );
  if (zkText === undefined) {
    state.elected = true;
    state.recovered = true;
    state.leader = state.info;
    state.electedTime = Date.now() / 1000;
    ctx.ledger.record({ kind: "leader.elected", service: "mesos", leader: `${state.hostname}:${state.port}`, version });
  } else {
    const url = parseZkUrl(zkText);
    if ("error" in url) return exit(`Error parsing ZooKeeper URL: ${url.error}`);
    state.zkUrl = url;
    await contend(node);
  }
  life.every(pingTimeout(node), () => pingAgents(node));
}

/** Starts a simulated master in a container. */
export function masterProgram(ctx: ContainerContext): Program {
  const release = mesosRelease(imageTag(ctx));
  const version = release?.version ?? "0.22.1";
  const node: MasterNode = {
    ctx,
    release,
    version,
    traits: mesosTraits(version),
    life: daemonLife(ctx),
    state: newMasterState(ctx.host.address, ctx.host.name),
  };
  start(node).catch((error: Error) => node.life.exit(`Failed to start: ${error.message}`));
  return {
    stop: async (signal) => node.life.end(signal === "SIGKILL" ? 137 : 143),
  };
}

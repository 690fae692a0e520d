// The simulated `mesos-slave` of a release: a program that loads its flags, checks its containerizers, recovers from
// its checkpoint, serves HTTP and registers with the leading master. The parts, each over the explicit state in
// state.ts: checkpoint.ts (meta paths under --work_dir), containerizer.ts (start-up checks, MESOS-2986),
// recovery.ts (MESOS-3834, incompatible agent info, orphan containers), executors.ts (Docker tasks named
// mesos-<containerId> before 0.23, mesos-<agentId>.<containerId> after; executors dying with the agent),
// status-updates.ts, registration.ts (master detection, (re-)registration, pings, shutdown), shapes.ts and routes.ts.
import { mesosRelease, mesosTraits } from "../../catalogue/mesos";
import { atLeast } from "../../catalogue/versions";
import type { ContainerContext, Program } from "../../docker/program";
import { bindAddress, containerFileReader, daemonLife, glog, imageTag, serveHttp } from "../common";
import { flagText, loadMesosFlags, usageText } from "../flags";
import { mesosHttpAccess } from "../http-access";
import { parseAttributes, parseResources } from "../messages";
import { containerizerProblem } from "./containerizer";
import { executorsDieWithAgent, watchTaskContainers } from "./executors";
import { recover } from "./recovery";
import { followMaster } from "./registration";
import { handle } from "./routes";
import { agentWord, DEFAULT_RESOURCES, newAgentState, type AgentNode } from "./state";

async function start(node: AgentNode): Promise<void> {
  const { ctx, life, state, version } = node;
  const { exit, fatal } = life;
  const loaded = loadMesosFlags("agent", version, ctx.args, ctx.env, containerFileReader(ctx));
  if ("error" in loaded) return exit(usageText("agent", version, loaded.error));
  state.flags = loaded.values;
  for (const warning of loaded.warnings) glog(ctx, "W", "main.cpp:230", warning);
  const masterFlag = flagText(state.flags, "master");
  if (masterFlag === undefined) {
    if (!atLeast(version, "0.25.0")) return exit("Missing required option --master");
    return exit(
      usageText(
        "agent",
        version,
        atLeast(version, "1.0.0")
          ? "Missing required option `--master` or `--master_detector`"
          : "Missing required option `--master`",
      ),
    );
  }
  const bind = bindAddress(ctx, flagText(state.flags, "ip"));
  if ("error" in bind) return exit(bind.error);
  const port = Number(flagText(state.flags, "port") ?? 5051);
  state.workDir = (flagText(state.flags, "work_dir") ?? "/tmp/mesos").replace(/\/+$/, "");
  state.info = {
    hostname: flagText(state.flags, "hostname") ?? ctx.host.name,
    ip: bind.ip,
    port,
    resources: parseResources(flagText(state.flags, "resources"), DEFAULT_RESOURCES),
    attributes: parseAttributes(flagText(state.flags, "attributes")),
  };
  await ctx.clock.sleep(ctx.clock.profile.mesosStartSeconds);
  if (life.ended) return;
  const dockerProblem = containerizerProblem(node);
  if (dockerProblem) return exit(dockerProblem);
  const access = mesosHttpAccess("agent", version, state.flags, ctx.env, containerFileReader(ctx));
  if ("error" in access) return exit(access.error);
  const served = await serveHttp(
    bind.ip,
    port,
    access.guard((req) => handle(node, req)),
    access.tls,
  );
  if ("error" in served) return exit(served.error);
  life.server = served;
  glog(ctx, "I", "slave.cpp:191", `${agentWord(node)} started on 1)@${bind.ip}:${port}`);
  const recovered = await recover(node);
  if (recovered === "MESOS-3834") {
    return fatal(
      atLeast(version, "0.25.0") ? "slave.cpp:4216" : "slave.cpp:4175",
      "Check failed: frameworkInfo.has_id()",
    );
  }
  if (recovered) return exit(recovered);
  glog(ctx, "I", "slave.cpp:4573", "Finished recovery");
  watchTaskContainers(node);
  await followMaster(node, masterFlag);
}

/** Starts a simulated agent in a container. */
export function agentProgram(ctx: ContainerContext): Program {
  const release = mesosRelease(imageTag(ctx));
  const version = release?.version ?? "0.22.1";
  const node: AgentNode = {
    ctx,
    release,
    version,
    traits: mesosTraits(version),
    life: daemonLife(ctx),
    state: newAgentState(),
  };
  executorsDieWithAgent(node);
  start(node).catch((error: Error) => node.life.exit(`Failed to start: ${error.message}`));
  return {
    stop: async (signal) => node.life.end(signal === "SIGKILL" ? 137 : 143),
  };
}

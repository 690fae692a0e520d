// The simulated Marathon of a release: a program that parses its flags, serves the REST API, joins the election in
// ZooKeeper and, as leader, runs the Mesos framework. The parts, each over the explicit state in state.ts:
// flags.ts (command line), registry.ts (apps and tasks in ZooKeeper), election.ts, scheduler.ts (framework,
// scaling, launches), health*.ts (health checks), shapes.ts and routes.ts (the API).
import { marathonRelease, marathonTraits } from "../catalogue/marathon";
import { readFileSync } from "node:fs";
import type { ContainerContext, Program } from "../docker/program";
import { bindAddress, daemonLife, imageTag, parseZkUrl, serveHttp, stopHttp } from "../mesos/common";
import { marathonHttpAccess, type MarathonConnector } from "./http-access";
import { elect } from "./election";
import { parseArgs } from "./flags";
import { handle } from "./routes";
import { log, newState, self, type MarathonNode } from "./state";

export type { AppDefinition } from "./state";

async function start(node: MarathonNode): Promise<void> {
  const { ctx, life, state, version } = node;
  const parsed = parseArgs(version, ctx.args, ctx.env);
  if ("error" in parsed) {
    ctx.stdout(`[scallop] Error: ${parsed.error}`);
    return ctx.exit(life.end(1));
  }
  state.values = parsed.values;
  const bind = bindAddress(
    ctx,
    typeof state.values.get("http_address") === "string" ? String(state.values.get("http_address")) : undefined,
  );
  if ("error" in bind) return life.exit(bind.error);
  state.hostname =
    typeof state.values.get("hostname") === "string" ? String(state.values.get("hostname")) : ctx.host.address;
  const access = marathonHttpAccess(state.values, (path) => readContainerFile(ctx, path));
  if ("error" in access) return life.exit(access.error);
  state.port = (access.connectors[0] as MarathonConnector).port;
  await ctx.clock.sleep(ctx.clock.profile.marathonStartSeconds);
  if (life.ended) return;
  for (const connector of access.connectors) {
    const served = await serveHttp(
      bind.ip,
      connector.port,
      access.guard((req) => handle(node, req)),
      connector.tls,
    );
    if ("error" in served) return life.exit(served.error.replace("Failed to initialize: ", ""));
    if (life.server) life.onEnd(() => void stopHttp(served));
    else life.server = served;
  }
  log(node, "INFO", `Started Marathon ${version} on ${self(node)}`);
  const zkText = String(state.values.get("zk") ?? "zk://localhost:2181/marathon");
  const url = parseZkUrl(zkText);
  if ("error" in url) return life.exit(`Invalid zk url: ${zkText}`);
  state.zkUrl = url;
  await elect(node).catch((error: Error) => life.exit(`Failed to connect to ZooKeeper at ${zkText}: ${error.message}`));
}

/** Starts a simulated Marathon in a container. */
export function marathonProgram(ctx: ContainerContext): Program {
  const release = marathonRelease(imageTag(ctx));
  const version = release?.version ?? "0.9.1";
  const node: MarathonNode = {
    ctx,
    release,
    version,
    traits: marathonTraits(version),
    life: daemonLife(ctx),
    state: newState(ctx.host.address),
    zk: undefined,
  };
  // bin/start's first lines; the image carries libmesos ${release.libmesos}.
  ctx.stdout("MESOS_NATIVE_JAVA_LIBRARY is not set. Searching in /usr/lib /usr/local/lib.");
  ctx.stdout("MESOS_NATIVE_LIBRARY, MESOS_NATIVE_JAVA_LIBRARY set to '/usr/lib/libmesos.so'");
  start(node).catch((error: Error) => node.life.exit(`Marathon failed: ${error.message}`));
  return {
    stop: async (signal) => node.life.end(signal === "SIGKILL" ? 137 : 143),
  };
}

/** A file as the container sees it, as bytes (a keystore). */
function readContainerFile(ctx: ContainerContext, path: string): Buffer | undefined {
  try {
    return readFileSync(ctx.resolvePath(path));
  } catch {
    return undefined;
  }
}

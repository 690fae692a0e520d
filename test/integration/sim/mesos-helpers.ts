// Helpers for the Mesos/Marathon scenarios: the agent's `docker run` with another version or mount, HTTP probes.
import { bootstrapCommands, MESOS_RELEASES, PORTS, type Cluster } from "../../../sim";
import { request } from "../../../sim/http";
import { eventually } from "./helpers";

/** The bootstrap `docker run` of a host's container (`mesos_master`, `marathon` or `mesos_slave`), adjusted. */
export function runCommand(
  cluster: Cluster,
  host: string,
  name: "mesos_master" | "marathon" | "mesos_slave",
  change: { version?: string; workDir?: string; mount?: string | null; extra?: string } = {},
): string {
  let command = bootstrapCommands(
    cluster.file,
    cluster.file.hosts.find((h) => h.name === host)!,
  ).find((c) => c.includes(`--name ${name} `)) as string;
  if (change.version) {
    const tag = MESOS_RELEASES.find((r) => r.version === change.version)?.imageTag;
    command = command.replace(/(mesosphere\/mesos-(?:master|slave)):\S+/, `$1:${tag}`);
  }
  if (change.mount !== undefined) {
    command = command.replace("-v /data/mesos:/data/mesos", change.mount === null ? "" : `-v ${change.mount}`);
  }
  if (change.workDir) command = command.replace("MESOS_WORK_DIR=/data/mesos", `MESOS_WORK_DIR=${change.workDir}`);
  if (change.extra) command = command.replace(" mesosphere/", ` ${change.extra} mesosphere/`);
  return command.replace(/\s+/g, " ");
}

/** GET a JSON endpoint of a host's service. */
export async function getJson(
  cluster: Cluster,
  host: string,
  port: number,
  path: string,
): Promise<{ status: number; json: unknown; headers: Record<string, unknown>; text: string }> {
  const h = cluster.host(host);
  const result = await request({ host: h.address, port }, path, { timeoutMs: 3000 });
  return {
    status: result.status,
    json: result.json,
    headers: result.headers as Record<string, unknown>,
    text: result.text,
  };
}

/** An agent's /metrics/snapshot. */
export async function agentMetrics(cluster: Cluster, host: string): Promise<Record<string, number>> {
  return (await getJson(cluster, host, PORTS.agent, "/metrics/snapshot")).json as Record<string, number>;
}

/** Whether Marathon reports every app at its instance count. */
async function everyAppRunning(cluster: Cluster): Promise<boolean> {
  return (await cluster.apps()).every((a) => a.tasksRunning === a.instances);
}

/** Waits until Marathon reports every app at its instance count. */
export async function allAppsRunning(cluster: Cluster, ms = 30_000): Promise<void> {
  await eventually(
    "every app at its instance count",
    async () => ((await everyAppRunning(cluster)) ? true : undefined),
    ms,
  );
}

/**
 * The Marathon task ids on one agent host once Marathon has replaced the `lost` ones: `count` tasks there, none of
 * them lost, every app at its instance count. The master records a LOST before Marathon reads it, so until then
 * Marathon still counts the lost tasks as running, or has dropped one and not yet launched its replacement.
 */
export async function replacedOn(
  cluster: Cluster,
  host: string,
  lost: readonly string[],
  count: number,
): Promise<string[]> {
  return eventually(`${count} task(s) on ${host} again, none of the lost ones`, async () => {
    const ids = await taskIdsOn(cluster, host);
    if (ids.length !== count || ids.some((id) => lost.includes(id))) return undefined;
    return (await everyAppRunning(cluster)) ? ids : undefined;
  });
}

/** The Marathon task ids on one agent host. */
export async function taskIdsOn(cluster: Cluster, host: string): Promise<string[]> {
  const address = cluster.host(host).address;
  return (await cluster.tasks())
    .filter((t) => t.host === address)
    .map((t) => t.id)
    .sort();
}

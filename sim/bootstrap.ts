// The default cluster's software, started at `up` once the hosts run: Mesos masters and Marathon on master hosts,
// agents with the seed's settings, then the apps — each through the host's own `docker run`, recorded in its ledger.
import { DEFAULT_APPS } from "./apps";
import { MARATHON_IMAGE } from "./catalogue/marathon";
import { MESOS_AGENT_IMAGE, MESOS_MASTER_IMAGE, mesosRelease } from "./catalogue/mesos";
import { PORTS, setBootstrapper, type Cluster } from "./cluster";
import { request, type RequestOptions } from "./http";
import { paths, type ClusterFile, type HostRecord } from "./layout";
import type { AppDefinition } from "./marathon/marathon";

/**
 * The default cluster's container names. Not "mesos-master"/"mesos-slave": a recovering agent stops every container
 * whose name starts with "mesos-" that it does not track, itself included (parse() in apache/mesos
 * src/slave/containerizer/docker.cpp; mesosphere-backup/docker-containers#6), so operators of 2015 who ran master and
 * agent in containers chose names without that prefix.
 */
export const CONTAINER_NAMES = { master: "mesos_master", agent: "mesos_slave", marathon: "marathon" } as const;

/** The zk:// URLs the cluster's Mesos and Marathon use. */
export function zkUrls(file: ClusterFile): { mesos: string; marathon: string } {
  const base = `zk://${file.zk.address}:${file.zk.port}`;
  return { mesos: `${base}/mesos`, marathon: `${base}/marathon` };
}

/** The quorum of a cluster's masters (a majority). */
export function quorumOf(file: ClusterFile): number {
  return Math.floor(file.hosts.filter((h) => h.roles.includes("master")).length / 2) + 1;
}

/**
 * The `docker run` commands `up` runs on a host, in order. Masters and agents take their flags from MESOS_*
 * variables; the agent mounts its work dir at the same path (-v /data/mesos:/data/mesos, the seed's setting), the
 * Docker socket, sets cgroups_limit_swap and no log_dir (the seed's settings that exist at 0.22.1).
 */
export function bootstrapCommands(file: ClusterFile, host: HostRecord): string[] {
  const urls = zkUrls(file);
  const tag = mesosRelease(file.versions.mesos)?.imageTag as string;
  const commands: string[] = [];
  if (host.roles.includes("master")) {
    commands.push(
      [
        `docker run -d --name ${CONTAINER_NAMES.master} --net host --restart=always`,
        "-v /var/lib/mesos:/var/lib/mesos",
        `-e MESOS_ZK=${urls.mesos}`,
        `-e MESOS_QUORUM=${quorumOf(file)}`,
        "-e MESOS_WORK_DIR=/var/lib/mesos",
        `-e MESOS_IP=${host.address}`,
        `-e MESOS_HOSTNAME=${host.address}`,
        `-e MESOS_PORT=${PORTS.master}`,
        `${MESOS_MASTER_IMAGE}:${tag}`,
      ].join(" "),
    );
  }
  if (host.roles.includes("marathon")) {
    commands.push(
      [
        `docker run -d --name ${CONTAINER_NAMES.marathon} --net host --restart=always`,
        `${MARATHON_IMAGE}:v${file.versions.marathon}`,
        `--master ${urls.mesos}`,
        `--zk ${urls.marathon}`,
        `--hostname ${host.address}`,
        `--http_port ${PORTS.marathon}`,
      ].join(" "),
    );
  }
  if (host.roles.includes("agent")) {
    commands.push(
      [
        `docker run -d --name ${CONTAINER_NAMES.agent} --net host --pid host --privileged --restart=always`,
        "-v /data/mesos:/data/mesos",
        "-v /var/run/docker.sock:/var/run/docker.sock",
        "-v /sys:/sys",
        `-e MESOS_MASTER=${urls.mesos}`,
        "-e MESOS_WORK_DIR=/data/mesos",
        "-e MESOS_CONTAINERIZERS=docker,mesos",
        "-e MESOS_CGROUPS_LIMIT_SWAP=true",
        "-e MESOS_EXECUTOR_REGISTRATION_TIMEOUT=5mins",
        `-e MESOS_IP=${host.address}`,
        `-e MESOS_HOSTNAME=${host.address}`,
        `${MESOS_AGENT_IMAGE}:${tag}`,
      ].join(" "),
    );
  }
  return commands;
}

/** Images a host has before `up` starts anything (as if it ran this cluster already). */
export function seededImages(file: ClusterFile, host: HostRecord, apps: readonly AppDefinition[]): string[] {
  const tag = mesosRelease(file.versions.mesos)?.imageTag as string;
  const images: string[] = [];
  if (host.roles.includes("master")) images.push(`${MESOS_MASTER_IMAGE}:${tag}`);
  if (host.roles.includes("marathon")) images.push(`${MARATHON_IMAGE}:v${file.versions.marathon}`);
  if (host.roles.includes("agent")) {
    images.push(
      `${MESOS_AGENT_IMAGE}:${tag}`,
      ...apps.map((a) => a.container?.docker?.image).filter((i): i is string => i !== undefined),
    );
  }
  return images;
}

async function until<T>(what: string, deadline: number, check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the cluster did not come up: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function bootstrap(cluster: Cluster, apps: readonly AppDefinition[], deadline: number): Promise<void> {
  const file = cluster.file;
  await Promise.all(
    file.hosts.map(async (host) => {
      const control = { socketPath: paths.controlSocket(file.stateDir, host.name) };
      await request(control, "/seed-images", { method: "POST", body: { images: seededImages(file, host, apps) } });
      for (const command of bootstrapCommands(file, host)) {
        const result = await cluster.exec(host.name, command, "bootstrap");
        if (result.code !== 0) throw new Error(`\`${command}\` failed on ${host.name}: ${result.stderr.trim()}`);
      }
    }),
  );
  const masters = file.hosts.filter((h) => h.roles.includes("master"));
  const agents = file.hosts.filter((h) => h.roles.includes("agent"));
  if (masters.length === 0) return;
  await until("a leading Mesos master with every agent registered", deadline, async () => {
    for (const master of masters) {
      const metrics = (await cluster.service(master.name, PORTS.master, "/metrics/snapshot", { timeoutMs: 1000 }))
        .json as Record<string, number>;
      if (metrics["master/elected"] === 1 && metrics["master/slaves_active"] === agents.length) return true;
    }
    return undefined;
  });
  // Every daemon serves HTTP before `up` returns (standbys included), so callers can probe any of them at once.
  await until("every master and Marathon answering HTTP", deadline, async () => {
    for (const master of masters) {
      if ((await cluster.service(master.name, PORTS.master, "/master/health", { timeoutMs: 1000 })).status !== 200) {
        return undefined;
      }
    }
    for (const host of file.hosts.filter((h) => h.roles.includes("marathon"))) {
      if ((await cluster.service(host.name, PORTS.marathon, "/ping", { timeoutMs: 1000 })).status !== 200) {
        return undefined;
      }
    }
    return true;
  });
  const marathon = file.hosts.find((h) => h.roles.includes("marathon"));
  if (!marathon || apps.length === 0) return;
  const ask = (path: string, options: RequestOptions) => cluster.service(marathon.name, PORTS.marathon, path, options);
  await until("a Marathon leader", deadline, async () =>
    (await ask("/v2/leader", { timeoutMs: 1000 })).status === 200 ? true : undefined,
  );
  for (const app of apps) {
    const created = await ask("/v2/apps", { method: "POST", body: app, timeoutMs: 5000 });
    if (created.status !== 201) throw new Error(`could not create app ${app.id}: ${created.status} ${created.text}`);
  }
  const wanted = apps.reduce((sum, a) => sum + a.instances, 0);
  await until(`${wanted} running tasks`, deadline, async () => {
    const list = (await ask("/v2/apps", { timeoutMs: 2000 })).json as { apps: Array<{ tasksRunning: number }> };
    return list.apps.reduce((sum, a) => sum + a.tasksRunning, 0) === wanted ? true : undefined;
  });
}

setBootstrapper((cluster, options, deadline) => bootstrap(cluster, options.apps ?? DEFAULT_APPS, deadline));

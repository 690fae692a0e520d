// The naive serial chain the benchmark compares against: an operator's shell loop, one host at a time, one SSH login
// per host and step, the image pulled inside the window (stop, remove, pull, run, wait until ready).
import { MESOS_AGENT_IMAGE, MESOS_MASTER_IMAGE, mesosRelease } from "../sim/catalogue/mesos";
import { bootstrapCommands, CONTAINER_NAMES } from "../sim/bootstrap";
import { PORTS, type Cluster } from "../sim/cluster";
import type { HostRecord } from "../sim/layout";
import { ssh } from "./sim-ssh";

/** A shell loop that waits (polling every 0.1 s of wall time) until `check` succeeds. */
const until = (check: string): string => `until ${check}; do sleep 0.1; done`;

/** The readiness checks of a host's roles: the master's /health, Marathon's /ping, the agent registered. */
function readyChecks(host: HostRecord): string[] {
  const checks: string[] = [];
  if (host.roles.includes("master")) {
    checks.push(until(`curl -sf http://${host.address}:${PORTS.master}/health >/dev/null`));
  }
  if (host.roles.includes("marathon")) {
    checks.push(until(`curl -sf http://${host.address}:${PORTS.marathon}/ping >/dev/null`));
  }
  if (host.roles.includes("agent")) {
    checks.push(
      until(`curl -sf http://${host.address}:${PORTS.agent}/metrics/snapshot | grep -q '"slave/registered":1'`),
    );
  }
  return checks;
}

/** One host's Mesos hop as one command: for each Mesos container, stop, remove, pull the next image, run it, wait. */
export function naiveMesosHop(cluster: Cluster, host: HostRecord, toVersion: string): string {
  const tag = mesosRelease(toVersion)?.imageTag;
  if (!tag) throw new Error(`no Mesos image for ${toVersion}`);
  const parts: string[] = [];
  for (const run of bootstrapCommands(cluster.file, host)) {
    const repository = [MESOS_MASTER_IMAGE, MESOS_AGENT_IMAGE].find((r) => run.includes(`${r}:`));
    if (!repository) continue;
    const name = repository === MESOS_MASTER_IMAGE ? CONTAINER_NAMES.master : CONTAINER_NAMES.agent;
    const image = `${repository}:${tag}`;
    parts.push(
      `docker stop ${name} >/dev/null`,
      `docker rm ${name} >/dev/null`,
      `docker pull ${image} >/dev/null`,
      // The agent keeps its executors in their own containers (bench/executor-containers.ts), so it keeps its tasks.
      `${run.replace(new RegExp(`${repository}:\\S+`), repository === MESOS_AGENT_IMAGE ? `-e MESOS_DOCKER_MESOS_IMAGE=${image} ${image}` : image)} >/dev/null`,
    );
  }
  return [...parts, ...readyChecks(host)].join(" && ");
}

/**
 * One host's Docker hop as one command: install the package (the daemon restarts), wait until its containers are ready.
 */
export function naiveDockerHop(host: HostRecord, packageVersion: string): string {
  return [`apt-get install -y docker-engine=${packageVersion} >/dev/null`, ...readyChecks(host)].join(" && ");
}

/** The chain's wall seconds: its Mesos hop, its Docker hop. */
export interface NaiveSeconds {
  readonly mesos: number;
  readonly docker: number;
}

/** Runs the chain (every host's Mesos hop, then every host's Docker hop unless none, one at a time): wall seconds. */
export async function runNaiveChain(
  cluster: Cluster,
  mesosTo: string,
  dockerPackage: string | undefined,
  log: (line: string) => void,
): Promise<NaiveSeconds> {
  const seconds = { mesos: 0, docker: 0 };
  const hosts = [...cluster.file.hosts].sort(
    (a, b) => Number(b.roles.includes("master")) - Number(a.roles.includes("master")),
  );
  for (const [what, command] of [
    ...hosts.map((h) => [`${h.name} mesos → ${mesosTo}`, naiveMesosHop(cluster, h, mesosTo), h.name, "mesos"] as const),
    ...(dockerPackage === undefined ? [] : hosts).map(
      (h) => [`${h.name} docker → ${dockerPackage}`, naiveDockerHop(h, dockerPackage ?? ""), h.name, "docker"] as const,
    ),
  ].map(([what, command, host, hop]) => [what, { command, host, hop }] as const)) {
    const stepStart = Date.now();
    const result = await ssh(cluster, command.host, `timeout 600 sh -c '${command.command.replace(/'/g, `'\\''`)}'`);
    if (result.code !== 0) {
      throw new Error(`the naive chain's step ${what} failed (exit ${result.code}): ${result.stderr.trim()}`);
    }
    const stepSeconds = (Date.now() - stepStart) / 1000;
    seconds[command.hop] += stepSeconds;
    log(`  naive ${what}: ${stepSeconds.toFixed(1)} s`);
  }
  return seconds;
}

// Brings a freshly started simulated cluster to where the seed's table leaves agents from 0.23 on: every agent runs its
// executors in their own containers (--docker_mesos_image, the agent's own image: providers/mesosSlave.ts), so that a
// later agent restart keeps its tasks. The simulator's bootstrap starts agents without them; each agent is started
// again as the providers leave it (as test/integration/stacks/newest.test.ts does). The tasks started before live in
// the old agents' containers and are lost once here; Marathon runs them again before this returns.
import { bootstrapCommands, CONTAINER_NAMES, type Cluster } from "../sim";

/** The command that starts `host`'s agent again with executor containers (pure). */
export function executorContainersCommand(bootstrapRun: string): string {
  const image = /mesosphere\/mesos-slave:\S+/.exec(bootstrapRun)?.[0];
  const name = /--name (\S+)/.exec(bootstrapRun)?.[1];
  if (!image || !name) {
    throw new Error(`no mesos-slave image or container name in the agent's start command: ${bootstrapRun}`);
  }
  return `docker rm -f ${name} >/dev/null && ${bootstrapRun.replace(" mesosphere/", ` -e MESOS_DOCKER_MESOS_IMAGE=${image} mesosphere/`)}`;
}

/** Restarts every agent with executor containers (8 at a time), then waits until Marathon runs every app again. */
export async function startExecutorContainers(cluster: Cluster, timeoutMs: number): Promise<void> {
  const agents = cluster.file.hosts.filter((h) => h.roles.includes("agent"));
  const started = (await cluster.apps()).reduce((sum, app) => sum + app.tasksRunning, 0);
  const queue = [...agents];
  const worker = async (): Promise<void> => {
    for (let host = queue.shift(); host; host = queue.shift()) {
      const run = bootstrapCommands(cluster.file, host).find((c) => c.includes(`--name ${CONTAINER_NAMES.agent} `));
      if (!run) throw new Error(`${host.name}: the simulator's bootstrap starts no agent there`);
      const result = await cluster.exec(host.name, executorContainersCommand(run));
      if (result.code !== 0) {
        throw new Error(`${host.name}: restarting the agent with executor containers failed: ${result.stderr}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const deadline = Date.now() + timeoutMs;
  // The old agents' tasks are reported lost first; only then does Marathon's count of running tasks mean anything.
  while (cluster.lostTasks().length < started) {
    if (Date.now() > deadline) throw new Error(`the ${started} tasks of the old agents were not reported lost`);
    await new Promise((r) => setTimeout(r, 500));
  }
  for (;;) {
    const apps = await cluster.apps().catch(() => []);
    if (apps.length > 0 && apps.every((a) => a.tasksRunning === a.instances)) return;
    if (Date.now() > deadline) {
      throw new Error(`apps not running ${timeoutMs / 1000} s after the agents' restart: ${JSON.stringify(apps)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

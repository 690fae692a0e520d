// When a restart of a containerised Mesos agent kills the tasks it runs: facts per Mesos and Docker version.

/** One fact about executors and agent restarts, with its source. */
export interface ExecutorFact {
  readonly since: string;
  readonly fact: string;
  readonly source: string;
}

/**
 * From this Mesos version the Docker containerizer can run each executor in a Docker container of its own
 * (`--docker_mesos_image`), which outlives the agent's container. Before it, executors are child processes inside the
 * agent's container and die with it: every restart of a containerised agent loses its tasks.
 */
export const EXECUTOR_CONTAINERS: ExecutorFact = {
  since: "0.23.0",
  fact: "--docker_mesos_image (0.23+) runs each executor in its own container; without it executors are children of the agent's container and die with it",
  source:
    "apache/mesos@0.23.0:src/slave/flags.cpp (docker_mesos_image), @1.0.0:docs/docker-containerizer.md; mesosphere-backup/docker-containers#6",
};

/** The executor containers' processes must be visible to the recovering agent: it needs the host's PID namespace. */
export const EXECUTOR_CONTAINERS_NEED_HOST_PID: ExecutorFact = {
  since: "0.23.0",
  fact: "an agent in a container recovers executor containers only when it runs with --pid=host",
  source: "mesosphere-backup/docker-containers#80",
};

/**
 * An engine restart stops every container of its host unless the daemon runs with `--live-restore` (from 1.12), and
 * even then restore is promised only across patch releases of one line (17.11 and 17.12 need every container
 * stopped first). The stacks never turn live-restore on, and every engine step is a minor upgrade or a settings
 * restart, so every engine restart on an agent host stops its tasks.
 */
export const ENGINE_RESTART_STOPS_CONTAINERS: ExecutorFact = {
  since: "1.12.0",
  fact: "Docker stops every container when the engine stops, unless --live-restore is on (from 1.12), which keeps them only across patch releases of one line",
  source:
    "moby/moby@v1.12.6:docs/admin/live-restore.md; docker/docs:content/config/containers/live-restore.md (patch releases only); docker/docker-ce@v17.12.1-ce:CHANGELOG.md",
};

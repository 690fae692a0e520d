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

/** From this Docker version an engine restart can leave containers running (`--live-restore`); before, it stops them all. */
export const ENGINE_RESTART_KEEPS_CONTAINERS: ExecutorFact = {
  since: "1.12.0",
  fact: "Docker before 1.12 stops every container when the engine stops (no live-restore)",
  source: "moby/moby@v1.12.6:docs/admin/live-restore.md",
};

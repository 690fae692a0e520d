/** Docker Engine releases and what crossing each version implies. */
import type { CrossingNote, ReleaseLine } from "./types";

/** A Docker minor line; `liveRestore` decides how far one hop may go (see `planner/paths.ts`). */
export interface DockerLine extends ReleaseLine {
  /**
   * Whether an engine of this line can keep containers running while it restarts (`--live-restore`).
   * Without it every engine restart stops the host's containers, so intermediate versions only add
   * outages and a hop goes straight to the target; with it, restore is only promised between
   * consecutive minors, so a hop moves one minor.
   */
  readonly liveRestore: boolean;
}

const TAGS = "moby/moby git tags; moby/moby@v1.13.1:CHANGELOG.md (release dates)";
const NO_LIVE_RESTORE = "live-restore first appears in 1.12 (moby/moby@v1.12.6:docs/admin/live-restore.md)";
const LIVE_RESTORE = "moby/moby@v1.12.6:docs/admin/live-restore.md: restore only promised from one minor release to the next";

/** Docker Engine minor lines, oldest first. */
export const DOCKER_LINES: readonly DockerLine[] = [
  { minor: "1.7", releases: ["1.7.0", "1.7.1"], latest: "1.7.1", liveRestore: false, source: `${TAGS}: 1.7.1 2015-07-14; ${NO_LIVE_RESTORE}` },
  { minor: "1.8", releases: ["1.8.0", "1.8.1", "1.8.2", "1.8.3"], latest: "1.8.3", liveRestore: false, source: `${TAGS}: 1.8.3 2015-10-12; ${NO_LIVE_RESTORE}` },
  { minor: "1.9", releases: ["1.9.0", "1.9.1"], latest: "1.9.1", liveRestore: false, source: `${TAGS}: 1.9.1 2015-11-21; ${NO_LIVE_RESTORE}` },
  { minor: "1.10", releases: ["1.10.0", "1.10.1", "1.10.2", "1.10.3"], latest: "1.10.3", liveRestore: false, source: `${TAGS}: 1.10.3 2016-03-10; ${NO_LIVE_RESTORE}` },
  { minor: "1.11", releases: ["1.11.0", "1.11.1", "1.11.2"], latest: "1.11.2", liveRestore: false, source: `${TAGS}: 1.11.2 2016-05-31; ${NO_LIVE_RESTORE}; seed §1.1 targets 1.11` },
  {
    minor: "1.12",
    releases: ["1.12.0", "1.12.1", "1.12.2", "1.12.3", "1.12.4", "1.12.5", "1.12.6"],
    latest: "1.12.6",
    liveRestore: true,
    source: `${TAGS}: 1.12.6 2017-01-10; ${LIVE_RESTORE}`,
  },
  { minor: "1.13", releases: ["1.13.0", "1.13.1"], latest: "1.13.1", liveRestore: true, source: `${TAGS}: 1.13.1 2017-02-08; ${LIVE_RESTORE}` },
];

/** What an engine upgrade crossing each version implies. */
export const DOCKER_CROSSINGS: readonly CrossingNote[] = [
  {
    at: "1.8.0",
    message:
      "Docker 1.8: `docker version` drops the `Client version:` line, which Mesos <= 0.22.1 parses, so their Docker containerizer refuses to start (MESOS-2986)",
    source: "fact sheet §5 (MESOS-2986); apache/mesos@0.22.1 vs @0.22.2:src/docker/docker.cpp",
  },
  {
    at: "1.10.0",
    message:
      "Docker 1.10: the first start migrates every image and container to the content-addressable store and answers nothing until done (about 100 MB/s of image data; run docker/v1.10-migrator beforehand to shorten it); `docker -d` is gone (use `docker daemon`)",
    source: "fact sheet §5; moby/moby@v1.10.3:docs/migration.md; CHANGELOG 1.10.0; moby/moby@v1.12.6:docs/deprecated.md",
  },
  {
    at: "1.11.0",
    message:
      "Docker 1.11: the engine is four binaries (docker, docker-containerd, docker-containerd-shim, docker-runc); containers start through containerd and runc",
    source: "fact sheet §5; CHANGELOG 1.11.0",
  },
  {
    at: "1.12.0",
    message:
      "Docker 1.12: `dockerd` becomes the daemon binary and --live-restore appears; the rpm systemd unit changes (-H fd:// and docker.socket can break startup)",
    source: "fact sheet §5; CHANGELOG 1.12.0",
  },
];

/** What an engine restart costs on a line without live-restore. */
export const DOCKER_RESTART_WITHOUT_LIVE_RESTORE: CrossingNote = {
  at: "1.12.0",
  message:
    "Docker engine restart before 1.12 stops every container on the host (no live-restore): the host's Mesos/Marathon containers and its tasks go down until the engine is back",
  source: "fact sheet §5 (live restore); moby/moby@v1.12.6:docs/admin/live-restore.md",
};

/** Docker Engine releases and what crossing each version implies. */
import type { CrossingNote, ReleaseLine } from "./types";

/** A Docker minor line; `liveRestore` decides how far one hop may go (see `planner/paths.ts`). */
export interface DockerLine extends ReleaseLine {
  /**
   * Whether an engine of this line keeps containers running while it is upgraded to the next minor (`--live-restore`).
   * Without it every engine restart stops the host's containers, so intermediate versions only add
   * outages and a hop goes straight to the target; with it, restore is only promised between
   * consecutive minors, so a hop moves one minor.
   */
  readonly liveRestore: boolean;
}

const TAGS = "moby/moby git tags; moby/moby@v1.13.1:CHANGELOG.md (release dates)";
const NO_LIVE_RESTORE = "live-restore first appears in 1.12 (moby/moby@v1.12.6:docs/admin/live-restore.md)";
const LIVE_RESTORE =
  "moby/moby@v1.12.6:docs/admin/live-restore.md: restore only promised from one minor release to the next";
const CE_TAGS = "docker/docker-ce git tags and CHANGELOG.md (newest-releases fact sheet §3.1)";
const PATCH_ONLY =
  "live-restore is only supported across patch releases (YY.MM.x), not YY.MM upgrades (docker/docs:content/config/containers/live-restore.md); 17.11 does not recognise containers of earlier versions and 17.12 must be installed with every container stopped (docker/docker-ce@v17.12.1-ce:CHANGELOG.md), so every step past 1.13 stops the host's containers";

/** Docker Engine minor lines, oldest first. */
export const DOCKER_LINES: readonly DockerLine[] = [
  {
    minor: "1.7",
    releases: ["1.7.0", "1.7.1"],
    latest: "1.7.1",
    liveRestore: false,
    source: `${TAGS}: 1.7.1 2015-07-14; ${NO_LIVE_RESTORE}`,
  },
  {
    minor: "1.8",
    releases: ["1.8.0", "1.8.1", "1.8.2", "1.8.3"],
    latest: "1.8.3",
    liveRestore: false,
    source: `${TAGS}: 1.8.3 2015-10-12; ${NO_LIVE_RESTORE}`,
  },
  {
    minor: "1.9",
    releases: ["1.9.0", "1.9.1"],
    latest: "1.9.1",
    liveRestore: false,
    source: `${TAGS}: 1.9.1 2015-11-21; ${NO_LIVE_RESTORE}`,
  },
  {
    minor: "1.10",
    releases: ["1.10.0", "1.10.1", "1.10.2", "1.10.3"],
    latest: "1.10.3",
    liveRestore: false,
    source: `${TAGS}: 1.10.3 2016-03-10; ${NO_LIVE_RESTORE}`,
  },
  {
    minor: "1.11",
    releases: ["1.11.0", "1.11.1", "1.11.2"],
    latest: "1.11.2",
    liveRestore: false,
    source: `${TAGS}: 1.11.2 2016-05-31; ${NO_LIVE_RESTORE}; seed §1.1 targets 1.11`,
  },
  {
    minor: "1.12",
    releases: ["1.12.0", "1.12.1", "1.12.2", "1.12.3", "1.12.4", "1.12.5", "1.12.6"],
    latest: "1.12.6",
    liveRestore: true,
    source: `${TAGS}: 1.12.6 2017-01-10; ${LIVE_RESTORE}`,
  },
  {
    minor: "1.13",
    releases: ["1.13.0", "1.13.1"],
    latest: "1.13.1",
    liveRestore: true,
    source: `${TAGS}: 1.13.1 2017-02-08; ${LIVE_RESTORE}`,
  },
  {
    minor: "17.03",
    releases: ["17.03.0", "17.03.1", "17.03.2"],
    latest: "17.03.2",
    liveRestore: false,
    source: `${CE_TAGS}: 17.03.2-ce 2017-05-29 (stable); ${PATCH_ONLY}`,
  },
  {
    minor: "17.05",
    releases: ["17.05.0"],
    latest: "17.05.0",
    liveRestore: false,
    source: `${CE_TAGS}: 17.05.0-ce 2017-05-04 (monthly edge), the last docker-engine for trusty (unconfirmed); ${PATCH_ONLY}`,
  },
  {
    minor: "17.06",
    releases: ["17.06.0", "17.06.1", "17.06.2"],
    latest: "17.06.2",
    liveRestore: false,
    source: `${CE_TAGS}: 17.06.2-ce 2017-09-05, the first docker-ce for trusty; ${PATCH_ONLY}`,
  },
  {
    minor: "17.09",
    releases: ["17.09.0", "17.09.1"],
    latest: "17.09.1",
    liveRestore: false,
    source: `${CE_TAGS}: 17.09.1-ce 2017-12-07; ${PATCH_ONLY}`,
  },
  {
    minor: "18.03",
    releases: ["18.03.0", "18.03.1"],
    latest: "18.03.1",
    liveRestore: false,
    source: `${CE_TAGS}: 18.03.1-ce 2018-04-26; ${PATCH_ONLY}; 17.12 is left out: whether it was published for trusty is unconfirmed (fact sheet §6.3)`,
  },
  {
    minor: "18.06",
    releases: ["18.06.0", "18.06.1", "18.06.2", "18.06.3"],
    latest: "18.06.3",
    liveRestore: false,
    source: `${CE_TAGS}: 18.06.3-ce 2019-02-19 (runc CVE-2019-5736), the last for trusty (18.09.0 CHANGELOG: "Remove Ubuntu 14.04"); ${PATCH_ONLY}`,
  },
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
    source:
      "fact sheet §5; moby/moby@v1.10.3:docs/migration.md; CHANGELOG 1.10.0; moby/moby@v1.12.6:docs/deprecated.md",
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
  {
    at: "17.03.0",
    message:
      "Docker 17.03: YY.MM versions with a -ce suffix (every released Mesos 1.x parses them, MESOS-7464); Docker 1.12/1.13 and later leak mount namespaces that break agent recovery on Mesos without MESOS-7777 (no 1.0.x; fixed in 1.1.3, 1.2.2, 1.3.1, 1.4.0)",
    source: "moby/moby@v17.03.0-ce:CHANGELOG.md; newest-releases fact sheet §1.4 (MESOS-7464, MESOS-7777)",
  },
  {
    at: "17.06.0",
    message:
      "Docker 17.06: the engine comes from the docker-ce package of download.docker.com (Conflicts/Replaces docker-engine): the repository line and signing key change, and switching packages restarts the daemon; trusty installs also need libsystemd-journal0 (third-party)",
    source:
      "docker/docker-ce@v18.06.3-ce:components/packaging/deb/common/control; docker.github.io:install/linux/docker-ce/ubuntu.md; newest-releases fact sheet §3.1",
  },
  {
    at: "17.09.0",
    message:
      "Docker 17.09: overlay2 is promoted over aufs for new installs, but an existing /var/lib/docker/aufs keeps aufs (the daemon refuses to start if it cannot load it: keep linux-image-extra installed)",
    source:
      "docker/docker-ce@v17.09.1-ce:CHANGELOG.md and components/engine/daemon/graphdriver/driver_linux.go; newest-releases fact sheet §3.3",
  },
  {
    at: "17.11.0",
    message:
      "Docker 17.11/17.12 (containerd 1.0): containers started by earlier versions are not recognised, and 17.12 must be installed with every container and plugin stopped; `docker daemon` is removed (custom upstart jobs must call dockerd)",
    source:
      "docker/docker-ce@v17.11.0-ce and @v17.12.1-ce:CHANGELOG.md (moby/moby#35812); @v18.06.3-ce:components/cli/docs/deprecated.md",
  },
  {
    at: "18.06.0",
    message:
      "Docker 18.06: the last line built for Ubuntu 14.04 (trusty); its daemon still accepts clients down to API 1.12, so older CLIs inside agent images keep working",
    source:
      "docker/docker-ce@v18.09.1:CHANGELOG.md (18.09.0: trusty removed); api/common.go MinVersion; newest-releases fact sheet §3.1",
  },
];

/** What an engine restart costs on a line without live-restore. */
export const DOCKER_RESTART_WITHOUT_LIVE_RESTORE: CrossingNote = {
  at: "1.12.0",
  message:
    "Docker engine restart before 1.12 stops every container on the host (no live-restore): the host's Mesos/Marathon containers and its tasks go down until the engine is back",
  source: "fact sheet §5 (live restore); moby/moby@v1.12.6:docs/admin/live-restore.md",
};

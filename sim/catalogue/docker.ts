// Docker Engine releases the simulated apt repository offers, with the facts each one's CLI and daemon expose.
import { dockerPackage } from "../../catalogue/docker-packages";
import { atLeast } from "./versions";

/** One Docker Engine release as packaged for Ubuntu 14.04 (trusty). */
export interface DockerRelease {
  /** Engine version, e.g. "1.11.2". */
  readonly version: string;
  /** apt version string of the `docker-engine` package, e.g. "1.11.2-0~trusty". */
  readonly packageVersion: string;
  /** Remote API version the daemon and CLI speak by default (moby `api/common.go`). */
  readonly apiVersion: string;
  /** `docker version` "Git commit" (the release tag's commit in moby/moby). */
  readonly gitCommit: string;
  /** Go toolchain the release was built with (moby `Dockerfile` GO_VERSION). */
  readonly goVersion: string;
  /** Release commit date, shown as "Built". */
  readonly buildTime: string;
}

// Commits and dates: git tags v1.7.0…v1.13.1 of moby/moby. Package version strings come from the one rule in
// catalogue/docker-packages.ts (`<ver>-0~trusty` up to 1.12.3, `<ver>-0~ubuntu-trusty` from 1.12.4).
const RAW: ReadonlyArray<[string, string, string, string]> = [
  ["1.7.0", "0baf609", "go1.4.2", "2015-06-17T22:01:36-07:00"],
  ["1.7.1", "786b29d", "go1.4.2", "2015-07-14T11:41:25-07:00"],
  ["1.8.0", "0d03096", "go1.4.2", "2015-08-11T11:35:27-05:00"],
  ["1.8.1", "d12ea79", "go1.4.2", "2015-08-12T18:54:41-07:00"],
  ["1.8.2", "0a8c2e3", "go1.4.2", "2015-09-10T14:43:43-04:00"],
  ["1.8.3", "f4bf5c7", "go1.4.2", "2015-10-11T20:37:29-07:00"],
  ["1.9.0", "76d6bc9", "go1.4.3", "2015-11-03T12:21:26-05:00"],
  ["1.9.1", "a34a1d5", "go1.4.3", "2015-11-20T07:40:30-05:00"],
  ["1.10.0", "590d5108", "go1.5.3", "2016-02-04T12:17:31-05:00"],
  ["1.10.1", "9e83765", "go1.5.3", "2016-02-11T13:45:56-05:00"],
  ["1.10.2", "c3959b1", "go1.5.3", "2016-02-19T22:45:26-05:00"],
  ["1.10.3", "20f81dd", "go1.5.3", "2016-03-09T15:13:24-05:00"],
  ["1.11.0", "4dc5990", "go1.5.4", "2016-04-13T14:03:42-04:00"],
  ["1.11.1", "5604cbe", "go1.5.4", "2016-04-25T23:35:31-04:00"],
  ["1.11.2", "b9f10c9", "go1.5.4", "2016-06-01T23:11:42+02:00"],
  ["1.12.0", "8eab29e", "go1.6.3", "2016-07-28T14:06:23-07:00"],
  ["1.12.1", "23cf638", "go1.6.3", "2016-08-17T21:40:58-07:00"],
  ["1.12.2", "bb80604", "go1.6.3", "2016-10-11T05:23:52+00:00"],
  ["1.12.3", "6b644ec", "go1.6.3", "2016-10-26T10:48:43-07:00"],
  ["1.12.4", "1564f02", "go1.6.4", "2016-12-12T15:00:06-08:00"],
  ["1.12.5", "7392c3b", "go1.6.4", "2016-12-15T17:57:48-08:00"],
  ["1.12.6", "78d1802", "go1.6.4", "2017-01-10T11:32:34-08:00"],
  ["1.13.0", "49bf474", "go1.7.3", "2017-01-17T01:00:55-08:00"],
  ["1.13.1", "092cba3", "go1.7.5", "2017-02-07T21:58:41-08:00"],
];

function apiVersionOf(version: string): string {
  if (version === "1.13.1") return "1.26";
  const minor = Number(version.split(".")[1]);
  return `1.${minor + 12}`;
}

function packageVersionOf(version: string): string {
  return dockerPackage(version, "trusty").version;
}

/** Every release the simulated apt repository (apt.dockerproject.org, ubuntu-trusty main) offers, oldest first. */
export const DOCKER_RELEASES: readonly DockerRelease[] = RAW.map(([version, gitCommit, goVersion, buildTime]) => ({
  version,
  packageVersion: packageVersionOf(version),
  apiVersion: apiVersionOf(version),
  gitCommit,
  goVersion,
  buildTime,
}));

/** The Debian package that carries the engine. */
export const DOCKER_PACKAGE = "docker-engine";

/** Finds a release by engine version ("1.11.2") or package version ("1.11.2-0~trusty"). */
export function dockerRelease(versionOrPackage: string): DockerRelease | undefined {
  return DOCKER_RELEASES.find((r) => r.version === versionOrPackage || r.packageVersion === versionOrPackage);
}

/** The engine behaviours that differ by release, derived from the version (sources in each comment). */
export function dockerTraits(version: string) {
  return {
    /** 1.8 replaced "Client version: x" lines by grouped Client:/Server: blocks and added --format (reference §5). */
    groupedVersionOutput: atLeast(version, "1.8.0"),
    /** Template field is `.Server.ApiVersion` up to 1.10 and `.Server.APIVersion` from 1.11 (moby api/client/version.go). */
    apiVersionField: atLeast(version, "1.11.0") ? "APIVersion" : "ApiVersion",
    /** CLI text when the socket refuses (moby api/client/utils.go, engine-api errors.go). */
    cannotConnect: atLeast(version, "1.13.0")
      ? "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
      : atLeast(version, "1.9.0")
        ? "Cannot connect to the Docker daemon. Is the docker daemon running on this host?"
        : "Cannot connect to the Docker daemon. Is 'docker -d' running on this host?",
    /** `--live-restore` exists from 1.12 (reference §5 "Live restore"). */
    liveRestore: atLeast(version, "1.12.0"),
    /** 1.10 migrates the image store to content-addressable IDs on its first start (reference §5). */
    contentAddressable: atLeast(version, "1.10.0"),
    /** `ContainersRunning` etc. appear in `docker info` from 1.10. */
    infoCounts: atLeast(version, "1.10.0"),
    /** 1.13 moved the CLI to cobra: unknown flags read "unknown flag: --x" and exit 125. */
    cobraCli: atLeast(version, "1.13.0"),
    /** `unless-stopped` restart policy arrived in 1.9. */
    unlessStopped: atLeast(version, "1.9.0"),
  };
}

// Docker Engine releases the simulated apt repository offers, with the facts each one's CLI and daemon expose.
import { dockerPackage, type DockerPackageName } from "../../catalogue/docker-packages";
import { atLeast } from "./versions";

/** One Docker Engine release as packaged for Ubuntu 14.04 (trusty). */
export interface DockerRelease {
  /** Engine version, e.g. "1.11.2". */
  readonly version: string;
  /** The Debian package that carries it on trusty: `docker-engine` up to 17.05, `docker-ce` from 17.06. */
  readonly packageName: DockerPackageName;
  /** apt version string of that package, e.g. "1.11.2-0~trusty" or "18.06.3~ce~3-0~ubuntu". */
  readonly packageVersion: string;
  /** What `docker version` and `docker info` print: the version, with "-ce" from 17.03 (e.g. "17.06.2-ce"). */
  readonly displayVersion: string;
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
  // Docker CE (docker/docker-ce tags v17.03.0-ce … v18.06.3-ce): commit and Go version as each release's
  // `docker version` prints them (e.g. 18.06.3-ce: "Git commit: d7080c1", "Go version: go1.10.3", "Built: Wed Feb 20
  // 02:27:18 2019", seen in many users' outputs); dates from docker/docker-ce CHANGELOG.md at each tag, at 00:00 UTC
  // where the build time is not known. 17.12 is left out as in catalogue/docker.ts (trusty unconfirmed, §6.3).
  ["17.03.0", "3a232c8", "go1.7.5", "2017-03-01T00:00:00+00:00"],
  ["17.03.1", "c6d412e", "go1.7.5", "2017-03-27T00:00:00+00:00"],
  ["17.03.2", "f5ec1e2", "go1.7.5", "2017-05-29T00:00:00+00:00"],
  ["17.05.0", "89658be", "go1.7.5", "2017-05-04T00:00:00+00:00"],
  ["17.06.0", "02c1d87", "go1.8.3", "2017-06-28T00:00:00+00:00"],
  ["17.06.1", "874a737", "go1.8.3", "2017-08-17T00:00:00+00:00"],
  ["17.06.2", "cec0b72", "go1.8.3", "2017-09-05T00:00:00+00:00"],
  ["17.09.0", "afdb6d4", "go1.8.3", "2017-09-26T00:00:00+00:00"],
  ["17.09.1", "19e2cf6", "go1.8.3", "2017-12-07T00:00:00+00:00"],
  ["18.03.0", "0520e24", "go1.9.4", "2018-03-21T00:00:00+00:00"],
  ["18.03.1", "9ee9f40", "go1.9.5", "2018-04-26T00:00:00+00:00"],
  ["18.06.0", "0ffa825", "go1.10.3", "2018-07-18T00:00:00+00:00"],
  ["18.06.1", "e68fc7a", "go1.10.3", "2018-08-21T00:00:00+00:00"],
  ["18.06.2", "6d37f41", "go1.10.3", "2019-02-11T00:00:00+00:00"],
  ["18.06.3", "d7080c1", "go1.10.3", "2019-02-20T02:27:18+00:00"],
];

// Default API version per Docker CE minor (moby/docker-ce `api/common.go` DefaultVersion; newest-releases §3.1 table).
const CE_API: Readonly<Record<string, string>> = {
  "17.03": "1.27",
  "17.05": "1.29",
  "17.06": "1.30",
  "17.09": "1.32",
  "18.03": "1.37",
  "18.06": "1.38",
};

function apiVersionOf(version: string): string {
  const ce = CE_API[version.split(".").slice(0, 2).join(".")];
  if (ce !== undefined) return ce;
  if (version === "1.13.1") return "1.26";
  const minor = Number(version.split(".")[1]);
  return `1.${minor + 12}`;
}

function packageVersionOf(version: string): string {
  return dockerPackage(version, "trusty").version;
}

/**
 * Every release the simulated apt repositories offer, oldest first: apt.dockerproject.org ubuntu-trusty main
 * (docker-engine, up to 17.05) and download.docker.com trusty stable (docker-ce, from 17.06; it also carries 17.03.x,
 * see DOCKER_CE_ALSO). Docker CE releases name themselves "<version>-ce" (docker/docker-ce VERSION files).
 */
export const DOCKER_RELEASES: readonly DockerRelease[] = RAW.map(([version, gitCommit, goVersion, buildTime]) => ({
  version,
  packageName: dockerPackage(version, "trusty").name,
  packageVersion: packageVersionOf(version),
  displayVersion: atLeast(version, "17.3.0") ? `${version}-ce` : version,
  apiVersion: apiVersionOf(version),
  gitCommit,
  goVersion,
  buildTime,
}));

/** The Debian package that carried the engine up to 17.05. */
export const DOCKER_PACKAGE = "docker-engine";
/** The Debian package that carries it from 17.06 (Conflicts and Replaces docker-engine). */
export const DOCKER_CE_PACKAGE = "docker-ce";
/** Both, in the order a host is looked at. */
export const DOCKER_PACKAGES: readonly DockerPackageName[] = [DOCKER_PACKAGE, DOCKER_CE_PACKAGE];

/**
 * 17.03.x is in both repositories: docker-engine on apt.dockerproject.org and docker-ce 17.03.x~ce-0~ubuntu-trusty
 * on download.docker.com trusty stable (third-party `apt-cache madison`, newest-releases §3.1).
 */
const DOCKER_CE_ALSO = (r: DockerRelease) => r.version.startsWith("17.03.");

/** Finds a release by engine version ("1.11.2", "17.06.2-ce") or package version ("1.11.2-0~trusty"). */
export function dockerRelease(versionOrPackage: string): DockerRelease | undefined {
  return DOCKER_RELEASES.find(
    (r) =>
      r.version === versionOrPackage || r.packageVersion === versionOrPackage || r.displayVersion === versionOrPackage,
  );
}

/** The versions package `name` has in the simulated repositories, oldest first. */
export function packageReleases(name: string): readonly DockerRelease[] {
  if (name === DOCKER_PACKAGE) return DOCKER_RELEASES.filter((r) => r.packageName === DOCKER_PACKAGE);
  if (name === DOCKER_CE_PACKAGE) {
    return DOCKER_RELEASES.filter((r) => r.packageName === DOCKER_CE_PACKAGE || DOCKER_CE_ALSO(r));
  }
  return [];
}

/** The engine behaviours that differ by release, derived from the version (sources in each comment). */
export function dockerTraits(version: string) {
  return {
    /** 1.8 replaced "Client version: x" lines by grouped Client:/Server: blocks and added --format (reference §5). */
    groupedVersionOutput: atLeast(version, "1.8.0"),
    /**
     * Template field is `.Server.ApiVersion` up to 1.10 and `.Server.APIVersion` from 1.11 (moby
     * api/client/version.go).
     */
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

/** Which Debian package carries each Docker Engine release on Ubuntu, and its apt version string. */
import type { Sourced, VersionRange } from "./types";

/** The Debian package names the engine shipped under. */
export type DockerPackageName = "docker-engine" | "docker-ce";

/** How the engine is packaged for a range of releases. */
export interface DockerPackageRule extends Sourced {
  /** The engine releases the rule covers. */
  readonly versions: VersionRange;
  /** The Debian package. */
  readonly name: DockerPackageName;
  /** The apt version string of release `version` for Ubuntu `codename` (e.g. "trusty"). */
  readonly aptVersion: (version: string, codename: string) => string;
  /** The apt repository line. */
  readonly repository: string;
}

const DOCKERPROJECT = (codename: string) => `deb https://apt.dockerproject.org/repo ubuntu-${codename} main`;
const DOCKER_CE = (codename: string) => `deb [arch=amd64] https://download.docker.com/linux/ubuntu ${codename} stable`;

/** The rules, oldest releases first; exactly one covers each release from 1.7.0 on. */
export const DOCKER_PACKAGE_RULES: readonly DockerPackageRule[] = [
  {
    versions: { before: "1.12.4" },
    name: "docker-engine",
    aptVersion: (v, codename) => `${v}-0~${codename}`,
    repository: DOCKERPROJECT("trusty"),
    source: "apt.dockerproject.org ubuntu-trusty pool (e.g. docker-engine_1.11.2-0~trusty_amd64.deb); fact sheet §5",
  },
  {
    versions: { from: "1.12.4", before: "17.03.0" },
    name: "docker-engine",
    aptVersion: (v, codename) => `${v}-0~ubuntu-${codename}`,
    repository: DOCKERPROJECT("trusty"),
    source:
      "apt.dockerproject.org: from 1.12.4 the suffix is -0~ubuntu-<codename> (e.g. 1.13.1-0~ubuntu-trusty); fact sheet §5",
  },
  {
    versions: { from: "17.03.0", before: "17.06.0" },
    name: "docker-engine",
    aptVersion: (v, codename) => `${v}~ce-0~ubuntu-${codename}`,
    repository: DOCKERPROJECT("trusty"),
    source:
      "moby/moby@v17.05.0-ce:contrib/builder/deb/amd64/ubuntu-trusty and hack/make/.build-deb/control (docker-engine built for trusty through 17.05, e.g. 17.05.0~ce-0~ubuntu-trusty: third-party URLs, unconfirmed); apt.dockerproject.org shut down 2020-03-31 (moby/moby#40466); newest-releases fact sheet §3.1. The docker-ce repository also carries 17.03.x as docker-ce 17.03.2~ce-0~ubuntu-trusty",
  },
  {
    versions: { from: "17.06.0", before: "18.06.0" },
    name: "docker-ce",
    aptVersion: (v) => `${v}~ce-0~ubuntu`,
    repository: DOCKER_CE("trusty"),
    source:
      "docker/docker-ce@v17.06.2-ce:components/packaging/deb/Makefile (ubuntu-trusty target); third-party apt-cache madison (17.09.0~ce-0~ubuntu) and download URLs (18.03.1~ce-0~ubuntu); docker-ce Conflicts/Replaces docker-engine; newest-releases fact sheet §3.1",
  },
  {
    versions: { from: "18.06.0" },
    name: "docker-ce",
    aptVersion: (v) => `${v}~ce~3-0~ubuntu`,
    repository: DOCKER_CE("trusty"),
    source:
      "third-party download URLs (18.06.3~ce~3-0~ubuntu); docker/docker-ce@v18.06.3-ce:components/packaging/deb/Makefile; 18.06.3 is the last for trusty (18.09.0 CHANGELOG); newest-releases fact sheet §3.1",
  },
];

/** The package that carries an engine release on Ubuntu `codename`. */
export interface DockerPackage {
  /** Debian package name. */
  readonly name: DockerPackageName;
  /** apt version string, e.g. "1.11.2-0~trusty" or "18.06.3~ce~3-0~ubuntu". */
  readonly version: string;
  /** The apt repository line that serves it. */
  readonly repository: string;
}

function parts(version: string): readonly number[] {
  return version.split(/[.-]/).slice(0, 3).map(Number);
}

function below(a: string, b: string): boolean {
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((pa[i] as number) !== (pb[i] as number)) return (pa[i] as number) < (pb[i] as number);
  return false;
}

function covers(rule: DockerPackageRule, version: string): boolean {
  const { from, before } = rule.versions;
  return (from === undefined || !below(version, from)) && (before === undefined || below(version, before));
}

/**
 * The Debian package of engine `version` ("1.12.4", "18.06.3") on Ubuntu `suite` ("trusty"; the
 * apt.dockerproject.org suite name "ubuntu-trusty" reads the same). Throws a RangeError naming the
 * version for one that is not `major.minor.patch`.
 */
export function dockerPackage(version: string, suite = "trusty"): DockerPackage {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new RangeError(
      `Docker version ${JSON.stringify(version)} is not major.minor.patch, e.g. "1.11.2" or "18.06.3"`,
    );
  }
  const codename = suite.replace(/^ubuntu-/, "");
  const rule = DOCKER_PACKAGE_RULES.find((r) => covers(r, version)) as DockerPackageRule;
  return { name: rule.name, version: rule.aptVersion(version, codename), repository: rule.repository };
}

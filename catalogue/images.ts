// Docker images the components run from: Mesosphere's public images, how their tags follow the version, and how
// their containers are recognised and named.

/** The image repository of each containerised component. */
export const IMAGE_REPOSITORIES = {
  "mesos-master": {
    repository: "mesosphere/mesos-master",
    source: "mesosphere-backup/docker-containers@HEAD:mesos/README.md",
  },
  "mesos-slave": {
    repository: "mesosphere/mesos-slave",
    source: "mesosphere-backup/docker-containers@HEAD:mesos/README.md",
  },
  marathon: {
    repository: "mesosphere/marathon",
    source: "mesosphere/marathon Docker images, tagged v<version> (docs/docs/marathon-docker.md)",
  },
} as const;

/**
 * Mesosphere package build of each Mesos release, the middle of the image tag `<version>-<build>.ubuntu1404`.
 * "seen": the build appears in public Dockerfiles (mesosphere/marathon's Dockerfile at its tags uses
 * mesos=0.24.1-0.2.35, 0.26.0-0.2.145, 0.26.2-2.0.60, 0.28.0-2.0.16, 0.28.2-2.0.27, 1.0.0-2.0.89, 1.0.1-2.0.93,
 * 1.1.0-2.0.107); the others follow the same scheme with an inferred build number.
 */
export const MESOS_IMAGE_BUILDS: Readonly<Record<string, string>> = {
  "0.22.0": "1.0",
  "0.22.1": "1.0" /* seen */,
  "0.22.2": "1.0",
  "0.23.0": "1.0" /* seen */,
  "0.23.1": "1.0",
  "0.24.0": "0.2.35",
  "0.24.1": "0.2.35" /* seen */,
  "0.24.2": "2.0.35",
  "0.25.0": "0.2.70" /* seen */,
  "0.25.1": "2.0.70",
  "0.26.0": "0.2.145" /* seen */,
  "0.26.1": "2.0.145",
  "0.26.2": "2.0.60" /* seen */,
  "0.27.0": "0.2.190" /* seen */,
  "0.27.1": "2.0.226" /* seen */,
  "0.27.2": "2.0.15",
  "0.27.3": "2.0.15",
  "0.28.0": "2.0.16" /* seen */,
  "0.28.1": "2.0.20",
  "0.28.2": "2.0.27" /* seen */,
  "0.28.3": "2.0.27",
  "1.0.0": "2.0.89" /* seen */,
  "1.0.1": "2.0.93" /* seen */,
  "1.0.2": "2.0.93",
  "1.0.3": "2.0.93",
  "1.0.4": "2.0.93",
  "1.1.0": "2.0.107" /* seen */,
  "1.1.1": "2.0.107",
  "1.1.2": "2.0.107",
  "1.1.3": "2.0.107",
  "1.2.0": "2.0.6",
  "1.2.1": "2.0.6",
  "1.2.2": "2.0.6",
  "1.2.3": "2.0.6",
  "1.3.0": "2.0.3",
  "1.3.1": "2.0.3",
  "1.3.2": "2.0.3",
};

/**
 * Mesos releases whose images are named by the release alone (`mesosphere/mesos-slave:1.4.3`). From 1.4 the image
 * Makefile pushes a second, short tag with the package build cut off (mesosphere-backup/docker-containers@HEAD:
 * mesos/Makefile, `SHORT_VERSION`), and the public scripts that run 1.4+ images use it (seen: 1.4.0-rc5, 1.4.1,
 * 1.5.0, 1.7.0); the package build behind those tags, and whether every one of these versions was pushed, is not
 * confirmed (newest-releases.md §6.9), so these releases are named by their short tag only.
 */
export const MESOS_SHORT_TAG_RELEASES: readonly string[] = [
  "1.4.0",
  "1.4.1",
  "1.4.2",
  "1.4.3",
  "1.5.0",
  "1.5.1",
  "1.5.2",
  "1.5.3",
  "1.6.0",
  "1.6.1",
  "1.6.2",
  "1.7.0",
  "1.7.1",
  "1.7.2",
  "1.7.3",
  "1.8.0",
  "1.8.1",
  "1.9.0",
  "1.10.0",
  "1.11.0",
];

/** The tag of Mesosphere's Mesos images for `version` ("0.28.2-2.0.27.ubuntu1404", "1.7.3"), or undefined. */
export function mesosImageTag(version: string): string | undefined {
  if (MESOS_SHORT_TAG_RELEASES.includes(version)) return version;
  const build = MESOS_IMAGE_BUILDS[version];
  return build ? `${version}-${build}.ubuntu1404` : undefined;
}

/** A component that runs in a container. */
export type ContainerComponent = keyof typeof IMAGE_REPOSITORIES;

/** "repository:tag" for `component` at `version` (repository overridable, e.g. a private mirror). */
export function imageFor(
  component: ContainerComponent,
  version: string,
  repository: string = IMAGE_REPOSITORIES[component].repository,
): string {
  if (component === "marathon") return `${repository}:v${version}`;
  const tag = mesosImageTag(version);
  if (!tag) {
    const known = [...Object.keys(MESOS_IMAGE_BUILDS), ...MESOS_SHORT_TAG_RELEASES];
    throw new Error(`no ${component} image is known for Mesos ${version}; known: ${known.join(", ")}`);
  }
  return `${repository}:${tag}`;
}

/** The version an image reference runs ("mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404" → "0.22.1"), or undefined. */
export function versionOfImage(image: string): string | undefined {
  const tag = image.slice(image.lastIndexOf(":") + 1);
  return /^v?(\d+\.\d+\.\d+(?:-RC\d+)?)/.exec(tag)?.[1];
}

/** The programs each component's container runs (the image's entrypoint, or the command an operator gave). */
export const COMPONENT_COMMANDS: Readonly<Record<ContainerComponent, readonly string[]>> = {
  "mesos-master": ["mesos-master"],
  // 1.0 renamed the binary; the Mesosphere images of 0.22–0.28 run mesos-slave.
  "mesos-slave": ["mesos-slave", "mesos-agent"],
  marathon: ["marathon"],
};

/**
 * The name a component's container gets unless the stack says otherwise; no Mesos version stops these (a recovering
 * agent stops containers named "mesos-…": parse() in apache/mesos src/slave/containerizer/docker.cpp).
 */
export const DEFAULT_CONTAINER_NAMES: Readonly<Record<ContainerComponent, string>> = {
  "mesos-master": "mesos_master",
  "mesos-slave": "mesos_slave",
  marathon: "marathon",
};

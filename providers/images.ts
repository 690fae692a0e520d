// The image reference of a component at a version, and the version an image reference stands for.
import { IMAGE_REPOSITORIES, MESOS_IMAGE_BUILDS } from "../catalogue/images";

export type ContainerComponent = keyof typeof IMAGE_REPOSITORIES;

/** "repository:tag" for `component` at `version` (repository overridable, e.g. a private mirror). */
export function imageFor(component: ContainerComponent, version: string, repository: string = IMAGE_REPOSITORIES[component].repository): string {
  if (component === "marathon") return `${repository}:v${version}`;
  const build = MESOS_IMAGE_BUILDS[version];
  if (!build) throw new Error(`no ${component} image is known for Mesos ${version}; known: ${Object.keys(MESOS_IMAGE_BUILDS).join(", ")}`);
  return `${repository}:${version}-${build}.ubuntu1404`;
}

/** The version an image reference runs ("mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404" → "0.22.1"), or undefined. */
export function versionOfImage(image: string): string | undefined {
  const tag = image.slice(image.lastIndexOf(":") + 1);
  return /^v?(\d+\.\d+\.\d+(?:-RC\d+)?)/.exec(tag)?.[1];
}

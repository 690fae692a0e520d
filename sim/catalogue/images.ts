// The simulated Docker registry: which images and tags exist, and their stable ids and sizes.
import { createHash } from "node:crypto";
import { MARATHON_IMAGE, MARATHON_RELEASES } from "./marathon";
import { MESOS_AGENT_IMAGE, MESOS_MASTER_IMAGE, MESOS_RELEASES } from "./mesos";

/** A reference split into repository and tag ("redis" → tag "latest"). */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
}

/** An image as the registry serves it. */
export interface RegistryImage extends ImageRef {
  /** 64 hex characters, stable for a repository:tag. */
  readonly id: string;
  /** Virtual size in bytes (drives pull time and 1.10's migration time). */
  readonly size: number;
}

/** Parses "repo[:tag]" (a registry host with a port keeps its colon). */
export function parseImageRef(reference: string): ImageRef {
  const slash = reference.lastIndexOf("/");
  const colon = reference.lastIndexOf(":");
  if (colon > slash) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: "latest" };
}

/** "repo:tag". */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.repository}:${ref.tag}`;
}

// Repositories whose tags the registry knows exactly; any other repository answers for every tag, so tests can
// run arbitrary workloads (busybox, ubuntu, docker/v1.10-migrator, the apps' images).
const EXACT_TAGS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [MESOS_MASTER_IMAGE, new Set(MESOS_RELEASES.map((r) => r.imageTag))],
  [MESOS_AGENT_IMAGE, new Set(MESOS_RELEASES.map((r) => r.imageTag))],
  [MARATHON_IMAGE, new Set(MARATHON_RELEASES.map((r) => `v${r.version}`))],
]);

const SIZES: Readonly<Record<string, number>> = {
  [MESOS_MASTER_IMAGE]: 480_000_000,
  [MESOS_AGENT_IMAGE]: 510_000_000,
  [MARATHON_IMAGE]: 720_000_000,
};

// Entrypoints of the images whose commands the simulator knows (`docker ps` shows them in COMMAND).
const ENTRYPOINTS: Readonly<Record<string, readonly string[]>> = {
  [MESOS_MASTER_IMAGE]: ["mesos-master"],
  [MESOS_AGENT_IMAGE]: ["mesos-slave"],
  [MARATHON_IMAGE]: ["./bin/start"],
};

/** The parts of an image's config a container inherits (`docker inspect IMAGE` → Config). */
export interface ImageConfig {
  readonly Env: readonly string[];
  readonly Entrypoint: readonly string[] | null;
  /** Null: the simulator knows the entrypoints of the images it runs, not the CMD of workload images. */
  readonly Cmd: readonly string[] | null;
  readonly WorkingDir: string;
}

// Every image the simulator serves is built FROM an official base (ubuntu:14.04 for Mesosphere's Mesos and Marathon
// images, busybox and others for workloads), whose config sets PATH; the image inherits it (`docker inspect
// ubuntu:14.04` → Config.Env ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]).
const BASE_ENV: readonly string[] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];
// mesosphere/marathon's Dockerfile: WORKDIR /marathon, ENTRYPOINT ["./bin/start"] (mesosphere/marathon@v0.9.1
// Dockerfile).
const WORKDIRS: Readonly<Record<string, string>> = { [MARATHON_IMAGE]: "/marathon" };

/** The image's config as `docker inspect IMAGE` shows it; the daemon merges it into each container's config. */
export function imageConfig(reference: string): ImageConfig {
  const repository = parseImageRef(reference).repository;
  const entrypoint = ENTRYPOINTS[repository];
  return { Env: BASE_ENV, Entrypoint: entrypoint ?? null, Cmd: null, WorkingDir: WORKDIRS[repository] ?? "" };
}

/** The image's ENTRYPOINT, if the simulator knows it. */
export function imageEntrypoint(reference: string): readonly string[] | undefined {
  return ENTRYPOINTS[parseImageRef(reference).repository];
}

/** The image the registry serves for a reference, or undefined when the tag does not exist. */
export function registryImage(ref: ImageRef): RegistryImage | undefined {
  const tags = EXACT_TAGS.get(ref.repository);
  if (tags && !tags.has(ref.tag)) return undefined;
  const id = createHash("sha256").update(`${ref.repository}:${ref.tag}`).digest("hex");
  return { ...ref, id, size: SIZES[ref.repository] ?? 180_000_000 };
}

// The config of each image a read met, kept for the process: an image's id names its config (from Docker 1.10 the id is
// the digest of the config; before, a v1 id fixed when the image was built and carried by every pull of it), so what
// one host answered for an id is what every host running that id would answer. A discovery of many hosts running the
// same images then asks one host per image, and the others skip a `docker inspect` of their images (a process each on
// a real host: the Go client's start and an API round trip).

import type { ImageDefaults } from "./container-options";

/** An image id as a container's `Image` names it: 64 hex digits, prefixed "sha256:" from Docker 1.10. */
export const IMAGE_ID = /^(sha256:)?[0-9a-f]{64}$/;

/** At most this many configs are kept (the oldest go first); a cluster runs a few images per component and version. */
export const KEPT_IMAGE_CONFIGS = 512;

const kept = new Map<string, ImageDefaults>();

/** The configs kept so far, by image id. */
export function keptImageConfigs(): ReadonlyMap<string, ImageDefaults> {
  return kept;
}

/**
 * Keeps the configs a read brought, by id; anything whose id is not an image id is left out (the ids go back into the
 * next read's shell script: a host's answer never becomes shell text unchecked).
 */
export function keepImageConfigs(read: ReadonlyMap<string, ImageDefaults>): void {
  for (const [id, config] of read) {
    if (!IMAGE_ID.test(id)) continue;
    kept.delete(id);
    kept.set(id, config);
  }
  for (const id of kept.keys()) {
    if (kept.size <= KEPT_IMAGE_CONFIGS) break;
    kept.delete(id);
  }
}

/** Forgets every kept config (tests). */
export function forgetImageConfigs(): void {
  kept.clear();
}

// What a run's steps will fetch, decided from its plan (pure): per host, the images of its container steps that change
// version and the Docker package of its engine step. The program declares it as one PrePull resource every step
// waits for (providers/prePull.ts), so the fetching happens before the first window, and never in a preview.
import { imageFor, type ContainerComponent } from "../catalogue/images";
import { dockerPackage } from "../catalogue/docker-packages";
import type { ConnectionArgs } from "../providers/component";
import type { PrePullHost } from "../providers/prePull";
import type { PlanStep } from "../planner";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { nameOfUrn } from "./events";
import type { StackSettings } from "./settings";

/** The resource's name. */
export const PRE_PULL = "pre-pull";

const repositoryOf = (settings: StackSettings, component: ContainerComponent): string | undefined =>
  component === "mesos-master"
    ? settings.mesosMaster.image
    : component === "mesos-slave"
      ? settings.mesosSlave.image
      : settings.marathon.image;

/**
 * Per host of `steps` (in their order), what its steps need that it may not have: a new version's image, a new
 * engine's package. Settings steps (same version) need nothing. No host needing anything: an empty list.
 */
export function prePullOf(
  steps: readonly PlanStep[],
  settings: StackSettings,
  connectionOf: (host: string) => ConnectionArgs,
): PrePullHost[] {
  const byHost = new Map<string, { images: string[]; packages: { name: string; version: string }[] }>();
  for (const step of steps) {
    if (step.from === step.to) continue;
    const need = byHost.get(step.host) ?? { images: [], packages: [] };
    if (step.component === "docker") {
      const pinned = dockerPackage(step.to, settings.docker.suite);
      need.packages.push({ name: pinned.name, version: pinned.version });
    } else {
      need.images.push(imageFor(step.component, step.to, repositoryOf(settings, step.component)));
    }
    byHost.set(step.host, need);
  }
  return [...byHost].map(([host, need]) => ({ connection: connectionOf(host), ...need }));
}

/** The live line of the pre-pull for one engine event of a `pulumi up` (its start, its end, its failure), if any. */
export function prePullLine(event: EngineEvent): string | undefined {
  const pre = event.resourcePreEvent?.metadata;
  if (pre && nameOfUrn(pre.urn) === PRE_PULL && (pre.op === "create" || pre.op === "update")) {
    const hosts = ((pre.new?.inputs as { hosts?: PrePullHost[] } | undefined)?.hosts ?? []) as PrePullHost[];
    const count = (key: "images" | "packages") => hosts.reduce((sum, h) => sum + (h[key]?.length ?? 0), 0);
    return `  ▶ pre-pull on ${hosts.length} host(s): ${count("images")} image(s), ${count("packages")} Docker package(s), before the first step`;
  }
  const done = event.resOutputsEvent?.metadata;
  if (done && nameOfUrn(done.urn) === PRE_PULL && (done.op === "create" || done.op === "update")) {
    const seconds = (done.new?.outputs as { seconds?: number } | undefined)?.seconds;
    return `  ✓ pre-pull done${seconds === undefined ? "" : ` in ${seconds}s`}`;
  }
  const failed = event.resOpFailedEvent?.metadata;
  if (failed && nameOfUrn(failed.urn) === PRE_PULL) return "  ✗ pre-pull failed: no step starts (the error below)";
  return undefined;
}

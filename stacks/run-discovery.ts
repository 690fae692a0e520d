// Discovery once per run (issue 14): converge previews a run, then applies it, and the program discovers the cluster
// in both. Within one converge run the update takes the preview's discovery instead of reading every host again,
// when it was made for the same stack, settings and key, the preview ended less than REUSE_SECONDS ago, and it found
// no host problem.
// Never across runs: converge opens a slot per run and closes it when the run ends. Each step's provider still reads
// its host before it acts and refuses a hop from a version other than the one it finds (planner/hop-refusal.ts), so
// a host changed between the preview and the update is caught at its step.
import { createHash } from "node:crypto";
import type { DiscoveredHost } from "./discover";
import type { StackSettings } from "./settings";

/** How long after its preview ended an update may take its discovery (a person may have been asked in between). */
export const REUSE_SECONDS = 120;

/** The preview's discovery of the run converge has open. */
interface Slot {
  readonly run: string;
  readonly key?: string;
  readonly found?: readonly DiscoveredHost[];
  readonly at?: number;
}

let slot: Slot | undefined;

/** Converge opens a run: its preview's discovery may serve its update; whatever an earlier run kept is dropped. */
export function openRunDiscovery(run: string): void {
  slot = { run };
}

/**
 * Converge's preview of the run ended: the age that counts is from here. A preview of 100 hosts spends a minute or
 * more in the engine after discovery, and converge goes straight on to the update unless a person is asked; timing
 * from discovery made the update of a large cluster read every host again (issue 14). The slot's `at` is the
 * preview's end, so REUSE_SECONDS still bounds the pause before the update, whoever makes it.
 */
export function previewEnded(now: number = Date.now()): void {
  if (slot?.found !== undefined) slot = { ...slot, at: now };
}

/** Converge closes the run (applied, refused, failed or stopped): nothing carries over. */
export function closeRunDiscovery(): void {
  slot = undefined;
}

/** What discovery depends on: the stack, its settings and the credentials (a digest, never the key itself). */
export function discoveryKey(stack: string, settings: StackSettings, privateKey: string): string {
  const credentials = createHash("sha256").update(privateKey).digest("hex");
  return createHash("sha256").update(JSON.stringify({ stack, settings, credentials })).digest("hex");
}

/** Whether the update may take the slot's discovery (pure). */
export function mayReuse(kept: Slot | undefined, key: string, now: number): boolean {
  return (
    kept?.found !== undefined &&
    kept.key === key &&
    kept.at !== undefined &&
    now - kept.at <= REUSE_SECONDS * 1000 &&
    !kept.found.some((h) => h.problems.length > 0)
  );
}

/**
 * The cluster as discovered for this program run: a preview (dryRun) discovers and, inside a converge run, keeps it;
 * the update of the same run takes it once (mayReuse); anything else discovers.
 */
export async function discoveredOnce(
  key: string,
  dryRun: boolean,
  discover: () => Promise<DiscoveredHost[]>,
  now: () => number = Date.now,
): Promise<DiscoveredHost[]> {
  const open = slot;
  if (!dryRun && open && mayReuse(open, key, now())) {
    slot = { run: open.run };
    return [...(open.found as DiscoveredHost[])];
  }
  const found = await discover();
  if (dryRun && open && slot === open) slot = { run: open.run, key, found, at: now() };
  return found;
}

// Discovery once per run (issue 14): converge previews a run, then applies it, and the program discovers the cluster
// in both. Within one converge run the update takes the preview's discovery instead of reading every host again,
// when it was made for the same stack, settings and key, less than REUSE_SECONDS ago, and found no host problem.
// Never across runs: converge opens a slot per run and closes it when the run ends. Each step's provider still reads
// its host before it acts and refuses a hop from a version other than the one it finds (planner/hop-refusal.ts), so
// a host changed between the preview and the update is caught at its step.
import { createHash } from "node:crypto";
import type { DiscoveredHost } from "./discover";
import type { StackSettings } from "./settings";

/** How old a preview's discovery may be for the update to take it (a person may have been asked in between). */
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

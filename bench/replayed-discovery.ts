// What a preview costs without reading any host: the benchmark's stack keeps what its last discovery found, and a
// second handle on the same stack runs the program with that finding given back instead of read. The preview's time
// beyond its floor then splits into the program's own (replayed) and the hosts' side of discovery (the rest), which on
// this machine the simulated hosts pay with the engine's cores.
import type { DiscoveredHost } from "../stacks/discover";
import { discoverCluster } from "../stacks/discover";
import type { Discover } from "../stacks/program";

/** A discovery that records what it found, and one that gives the last finding back. */
export interface RecordedDiscovery {
  /** Reads the hosts (`read`) and keeps what it found. */
  readonly discover: Discover;
  /** The last finding of `discover`, read from no host; it fails while there is none, or for other hosts. */
  readonly replay: Discover;
}

/** Records `read`'s findings for `replay` (both used by one process: the benchmark's). */
export function recordedDiscovery(read: Discover = discoverCluster): RecordedDiscovery {
  let last: readonly DiscoveredHost[] | undefined;
  return {
    discover: async (settings, privateKey) => {
      const found = await read(settings, privateKey);
      last = found;
      return found;
    },
    replay: async (settings) => {
      if (!last) throw new Error("no discovery to replay: run a preview of the recording program first");
      const recorded = last.map((h) => h.name).join(",");
      const asked = settings.hosts.map((h) => h.name).join(",");
      if (recorded !== asked) {
        throw new Error(`the recorded discovery is of hosts ${recorded}, not of the stack's hosts ${asked}`);
      }
      return [...last];
    },
  };
}

// The whole-cluster restart of Marathon (1.1 → 1.3): each instance's step stops its container, then waits until no
// other instance runs a version the new one cannot meet, and only then starts the new version. Instances cannot agree
// over Marathon's HTTP (a standby passes every request on to the leader, LeaderProxyFilter), so each step reads the
// other instances' hosts over SSH, as discovery does (observe/containers).
// Source: Marathon's changelog 1.1.0 → 1.3.0 and docs/docs/upgrade/index.md @v1.4.13 ("stop all older Marathon
// instances before the new version starts"); /work/shared/reference/newest-releases.md §2.2.
import type { HealthGate } from "../remote/gate";
import { sshShell } from "../remote/ssh";
import { listContainers, pickComponentContainer } from "../observe/containers";
import { versionOfImage } from "../catalogue/images";
import { wholeClusterRestart } from "../planner";
import { credentialsOf, sshTargetOf, type ConnectionArgs } from "./component";

/** What one other instance's host runs: its Marathon's version, or undefined when none runs there. */
export interface PeerReading {
  readonly name: string;
  readonly version: string | undefined;
}

/** The instances still running a version that cannot run beside `to` (pure): each as "m2 runs 1.1.7". */
export function blockingPeers(peers: readonly PeerReading[], to: string): string[] {
  return peers
    .filter(
      (p) => p.version !== undefined && (p.version === "unknown" || wholeClusterRestart(p.version, to) !== undefined),
    )
    .map((p) => `${p.name} runs ${p.version}`);
}

/** The observed line for the peers: which block, or that every other instance is stopped or at the new version. */
export function peersObserved(peers: readonly PeerReading[], to: string): { passed: boolean; observed: string } {
  const blocking = blockingPeers(peers, to);
  const each = peers.map((p) => `${p.name} ${p.version ?? "stopped"}`).join(", ") || "no other instance";
  return blocking.length
    ? { passed: false, observed: `still old: ${blocking.join(", ")} (${each})` }
    : { passed: true, observed: `no other instance runs a version older than ${to} can meet (${each})` };
}

/** Reads the Marathon version each peer's host runs, over SSH (a read that fails counts as unknown: it blocks). */
export async function readPeers(
  peers: readonly ConnectionArgs[],
  privateKey: string | undefined,
  repository: string | undefined,
): Promise<PeerReading[]> {
  const credentials = credentialsOf(privateKey);
  return Promise.all(
    peers.map(async (peer) => {
      const shell = sshShell(sshTargetOf(peer, credentials));
      const picked = pickComponentContainer(await listContainers(shell), {
        component: "marathon",
        ...(repository ? { repository } : {}),
      });
      if (picked.problem) throw new Error(`${peer.name}: ${picked.problem}`);
      const running = picked.container?.running ? picked.container : undefined;
      return { name: peer.name, version: running ? (versionOfImage(running.image) ?? "unknown") : undefined };
    }),
  );
}

/** The wait between this instance's stop and its start: no peer runs a version that cannot meet `to`. */
export function peersStoppedGate(
  self: string,
  peers: readonly ConnectionArgs[],
  privateKey: string | undefined,
  repository: string | undefined,
  to: string,
  timeoutSeconds: number,
): HealthGate {
  return {
    description: `whole-cluster restart: ${self} waits until no other Marathon instance (${peers.map((p) => p.name).join(", ")}) runs a version older than ${to} can meet`,
    timeoutSeconds,
    intervalSeconds: 0.5,
    check: async () => peersObserved(await readPeers(peers, privateKey, repository), to),
  };
}

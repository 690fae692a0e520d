// Opening a ZooKeeper archive the providers took before a Marathon storage migration: the Marathon state it holds
// (the simulator's ZooKeeper writes its tree as ./version-2/snapshot.json; Marathon keeps it under /marathon/state,
// sim/marathon/registry.ts).
import assert from "node:assert/strict";
import type { Cluster } from "../../sim";

/** What Marathon had stored in ZooKeeper when the archive was taken. */
export interface ArchivedMarathonState {
  /** The release that last wrote the storage (`internal:storage:version`). */
  readonly storageVersion: string | undefined;
  /** The app definitions' ids. */
  readonly appIds: readonly string[];
}

/** Reads the Marathon state from the archive at `archive` on `host`. */
export async function archivedMarathonState(
  cluster: Cluster,
  host: string,
  archive: string,
): Promise<ArchivedMarathonState> {
  const snapshot = await cluster.exec(host, `tar -xzOf ${archive} ./version-2/snapshot.json`);
  assert.equal(snapshot.code, 0, `${host}:${archive}: ${snapshot.stderr}`);
  const tree = JSON.parse(snapshot.stdout) as {
    children: Record<string, { children: Record<string, { children: Record<string, { data: string }> }> }>;
  };
  const state = tree.children.marathon?.children.state?.children;
  return {
    storageVersion: (JSON.parse(state?.["internal:storage:version"]?.data ?? "{}") as { version?: string }).version,
    appIds: (JSON.parse(state?.apps?.data ?? "[]") as Array<{ id: string }>).map((app) => app.id),
  };
}

/** Fails unless the archive holds the storage `from` wrote (the state before the hop to `to`) and the app `appId`. */
export async function assertArchiveBefore(
  cluster: Cluster,
  where: { host: string; path: string },
  from: string,
  to: string,
  appId: string,
): Promise<void> {
  const state = await archivedMarathonState(cluster, where.host, where.path);
  assert.equal(state.storageVersion, from, `the archive before ${to} (${where.path}) holds ${from}'s storage`);
  assert.ok(
    state.appIds.includes(appId),
    `the archive before ${to} holds the app definitions: ${state.appIds.join(", ")}`,
  );
}

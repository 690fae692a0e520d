// A copy of ZooKeeper's data directory on every ZooKeeper host, taken before a Marathon hop that migrates
// Marathon's storage. Marathon's upgrade guide: back up ZooKeeper's state first (copy its data directory), so that
// going back to the previous version stays possible; the migrated state cannot be read by earlier versions.
import * as pulumi from "@pulumi/pulumi";
import { sshShell, type RemoteShell } from "../remote/ssh";
import { configureFromStack, connectionsFailures, sameValue, targetOf, type ConnectionArgs } from "./component";
import { DelegatingResource, type ProviderImplementation } from "./dynamic";

export interface ZooKeeperBackupArgs {
  /** One connection per host that runs a ZooKeeper server; each one's data directory is archived. */
  readonly connections: pulumi.Input<pulumi.Input<ConnectionArgs>[]>;
  /**
   * The stack's secrets (the SSH key, or the bundle: encodeCredentials), a Pulumi secret; unset, the provider uses
   * the stack config's (component.ts configureFromStack).
   */
  readonly privateKey?: pulumi.Input<string>;
  /** ZooKeeper's dataDir (zoo.cfg), e.g. "/var/lib/zookeeper". */
  readonly dataDir: pulumi.Input<string>;
  /** Where the archives go on each host, e.g. "/var/backups/mesos-upgrade". Archives are never deleted here. */
  readonly backupDir: pulumi.Input<string>;
  /** What the backup is for, e.g. "marathon 1.1.0 → 1.1.7"; part of the archive's name. */
  readonly reason: pulumi.Input<string>;
}

export interface ZooKeeperBackupInputs {
  readonly connections: readonly ConnectionArgs[];
  readonly privateKey?: string;
  readonly dataDir: string;
  readonly backupDir: string;
  readonly reason: string;
}

/** One archive on one host. */
export interface ZooKeeperArchive {
  readonly host: string;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Entries in the archive (files and directories of the data directory). */
  readonly entries: number;
}

export interface ZooKeeperBackupOutputs extends ZooKeeperBackupInputs {
  readonly archives: readonly ZooKeeperArchive[];
  readonly takenAt: string;
}

/** The inputs that say what a backup is; the others say how it was reached. */
const WHAT_IS_BACKED_UP = ["dataDir", "backupDir", "reason"] as const;

/** "marathon 1.1.0 → 1.1.7" → "marathon-1.1.0-to-1.1.7": a file-name-safe form of the reason. */
export function archiveLabel(reason: string): string {
  return (
    reason
      .replace(/→/g, "to")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^-+|-+$/g, "") || "backup"
  );
}

/** "2026-11-25T10:15:00.123Z" → "20261125T101500Z". */
export function archiveStamp(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

function checkInputs(news: Partial<ZooKeeperBackupInputs>): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const connections = news.connections ?? [];
  if (connections.length === 0) {
    failures.push({
      property: "connections",
      reason: "no ZooKeeper host to back up; list the hosts that run ZooKeeper (zookeeper.hosts)",
    });
  }
  failures.push(...connectionsFailures(connections, news.privateKey));
  for (const key of ["dataDir", "backupDir"] as const) {
    const value = news[key];
    if (typeof value !== "string" || !value.startsWith("/") || /[\n\0]/.test(value)) {
      failures.push({
        property: key,
        reason: `${key} must be an absolute path on the hosts, got ${JSON.stringify(value)}`,
      });
    }
  }
  if (!news.reason) {
    failures.push({ property: "reason", reason: 'say what the backup is for, e.g. "marathon 1.1.0 → 1.1.7"' });
  }
  return failures;
}

/** Archives the data directory on one host and reads back what was written. */
async function archiveOn(
  shell: RemoteShell,
  host: string,
  inputs: ZooKeeperBackupInputs,
  file: string,
): Promise<ZooKeeperArchive> {
  const found = await shell.run(["test", "-d", inputs.dataDir], { allowFailure: true });
  if (found.code !== 0) {
    throw new Error(
      `ZooKeeper's data directory ${inputs.dataDir} does not exist on ${shell.label}; set zookeeper.dataDir to ZooKeeper's dataDir (zoo.cfg), or zookeeper.hosts to the hosts that run ZooKeeper`,
    );
  }
  await shell.run(["mkdir", "-p", inputs.backupDir]);
  const path = `${inputs.backupDir.replace(/\/+$/, "")}/${file}`;
  // A live server keeps writing its transaction log: GNU tar then warns and exits 1 with a usable archive.
  const tar = await shell.run(["tar", "-czf", path, "-C", inputs.dataDir, "."], { allowFailure: true });
  if (tar.code !== 0 && !(tar.code === 1 && /file changed as we read it/.test(tar.stderr))) {
    throw new Error(
      `tar of ${inputs.dataDir} on ${shell.label} exited with ${tar.code}: ${tar.stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  const listing = await shell.run(["tar", "-tzf", path]);
  const entries = listing.stdout.split("\n").filter((line) => line !== "" && line !== "./").length;
  if (entries === 0) {
    throw new Error(
      `the archive ${path} on ${shell.label} is empty: ${inputs.dataDir} holds nothing; check zookeeper.dataDir`,
    );
  }
  const sum = await shell.run(["sha256sum", path]);
  const size = await shell.run(["stat", "-c", "%s", path]);
  return { host, path, bytes: Number(size.stdout.trim()), sha256: sum.stdout.split(/\s+/)[0] ?? "", entries };
}

async function create(inputs: ZooKeeperBackupInputs): Promise<pulumi.dynamic.CreateResult<ZooKeeperBackupOutputs>> {
  const takenAt = new Date();
  const file = `zookeeper-${archiveLabel(inputs.reason)}-${archiveStamp(takenAt)}.tar.gz`;
  const archives: ZooKeeperArchive[] = [];
  for (const connection of inputs.connections) {
    try {
      archives.push(
        await archiveOn(
          sshShell(targetOf({ connection, privateKey: inputs.privateKey })),
          connection.name,
          inputs,
          file,
        ),
      );
    } catch (error) {
      const done = archives.length
        ? `; archives already written: ${archives.map((a) => `${a.host}:${a.path}`).join(", ")}`
        : "";
      throw new Error(
        `ZooKeeper backup before ${inputs.reason} failed, nothing of the hop was started: ${(error as Error).message}${done}`,
        { cause: error },
      );
    }
  }
  const id = `zookeeper-${archiveLabel(inputs.reason)}-${archiveStamp(takenAt)}`;
  return { id, outs: { ...inputs, archives, takenAt: takenAt.toISOString() } };
}

export const implementation: ProviderImplementation = {
  configure: configureFromStack,
  async check(_olds, news) {
    const failures = checkInputs(news as Partial<ZooKeeperBackupInputs>);
    return failures.length ? { inputs: news, failures } : { inputs: news };
  },
  async diff(_id, olds, news) {
    // A backup is a fact of the moment it was taken: a change of what to back up is a new backup; a change of how
    // the hosts are reached (a key rotated, a host gone) changes nothing about the archives already written.
    const changed = WHAT_IS_BACKED_UP.filter((key) => !sameValue(olds[key], news[key]));
    return changed.length ? { changes: true, replaces: [...changed], deleteBeforeReplace: false } : { changes: false };
  },
  create: (inputs) => create(inputs as ZooKeeperBackupInputs),
  async read(id, props) {
    // What was archived does not drift: refresh keeps the record of the backup as it was taken.
    return { id, props };
  },
  async update(_id, olds, news) {
    // diff either replaces or reports no change, so the engine never asks for an update; were it to, the record of
    // the archives already written stays.
    return { outs: { ...olds, ...news } };
  },
  async delete() {
    // Removing the resource only forgets it: the archives stay on the hosts until an operator removes them.
  },
};

/** ZooKeeper's data directory archived on every ZooKeeper host; the archives' paths, sizes and digests as outputs. */
export class ZooKeeperBackup extends DelegatingResource {
  declare readonly archives: pulumi.Output<ZooKeeperArchive[]>;
  declare readonly takenAt: pulumi.Output<string>;

  constructor(name: string, args: ZooKeeperBackupArgs, opts?: pulumi.CustomResourceOptions) {
    super(__filename, name, { archives: undefined, takenAt: undefined, ...args }, opts, "zookeeper", "ZooKeeperBackup");
  }
}

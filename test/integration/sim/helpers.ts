// Test helpers: start a cluster in a temporary state directory (stopped after the test file) and talk SSH to it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { Client } from "ssh2";
import { fingerprint, startCluster, type Cluster, type SimHost, type StartOptions } from "../../../sim";

/** A fresh temporary state directory. */
export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), "sim-"));
}

/**
 * Call at suite level: starts a cluster before the suite's tests and stops it after them. Each test file passes its
 * own `network` so files can run in parallel. Returns a getter for the running cluster.
 */
export function useCluster(spec: string | undefined, options: StartOptions & { network: string }): () => Cluster {
  let cluster: Cluster | undefined;
  before(async () => {
    cluster = await startCluster(spec, { ...options, stateDir: options.stateDir ?? tempStateDir() });
  });
  after(() => cluster?.stop());
  return () => {
    if (!cluster) throw new Error("the cluster did not start");
    return cluster;
  };
}

/** The result of one SSH exec. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal?: string;
}

/** Opens an SSH connection with the ssh2 client, pinning the host key fingerprint. */
export function connect(
  host: SimHost,
  privateKey: string,
  user: string,
  options: { readyTimeout?: number } = {},
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once("ready", () => resolve(client));
    client.on("error", (error) => {
      // Later errors of an abandoned connection (e.g. "Connection lost" after a timeout) are not the test's concern.
      reject(error);
      client.destroy();
    });
    client.connect({
      host: host.address,
      port: host.sshPort,
      username: user,
      privateKey,
      readyTimeout: options.readyTimeout ?? 10_000,
      hostVerifier: (key: Buffer) => fingerprint(key) === host.hostKeyFingerprint,
    });
  });
}

/** Runs one command on an open connection. */
export function exec(client: Client, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let stdout = "";
      let stderr = "";
      let code: number | null = null;
      let signal: string | undefined;
      stream.on("data", (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      stream.on("exit", (c: number | null, s?: string) => {
        code = c;
        signal = s;
      });
      stream.on("close", () => resolve({ stdout, stderr, code, ...(signal ? { signal } : {}) }));
      if (stdin !== undefined) stream.end(stdin);
      else stream.end();
    });
  });
}

/** Connects, runs one command, disconnects. */
export async function ssh(cluster: Cluster, hostName: string, command: string): Promise<ExecResult> {
  const client = await connect(cluster.host(hostName), cluster.userKey.privateKey, cluster.userKey.user);
  try {
    return await exec(client, command);
  } finally {
    client.end();
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A host path as the host's shell can reach it: itself with per-host filesystems, under the host's root without. */
export function onHost(cluster: Cluster, host: string, path: string): string {
  return cluster.file.isolation === "namespace" ? path : join(cluster.stateDir, "hosts", host, "root", path);
}

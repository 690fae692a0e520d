// What runs inside a simulated container: a program started with the container's argv, env and mounts.
import type { Fault } from "../faults";
import type { ClusterFile, HostRecord } from "../layout";
import type { LedgerWriter } from "../ledger";
import type { SimClock } from "../time";

/** Docker operations a program may use when the container has the Docker socket bind-mounted (the Mesos agent). */
export interface EngineAccess {
  /** The running daemon's version, or undefined while it is down. */
  daemonVersion(): string | undefined;
  /** Creates and starts a container; resolves to its id. */
  run(spec: RunSpec): Promise<string>;
  /** Stops (and with `remove`, removes) a container by id or name; missing containers are ignored. */
  stop(idOrName: string, options?: { remove?: boolean; timeoutSeconds?: number }): Promise<void>;
  /** Containers whose name starts with `prefix` (running and exited). */
  list(prefix: string): Array<{ id: string; name: string; running: boolean; exitCode: number }>;
  /** Calls `listener` when a container exits (not when it is removed). */
  onExit(listener: (id: string, name: string, exitCode: number) => void): () => void;
  /** True while the daemon is shutting down (its containers are being stopped with it). */
  daemonStopping(): boolean;
  /** The machine path of a path on the host (what a bind mount's host side points at). */
  hostPath(path: string): string;
}

/** A container to run, in `docker run` terms. */
export interface RunSpec {
  readonly name: string;
  readonly image: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly binds?: readonly string[];
  readonly networkMode?: string;
  readonly cmd?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** The container as its program sees it. */
export interface ContainerContext {
  readonly id: string;
  readonly name: string;
  /** The image reference the container was created from ("mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404"). */
  readonly image: string;
  /** Arguments after the entrypoint (the `docker run` command part). */
  readonly args: readonly string[];
  /** Environment variables (image defaults plus -e). */
  readonly env: Readonly<Record<string, string>>;
  readonly host: HostRecord;
  readonly cluster: ClusterFile;
  readonly clock: SimClock;
  readonly ledger: LedgerWriter;
  /** Faults currently injected into the host. */
  faults(): readonly Fault[];
  /** Network mode ("host", "bridge", …). */
  readonly networkMode: string;
  /** PID namespace mode ("host" with --pid=host), undefined for the container's own. */
  readonly pidMode?: string;
  /** The machine path backing a path inside the container (bind mount or the container's own filesystem). */
  resolvePath(containerPath: string): string;
  /** The bind mount covering a container path, with the host-side path as the host sees it ("/data/mesos"). */
  bindFor(containerPath: string): { readonly hostPath: string; readonly containerPath: string } | undefined;
  /** Docker access when /var/run/docker.sock is mounted into the container. */
  readonly engine: EngineAccess | undefined;
  /** Appends to the container's stdout / stderr (what `docker logs` shows). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** The program ends by itself with an exit code (the container exits). */
  exit(code: number): void;
}

/** A running program. */
export interface Program {
  /** Delivers a signal; resolves with the exit code once the program has ended. */
  stop(signal: "SIGTERM" | "SIGKILL"): Promise<number>;
}

/** Starts a program for a container. */
export type ProgramFactory = (context: ContainerContext) => Program;

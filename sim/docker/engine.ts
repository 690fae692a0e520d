// The simulated Docker daemon of one host: image store, containers and their programs, restart policies, and a
// daemon lifecycle in which (before live-restore) stopping the daemon stops every container.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { dockerTraits } from "../catalogue/docker";
import { formatImageRef, imageConfig, parseImageRef, registryImage, type ImageRef } from "../catalogue/images";
import { imageMatches, type Fault } from "../faults";
import type { ClusterFile, HostRecord } from "../layout";
import type { LedgerWriter } from "../ledger";
import type { SimClock } from "../time";
import { readDaemonOptions, type DaemonOptions } from "./daemon-options";
import { transfer } from "./registry";
import { mergeImageEnv } from "./run-options";
import type { ContainerContext, EngineAccess, Program, ProgramFactory, RunSpec } from "./program";

/**
 * Whether containers a daemon of `from` left running (live-restore) are restored by a daemon of `to`: the same line,
 * or the next 1.x minor (1.12 → 1.13); from 17.03 (YY.MM) only patch releases of one line.
 */
export function liveRestoreCarries(from: string, to: string): boolean {
  const [fm, fn] = from.split(".").map(Number) as [number, number];
  const [tm, tn] = to.split(".").map(Number) as [number, number];
  if (fm === tm && fn === tn) return true;
  return fm === 1 && tm === 1 && tn === fn + 1;
}

/** An error the daemon answers with: HTTP status and message (the CLI prints "Error response from daemon: …"). */
export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An image in the local store. */
export interface ImageRecord {
  readonly id: string;
  readonly repoTags: string[];
  readonly size: number;
  readonly created: string;
}

/** Restart policy as `docker run --restart` sets it. */
export interface RestartPolicy {
  readonly Name: "" | "no" | "always" | "on-failure" | "unless-stopped";
  readonly MaximumRetryCount: number;
}

/** The parts of `docker run` a container is created from. */
export interface CreateSpec {
  readonly name?: string;
  readonly image: string;
  readonly entrypoint?: readonly string[];
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly binds: readonly string[];
  readonly networkMode: string;
  readonly privileged: boolean;
  readonly restartPolicy: RestartPolicy;
  readonly labels: Readonly<Record<string, string>>;
  readonly logDriver?: string;
  readonly logOpts?: Readonly<Record<string, string>>;
  readonly pidMode?: string;
  readonly hostname?: string;
  /** The other Config fields the client sent (User, WorkingDir, …; see run-options.ts). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** The other HostConfig fields the client sent (Memory, Dns, ExtraHosts, Ulimits, …). */
  readonly hostConfig?: Readonly<Record<string, unknown>>;
}

/** A container as the daemon stores it. */
export interface ContainerRecord {
  readonly id: string;
  name: string;
  readonly created: string;
  readonly spec: CreateSpec;
  readonly imageId: string;
  state: {
    status: "created" | "running" | "restarting" | "exited";
    pid: number;
    exitCode: number;
    error: string;
    startedAt: string;
    finishedAt: string;
  };
  restartCount: number;
  /** Stopped by `docker stop`/`kill`: restart policies and `unless-stopped` leave it down. */
  manuallyStopped: boolean;
}

interface Running {
  readonly program: Program;
  readonly exited: Promise<number>;
  stopping: boolean;
}

interface Store {
  images: ImageRecord[];
  containers: ContainerRecord[];
  /** Whether the store has been migrated to content-addressable ids (first start of 1.10+). */
  contentAddressable: boolean;
}

/** What the engine needs from its host. */
export interface EngineHost {
  readonly root: string;
  readonly host: HostRecord;
  readonly cluster: ClusterFile;
  readonly clock: SimClock;
  readonly ledger: LedgerWriter;
  faults(): readonly Fault[];
  programFor(image: string): ProgramFactory;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";
const NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function now(): string {
  return new Date().toISOString();
}

/** Docker's network error text for a failed pull (the seed's "docker pull" problem), per client generation. */
export function pullNetworkError(version: string, ref: ImageRef): string {
  return dockerTraits(version).contentAddressable
    ? "Get https://registry-1.docker.io/v2/: net/http: TLS handshake timeout"
    : `Error while pulling image: Get https://index.docker.io/v1/repositories/${ref.repository}/images: net/http: TLS handshake timeout`;
}

/** The daemon. */
export class DockerEngine {
  private store: Store;
  private readonly running = new Map<string, Running>();
  private readonly exitListeners = new Set<(id: string, name: string, code: number) => void>();
  private readonly storePath: string;
  private daemon: { version: string; options: DaemonOptions; startedAt: number; pid: number } | undefined;
  private restartTimers = new Map<string, NodeJS.Timeout>();
  private stoppingDaemon = false;
  /** The version of the daemon that last stopped, while none runs (what live-restore left containers running under). */
  private stoppedVersion: string | undefined;

  constructor(private readonly host: EngineHost) {
    this.storePath = join(host.root, "var/lib/docker/sim-store.json");
    this.store = existsSync(this.storePath)
      ? (JSON.parse(readFileSync(this.storePath, "utf8")) as Store)
      : { images: [], containers: [], contentAddressable: false };
    for (const c of this.store.containers) {
      // A daemon process that died took its containers with it.
      if (c.state.status === "running" || c.state.status === "restarting") {
        c.state = { ...c.state, status: "exited", pid: 0, exitCode: 137, finishedAt: now() };
      }
    }
  }

  /** Saves the store (images, containers). */
  private save(): void {
    writeFileSync(this.storePath, JSON.stringify(this.store));
  }

  /** The running daemon's version and options, or undefined while it is down. */
  get status(): { version: string; options: DaemonOptions; pid: number; startedAt: number } | undefined {
    return this.daemon;
  }

  /** Images in the store. */
  images(): readonly ImageRecord[] {
    return this.store.images;
  }

  /** Containers in the store. */
  containers(): readonly ContainerRecord[] {
    return this.store.containers;
  }

  /** Adds an image without pulling (images a host already has when the cluster starts). */
  seedImage(reference: string): void {
    const ref = parseImageRef(reference);
    const image = registryImage(ref);
    if (!image) throw new Error(`the simulated registry has no image ${reference}`);
    this.addImage(image.id, formatImageRef(ref), image.size);
  }

  private addImage(id: string, tag: string, size: number): ImageRecord {
    for (const other of this.store.images) {
      const i = other.repoTags.indexOf(tag);
      if (i >= 0 && other.id !== id) other.repoTags.splice(i, 1);
    }
    let record = this.store.images.find((i) => i.id === id);
    if (!record) {
      record = { id, repoTags: [], size, created: now() };
      this.store.images.push(record);
    }
    if (!record.repoTags.includes(tag)) record.repoTags.push(tag);
    this.save();
    return record;
  }

  /** Starts the daemon at `version` (reads its options; migrates the store on the first 1.10+ start). */
  async startDaemon(version: string): Promise<void> {
    if (this.daemon) return;
    const options = readDaemonOptions(this.host.root, version);
    const traits = dockerTraits(version);
    await this.host.clock.sleep(this.host.clock.profile.engineStartSeconds);
    if (traits.contentAddressable && !this.store.contentAddressable) {
      const gb = this.store.images.reduce((sum, i) => sum + i.size, 0) / 1e9;
      await this.host.clock.sleep(gb * this.host.clock.profile.imageMigrationSecondsPerGB);
      this.store.contentAddressable = true;
      this.save();
    }
    if (
      this.running.size > 0 &&
      this.stoppedVersion !== undefined &&
      !liveRestoreCarries(this.stoppedVersion, version)
    ) {
      // Containers kept running by live-restore are not taken over by a daemon of another line: restore is promised
      // from one 1.x minor to the next (moby/moby@v1.12.6:docs/admin/live-restore.md) and, from 17.03, across patch
      // releases only (docker/docs live-restore.md); 17.11 does not recognise earlier containers and 17.12 must be
      // installed with every container stopped (docker/docker-ce@v17.12.1-ce:CHANGELOG.md). They stop here, and
      // their restart policy brings them back once the new daemon runs.
      await Promise.all(
        [...this.running.keys()].map((id) =>
          this.stopContainer(
            this.get(id),
            10,
            `not restored by ${version} (live-restore across ${this.stoppedVersion} → ${version})`,
            false,
          ),
        ),
      );
    }
    this.daemon = { version, options, startedAt: Date.now(), pid: 1000 + Math.floor(Math.random() * 30000) };
    this.stoppedVersion = undefined;
    this.host.ledger.record({
      kind: "engine.start",
      version,
      detail: { liveRestore: options.liveRestore, logDriver: options.logDriver },
    });
    for (const container of this.store.containers) {
      const policy = container.spec.restartPolicy.Name;
      const wanted = policy === "always" || (policy === "unless-stopped" && !container.manuallyStopped);
      if (!this.running.has(container.id) && wanted) this.startContainer(container, "engine start");
    }
  }

  /** Stops the daemon; without live-restore every running container is stopped first. */
  async stopDaemon(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon) return;
    this.stoppingDaemon = true;
    try {
      if (!daemon.options.liveRestore) {
        await Promise.all(
          [...this.running.keys()].map((id) => this.stopContainer(this.get(id), 10, "engine stop", false)),
        );
      }
    } finally {
      this.stoppingDaemon = false;
    }
    for (const timer of this.restartTimers.values()) clearTimeout(timer);
    this.restartTimers.clear();
    this.daemon = undefined;
    this.stoppedVersion = daemon.version;
    this.host.ledger.record({ kind: "engine.stop", version: daemon.version });
  }

  /** Kills every program at once (the host daemon is shutting down). */
  async shutdown(): Promise<void> {
    for (const timer of this.restartTimers.values()) clearTimeout(timer);
    await Promise.all([...this.running.values()].map((r) => r.program.stop("SIGKILL").catch(() => 0)));
  }

  private requireDaemon(): { version: string; options: DaemonOptions } {
    if (!this.daemon) throw new EngineError(503, "daemon is not running");
    return this.daemon;
  }

  /** Finds a container by id, id prefix or name; throws the daemon's "no such container" error. */
  get(idOrName: string): ContainerRecord {
    const name = idOrName.replace(/^\//, "");
    const found =
      this.store.containers.find((c) => c.id === idOrName || c.name === name) ??
      (idOrName.length >= 3 ? this.store.containers.find((c) => c.id.startsWith(idOrName)) : undefined);
    if (found) return found;
    const version = this.daemon?.version ?? "1.13.0";
    throw new EngineError(
      404,
      dockerTraits(version).contentAddressable ? `No such container: ${idOrName}` : `no such id: ${idOrName}`,
    );
  }

  /** The local image for a reference, if present. */
  findImage(reference: string): ImageRecord | undefined {
    const ref = parseImageRef(reference);
    const tag = formatImageRef(ref);
    return this.store.images.find(
      (i) => i.repoTags.includes(tag) || i.id === reference || i.id.startsWith(reference.replace(/^sha256:/, "")),
    );
  }

  /** Pulls an image from the simulated registry, honouring pull faults; `progress` gets status lines. */
  async pull(reference: string, progress: (line: string) => void = () => undefined): Promise<ImageRecord> {
    const { version } = this.requireDaemon();
    const ref = parseImageRef(reference);
    const image = registryImage(ref);
    const faults = this.host.faults();
    const tag = formatImageRef(ref);
    if (faults.some((f) => f.kind === "pull-fails" && imageMatches(f.image, tag))) {
      const message = pullNetworkError(version, ref);
      this.host.ledger.record({ kind: "image.pull", image: tag, ok: false, error: message });
      throw new EngineError(500, message);
    }
    if (!image) {
      const message = dockerTraits(version).cobraCli
        ? `manifest for ${tag} not found`
        : `Tag ${ref.tag} not found in repository docker.io/${ref.repository.includes("/") ? ref.repository : `library/${ref.repository}`}`;
      this.host.ledger.record({ kind: "image.pull", image: tag, ok: false, error: message });
      throw new EngineError(404, message);
    }
    progress(`${ref.tag}: Pulling from ${ref.repository}`);
    const slow = faults.find(
      (f): f is Extract<Fault, { kind: "pull-slow" }> => f.kind === "pull-slow" && imageMatches(f.image, tag),
    );
    const existing = this.findImage(tag);
    if (existing?.id === image.id || slow) {
      await this.host.clock.sleep(existing?.id === image.id ? 0.2 : (slow?.seconds ?? 600));
    }
    // The layers come at this host's share of the registry's bandwidth, shared with every other pull in flight.
    else {
      await transfer(
        this.host.cluster.stateDir,
        this.host.host.name,
        this.host.clock,
        image.size,
        () => this.daemon !== undefined,
      );
    }
    if (!this.daemon) throw new EngineError(500, "daemon shut down during pull");
    const digest = `sha256:${image.id}`;
    const record = this.addImage(image.id, tag, image.size);
    progress(`Digest: ${digest}`);
    progress(
      existing?.id === image.id
        ? `Status: Image is up to date for ${tag}`
        : `Status: Downloaded newer image for ${tag}`,
    );
    this.host.ledger.record({ kind: "image.pull", image: tag, ok: true });
    return record;
  }

  /** Creates a container (the image must be local). */
  create(spec: CreateSpec): ContainerRecord {
    const { version } = this.requireDaemon();
    const image = this.findImage(spec.image);
    if (!image) {
      const ref = parseImageRef(spec.image);
      throw new EngineError(
        404,
        dockerTraits(version).contentAddressable
          ? `No such image: ${formatImageRef(ref)}`
          : `No such image: ${ref.repository} (tag: ${ref.tag})`,
      );
    }
    const id = randomBytes(32).toString("hex");
    let name = spec.name;
    if (name !== undefined) {
      if (!NAME.test(name)) {
        throw new EngineError(500, `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      }
      name = name.replace(/^\//, "");
      const other = this.store.containers.find((c) => c.name === name);
      if (other) {
        throw new EngineError(
          409,
          `Conflict. The name "/${name}" is already in use by container ${other.id}. You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
    } else {
      name = `sim_${id.slice(0, 6)}`;
    }
    const record: ContainerRecord = {
      id,
      name,
      created: now(),
      // The image's environment is merged into the container's at create (daemon/commit.go merge, docker 1.7–1.13).
      spec: { ...spec, env: mergeImageEnv(spec.env, imageConfig(image.repoTags[0] ?? spec.image).Env) },
      imageId: image.id,
      state: { status: "created", pid: 0, exitCode: 0, error: "", startedAt: ZERO_TIME, finishedAt: ZERO_TIME },
      restartCount: 0,
      manuallyStopped: false,
    };
    mkdirSync(this.rootfs(id), { recursive: true });
    // Docker creates a missing bind source as a directory.
    for (const bind of spec.binds) {
      const source = join(this.host.root, bind.split(":")[0] as string);
      if (!existsSync(source)) mkdirSync(source, { recursive: true });
    }
    this.store.containers.push(record);
    this.save();
    return record;
  }

  private rootfs(id: string): string {
    return join(this.host.root, "var/lib/docker/aufs/mnt", id);
  }

  /** The json-file log of a container. */
  logPath(id: string): string {
    return join(this.host.root, "var/lib/docker/containers", id, `${id}-json.log`);
  }

  private context(container: ContainerRecord, onExit: (code: number) => void): ContainerContext {
    const spec = container.spec;
    const binds = spec.binds.map((b) => {
      const [hostPath, containerPath] = b.split(":");
      return {
        hostPath: posix.normalize(hostPath as string),
        containerPath: posix.normalize((containerPath ?? hostPath) as string),
      };
    });
    const bindFor = (path: string) =>
      binds
        .filter((b) => path === b.containerPath || path.startsWith(`${b.containerPath.replace(/\/$/, "")}/`))
        .sort((a, b) => b.containerPath.length - a.containerPath.length)[0];
    const env = Object.fromEntries(
      spec.env.map((e) => [
        e.slice(0, e.indexOf("=") < 0 ? e.length : e.indexOf("=")),
        e.includes("=") ? e.slice(e.indexOf("=") + 1) : "",
      ]),
    );
    const logDriver = spec.logDriver ?? this.daemon?.options.logDriver ?? "json-file";
    const log = (stream: "stdout" | "stderr") => (text: string) => {
      if (logDriver !== "json-file") return;
      const path = this.logPath(container.id);
      mkdirSync(join(path, ".."), { recursive: true });
      const lines = text.endsWith("\n") ? text : `${text}\n`;
      for (const line of lines.split(/(?<=\n)/)) {
        appendFileSync(path, `${JSON.stringify({ log: line, stream, time: now() })}\n`);
      }
    };
    const socketMounted = binds.some(
      (b) => b.containerPath === "/var/run/docker.sock" || b.containerPath === "/run/docker.sock",
    );
    return {
      id: container.id,
      name: container.name,
      image: spec.image,
      args: spec.cmd,
      env,
      host: this.host.host,
      cluster: this.host.cluster,
      clock: this.host.clock,
      ledger: this.host.ledger,
      faults: () => this.host.faults(),
      networkMode: spec.networkMode,
      ...(spec.pidMode ? { pidMode: spec.pidMode } : {}),
      resolvePath: (path) => {
        const bind = bindFor(path);
        if (!bind) return join(this.rootfs(container.id), path);
        return join(this.host.root, bind.hostPath, path.slice(bind.containerPath.length));
      },
      bindFor,
      engine: socketMounted ? this.access() : undefined,
      stdout: log("stdout"),
      stderr: log("stderr"),
      exit: onExit,
    };
  }

  /** Starts a created or exited container. */
  start(idOrName: string): void {
    this.requireDaemon();
    const container = this.get(idOrName);
    if (this.running.has(container.id)) return;
    container.manuallyStopped = false;
    this.startContainer(container, "docker start");
  }

  private startContainer(container: ContainerRecord, reason: string): void {
    const factory = this.host.programFor(container.spec.image);
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (resolveExit = r));
    const entry: Running = { program: undefined as unknown as Program, exited, stopping: false };
    this.running.set(container.id, entry);
    container.state = {
      ...container.state,
      status: "running",
      pid: 2000 + Math.floor(Math.random() * 60000),
      exitCode: 0,
      error: "",
      startedAt: now(),
    };
    this.save();
    this.host.ledger.record({
      kind: "container.start",
      id: container.id,
      name: container.name,
      image: container.spec.image,
      reason,
    });
    const crash = this.host
      .faults()
      .find((f) => f.kind === "crash-loop" && imageMatches(f.image, container.spec.image));
    const context = this.context(container, (code) => {
      if (!entry.stopping) this.exited(container, code, "exited");
      resolveExit(code);
    });
    (entry as { program: Program }).program = factory(context);
    if (crash) {
      setTimeout(() => {
        if (this.running.get(container.id) !== entry || entry.stopping) return;
        context.stderr(`simulated crash: ${container.spec.image} exits (crash-loop fault)`);
        entry.stopping = true;
        void entry.program.stop("SIGKILL").then(() => {
          this.exited(container, 1, "crashed");
          resolveExit(1);
        });
      }, this.host.clock.ms(this.host.clock.profile.crashAfterSeconds));
    }
  }

  private exited(container: ContainerRecord, code: number, reason: string): void {
    this.running.delete(container.id);
    container.state = { ...container.state, status: "exited", pid: 0, exitCode: code, finishedAt: now() };
    this.save();
    this.host.ledger.record({
      kind: "container.stop",
      id: container.id,
      name: container.name,
      image: container.spec.image,
      exitCode: code,
      reason,
    });
    for (const listener of this.exitListeners) listener(container.id, container.name, code);
    const policy = container.spec.restartPolicy;
    if (!this.daemon || container.manuallyStopped || reason === "engine stop" || reason === "docker stop") return;
    const again =
      policy.Name === "always" ||
      policy.Name === "unless-stopped" ||
      (policy.Name === "on-failure" &&
        code !== 0 &&
        (policy.MaximumRetryCount === 0 || container.restartCount < policy.MaximumRetryCount));
    if (!again) return;
    // Docker waits 100 ms before a restart and doubles the delay each time (container/monitor.go).
    const delay = Math.min(100 * 2 ** Math.min(container.restartCount, 8), 60_000);
    container.state.status = "restarting";
    const timer = setTimeout(() => {
      this.restartTimers.delete(container.id);
      if (!this.daemon || this.running.has(container.id) || !this.store.containers.includes(container)) return;
      container.restartCount++;
      this.startContainer(container, "restart policy");
    }, delay);
    this.restartTimers.set(container.id, timer);
  }

  private async stopContainer(
    container: ContainerRecord,
    timeoutSeconds: number,
    reason: string,
    manual: boolean,
  ): Promise<number> {
    if (manual) container.manuallyStopped = true;
    const timer = this.restartTimers.get(container.id);
    if (timer) {
      clearTimeout(timer);
      this.restartTimers.delete(container.id);
      container.state.status = "exited";
    }
    const running = this.running.get(container.id);
    if (!running) return container.state.exitCode;
    running.stopping = true;
    const term = running.program.stop("SIGTERM");
    const deadline = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), this.host.clock.ms(timeoutSeconds)));
    const first = await Promise.race([term, deadline]);
    const code = first === "timeout" ? await running.program.stop("SIGKILL").then(() => 137) : first;
    this.exited(container, code, reason);
    return code;
  }

  /** `docker stop`: SIGTERM, then SIGKILL after `timeoutSeconds`. */
  async stop(idOrName: string, timeoutSeconds = 10): Promise<boolean> {
    this.requireDaemon();
    const container = this.get(idOrName);
    const wasRunning = this.running.has(container.id) || container.state.status === "restarting";
    await this.stopContainer(container, timeoutSeconds, "docker stop", true);
    return wasRunning;
  }

  /** `docker kill`. */
  async kill(idOrName: string): Promise<void> {
    this.requireDaemon();
    const container = this.get(idOrName);
    const { version } = this.requireDaemon();
    if (!this.running.has(container.id)) {
      throw new EngineError(
        409,
        dockerTraits(version).contentAddressable
          ? `Container ${container.id} is not running`
          : `Cannot kill container ${idOrName}: notrunning: Container ${container.id} is not running`,
      );
    }
    await this.stopContainer(container, 0, "docker kill", true);
  }

  /** `docker rm` (with `force`, stops a running container first). */
  async remove(idOrName: string, force: boolean): Promise<void> {
    const { version } = this.requireDaemon();
    const container = this.get(idOrName);
    if (this.running.has(container.id) || container.state.status === "restarting") {
      if (!force) {
        throw new EngineError(
          409,
          dockerTraits(version).liveRestore
            ? `You cannot remove a running container ${container.id}. Stop the container before attempting removal or use -f`
            : "Conflict, You cannot remove a running container. Stop the container before attempting removal or use -f",
        );
      }
      await this.stopContainer(container, 0, "docker rm -f", true);
    }
    this.store.containers = this.store.containers.filter((c) => c !== container);
    rmSync(this.rootfs(container.id), { recursive: true, force: true });
    rmSync(join(this.host.root, "var/lib/docker/containers", container.id), { recursive: true, force: true });
    this.save();
    this.host.ledger.record({
      kind: "container.remove",
      id: container.id,
      name: container.name,
      image: container.spec.image,
    });
  }

  /** Resolves with the exit code once the container is not running. */
  async wait(idOrName: string): Promise<number> {
    const container = this.get(idOrName);
    for (;;) {
      const running = this.running.get(container.id);
      if (!running && container.state.status !== "restarting") return container.state.exitCode;
      if (running) await running.exited;
      else await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Whether a container's program is running. */
  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Crashes a container's program as if it aborted (fault injection); restart policies apply. */
  async crash(idOrName: string, code = 134): Promise<void> {
    const container = this.get(idOrName);
    const running = this.running.get(container.id);
    if (!running) return;
    running.stopping = true;
    await running.program.stop("SIGKILL");
    this.exited(container, code, "crashed");
  }

  /** The in-process Docker access a program gets when the socket is mounted. */
  access(): EngineAccess {
    return {
      daemonVersion: () => this.daemon?.version,
      run: async (spec: RunSpec) => {
        if (!this.findImage(spec.image)) await this.pull(spec.image);
        const record = this.create({
          name: spec.name,
          image: spec.image,
          cmd: spec.cmd ?? [],
          env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
          binds: spec.binds ?? [],
          networkMode: spec.networkMode ?? "bridge",
          privileged: false,
          restartPolicy: { Name: "no", MaximumRetryCount: 0 },
          labels: spec.labels ?? {},
        });
        this.start(record.id);
        return record.id;
      },
      stop: async (idOrName, options = {}) => {
        try {
          await this.stop(idOrName, options.timeoutSeconds ?? 0);
          if (options.remove) await this.remove(idOrName, true);
        } catch (error) {
          if (!(error instanceof EngineError) || error.status !== 404) throw error;
        }
      },
      list: (prefix) =>
        this.store.containers
          .filter((c) => c.name.startsWith(prefix))
          .map((c) => ({ id: c.id, name: c.name, running: this.running.has(c.id), exitCode: c.state.exitCode })),
      onExit: (listener) => {
        this.exitListeners.add(listener);
        return () => this.exitListeners.delete(listener);
      },
      daemonStopping: () => this.stoppingDaemon,
      hostPath: (path) => join(this.host.root, path),
    };
  }
}

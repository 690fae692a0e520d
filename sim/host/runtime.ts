// Everything one simulated host runs inside its daemon process: SSH server, Docker engine, package manager and
// services, faults, and the hooks the control socket exposes.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import type net from "node:net";
import { join } from "node:path";
import { dockerRelease } from "../catalogue/docker";
import { MESOS_MASTER_IMAGE } from "../catalogue/mesos";
import { serveDockerApi, stopDockerApi } from "../docker/api";
import { DaemonConfigError } from "../docker/daemon-options";
import { DockerEngine } from "../docker/engine";
import type { ProgramFactory } from "../docker/program";
import { clearHostPulls } from "../docker/registry";
import type { Fault } from "../faults";
import { listen, request } from "../http";
import { paths, type ClusterFile, type HostRecord } from "../layout";
import { hostWorkRecorder, type HostWorkRecorder } from "../host-work";
import { ledgerWriter, type LedgerWriter } from "../ledger";
import { simClock, type SimClock } from "../time";
import { ZkClient } from "../zk/client";
import { serveZk, ZkTree } from "../zk/server";
import { prepareHostFilesystem, type HostView } from "./filesystem";
import { createSsh2Server } from "./ssh2-server";
import { startSshd, writeSshdConfig } from "./openssh";
import {
  aptCache,
  aptGet,
  dpkg,
  dpkgQuery,
  installedDocker,
  service,
  type PackageHost,
  type ToolResult,
} from "./packages";
import { hostShell, type HostShell } from "./shell";
import { innerAddress } from "./firewall";
import { behindBastion, SshPort, ssh2Backend, sshdBackend } from "./ssh-port";
import { loadHostState, saveHostState, type HostState } from "./state";

/** Chooses the program a container of an image runs. */
export type ProgramRegistry = (image: string) => ProgramFactory;

/** A host's daemon-side runtime. */
export class HostRuntime implements PackageHost {
  readonly ledger: LedgerWriter;
  readonly clock: SimClock;
  readonly state: HostState;
  readonly root: string;
  readonly engine: DockerEngine;
  /** The host's unscaled work (operator processes between modelled requests), for windows timed about it. */
  readonly work: HostWorkRecorder;
  private view!: HostView;
  private shell!: HostShell;
  private sshPort!: SshPort;
  private api: http.Server | undefined;
  /** ZooKeeper, when this host runs it as a service of its own (`cluster.zk.host`). */
  private zookeeper: net.Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** True once SSH and (if wanted) Docker are up. */
  ready = false;

  constructor(
    readonly cluster: ClusterFile,
    readonly host: HostRecord,
    programs: ProgramRegistry,
  ) {
    this.ledger = ledgerWriter(paths.ledger(cluster.stateDir, host.name), host.name);
    this.clock = simClock(cluster.profile);
    this.root = paths.root(cluster.stateDir, host.name);
    this.work = hostWorkRecorder(cluster.stateDir, host.name);
    const release = dockerRelease(cluster.versions.docker);
    this.state = loadHostState(paths.hostState(cluster.stateDir, host.name), {
      packages: release ? { [release.packageName]: { version: release.packageVersion, status: "installed" } } : {},
      dockerGoal: "start",
      faults: [],
    });
    this.engine = new DockerEngine({
      root: this.root,
      host,
      cluster,
      clock: this.clock,
      ledger: this.ledger,
      faults: () => this.state.faults,
      programFor: programs,
    });
  }

  /** Prepares the filesystem, starts the shell namespace, the SSH server and (if its goal is "start") Docker. */
  async start(): Promise<void> {
    this.view = prepareHostFilesystem(this.cluster, this.host);
    // Pulls this host's earlier process had in flight died with it: they no longer share the registry.
    clearHostPulls(this.cluster.stateDir, this.host.name);
    this.setDockerBinary(installedDocker(this.state) !== undefined);
    this.shell = await hostShell(this.cluster, this.host, this.view);
    // Behind a bastion, the SSH server listens on the inner address and the host's own address is guarded.
    const guarded = this.cluster.bastion !== undefined && this.cluster.bastion !== this.host.name;
    const listenAddress = guarded ? innerAddress(this.host.address) : this.host.address;
    const server =
      this.cluster.sshServer === "openssh"
        ? sshdBackend(
            () =>
              startSshd(
                writeSshdConfig(this.cluster, this.host, listenAddress),
                join(paths.hostDir(this.cluster.stateDir, this.host.name), "sshd.log"),
              ),
            listenAddress,
            this.host.sshPort,
          )
        : ssh2Backend(
            createSsh2Server({
              hostKeyPath: paths.hostKey(this.cluster.stateDir, this.host.name),
              user: this.cluster.user,
              authorizedKey: this.cluster.userPublicKey,
              shell: this.shell,
              ledger: this.ledger,
              onCommand: (command) => this.onCommand(command),
              onExec: () => this.work.exec(),
            }),
            listenAddress,
            this.host.sshPort,
          );
    const backend = guarded
      ? behindBastion(server, this.host.address, listenAddress, this.host.sshPort, this.cluster.id)
      : server;
    this.sshPort = new SshPort(backend, this.host.address, this.host.sshPort);
    await this.applySshFaults();
    await this.startZookeeper();
    if (this.state.dockerGoal === "start" && installedDocker(this.state)?.status === "installed") {
      await this.startDocker();
    }
    this.ready = true;
  }

  /** Stops everything this host runs (containers are killed, not gracefully stopped). */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.sshPort?.set("refuse").catch(() => undefined);
    await this.engine.shutdown();
    this.zookeeper?.close(); // stops accepting; the process exits with its sessions' sockets
    if (this.api) await stopDockerApi(this.api, paths.dockerSocket(this.root));
    this.shell?.close();
  }

  /**
   * ZooKeeper as a host service (Ubuntu's zookeeperd package on the seed's dev machine, not a container): it listens
   * at the host's address and writes its data directory on the host; a Docker engine restart leaves it running, and
   * it stops only with the host. A cluster whose ZooKeeper runs on no host starts it as a process of its own.
   */
  private async startZookeeper(): Promise<void> {
    if (this.cluster.zk.host !== this.host.name) return;
    const server = serveZk(new ZkTree(), paths.zkSnapshot(this.cluster));
    await listen(server, { host: this.cluster.zk.address, port: this.cluster.zk.port });
    this.zookeeper = server;
    this.ledger.record({ kind: "service", name: "zookeeper", reason: "start" });
  }

  save(): void {
    saveHostState(paths.hostState(this.cluster.stateDir, this.host.name), this.state);
  }

  faults(): readonly Fault[] {
    return this.state.faults;
  }

  dockerRunning(): { pid: number } | undefined {
    const status = this.engine.status;
    return status ? { pid: status.pid } : undefined;
  }

  /** Starts the daemon at the installed package's version; returns the daemon's error if it refuses to start. */
  async startDocker(): Promise<string | undefined> {
    const pkg = installedDocker(this.state);
    const release = pkg ? dockerRelease(pkg.version) : undefined;
    if (!release || this.engine.status) return undefined;
    try {
      await this.engine.startDaemon(release.version);
    } catch (error) {
      if (!(error instanceof DaemonConfigError)) throw error;
      const log = join(this.root, "var/log/upstart/docker.log");
      mkdirSync(join(log, ".."), { recursive: true });
      appendFileSync(log, `time="${new Date().toISOString()}" level=fatal msg="${error.message}"\n`);
      this.ledger.record({ kind: "engine.start", version: release.version, ok: false, error: error.message });
      return error.message;
    }
    this.api = await serveDockerApi(this.engine, this.host.name, paths.dockerSocket(this.root), () =>
      this.work.request(),
    );
    return undefined;
  }

  /** Stops the daemon: its containers stop (unless live-restore), then the socket goes away. */
  async stopDocker(): Promise<void> {
    if (!this.engine.status) return;
    await this.engine.stopDaemon();
    if (this.api) await stopDockerApi(this.api, paths.dockerSocket(this.root));
    this.api = undefined;
  }

  /** Installs or removes /usr/local/bin/docker with the package. */
  setDockerBinary(present: boolean): void {
    const shim = join(this.view.binDir, "docker");
    const stash = join(paths.hostDir(this.cluster.stateDir, this.host.name), "docker.shim");
    if (present && !existsSync(shim) && existsSync(stash)) writeFileSync(shim, readFileSync(stash), { mode: 0o755 });
    if (!present && existsSync(shim)) {
      writeFileSync(stash, readFileSync(shim));
      rmSync(shim);
    }
  }

  /** Runs a packaging or init tool (apt-get, apt-cache, dpkg, dpkg-query, service). */
  async tool(program: string, argv: readonly string[]): Promise<ToolResult> {
    switch (program) {
      case "apt-get":
        return aptGet(this, argv);
      case "apt-cache":
        return aptCache(this, argv);
      case "dpkg-query":
        return dpkgQuery(this, argv);
      case "dpkg":
        return dpkg(this, argv);
      case "service":
        return service(this, argv);
      default:
        return { stdout: "", stderr: `${program}: not simulated\n`, code: 127 };
    }
  }

  /** The shell argv and environment for a command received by sshd's ForceCommand wrapper. */
  sshCommand(
    command: string | undefined,
    env: Readonly<Record<string, string>>,
  ): { argv: string[]; env: NodeJS.ProcessEnv } {
    this.ledger.record({ kind: "ssh.exec", command: command ?? "", user: this.cluster.user, server: "openssh" });
    if (command !== undefined) this.onCommand(command);
    return { argv: this.shell.argv(command), env: this.shell.env(env) };
  }

  /** Runs a command in the host's shell without SSH (bootstrap and test setup); collects its output. */
  run(command: string, origin: string): Promise<ToolResult> {
    this.ledger.record({ kind: "exec", program: "sh", argv: ["-c", command], origin });
    return new Promise((resolve) => {
      const child = this.shell.spawn(command, { SIM_ORIGIN: origin });
      child.on("close", this.work.exec());
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdin?.end();
      child.on("close", (code) => resolve({ stdout, stderr, code: code ?? 1 }));
    });
  }

  /** Adds a fault (replacing one of the same kind) and applies it. */
  async inject(fault: Fault): Promise<void> {
    this.state.faults = [...this.state.faults.filter((f) => f.kind !== fault.kind), fault];
    this.save();
    this.ledger.record({ kind: "fault", fault: fault.kind, action: "injected", detail: fault });
    await this.applySshFaults();
    if (fault.kind === "leader-fails" && fault.trigger === undefined) {
      const timer = setTimeout(() => void this.triggerLeaderFailure(), this.clock.ms(fault.afterSeconds ?? 0));
      this.timers.add(timer);
    }
  }

  /** Clears one fault kind, or all faults. */
  async clear(kind?: string): Promise<void> {
    const cleared = this.state.faults.filter((f) => kind === undefined || f.kind === kind);
    this.state.faults = this.state.faults.filter((f) => !cleared.includes(f));
    this.save();
    for (const fault of cleared) this.ledger.record({ kind: "fault", fault: fault.kind, action: "cleared" });
    await this.applySshFaults();
  }

  private async applySshFaults(): Promise<void> {
    const mode = this.state.faults.some((f) => f.kind === "ssh-refuse")
      ? "refuse"
      : this.state.faults.some((f) => f.kind === "ssh-hang")
        ? "hang"
        : "serve";
    await this.sshPort.set(mode);
  }

  private onCommand(command: string): void {
    const fault = this.state.faults.find(
      (f): f is Extract<Fault, { kind: "leader-fails" }> =>
        f.kind === "leader-fails" && f.trigger !== undefined && command.includes(f.trigger),
    );
    if (!fault) return;
    // One shot: the leader fails once, then the fault is spent.
    this.state.faults = this.state.faults.filter((f) => f !== fault);
    this.save();
    const timer = setTimeout(() => void this.triggerLeaderFailure(), this.clock.ms(fault.afterSeconds ?? 0));
    this.timers.add(timer);
  }

  /** Finds the leading Mesos master through ZooKeeper and makes its host crash it. */
  async triggerLeaderFailure(): Promise<void> {
    this.state.faults = this.state.faults.filter((f) => f.kind !== "leader-fails");
    this.save();
    const zk = await ZkClient.connect(this.cluster.zk.address, this.cluster.zk.port, 1000).catch(() => undefined);
    if (!zk) return;
    try {
      const members = (await zk.children("/mesos"))
        .filter((m) => /info_\d+$/.test(m))
        .sort((a, b) => Number(a.slice(-10)) - Number(b.slice(-10)));
      const leader = members[0];
      const data = leader ? await zk.get(`/mesos/${leader}`) : undefined;
      const address = data ? (JSON.parse(data) as { address?: { ip?: string } }).address?.ip : undefined;
      const host = this.cluster.hosts.find((h) => h.address === address);
      this.ledger.record({
        kind: "fault",
        fault: "leader-fails",
        action: "triggered",
        detail: { leader: host?.name ?? null },
      });
      if (host) {
        await request({ socketPath: paths.controlSocket(this.cluster.stateDir, host.name) }, "/crash-master", {
          method: "POST",
        });
      }
    } finally {
      await zk.close();
    }
  }

  /** Aborts the Mesos master container on this host (restart policies apply). */
  async crashMaster(): Promise<boolean> {
    const master = this.engine
      .containers()
      .find((c) => c.spec.image.startsWith(`${MESOS_MASTER_IMAGE}:`) && this.engine.isRunning(c.id));
    if (!master) return false;
    await this.engine.crash(master.id, 134);
    return true;
  }
}

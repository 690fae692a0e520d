// A container's whole configuration beyond what the stack sets, read from `docker inspect` and given back to
// `docker run`, so a re-created container keeps every option an operator gave (docker-compose re-creates from the old
// container's config the same way: compose/service.py `_get_container_create_options`, merging the previous one).

/** What `docker inspect` says of the options (the fields we give back; the rest the daemon derives). */
export interface InspectedOptions {
  readonly Config: {
    readonly Hostname?: string;
    readonly User?: string;
    readonly WorkingDir?: string;
    readonly Entrypoint?: readonly string[] | string | null;
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly StopSignal?: string;
    readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
  };
  readonly HostConfig?: Readonly<Record<string, unknown>>;
}

/** The image's own config, which a container inherits unless it overrides it. */
export interface ImageDefaults {
  readonly Env?: readonly string[] | null;
  readonly Entrypoint?: readonly string[] | string | null;
  readonly WorkingDir?: string;
  readonly User?: string;
}

/**
 * Every option of a container the stack does not set itself, as `docker run` flags take them. Absent fields are the
 * daemon's or the image's defaults, so a new image brings its own.
 */
export interface ContainerOptions {
  readonly hostname?: string;
  readonly user?: string;
  readonly workingDir?: string;
  /** The entrypoint when it is not the image's own. */
  readonly entrypoint?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly stopSignal?: string;
  readonly expose?: readonly string[];
  /** A log driver the container was given itself (a container without one follows the daemon's, even a changed one). */
  readonly logDriver?: string;
  readonly logOptions?: Readonly<Record<string, string>>;
  /** "on-failure" with its retry count, when that is the policy. */
  readonly restartRetries?: number;
  readonly memory?: number;
  readonly memorySwap?: number;
  readonly memoryReservation?: number;
  readonly kernelMemory?: number;
  readonly cpuShares?: number;
  readonly cpuPeriod?: number;
  readonly cpuQuota?: number;
  readonly cpusetCpus?: string;
  readonly cpusetMems?: string;
  readonly blkioWeight?: number;
  readonly oomKillDisable?: boolean;
  readonly oomScoreAdj?: number;
  readonly shmSize?: number;
  readonly dns?: readonly string[];
  readonly dnsSearch?: readonly string[];
  readonly dnsOptions?: readonly string[];
  readonly extraHosts?: readonly string[];
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly devices?: readonly string[];
  readonly ulimits?: readonly string[];
  readonly volumesFrom?: readonly string[];
  readonly links?: readonly string[];
  readonly securityOpt?: readonly string[];
  readonly groupAdd?: readonly string[];
  readonly cgroupParent?: string;
  readonly readOnly?: boolean;
  readonly ipc?: string;
  readonly uts?: string;
  readonly publishAll?: boolean;
  readonly publish?: readonly string[];
  readonly tmpfs?: readonly string[];
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.length ? value.map(String) : undefined;
const positive = (value: unknown): number | undefined => (typeof value === "number" && value !== 0 ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const asList = (value: readonly string[] | string | null | undefined): string[] =>
  value === null || value === undefined ? [] : typeof value === "string" ? [value] : [...value];

/** Drops the undefined fields (options at their defaults). */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/**
 * The options of an inspected container. `image` is its image's config (what the container inherited, left to the
 * next image); `daemonLogDriver` the engine's default (`docker info`), which a container without its own follows.
 */
export function optionsOf(
  inspected: InspectedOptions,
  image: ImageDefaults | undefined,
  daemonLogDriver: string | undefined,
  id: string,
): ContainerOptions {
  const host = inspected.HostConfig ?? {};
  const config = inspected.Config;
  const entrypoint = asList(config.Entrypoint);
  const imageEntrypoint = asList(image?.Entrypoint);
  const log = host.LogConfig as { Type?: string; Config?: Record<string, string> | null } | undefined;
  const logOptions = log?.Config && Object.keys(log.Config).length ? log.Config : undefined;
  // An empty type, or the daemon's default without options, is a container following the daemon (inspect shows the
  // daemon's current default for it: docker/docker@v1.11.2 daemon/inspect.go).
  const ownLogDriver =
    log?.Type && (log.Type !== (daemonLogDriver ?? "json-file") || logOptions) ? log.Type : undefined;
  const restart = host.RestartPolicy as { Name?: string; MaximumRetryCount?: number } | undefined;
  const ports = host.PortBindings as Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined;
  const publish = Object.entries(ports ?? {}).flatMap(([port, bindings]) =>
    (bindings ?? []).map((b) =>
      [b.HostIp, b.HostPort, port.replace(/\/tcp$/, "")].filter((part, i) => i === 2 || part).join(":"),
    ),
  );
  const devices =
    (host.Devices as
      Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }> | null | undefined) ?? [];
  const ulimits = (host.Ulimits as Array<{ Name: string; Soft: number; Hard: number }> | null | undefined) ?? [];
  const tmpfs = Object.entries((host.Tmpfs as Record<string, string> | null | undefined) ?? {});
  const labels = config.Labels && Object.keys(config.Labels).length ? config.Labels : undefined;
  const exposed = Object.keys(config.ExposedPorts ?? {})
    .map((p) => p.replace(/\/tcp$/, ""))
    .filter((p) => !publish.some((q) => q.endsWith(`:${p}`) || q === p));
  return defined<ContainerOptions>({
    // A generated hostname (the short id) is the daemon's, not the operator's; with the host's network the container
    // has the host's name and docker run refuses -h (runconfig ValidateNetMode, ErrConflictNetworkHostname, 1.7–1.12).
    hostname:
      config.Hostname && config.Hostname !== id.slice(0, 12) && host.NetworkMode !== "host"
        ? config.Hostname
        : undefined,
    user: config.User && config.User !== (image?.User ?? "") ? config.User : undefined,
    workingDir: config.WorkingDir && config.WorkingDir !== (image?.WorkingDir ?? "") ? config.WorkingDir : undefined,
    entrypoint:
      entrypoint.length && JSON.stringify(entrypoint) !== JSON.stringify(imageEntrypoint) ? entrypoint : undefined,
    labels,
    stopSignal: text(config.StopSignal) && config.StopSignal !== "SIGTERM" ? config.StopSignal : undefined,
    expose: exposed.length ? exposed : undefined,
    logDriver: ownLogDriver,
    logOptions,
    restartRetries: restart?.Name === "on-failure" ? (restart.MaximumRetryCount ?? 0) : undefined,
    memory: positive(host.Memory),
    memorySwap: positive(host.MemorySwap),
    memoryReservation: positive(host.MemoryReservation),
    kernelMemory: positive(host.KernelMemory),
    cpuShares: positive(host.CpuShares),
    cpuPeriod: positive(host.CpuPeriod),
    cpuQuota: positive(host.CpuQuota),
    cpusetCpus: text(host.CpusetCpus),
    cpusetMems: text(host.CpusetMems),
    blkioWeight: positive(host.BlkioWeight),
    oomKillDisable: host.OomKillDisable === true ? true : undefined,
    oomScoreAdj: positive(host.OomScoreAdj),
    // 64 MB is the daemon's default /dev/shm (docker 1.10+).
    shmSize: positive(host.ShmSize) && host.ShmSize !== 67108864 ? (host.ShmSize as number) : undefined,
    dns: strings(host.Dns),
    dnsSearch: strings(host.DnsSearch),
    dnsOptions: strings(host.DnsOptions),
    extraHosts: strings(host.ExtraHosts),
    capAdd: strings(host.CapAdd),
    capDrop: strings(host.CapDrop),
    devices: devices.length
      ? devices.map((d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`)
      : undefined,
    ulimits: ulimits.length ? ulimits.map((u) => `${u.Name}=${u.Soft}:${u.Hard}`) : undefined,
    volumesFrom: strings(host.VolumesFrom),
    links: strings(host.Links),
    securityOpt: strings(host.SecurityOpt),
    groupAdd: strings(host.GroupAdd),
    cgroupParent: text(host.CgroupParent),
    readOnly: host.ReadonlyRootfs === true ? true : undefined,
    ipc: text(host.IpcMode),
    uts: text(host.UTSMode),
    publishAll: host.PublishAllPorts === true ? true : undefined,
    publish: publish.length ? publish : undefined,
    tmpfs: tmpfs.length ? tmpfs.map(([path, opts]) => (opts ? `${path}:${opts}` : path)) : undefined,
  });
}

/**
 * The `docker run` flags of `options`, in a stable order (before the image). `args` are the command's arguments:
 * an entrypoint of several words keeps its first as --entrypoint and the rest before the arguments, as docker run
 * takes one word for --entrypoint.
 */
export function optionFlags(options: ContainerOptions | undefined): string[] {
  if (!options) return [];
  const argv: string[] = [];
  const one = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) argv.push(flag, String(value));
  };
  const each = (flag: string, values: readonly string[] | undefined) => {
    for (const value of values ?? []) argv.push(flag, value);
  };
  one("--hostname", options.hostname);
  one("--user", options.user);
  one("--workdir", options.workingDir);
  one("--entrypoint", options.entrypoint?.[0]);
  for (const [key, value] of Object.entries(options.labels ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    argv.push("--label", `${key}=${value}`);
  }
  one("--stop-signal", options.stopSignal);
  each("--expose", options.expose);
  one("--log-driver", options.logDriver);
  for (const [key, value] of Object.entries(options.logOptions ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    argv.push("--log-opt", `${key}=${value}`);
  }
  one("--memory", options.memory);
  one("--memory-swap", options.memorySwap);
  one("--memory-reservation", options.memoryReservation);
  one("--kernel-memory", options.kernelMemory);
  one("--cpu-shares", options.cpuShares);
  one("--cpu-period", options.cpuPeriod);
  one("--cpu-quota", options.cpuQuota);
  one("--cpuset-cpus", options.cpusetCpus);
  one("--cpuset-mems", options.cpusetMems);
  one("--blkio-weight", options.blkioWeight);
  if (options.oomKillDisable) argv.push("--oom-kill-disable");
  one("--oom-score-adj", options.oomScoreAdj);
  one("--shm-size", options.shmSize);
  each("--dns", options.dns);
  each("--dns-search", options.dnsSearch);
  each("--dns-opt", options.dnsOptions);
  each("--add-host", options.extraHosts);
  each("--cap-add", options.capAdd);
  each("--cap-drop", options.capDrop);
  each("--device", options.devices);
  each("--ulimit", options.ulimits);
  each("--volumes-from", options.volumesFrom);
  each("--link", options.links);
  each("--security-opt", options.securityOpt);
  each("--group-add", options.groupAdd);
  one("--cgroup-parent", options.cgroupParent);
  if (options.readOnly) argv.push("--read-only");
  one("--ipc", options.ipc);
  one("--uts", options.uts);
  if (options.publishAll) argv.push("--publish-all");
  each("--publish", options.publish);
  each("--tmpfs", options.tmpfs);
  return argv;
}

/** The container's own environment: its Config.Env without the entries it inherited unchanged from its image. */
export function ownEnvironment(env: readonly string[] | null | undefined, image: ImageDefaults | undefined): string[] {
  const inherited = new Set(image?.Env ?? []);
  return (env ?? []).filter((entry) => !inherited.has(entry));
}

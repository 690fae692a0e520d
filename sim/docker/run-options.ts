// The `docker run` options beyond name, image, command, env, binds, network, privileged, restart, logs and PID mode,
// translated into the Remote API's Config and HostConfig fields as the CLI does (docker/docker@v1.11.2
// runconfig/opts/parse.go `Parse`; go-units `RAMInBytes` for sizes, `ParseUlimit` for ulimits; opts/hosts.go
// `ValidateExtraHost`). The daemon stores what the client sends and `docker inspect` reports it back.
import { atLeast } from "../catalogue/versions";
import { flagBool, flagList, flagValue, type ParsedFlags } from "./cli-flags";

/** A `docker run` option the CLI refuses; `message` is the CLI's text. */
export class RunOptionError extends Error {
  override readonly name = "RunOptionError";
}

/** go-units RAMInBytes: "512m", "1g", "1024k", "100" (bytes); binary multiples; case-insensitive; optional "b". */
export function ramInBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)b?$/i.exec(text.trim());
  if (!match) throw new RunOptionError(`invalid size: '${text}'`);
  const unit = { "": 0, k: 1, m: 2, g: 3, t: 4, p: 5 }[(match[2] as string).toLowerCase() as "" | "k"] ?? 0;
  return Math.floor(Number(match[1]) * 1024 ** unit);
}

/** go-units ParseUlimit: "nofile=1024[:2048]" → soft 1024, hard 2048 (hard defaults to soft). */
export function parseUlimit(text: string): { Name: string; Hard: number; Soft: number } {
  const [name, values] = text.split("=");
  if (!name || values === undefined) throw new RunOptionError(`invalid ulimit argument: ${text}`);
  const [soft, hard = soft] = values.split(":");
  if (!/^-?\d+$/.test(soft ?? "") || !/^-?\d+$/.test(hard ?? "")) {
    throw new RunOptionError(`invalid ulimit argument: ${text}`);
  }
  if (Number(soft) > Number(hard)) {
    throw new RunOptionError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  }
  return { Name: name, Hard: Number(hard), Soft: Number(soft) };
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

/** opts.ValidateExtraHost: "host:ip" (an IPv6 address keeps its colons). */
function validateExtraHost(value: string): string {
  const colon = value.indexOf(":");
  const ip = colon > 0 ? value.slice(colon + 1) : "";
  if (colon <= 0 || !(IPV4.test(ip) || ip.includes(":"))) {
    throw new RunOptionError(`invalid argument "${value}" for --add-host: invalid IP address in add-host: "${ip}"`);
  }
  return value;
}

/** "/dev/fuse[:/dev/fuse[:rwm]]" → the API's device mapping. */
function parseDevice(value: string): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string } {
  const [host = "", container = host, permissions = "rwm"] = value.split(":");
  if (!host.startsWith("/")) {
    throw new RunOptionError(`invalid argument "${value}" for --device: ${value} is not an absolute path`);
  }
  return { PathOnHost: host, PathInContainer: container, CgroupPermissions: permissions };
}

const int = (flags: ParsedFlags, name: string): number | undefined => {
  const text = flagValue(flags, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) {
    throw new RunOptionError(
      `invalid argument "${text}" for ${name}: strconv.ParseInt: parsing "${text}": invalid syntax`,
    );
  }
  return Number(text);
};
const size = (flags: ParsedFlags, name: string): number | undefined => {
  const text = flagValue(flags, name);
  return text === undefined ? undefined : ramInBytes(text);
};
const list = (flags: ParsedFlags, name: string): string[] | undefined => {
  const values = flagList(flags, name);
  return values.length ? values : undefined;
};

/** Drops the undefined entries, so an option not given stays at the daemon's default. */
function given(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The Config and HostConfig fields of the options not translated elsewhere; throws RunOptionError on a bad value. */
export function runOptionFields(
  flags: ParsedFlags,
  version: string,
): { config: Record<string, unknown>; hostConfig: Record<string, unknown> } {
  const memory = size(flags, "-m");
  // "Minimum memory limit allowed is 4MB" (daemon/daemon_unix.go verifyContainerResources).
  if (memory !== undefined && memory > 0 && memory < 4 * 1024 * 1024) {
    throw new RunOptionError("Minimum memory limit allowed is 4MB");
  }
  const swapText = flagValue(flags, "--memory-swap");
  const ports = flagList(flags, "-p");
  const exposed = [...flagList(flags, "--expose"), ...ports.map((p) => p.split(":").at(-1) as string)];
  const portKey = (port: string) => (port.includes("/") ? port : `${port}/tcp`);
  const tmpfs = flagList(flags, "--tmpfs");
  const config = given({
    User: flagValue(flags, "-u"),
    WorkingDir: flagValue(flags, "-w"),
    StopSignal: flagValue(flags, "--stop-signal"),
    MacAddress: flagValue(flags, "--mac-address"),
    ExposedPorts: exposed.length ? Object.fromEntries(exposed.map((p) => [portKey(p), {}])) : undefined,
  });
  const hostConfig = given({
    Memory: memory,
    MemorySwap: swapText === undefined ? undefined : swapText === "-1" ? -1 : ramInBytes(swapText),
    MemoryReservation: size(flags, "--memory-reservation"),
    KernelMemory: size(flags, "--kernel-memory"),
    CpuShares: int(flags, "-c"),
    CpuPeriod: int(flags, "--cpu-period"),
    CpuQuota: int(flags, "--cpu-quota"),
    CpusetCpus: flagValue(flags, "--cpuset-cpus"),
    CpusetMems: flagValue(flags, "--cpuset-mems"),
    BlkioWeight: int(flags, "--blkio-weight"),
    OomKillDisable: flagBool(flags, "--oom-kill-disable") || undefined,
    OomScoreAdj: int(flags, "--oom-score-adj"),
    ShmSize: size(flags, "--shm-size"),
    Dns: list(flags, "--dns"),
    DnsSearch: list(flags, "--dns-search"),
    DnsOptions: list(flags, "--dns-opt"),
    ExtraHosts: list(flags, "--add-host")?.map(validateExtraHost),
    CapAdd: list(flags, "--cap-add"),
    CapDrop: list(flags, "--cap-drop"),
    Devices: list(flags, "--device")?.map(parseDevice),
    Ulimits: list(flags, "--ulimit")?.map(parseUlimit),
    VolumesFrom: list(flags, "--volumes-from"),
    Links: list(flags, "--link"),
    SecurityOpt: list(flags, "--security-opt"),
    GroupAdd: list(flags, "--group-add"),
    CgroupParent: flagValue(flags, "--cgroup-parent"),
    ReadonlyRootfs: flagBool(flags, "--read-only") || undefined,
    IpcMode: flagValue(flags, "--ipc"),
    UTSMode: flagValue(flags, "--uts"),
    PublishAllPorts: flagBool(flags, "-P") || undefined,
    PortBindings: ports.length
      ? Object.fromEntries(
          ports.map((p) => {
            const parts = p.split(":");
            const hostPort = parts.length >= 2 ? (parts.at(-2) as string) : "";
            const hostIp = parts.length === 3 ? (parts[0] as string) : "";
            return [portKey(parts.at(-1) as string), [{ HostIp: hostIp, HostPort: hostPort }]];
          }),
        )
      : undefined,
    Tmpfs:
      tmpfs.length && atLeast(version, "1.10.0")
        ? Object.fromEntries(tmpfs.map((t) => [t.split(":")[0], t.split(":")[1] ?? ""]))
        : undefined,
  });
  return { config, hostConfig };
}

/** The Config fields runOptionFields sets: the daemon stores them from a create body. */
export const CONFIG_OPTION_KEYS = ["User", "WorkingDir", "StopSignal", "MacAddress", "ExposedPorts"] as const;
/** The HostConfig fields runOptionFields sets. */
export const HOST_CONFIG_OPTION_KEYS = [
  "Memory",
  "MemorySwap",
  "MemoryReservation",
  "KernelMemory",
  "CpuShares",
  "CpuPeriod",
  "CpuQuota",
  "CpusetCpus",
  "CpusetMems",
  "BlkioWeight",
  "OomKillDisable",
  "OomScoreAdj",
  "ShmSize",
  "Dns",
  "DnsSearch",
  "DnsOptions",
  "ExtraHosts",
  "CapAdd",
  "CapDrop",
  "Devices",
  "Ulimits",
  "VolumesFrom",
  "Links",
  "SecurityOpt",
  "GroupAdd",
  "CgroupParent",
  "ReadonlyRootfs",
  "IpcMode",
  "UTSMode",
  "PublishAllPorts",
  "PortBindings",
  "Tmpfs",
] as const;

/** The entries of `from` named in `keys` (what a create body carries of them). */
export function pick(from: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.filter((key) => from[key] !== undefined && from[key] !== null).map((key) => [key, from[key]]),
  );
}

/** The HostConfig fields `docker inspect` shows for options not given (docker/docker@v1.11.2 api/types/container). */
export function hostConfigDefaults(version: string): Record<string, unknown> {
  return {
    ContainerIDFile: "",
    PortBindings: {},
    VolumesFrom: null,
    CapAdd: null,
    CapDrop: null,
    Dns: null,
    DnsSearch: null,
    ...(atLeast(version, "1.9.0") ? { DnsOptions: null } : {}),
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: "",
    Links: null,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: "",
    CgroupParent: "",
    CpuShares: 0,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpusetCpus: "",
    CpusetMems: "",
    BlkioWeight: 0,
    Devices: null,
    Memory: 0,
    MemorySwap: 0,
    ...(atLeast(version, "1.9.0") ? { MemoryReservation: 0, KernelMemory: 0 } : {}),
    OomKillDisable: false,
    ...(atLeast(version, "1.10.0") ? { OomScoreAdj: 0, ShmSize: 67108864 } : {}),
    Ulimits: null,
  };
}

/**
 * The image's config merged into the container's, as the daemon does at create (docker/docker@v1.11.2
 * daemon/commit.go `merge`): with no user environment the image's is taken whole, otherwise every image variable
 * whose name the user did not set is appended; no entrypoint and no command take the image's; no working dir or
 * user take the image's.
 */
export function mergeImageEnv(userEnv: readonly string[], imageEnv: readonly string[]): string[] {
  if (userEnv.length === 0) return [...imageEnv];
  const keyOf = (entry: string) => entry.split("=")[0];
  const userKeys = new Set(userEnv.map(keyOf));
  return [...userEnv, ...imageEnv.filter((entry) => !userKeys.has(keyOf(entry)))];
}

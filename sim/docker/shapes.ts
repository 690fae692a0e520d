// The JSON the simulated daemon returns, shaped like the real Remote API of the running engine version.
import os from "node:os";
import { dockerRelease, dockerTraits } from "../catalogue/docker";
import { imageConfig, imageEntrypoint } from "../catalogue/images";
import { atLeast } from "../catalogue/versions";
import type { DaemonOptions } from "./daemon-options";
import { hostConfigDefaults } from "./run-options";
import type { ContainerRecord, ImageRecord } from "./engine";

/** The machine's CPU count, read once: `os.cpus()` reads every CPU's times (2 % of a host's CPU in discovery). */
let cpus: number | undefined;
const machineCpus = (): number => (cpus ??= os.cpus().length);

/** go-units' HumanDuration, as `docker ps` prints it ("Up 3 minutes", "Exited (0) About an hour ago"). */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return "Less than a second";
  if (s === 1) return "1 second";
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return "About a minute";
  if (m < 60) return `${m} minutes`;
  const h = Math.floor(m / 60);
  if (h === 1) return "About an hour";
  if (h < 48) return `${h} hours`;
  const d = Math.floor(h / 24);
  if (h < 24 * 7 * 2) return `${d} days`;
  if (h < 24 * 30 * 3) return `${Math.floor(d / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(d / 30)} months`;
  return `${Math.floor(d / 365)} years`;
}

/** `docker ps` STATUS column. */
export function statusText(container: ContainerRecord, secondsSince: (iso: string) => number): string {
  switch (container.state.status) {
    case "running":
      return `Up ${humanDuration(secondsSince(container.state.startedAt))}`;
    case "restarting":
      return `Restarting (${container.state.exitCode}) ${humanDuration(secondsSince(container.state.finishedAt))} ago`;
    case "exited":
      return `Exited (${container.state.exitCode}) ${humanDuration(secondsSince(container.state.finishedAt))} ago`;
    default:
      return "Created";
  }
}

function commandOf(container: ContainerRecord): { path: string; args: string[] } {
  const argv = [...(container.spec.entrypoint ?? imageEntrypoint(container.spec.image) ?? []), ...container.spec.cmd];
  return { path: argv[0] ?? "", args: argv.slice(1) };
}

function imageName(container: ContainerRecord): string {
  return container.spec.image;
}

/** `GET /containers/json` entry. */
export function containerSummary(
  container: ContainerRecord,
  version: string,
  secondsSince: (iso: string) => number,
): Record<string, unknown> {
  const { path, args } = commandOf(container);
  return {
    Id: container.id,
    Names: [`/${container.name}`],
    Image: imageName(container),
    ...(atLeast(version, "1.9.0")
      ? { ImageID: dockerTraits(version).contentAddressable ? `sha256:${container.imageId}` : container.imageId }
      : {}),
    Command: [path, ...args].join(" "),
    Created: Math.floor(Date.parse(container.created) / 1000),
    Ports: [],
    Labels: container.spec.labels,
    ...(atLeast(version, "1.12.0") ? { State: container.state.status } : {}),
    Status: statusText(container, secondsSince),
    HostConfig: { NetworkMode: container.spec.networkMode },
  };
}

/** `GET /containers/{id}/json` (docker inspect), with the fields of the engine version. */
export function containerJson(
  container: ContainerRecord,
  version: string,
  logPath: string,
  daemonLogDriver = "json-file",
  hostName?: string,
): Record<string, unknown> {
  const { path, args } = commandOf(container);
  const traits = dockerTraits(version);
  const state = container.state;
  // A container waiting out its restart policy's delay is still Running, with Restarting too: Docker's
  // State.SetRestarting keeps Running true "because of all the checks in docker around rm/stop/etc" (1.7 to today).
  const running = state.status === "running" || state.status === "restarting";
  const binds = container.spec.binds.map((b) => {
    const [source, destination, mode] = b.split(":");
    return { Source: source, Destination: destination ?? source, Mode: mode ?? "", RW: mode !== "ro" };
  });
  const base: Record<string, unknown> = {
    Id: container.id,
    Created: container.created,
    Path: path,
    Args: args,
    State: {
      ...(atLeast(version, "1.9.0") ? { Status: state.status } : {}),
      Running: running,
      Paused: false,
      Restarting: state.status === "restarting",
      OOMKilled: false,
      Dead: false,
      Pid: state.pid,
      ExitCode: state.exitCode,
      Error: state.error,
      StartedAt: state.startedAt,
      FinishedAt: state.finishedAt,
    },
    Image: traits.contentAddressable ? `sha256:${container.imageId}` : container.imageId,
    ResolvConfPath: `/var/lib/docker/containers/${container.id}/resolv.conf`,
    HostnamePath: `/var/lib/docker/containers/${container.id}/hostname`,
    HostsPath: `/var/lib/docker/containers/${container.id}/hosts`,
    LogPath: logPath,
    Name: `/${container.name}`,
    RestartCount: container.restartCount,
    Driver: "aufs",
    ...(atLeast(version, "1.11.0") ? {} : { ExecDriver: "native-0.2" }),
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: "",
    ExecIDs: null,
    HostConfig: {
      ...hostConfigDefaults(version),
      ...container.spec.hostConfig,
      Binds: container.spec.binds.length ? container.spec.binds : null,
      NetworkMode: container.spec.networkMode,
      Privileged: container.spec.privileged,
      PidMode: container.spec.pidMode ?? "",
      RestartPolicy: container.spec.restartPolicy,
      // A container created without --log-driver keeps an empty LogConfig and follows the daemon's default, even a
      // changed one; inspect shows the daemon's current default for it (docker/docker@v1.11.2 daemon/inspect.go,
      // "we need this trick to preserve empty log driver"; container.getLogConfig).
      LogConfig: { Type: container.spec.logDriver ?? daemonLogDriver, Config: container.spec.logOpts ?? {} },
    },
    Config: {
      // On the host's network a container has the host's name (daemon initializeNetworking: os.Hostname()),
      // otherwise the short id unless -h named one.
      Hostname:
        container.spec.hostname ??
        (container.spec.networkMode === "host" && hostName ? hostName : container.id.slice(0, 12)),
      Domainname: "",
      User: "",
      Env: container.spec.env.length ? container.spec.env : null,
      Cmd: container.spec.cmd.length ? container.spec.cmd : null,
      Image: container.spec.image,
      WorkingDir: imageConfig(container.spec.image).WorkingDir,
      // The daemon fills the image's entrypoint into the container's config at create (daemon/commit.go merge).
      Entrypoint: container.spec.entrypoint ?? imageEntrypoint(container.spec.image) ?? null,
      Labels: container.spec.labels,
      ...container.spec.config,
    },
    NetworkSettings: { IPAddress: container.spec.networkMode === "host" ? "" : "172.17.0.2" },
  };
  if (atLeast(version, "1.8.0")) {
    base.Mounts = binds;
    base.GraphDriver = { Name: "aufs", Data: null };
  } else {
    base.Volumes = Object.fromEntries(binds.map((b) => [b.Destination, b.Source]));
    base.VolumesRW = Object.fromEntries(binds.map((b) => [b.Destination, b.RW]));
  }
  return base;
}

/** `GET /images/json` entry. */
export function imageSummary(image: ImageRecord, version: string): Record<string, unknown> {
  return {
    Id: dockerTraits(version).contentAddressable ? `sha256:${image.id}` : image.id,
    ParentId: "",
    RepoTags: image.repoTags.length ? image.repoTags : ["<none>:<none>"],
    Created: Math.floor(Date.parse(image.created) / 1000),
    Size: image.size,
    VirtualSize: image.size,
    Labels: {},
  };
}

/** `GET /version`. */
export function versionJson(version: string): Record<string, unknown> {
  const release = dockerRelease(version);
  return {
    Version: release?.displayVersion ?? version,
    ApiVersion: release?.apiVersion ?? "1.19",
    // The daemon's oldest API, 1.12 from 1.12.6 through 18.06.3 (newest-releases §3.1); shown by 17.x CLIs.
    ...(atLeast(version, "17.3.0") ? { MinAPIVersion: "1.12" } : {}),
    GitCommit: release?.gitCommit ?? "",
    GoVersion: release?.goVersion ?? "go1.4.2",
    Os: "linux",
    Arch: "amd64",
    KernelVersion: "3.13.0-92-generic",
    ...(atLeast(version, "1.8.0") ? { BuildTime: release ? new Date(release.buildTime).toUTCString() : "" } : {}),
  };
}

/** `GET /info`. */
export function infoJson(
  version: string,
  options: DaemonOptions,
  counts: { containers: number; running: number; stopped: number; images: number },
  name: string,
): Record<string, unknown> {
  const traits = dockerTraits(version);
  return {
    ID: "SIMU:LATE:DHOS:TXXX:XXXX:XXXX:XXXX:XXXX:XXXX:XXXX:XXXX:XXXX",
    Containers: counts.containers,
    ...(traits.infoCounts
      ? { ContainersRunning: counts.running, ContainersPaused: 0, ContainersStopped: counts.stopped }
      : {}),
    Images: counts.images,
    Driver: options.storageDriver,
    DriverStatus: [
      ["Root Dir", "/var/lib/docker/aufs"],
      ["Backing Filesystem", "extfs"],
      ["Dirs", String(counts.images * 4)],
    ],
    ...(atLeast(version, "1.11.0") ? {} : { ExecutionDriver: "native-0.2" }),
    LoggingDriver: options.logDriver,
    KernelVersion: "3.13.0-92-generic",
    OperatingSystem: "Ubuntu 14.04.4 LTS",
    OSType: "linux",
    Architecture: "x86_64",
    NCPU: machineCpus(),
    MemTotal: os.totalmem(),
    DockerRootDir: "/var/lib/docker",
    Name: name,
    Labels: options.labels,
    Debug: options.debug,
    ServerVersion: dockerRelease(version)?.displayVersion ?? version,
    RegistryConfig: {
      InsecureRegistryCIDRs: ["127.0.0.0/8", ...options.insecureRegistries.filter((r) => /\/\d+$/.test(r))],
      IndexConfigs: Object.fromEntries(
        [
          ["docker.io", true],
          ...options.insecureRegistries.filter((r) => !/\/\d+$/.test(r)).map((r) => [r, false]),
        ].map(([n, secure]) => [
          n,
          {
            Name: n,
            Mirrors: n === "docker.io" ? options.registryMirrors : [],
            Secure: secure,
            Official: n === "docker.io",
          },
        ]),
      ),
      Mirrors: options.registryMirrors,
    },
    ...(traits.liveRestore ? { LiveRestoreEnabled: options.liveRestore } : {}),
  };
}

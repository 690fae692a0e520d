// The host's package manager and init system as Ubuntu 14.04 has them: apt-get / apt-cache / dpkg / dpkg-query for
// the docker-engine package of apt.dockerproject.org (to 17.05) and the docker-ce package of download.docker.com
// (17.03, 17.06 to 18.06.3), and upstart's `service docker …`. The engine version changes only here: the package's
// maintainer scripts stop the daemon before unpacking and start it again after. docker-ce `Conflicts:` and
// `Replaces: docker-engine` (docker/docker-ce@v18.06.3-ce:components/packaging/deb/common/control), so installing it
// removes docker-engine first, as apt does.
import { DOCKER_CE_PACKAGE, DOCKER_PACKAGE, DOCKER_PACKAGES, packageReleases } from "../catalogue/docker";
import { compareVersions } from "../catalogue/versions";
import type { Fault } from "../faults";
import type { LedgerWriter } from "../ledger";
import type { LatencyProfile, SimClock } from "../time";
import type { HostState, InstalledPackage } from "./state";

/** Output and exit code of a host command. */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** What the package manager acts on. */
export interface PackageHost {
  readonly state: HostState;
  save(): void;
  readonly clock: SimClock;
  readonly ledger: LedgerWriter;
  faults(): readonly Fault[];
  /** Whether the docker daemon is running, and its pid. */
  dockerRunning(): { pid: number } | undefined;
  /** Stops the daemon (every container stops unless live-restore). */
  stopDocker(): Promise<void>;
  /** Starts the daemon at the installed version; resolves with the daemon's error if it exits at once. */
  startDocker(): Promise<string | undefined>;
  /** Installs or removes the `docker` command (the package's /usr/bin/docker). */
  setDockerBinary(present: boolean): void;
}

const REPO = "https://apt.dockerproject.org/repo/ ubuntu-trusty/main";
const CE_REPO = "https://download.docker.com/linux/ubuntu/ trusty/stable";
const repoOf = (name: string) => (name === DOCKER_CE_PACKAGE ? CE_REPO : REPO);

/** The Docker package a host has (docker-engine or docker-ce; the two conflict, so at most one), with its name. */
export function installedDocker(
  state: Pick<HostState, "packages">,
): (InstalledPackage & { readonly name: string }) | undefined {
  for (const name of DOCKER_PACKAGES) {
    const pkg = state.packages[name];
    if (pkg) return { name, ...pkg };
  }
  return undefined;
}

/**
 * apt's archive cache: every package file apt-get retrieves lands in /var/cache/apt/archives and stays there
 * (apt-get(8), trusty: "clean clears out the local repository of retrieved package files. It removes everything but the
 * lock file from /var/cache/apt/archives/ and /var/cache/apt/archives/partial/"; "-d, --download-only: Download only;
 * package files are only retrieved, not unpacked or installed"). An install whose .deb is already there fetches nothing
 * and says so ("Need to get 0 B/7,400 kB of archives.", apt 1.0's cmdline/apt-get.cc prints FetchBytes/DebBytes when
 * they differ), then only unpacks and configures.
 */
const archiveKey = (name: string, version: string) => `${name}_${version}`;

/** Whether the host's apt archive cache holds `name` at `version`. */
export function archived(state: Pick<HostState, "aptArchives">, name: string, version: string): boolean {
  return (state.aptArchives ?? []).includes(archiveKey(name, version));
}

/** The size of a Docker package's .deb in kB (the simulator's own figure, as apt prints it). */
export function packageSizeKb(version: string): number {
  return 7000 + Math.round(Number(version.split(".")[1]) * 400);
}

/**
 * Simulated seconds apt-get spends fetching a package of `sizeKb` over the host's link (the profile's pull rate, the
 * same path an image pull takes). `packageInstallSeconds` covers download and unpacking, so the rest is unpack +
 * configure.
 */
export function packageFetchSeconds(sizeKb: number, profile: LatencyProfile): number {
  return Math.min(profile.packageInstallSeconds, ((sizeKb * 1000) / 100_000_000) * profile.pullSecondsPer100MB);
}

function result(stdout: string, stderr = "", code = 0): ToolResult {
  return { stdout, stderr, code };
}

/** The candidate versions apt knows for package `name`, newest first. */
function candidates(name: string = DOCKER_PACKAGE): string[] {
  return [...packageReleases(name)].reverse().map((r) => r.packageVersion);
}

function upstartStatus(host: PackageHost): string {
  const running = host.dockerRunning();
  return running ? `docker start/running, process ${running.pid}\n` : "docker stop/waiting\n";
}

async function configure(host: PackageHost, name: string, version: string, out: string[]): Promise<boolean> {
  out.push(`Setting up ${name} (${version}) ...\n`);
  const failing = host
    .faults()
    .some((f) => f.kind === "package-install-fails" && (f.package === undefined || f.package === name));
  if (failing) {
    out.push("start: Job failed to start\n", 'invoke-rc.d: initscript docker, action "start" failed.\n');
    host.state.packages[name] = { version, status: "half-configured" };
    host.save();
    return false;
  }
  host.state.packages[name] = { version, status: "installed" };
  host.state.dockerGoal = "start";
  host.save();
  await host.startDocker();
  out.push(upstartStatus(host).replace("stop/waiting", "start/running, process 0"));
  return true;
}

const dpkgFailure = (name: string) =>
  `dpkg: error processing package ${name} (--configure):\n subprocess installed post-installation script returned error exit status 1\nErrors were encountered while processing:\n ${name}\nE: Sub-process /usr/bin/dpkg returned an error code (1)\n`;

/** Removes `name`'s files as dpkg does (its prerm stops the job first); conffiles such as /etc/default/docker stay. */
async function removeFiles(host: PackageHost, name: string, version: string, out: string[]): Promise<void> {
  if (host.dockerRunning()) {
    await host.stopDocker();
    out.push("docker stop/waiting\n");
  }
  out.push(`Removing ${name} (${version}) ...\n`);
  delete host.state.packages[name];
  host.save();
  host.setDockerBinary(false);
}

async function install(
  host: PackageHost,
  requests: string[],
  options: { yes: boolean; forceYes: boolean; fix: boolean; downloadOnly: boolean },
): Promise<ToolResult> {
  const out = ["Reading package lists...\n", "Building dependency tree...\n", "Reading state information...\n"];
  const installed = installedDocker(host.state);
  if (requests.length === 0 && options.fix) {
    if (installed?.status !== "half-configured") {
      return result(`${out.join("")}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
    }
    out.push("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n1 not fully installed or removed.\n");
    const ok = await configure(host, installed.name, installed.version, out);
    host.ledger.record({ kind: "package.install", package: installed.name, version: installed.version, ok });
    return ok ? result(out.join("")) : result(out.join(""), dpkgFailure(installed.name), 100);
  }
  for (const request of requests) {
    const [name, wanted] = request.split("=") as [string, string | undefined];
    if (!DOCKER_PACKAGES.includes(name as never)) {
      return result(out.join(""), `E: Unable to locate package ${name}\n`, 100);
    }
    if (wanted !== undefined && !candidates(name).includes(wanted)) {
      return result(out.join(""), `E: Version '${wanted}' for '${name}' was not found\n`, 100);
    }
  }
  const request = requests[0];
  if (request === undefined) {
    return result(`${out.join("")}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
  }
  const name = request.split("=")[0] as string;
  const target = request.includes("=") ? (request.split("=")[1] as string) : (candidates(name)[0] as string);
  const same = installed?.name === name ? installed : undefined;
  if (same && same.version === target && same.status === "installed") {
    return result(
      `${out.join("")}${name} is already the newest version.\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`,
    );
  }
  // docker-ce Conflicts/Replaces docker-engine: apt removes it in the same transaction. docker-engine declares no
  // conflict with docker-ce, so going back fails in dpkg on the file both ship (/usr/bin/docker).
  const conflicting = installed && installed.name !== name ? installed : undefined;
  if (conflicting && name === DOCKER_PACKAGE) {
    return result(
      out.join(""),
      `dpkg: error processing archive /var/cache/apt/archives/${name}_${target}_amd64.deb (--unpack):\n trying to overwrite '/usr/bin/docker', which is also in package ${conflicting.name} ${conflicting.version}\nErrors were encountered while processing:\n /var/cache/apt/archives/${name}_${target}_amd64.deb\nE: Sub-process /usr/bin/dpkg returned an error code (1)\n`,
      100,
    );
  }
  const change = !same
    ? "newly"
    : compareVersions(target.split(/[-~]/)[0] as string, same.version.split(/[-~]/)[0] as string) < 0
      ? "downgrade"
      : "upgrade";
  const sizeKb = packageSizeKb(target);
  const cached = archived(host.state, name, target);
  if (conflicting) out.push(`The following packages will be REMOVED:\n  ${conflicting.name}\n`);
  if (change === "newly") {
    out.push(
      `The following NEW packages will be installed:\n  ${name}\n0 upgraded, 1 newly installed, ${conflicting ? 1 : 0} to remove and 0 not upgraded.\n`,
    );
  } else if (change === "upgrade") {
    out.push(
      `The following packages will be upgraded:\n  ${name}\n1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`,
    );
  } else {
    out.push(
      `The following packages will be DOWNGRADED:\n  ${name}\n0 upgraded, 0 newly installed, 1 downgraded, 0 to remove and 0 not upgraded.\n`,
    );
  }
  const size = `${sizeKb.toLocaleString("en-US")} kB`;
  out.push(cached ? `Need to get 0 B/${size} of archives.\n` : `Need to get ${size} of archives.\n`);
  if (change === "downgrade" && options.yes && !options.forceYes) {
    return result(out.join(""), "E: There are problems and -y was used without --force-yes\n", 100);
  }
  // apt asks before removing a package even with -y only when it is essential; docker-engine is not.
  if (!options.yes) return result(`${out.join("")}Do you want to continue? [Y/n] Abort.\n`, "", 1);
  const profile = host.clock.profile;
  const fetchSeconds = packageFetchSeconds(sizeKb, profile);
  if (!cached) {
    await host.clock.sleep(fetchSeconds);
    out.push(`Get:1 ${repoOf(name)} ${name} amd64 ${target} [${size}]\n`);
    const rate = Math.round(sizeKb / Math.max(fetchSeconds, 0.001)).toLocaleString("en-US");
    out.push(`Fetched ${size} in ${Math.max(1, Math.round(fetchSeconds))}s (${rate} kB/s)\n`);
    host.state.aptArchives = [...(host.state.aptArchives ?? []), archiveKey(name, target)];
    host.save();
  }
  // -d / --download-only (apt-get(8)): "Download only; package files are only retrieved, not unpacked or installed."
  if (options.downloadOnly) return result(`${out.join("")}Download complete and in download only mode\n`);
  await host.clock.sleep(profile.packageInstallSeconds - fetchSeconds);
  out.push("(Reading database ... 61234 files and directories currently installed.)\n");
  if (conflicting) {
    await removeFiles(host, conflicting.name, conflicting.version, out);
    host.ledger.record({
      kind: "package.remove",
      package: conflicting.name,
      version: conflicting.version,
      reason: `replaced by ${name}`,
    });
    out.push(
      `Selecting previously unselected package ${name}.\n(Reading database ... 61012 files and directories currently installed.)\n`,
    );
  }
  out.push(`Preparing to unpack .../${name}_${target}_amd64.deb ...\n`);
  if (same && host.dockerRunning()) {
    // prerm (dh_installinit): stop the job before the new files replace the old ones.
    await host.stopDocker();
    out.push("docker stop/waiting\n");
  }
  out.push(same ? `Unpacking ${name} (${target}) over (${same.version}) ...\n` : `Unpacking ${name} (${target}) ...\n`);
  host.state.packages[name] = { version: target, status: "half-configured" };
  host.save();
  host.setDockerBinary(true);
  out.push(
    "Processing triggers for ureadahead (0.100.0-16) ...\nProcessing triggers for man-db (2.6.7.1-1ubuntu1) ...\n",
  );
  const ok = await configure(host, name, target, out);
  const from = same ?? conflicting;
  host.ledger.record({
    kind: "package.install",
    package: name,
    version: target,
    ok,
    ...(from ? { detail: { from: from.version, ...(conflicting ? { replaced: conflicting.name } : {}) } } : {}),
  });
  return ok ? result(out.join("")) : result(out.join(""), dpkgFailure(name), 100);
}

async function remove(host: PackageHost, names: string[]): Promise<ToolResult> {
  const out = ["Reading package lists...\n", "Building dependency tree...\n", "Reading state information...\n"];
  const installed = installedDocker(host.state);
  if (!installed || !names.includes(installed.name)) {
    return result(
      `${out.join("")}Package '${names[0] ?? ""}' is not installed, so not removed\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`,
    );
  }
  out.push(
    `The following packages will be REMOVED:\n  ${installed.name}\n0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.\n`,
  );
  await removeFiles(host, installed.name, installed.version, out);
  host.state.dockerGoal = "stop";
  host.save();
  return result(out.join(""));
}

/** `apt-get` (update, install [-y] [-d] [--force-yes] pkg[=version], install -f, remove/purge, upgrade, clean). */
export async function aptGet(host: PackageHost, argv: readonly string[]): Promise<ToolResult> {
  const words: string[] = [];
  const options = { yes: false, forceYes: false, fix: false, downloadOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (["-y", "--yes", "--assume-yes", "-qy", "-yq"].includes(arg)) options.yes = true;
    else if (arg === "--force-yes") options.forceYes = true;
    else if (arg === "-f" || arg === "--fix-broken") options.fix = true;
    else if (arg === "-d" || arg === "--download-only") options.downloadOnly = true;
    else if (arg === "-o") i++;
    else if (
      /^-(q|qq|s)$|^--(quiet|no-install-recommends|install-recommends|reinstall|simulate|dry-run)$|^-o.+/.test(arg)
    ) {
      continue;
    } else if (arg.startsWith("-")) {
      return result(
        "",
        `E: Command line option '${arg.replace(/^-+/, "")}' [from ${arg}] is not understood in combination with the other options.\n`,
        100,
      );
    } else words.push(arg);
  }
  const [command, ...rest] = words;
  switch (command) {
    case "update":
      return result(
        `Hit http://archive.ubuntu.com trusty InRelease\nHit ${REPO.replace(" ", " ")} InRelease\nReading package lists...\n`,
      );
    case "install":
      return install(host, rest, options);
    case "clean":
      host.state.aptArchives = [];
      host.save();
      return result("");
    case "upgrade":
    case "dist-upgrade":
      return installedDocker(host.state)
        ? install(host, [installedDocker(host.state)!.name], options)
        : result("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
    case "remove":
    case "purge":
      return remove(host, rest);
    case undefined:
      return result(
        "apt 1.0.1ubuntu2 for amd64 compiled on Jan 12 2016 21:37:55\nUsage: apt-get [options] command\n",
        "",
        0,
      );
    default:
      return result("", `E: Invalid operation ${command}\n`, 100);
  }
}

/** `apt-cache policy|madison|show docker-engine|docker-ce`. */
export function aptCache(host: PackageHost, argv: readonly string[]): ToolResult {
  const [command, name] = argv;
  if (!DOCKER_PACKAGES.includes(name as never)) {
    return result("", `N: Unable to locate package ${name ?? ""}\n`, command === "policy" ? 0 : 100);
  }
  const pkgName = name as string;
  const repo = repoOf(pkgName);
  const installed = host.state.packages[pkgName]?.version;
  const versions = candidates(pkgName);
  switch (command) {
    case "madison":
      return result(versions.map((v) => `${pkgName.padStart(10)} | ${v} | ${repo} amd64 Packages\n`).join(""));
    case "policy": {
      const table = versions
        .map(
          (v) =>
            `${v === installed ? " *** " : "     "}${v} 0\n        500 ${repo} amd64 Packages\n${v === installed ? "        100 /var/lib/dpkg/status\n" : ""}`,
        )
        .join("");
      return result(
        `${pkgName}:\n  Installed: ${installed ?? "(none)"}\n  Candidate: ${versions[0]}\n  Version table:\n${table}`,
      );
    }
    case "show":
      return result(
        versions
          .map(
            (v) =>
              `Package: ${pkgName}\nVersion: ${v}\nArchitecture: amd64\nMaintainer: Docker <support@docker.com>\nDescription: Docker: the open-source application container engine\n\n`,
          )
          .join(""),
      );
    default:
      return result("", `E: Invalid operation ${command ?? ""}\n`, 100);
  }
}

function statusWord(host: PackageHost, name: string): { abbrev: string; status: string } | undefined {
  const pkg = host.state.packages[name];
  if (!pkg) return undefined;
  return pkg.status === "installed"
    ? { abbrev: "ii ", status: "install ok installed" }
    : { abbrev: "iF ", status: "install ok half-configured" };
}

/** `dpkg-query -W [-f=FORMAT] docker-engine` and `dpkg-query -s docker-engine`. */
export function dpkgQuery(host: PackageHost, argv: readonly string[]): ToolResult {
  let format = "${Package}\t${Version}\n";
  const names: string[] = [];
  let show = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-W" || arg === "--show") continue;
    if (arg === "-s" || arg === "--status") show = true;
    else if (arg === "-f" || arg === "--showformat") format = argv[++i] ?? format;
    else if (arg.startsWith("-f=") || arg.startsWith("--showformat=")) format = arg.slice(arg.indexOf("=") + 1);
    else if (arg.startsWith("-f") && arg.length > 2) format = arg.slice(2);
    else names.push(arg);
  }
  let stdout = "";
  let stderr = "";
  for (const name of names) {
    const pkg = DOCKER_PACKAGES.includes(name as never) ? host.state.packages[name] : undefined;
    const status = statusWord(host, name);
    if (!pkg || !status) {
      stderr += `dpkg-query: no packages found matching ${name}\n`;
      continue;
    }
    if (show) {
      stdout += `Package: ${name}\nStatus: ${status.status}\nPriority: optional\nSection: admin\nArchitecture: amd64\nVersion: ${pkg.version}\nDescription: Docker: the open-source application container engine\n`;
      continue;
    }
    stdout += format
      .replace(/\$\{Package\}/g, name)
      .replace(/\$\{Version\}/g, pkg.version)
      .replace(/\$\{Status\}/g, status.status)
      .replace(/\$\{db:Status-Abbrev\}/g, status.abbrev)
      .replace(/\\n/g, "\n")
      .replace(/\\t/g, "\t");
  }
  return result(stdout, stderr, stderr ? 1 : 0);
}

/** `dpkg -l [docker-engine]` and `dpkg --configure -a`. */
export async function dpkg(host: PackageHost, argv: readonly string[]): Promise<ToolResult> {
  if (argv[0] === "--configure") {
    const pkg = installedDocker(host.state);
    if (!pkg || pkg.status === "installed") return result("");
    const out: string[] = [];
    const ok = await configure(host, pkg.name, pkg.version, out);
    return ok ? result(out.join("")) : result(out.join(""), dpkgFailure(pkg.name).replace(/E: Sub-process.*\n/, ""), 1);
  }
  if (argv[0] === "-l" || argv[0] === "--list") {
    const pkg =
      argv[1] === undefined
        ? installedDocker(host.state)
        : DOCKER_PACKAGES.includes(argv[1] as never) && host.state.packages[argv[1]]
          ? { name: argv[1], ...host.state.packages[argv[1]]! }
          : undefined;
    const status = pkg && statusWord(host, pkg.name);
    const header =
      "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n||/ Name           Version        Architecture Description\n+++-==============-==============-============-=================================\n";
    if (!pkg || !status) return result("", `dpkg-query: no packages found matching ${argv[1] ?? DOCKER_PACKAGE}\n`, 1);
    return result(
      `${header}${status.abbrev.trim().padEnd(4)}${pkg.name.padEnd(15)}${pkg.version.padEnd(15)}amd64        Docker: the open-source application container engine\n`,
    );
  }
  return result("", `dpkg: error: need an action option\n`, 2);
}

/** Upstart's `service docker start|stop|restart|status` as Ubuntu 14.04's /usr/sbin/service runs it. */
export async function service(host: PackageHost, argv: readonly string[]): Promise<ToolResult> {
  const [name, action] = argv;
  if (name === "--status-all") return result(` [ ${host.dockerRunning() ? "+" : "-"} ]  docker\n`);
  if (name !== "docker" || !installedDocker(host.state)) return result("", `${name ?? ""}: unrecognized service\n`, 1);
  const start = async (): Promise<ToolResult> => {
    if (host.dockerRunning()) return result("", "start: Job is already running: docker\n", 1);
    host.state.dockerGoal = "start";
    host.save();
    await host.startDocker();
    // upstart reports the job started even if the daemon then exits (the error lands in /var/log/upstart/docker.log).
    return result(upstartStatus(host).replace("stop/waiting", "start/running, process 0"));
  };
  const stop = async (): Promise<ToolResult> => {
    if (!host.dockerRunning()) return result("", "stop: Unknown instance: \n", 1);
    host.state.dockerGoal = "stop";
    host.save();
    await host.stopDocker();
    return result("docker stop/waiting\n");
  };
  host.ledger.record({ kind: "service", name: "docker", reason: action ?? "" });
  switch (action) {
    case "start":
      return start();
    case "stop":
      return stop();
    case "restart": {
      // "Map restart to the usual sysvinit behavior": stop (ignoring failure), then start.
      const stopped = await stop();
      const started = await start();
      return result(stopped.stdout + started.stdout, stopped.stderr + started.stderr, started.code);
    }
    case "status":
      return result(upstartStatus(host));
    default:
      return result("", `Usage: service docker {start|stop|restart|status}\n`, 1);
  }
}

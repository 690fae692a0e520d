// The host's package manager and init system as Ubuntu 14.04 has them: apt-get / apt-cache / dpkg / dpkg-query for
// the docker-engine package of apt.dockerproject.org, and upstart's `service docker …`. The engine version changes only
// here: the package's maintainer scripts stop the daemon before unpacking and start it again after.
import { DOCKER_PACKAGE, DOCKER_RELEASES, dockerRelease } from "../catalogue/docker";
import { compareVersions } from "../catalogue/versions";
import type { Fault } from "../faults";
import type { LedgerWriter } from "../ledger";
import type { SimClock } from "../time";
import type { HostState } from "./state";

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

function result(stdout: string, stderr = "", code = 0): ToolResult {
  return { stdout, stderr, code };
}

/** The candidate versions apt knows for docker-engine, newest first. */
function candidates(): string[] {
  return [...DOCKER_RELEASES].reverse().map((r) => r.packageVersion);
}

function upstartStatus(host: PackageHost): string {
  const running = host.dockerRunning();
  return running ? `docker start/running, process ${running.pid}\n` : "docker stop/waiting\n";
}

async function configure(host: PackageHost, version: string, out: string[]): Promise<boolean> {
  out.push(`Setting up ${DOCKER_PACKAGE} (${version}) ...\n`);
  const failing = host.faults().some((f) => f.kind === "package-install-fails" && (f.package === undefined || f.package === DOCKER_PACKAGE));
  if (failing) {
    out.push("start: Job failed to start\n", 'invoke-rc.d: initscript docker, action "start" failed.\n');
    host.state.packages[DOCKER_PACKAGE] = { version, status: "half-configured" };
    host.save();
    return false;
  }
  host.state.packages[DOCKER_PACKAGE] = { version, status: "installed" };
  host.state.dockerGoal = "start";
  host.save();
  await host.startDocker();
  out.push(upstartStatus(host).replace("stop/waiting", "start/running, process 0"));
  return true;
}

const DPKG_FAILURE =
  "dpkg: error processing package docker-engine (--configure):\n subprocess installed post-installation script returned error exit status 1\nErrors were encountered while processing:\n docker-engine\nE: Sub-process /usr/bin/dpkg returned an error code (1)\n";

async function install(host: PackageHost, requests: string[], options: { yes: boolean; forceYes: boolean; fix: boolean; downloadOnly: boolean }): Promise<ToolResult> {
  const out = ["Reading package lists...\n", "Building dependency tree...\n", "Reading state information...\n"];
  const installed = host.state.packages[DOCKER_PACKAGE];
  if (requests.length === 0 && options.fix) {
    if (installed?.status !== "half-configured") return result(`${out.join("")}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
    out.push("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n1 not fully installed or removed.\n");
    const ok = await configure(host, installed.version, out);
    host.ledger.record({ kind: "package.install", package: DOCKER_PACKAGE, version: installed.version, ok });
    return ok ? result(out.join("")) : result(out.join(""), DPKG_FAILURE, 100);
  }
  for (const request of requests) {
    const [name, wanted] = request.split("=");
    if (name !== DOCKER_PACKAGE) return result(out.join(""), `E: Unable to locate package ${name}\n`, 100);
    if (wanted !== undefined && dockerRelease(wanted)?.packageVersion !== wanted) {
      return result(out.join(""), `E: Version '${wanted}' for '${name}' was not found\n`, 100);
    }
  }
  const request = requests.find((r) => r.startsWith(DOCKER_PACKAGE));
  if (request === undefined) return result(`${out.join("")}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
  const target = request.includes("=") ? (request.split("=")[1] as string) : (candidates()[0] as string);
  if (installed && installed.version === target && installed.status === "installed") {
    return result(`${out.join("")}${DOCKER_PACKAGE} is already the newest version.\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
  }
  const change = !installed ? "newly" : compareVersions(target.split("-")[0] as string, installed.version.split("-")[0] as string) < 0 ? "downgrade" : "upgrade";
  const sizeKb = 7000 + Math.round(Number(target.split(".")[1]) * 400);
  if (change === "newly") out.push(`The following NEW packages will be installed:\n  ${DOCKER_PACKAGE}\n0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\n`);
  else if (change === "upgrade") out.push(`The following packages will be upgraded:\n  ${DOCKER_PACKAGE}\n1 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
  else out.push(`The following packages will be DOWNGRADED:\n  ${DOCKER_PACKAGE}\n0 upgraded, 0 newly installed, 1 downgraded, 0 to remove and 0 not upgraded.\n`);
  out.push(`Need to get ${sizeKb.toLocaleString("en-US")} kB of archives.\n`);
  if (change === "downgrade" && options.yes && !options.forceYes) {
    return result(out.join(""), "E: There are problems and -y was used without --force-yes\n", 100);
  }
  if (!options.yes) return result(`${out.join("")}Do you want to continue? [Y/n] Abort.\n`, "", 1);
  await host.clock.sleep(host.clock.profile.packageInstallSeconds);
  out.push(`Get:1 ${REPO} ${DOCKER_PACKAGE} amd64 ${target} [${sizeKb.toLocaleString("en-US")} kB]\n`);
  out.push(`Fetched ${sizeKb.toLocaleString("en-US")} kB in 2s (3,512 kB/s)\n`);
  // -d / --download-only (apt-get(8)): "Download only; package files are only retrieved, not unpacked or installed."
  if (options.downloadOnly) return result(`${out.join("")}Download complete and in download only mode\n`);
  out.push("(Reading database ... 61234 files and directories currently installed.)\n");
  out.push(`Preparing to unpack .../${DOCKER_PACKAGE}_${target}_amd64.deb ...\n`);
  if (installed && host.dockerRunning()) {
    // prerm (dh_installinit): stop the job before the new files replace the old ones.
    await host.stopDocker();
    out.push("docker stop/waiting\n");
  }
  out.push(installed ? `Unpacking ${DOCKER_PACKAGE} (${target}) over (${installed.version}) ...\n` : `Unpacking ${DOCKER_PACKAGE} (${target}) ...\n`);
  host.state.packages[DOCKER_PACKAGE] = { version: target, status: "half-configured" };
  host.save();
  host.setDockerBinary(true);
  out.push("Processing triggers for ureadahead (0.100.0-16) ...\nProcessing triggers for man-db (2.6.7.1-1ubuntu1) ...\n");
  const ok = await configure(host, target, out);
  host.ledger.record({ kind: "package.install", package: DOCKER_PACKAGE, version: target, ok, ...(installed ? { detail: { from: installed.version } } : {}) });
  return ok ? result(out.join("")) : result(out.join(""), DPKG_FAILURE, 100);
}

async function remove(host: PackageHost, names: string[]): Promise<ToolResult> {
  const out = ["Reading package lists...\n", "Building dependency tree...\n", "Reading state information...\n"];
  if (!names.includes(DOCKER_PACKAGE) || !host.state.packages[DOCKER_PACKAGE]) {
    return result(`${out.join("")}Package '${names[0] ?? ""}' is not installed, so not removed\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
  }
  const version = host.state.packages[DOCKER_PACKAGE]!.version;
  out.push(`The following packages will be REMOVED:\n  ${DOCKER_PACKAGE}\n0 upgraded, 0 newly installed, 1 to remove and 0 not upgraded.\n`);
  if (host.dockerRunning()) {
    await host.stopDocker();
    out.push("docker stop/waiting\n");
  }
  out.push(`Removing ${DOCKER_PACKAGE} (${version}) ...\n`);
  delete host.state.packages[DOCKER_PACKAGE];
  host.state.dockerGoal = "stop";
  host.save();
  host.setDockerBinary(false);
  return result(out.join(""));
}

/** `apt-get` (update, install [-y] [-d] [--force-yes] pkg[=version], install -f, remove/purge, upgrade). */
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
    else if (/^-(q|qq|s)$|^--(quiet|no-install-recommends|install-recommends|reinstall|simulate|dry-run)$|^-o.+/.test(arg)) continue;
    else if (arg.startsWith("-")) return result("", `E: Command line option '${arg.replace(/^-+/, "")}' [from ${arg}] is not understood in combination with the other options.\n`, 100);
    else words.push(arg);
  }
  const [command, ...rest] = words;
  switch (command) {
    case "update":
      return result(`Hit http://archive.ubuntu.com trusty InRelease\nHit ${REPO.replace(" ", " ")} InRelease\nReading package lists...\n`);
    case "install":
      return install(host, rest, options);
    case "upgrade":
    case "dist-upgrade":
      return host.state.packages[DOCKER_PACKAGE] ? install(host, [DOCKER_PACKAGE], options) : result("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
    case "remove":
    case "purge":
      return remove(host, rest);
    case undefined:
      return result("apt 1.0.1ubuntu2 for amd64 compiled on Jan 12 2016 21:37:55\nUsage: apt-get [options] command\n", "", 0);
    default:
      return result("", `E: Invalid operation ${command}\n`, 100);
  }
}

/** `apt-cache policy|madison|show docker-engine`. */
export function aptCache(host: PackageHost, argv: readonly string[]): ToolResult {
  const [command, name] = argv;
  if (name !== DOCKER_PACKAGE) return result("", `N: Unable to locate package ${name ?? ""}\n`, command === "policy" ? 0 : 100);
  const installed = host.state.packages[DOCKER_PACKAGE]?.version;
  switch (command) {
    case "madison":
      return result(candidates().map((v) => `docker-engine | ${v} | ${REPO} amd64 Packages\n`).join(""));
    case "policy": {
      const table = candidates()
        .map((v) => `${v === installed ? " *** " : "     "}${v} 0\n        500 ${REPO} amd64 Packages\n${v === installed ? "        100 /var/lib/dpkg/status\n" : ""}`)
        .join("");
      return result(`docker-engine:\n  Installed: ${installed ?? "(none)"}\n  Candidate: ${candidates()[0]}\n  Version table:\n${table}`);
    }
    case "show":
      return result(candidates().map((v) => `Package: docker-engine\nVersion: ${v}\nArchitecture: amd64\nMaintainer: Docker <support@docker.com>\nDescription: Docker: the open-source application container engine\n\n`).join(""));
    default:
      return result("", `E: Invalid operation ${command ?? ""}\n`, 100);
  }
}

function statusWord(host: PackageHost): { abbrev: string; status: string } | undefined {
  const pkg = host.state.packages[DOCKER_PACKAGE];
  if (!pkg) return undefined;
  return pkg.status === "installed" ? { abbrev: "ii ", status: "install ok installed" } : { abbrev: "iF ", status: "install ok half-configured" };
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
  const pkg = host.state.packages[DOCKER_PACKAGE];
  const status = statusWord(host);
  let stdout = "";
  let stderr = "";
  for (const name of names) {
    if (name !== DOCKER_PACKAGE || !pkg || !status) {
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
    const pkg = host.state.packages[DOCKER_PACKAGE];
    if (!pkg || pkg.status === "installed") return result("");
    const out: string[] = [];
    const ok = await configure(host, pkg.version, out);
    return ok ? result(out.join("")) : result(out.join(""), DPKG_FAILURE.replace(/E: Sub-process.*\n/, ""), 1);
  }
  if (argv[0] === "-l" || argv[0] === "--list") {
    const pkg = host.state.packages[DOCKER_PACKAGE];
    const status = statusWord(host);
    const header = "Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n||/ Name           Version        Architecture Description\n+++-==============-==============-============-=================================\n";
    if (!pkg || !status) return result("", `dpkg-query: no packages found matching ${argv[1] ?? DOCKER_PACKAGE}\n`, 1);
    return result(`${header}${status.abbrev.trim().padEnd(4)}docker-engine  ${pkg.version.padEnd(15)}amd64        Docker: the open-source application container engine\n`);
  }
  return result("", `dpkg: error: need an action option\n`, 2);
}

/** Upstart's `service docker start|stop|restart|status` as Ubuntu 14.04's /usr/sbin/service runs it. */
export async function service(host: PackageHost, argv: readonly string[]): Promise<ToolResult> {
  const [name, action] = argv;
  if (name === "--status-all") return result(` [ ${host.dockerRunning() ? "+" : "-"} ]  docker\n`);
  if (name !== "docker" || !host.state.packages[DOCKER_PACKAGE]) return result("", `${name ?? ""}: unrecognized service\n`, 1);
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

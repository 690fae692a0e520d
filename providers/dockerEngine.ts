// DockerEngine: the Docker engine of one host, moved by its package manager, with the host's work kept alive.
import * as pulumi from "@pulumi/pulumi";
import { dockerPackage } from "../catalogue/docker-packages";
import { compareVersions, findPath, isKnownRelease } from "../planner";
import { RemoteCommandError } from "../remote/errors";
import { waitForGate } from "../remote/gate";
import { getJson, httpRequest } from "../remote/http";
import { serviceUrl } from "../remote/routes";
import { sshShell, type RemoteShell } from "../remote/ssh";
import { componentDiff, connectionFailures, inputsOf, targetOf, type ComponentArgs, type ComponentInputs, type ComponentState } from "./component";
import { inspectContainer } from "./container";
import { delegatingProvider, type ProviderImplementation } from "./dynamic";
import { ComponentFailure } from "./failure";
import { degradedApps, leaderState, marathonApps } from "./probes";

/** Inputs of a DockerEngine. */
export interface DockerEngineArgs extends ComponentArgs {
  /** Ubuntu suite of the docker-engine packages (`docker-engine=<version>-0~<suite>`). @default "trusty" */
  readonly suite?: pulumi.Input<string>;
  /** The daemon's log driver. @default "json-file" */
  readonly logDriver?: pulumi.Input<string>;
  readonly registryMirrors?: pulumi.Input<pulumi.Input<string>[]>;
  /** Registries reached without TLS, e.g. a harbor at "10.0.0.5:5000". */
  readonly insecureRegistries?: pulumi.Input<pulumi.Input<string>[]>;
  /** Whether the host runs a Mesos agent: its tasks stop with the engine (no live-restore before 1.12). */
  readonly runsAgent: pulumi.Input<boolean>;
  /** Addresses of the cluster's Mesos masters. */
  readonly masters: pulumi.Input<pulumi.Input<string>[]>;
  /** Addresses of the cluster's Marathon instances (the app-health gate asks them). */
  readonly marathons: pulumi.Input<pulumi.Input<string>[]>;
  /** The Mesos version the cluster runs: from 0.25 an agent host is drained with maintenance primitives first. */
  readonly mesosVersion: pulumi.Input<string>;
  /** The plan's settings step for this engine (what changes): the engine restarts at its version for its new options. */
  readonly settingsStep?: pulumi.Input<string>;
}

export interface DockerEngineInputs extends ComponentInputs {
  readonly settingsStep?: string;
  readonly suite?: string;
  readonly logDriver?: string;
  readonly registryMirrors?: readonly string[];
  readonly insecureRegistries?: readonly string[];
  readonly runsAgent: boolean;
  readonly masters: readonly string[];
  readonly marathons: readonly string[];
  readonly mesosVersion: string;
}

/**
 * A package install this provider started that did not end with the engine running the new version (apt failed
 * half way, or the engine did not come back). Recorded on the resource so the next run can tell its own unfinished
 * work from a hand-made change, and finish it.
 */
export interface InterruptedInstall {
  readonly package: string;
  /** The Debian version being installed, e.g. "1.11.2-0~trusty". */
  readonly packageVersion: string;
  /** The engine version that install moves to. */
  readonly version: string;
  /** The engine version that ran before. */
  readonly from: string;
  /** How dpkg left the package, e.g. "install ok half-configured" (`dpkg-query -W -f='${Status}'`). */
  readonly status: string;
  /** Containers with a restart policy that ran before, which must be back when the engine is. */
  readonly keep: readonly string[];
}

/**
 * A machine this provider took down for maintenance and could not bring back up (POST /master/machine/up failed).
 * Recorded on the resource because the engine may already run the new version: the next update would find nothing
 * to do, and the machine would stay down (its agent refused) until someone brought it up by hand.
 */
export interface UnfinishedDrain {
  /** The MachineID taken down, as the master knew it. */
  readonly machine: Machine;
  /** The master the drain went through, e.g. "http://10.0.0.1:5050"; asked only when no master of `masters` leads. */
  readonly master: string;
  /** Containers with a restart policy that ran before, which the gate waits for once the machine is up. */
  readonly keep: readonly string[];
}

export interface DockerEngineOutputs extends DockerEngineInputs, ComponentState {
  /** Containers that were running with a restart policy before the change and were back after it. */
  readonly keptContainers: readonly string[];
  /** Set while an install this provider started is unfinished; the next `pulumi up` finishes it. */
  readonly interruptedInstall?: InterruptedInstall;
  /** Set while a machine this provider drained is still down; the next `pulumi up` brings it up before anything else. */
  readonly unfinishedDrain?: UnfinishedDrain;
}

/** Inputs that describe the cluster around the engine, not the engine: they never make a diff. */
const CONTEXT_KEYS: readonly string[] = ["masters", "marathons", "mesosVersion", "settingsStep"];
const INPUT_KEYS = ["connection", "privateKey", "version", "targetVersion", "gateTimeoutSeconds", "rollbackOnFailure", "uninstallOnDelete", "suite", "logDriver", "registryMirrors", "insecureRegistries", "runsAgent", "masters", "marathons", "mesosVersion", "settingsStep"];
// DOCKER_OPTS lands in /etc/default/docker, which the upstart job sources as shell: only plain words may go there.
const SAFE_OPTION = /^[A-Za-z0-9._:/-]+$/;
const SUITE = /^[a-z0-9][a-z0-9.+~-]*$/;
const PACKAGE = "docker-engine";
const INSTALLED = "install ok installed";

/** The DOCKER_OPTS line of /etc/default/docker (read by the upstart job of docker-engine on trusty). */
export function dockerOpts(inputs: Pick<DockerEngineInputs, "logDriver" | "registryMirrors" | "insecureRegistries">): string {
  const options = [`--log-driver=${inputs.logDriver ?? "json-file"}`];
  for (const mirror of inputs.registryMirrors ?? []) options.push(`--registry-mirror=${mirror}`);
  for (const registry of inputs.insecureRegistries ?? []) options.push(`--insecure-registry=${registry}`);
  return `DOCKER_OPTS="${options.join(" ")}"`;
}

/** The Debian package version of an engine release (the rule lives in catalogue/docker-packages.ts). */
export function packageVersion(version: string, suite = "trusty"): string {
  return dockerPackage(version, suite).version;
}

/** The engine's version: `--format` from 1.8; 1.7 prints "Server version: 1.7.1". Undefined when the daemon is down. */
export async function serverVersion(shell: RemoteShell): Promise<string | undefined> {
  const formatted = await shell.run(["docker", "version", "--format", "{{.Server.Version}}"], { allowFailure: true });
  if (formatted.code === 0 && /^\d+\.\d+\.\d+/.test(formatted.stdout.trim())) return formatted.stdout.trim();
  const plain = await shell.run(["docker", "version"], { allowFailure: true });
  return /Server version:\s*(\d+\.\d+\.\d+)/.exec(plain.stdout)?.[1] ?? /Server:\s*\n\s*Version:\s*(\d+\.\d+\.\d+)/.exec(plain.stdout)?.[1];
}

/** Names of running containers that have a restart policy (they must come back after the engine restarts). */
async function restartingContainers(shell: RemoteShell): Promise<string[]> {
  const ids = (await shell.run(["docker", "ps", "-q"])).stdout.split("\n").map((line) => line.trim()).filter(Boolean);
  const names: string[] = [];
  for (const id of ids) {
    const container = await inspectContainer(shell, id);
    if (container && container.running && container.restart !== "no") names.push(container.name);
  }
  return names.sort();
}

/** The docker-engine package as dpkg records it, or undefined when it is not installed. */
async function installedPackage(shell: RemoteShell): Promise<{ version: string; status: string } | undefined> {
  const result = await shell.run(["dpkg-query", "-W", "--showformat=${Version}\\t${Status}", PACKAGE], { allowFailure: true });
  if (result.code !== 0) return undefined;
  const [version, status] = result.stdout.trim().split("\t");
  return version ? { version, status: status ?? "" } : undefined;
}

/** A Mesos MachineID: the agent's hostname and IP as the master knows them. */
export interface Machine {
  readonly hostname: string;
  readonly ip: string;
}

interface MaintenanceWindow {
  readonly machine_ids: readonly Machine[];
  readonly unavailability: unknown;
}

const sameMachine = (a: Partial<Machine>, b: Machine) => (a.hostname ?? "").toLowerCase() === b.hostname.toLowerCase() && (a.ip ?? "") === b.ip;

/** A master's URL ("http://ip:port") from its pid ("master@ip:port"). */
function urlOfPid(pid: string): string | undefined {
  const match = /@([^:]+):(\d+)/.exec(pid);
  return match ? serviceUrl(match[1], Number(match[2])) : undefined;
}

/** Machines the master at `url` has down for maintenance (`/master/maintenance/status`); undefined when it does not say. */
async function downMachines(url: string): Promise<Machine[] | undefined> {
  const status = await getJson<{ down_machines?: Machine[] }>(`${url}/master/maintenance/status`);
  return status && (status.down_machines ?? []);
}

/**
 * Where to drain this host: the leading master's URL and the host's MachineID as that master knows it; undefined
 * when its agent is not registered. Refuses when the agent is missing because its machine is down for maintenance:
 * a machine with an unfinished drain of ours was brought up before this (see `finishDrain`), so this is someone
 * else's maintenance. Their window is theirs to end: bringing the machine up after the hop, as a drain of ours
 * would, could end it early, and the app gate could not pass while it is down. So we touch nothing and say so.
 */
async function drainTarget(inputs: DockerEngineInputs): Promise<{ url: string; machine: Machine } | undefined> {
  const leader = await leaderState(inputs.masters);
  const agent = leader?.slaves.find((slave) => slave.pid.includes(`@${inputs.connection.address}:`));
  const url = leader && urlOfPid(leader.pid);
  if (!agent) {
    const down = url ? (await downMachines(url))?.find((m) => m.ip === inputs.connection.address) : undefined;
    if (down && url) {
      throw new Error(
        `docker on ${inputs.connection.name}: its machine ${JSON.stringify(down)} is down for maintenance on ${url}, and this stack did not take it down (someone else's maintenance). ` +
          `Nothing was changed and the machine is left down. When that maintenance is over, bring it up (curl -X POST ${url}/master/machine/up -d '${JSON.stringify([down])}'), then run \`pulumi up\` again`,
      );
    }
    return undefined;
  }
  if (!url) throw new Error(`no leading Mesos master among ${inputs.masters.join(", ")} to drain ${inputs.connection.name}`);
  return { url, machine: { hostname: agent.hostname, ip: inputs.connection.address } };
}

async function postSchedule(url: string, windows: readonly MaintenanceWindow[]) {
  return httpRequest(`${url}/master/maintenance/schedule`, { method: "POST", json: { windows } });
}

/**
 * Mesos maintenance (0.25+): add a window for this machine to the schedule, then take it down, so its tasks are
 * moved before the engine stops. POST replaces the whole schedule, so the other machines' windows are read first
 * and kept (a machine that is down must stay in it, or the master refuses the schedule).
 */
async function drain({ url, machine }: { url: string; machine: Machine }): Promise<void> {
  const current = await httpRequest(`${url}/master/maintenance/schedule`);
  if (current.status !== 200) throw new Error(`reading the maintenance schedule from ${url} failed: HTTP ${current.status} ${current.body.trim()}`);
  const others = ((JSON.parse(current.body || "{}") as { windows?: MaintenanceWindow[] }).windows ?? [])
    .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((m) => !sameMachine(m, machine)) }))
    .filter((w) => w.machine_ids.length > 0);
  const window = { machine_ids: [machine], unavailability: { start: { nanoseconds: Date.now() * 1e6 }, duration: { nanoseconds: 3600 * 1e9 } } };
  const scheduled = await postSchedule(url, [...others, window]);
  if (scheduled.status !== 200) throw new Error(`scheduling maintenance of ${machine.hostname} on ${url} failed: HTTP ${scheduled.status} ${scheduled.body.trim()}`);
  const down = await httpRequest(`${url}/master/machine/down`, { method: "POST", json: [machine] });
  if (down.status !== 200) {
    await postSchedule(url, others).catch(() => undefined); // leave the schedule as it was
    throw new Error(`taking ${machine.hostname} down for maintenance on ${url} failed: HTTP ${down.status} ${down.body.trim()}`);
  }
}

/** The leading master's URL among `masters`, or `fallback` when none leads (or none answers). */
async function leaderUrl(masters: readonly string[], fallback: string): Promise<string> {
  const leader = await leaderState(masters);
  return (leader && urlOfPid(leader.pid)) ?? fallback;
}

/** Brings the machine back up (which also removes it from the schedule), through whichever master leads now. */
async function undrain(masters: readonly string[], drained: { url: string; machine: Machine }): Promise<void> {
  await machineUp(await leaderUrl(masters, drained.url), drained.machine);
}

/** POST /master/machine/up for one machine on the master at `url`; a refusal names the manual fix. */
async function machineUp(url: string, machine: Machine): Promise<void> {
  const up = await httpRequest(`${url}/master/machine/up`, { method: "POST", json: [machine] }).catch((error: Error) => ({ status: 0, body: error.message }));
  if (up.status !== 200) {
    throw new Error(
      `bringing ${machine.hostname} back up after maintenance failed: HTTP ${up.status} ${up.body.trim()}; its agent cannot register until it is up: ` +
        `curl -X POST ${url}/master/machine/up -d '${JSON.stringify([machine])}'`,
    );
  }
}

/**
 * Brings up the machine an earlier run drained and left down (its `unfinishedDrain`), through whichever master
 * leads now. When that master no longer has it down (brought up by hand, as the earlier error said), POST
 * /master/machine/up would be refused ("not in DOWN mode"), so nothing is sent. Returns what it did.
 */
async function finishDrain(masters: readonly string[], drained: UnfinishedDrain): Promise<string> {
  const url = await leaderUrl(masters, drained.master);
  const down = await downMachines(url);
  if (down && !down.some((m) => sameMachine(m, drained.machine))) return `${drained.machine.hostname}, drained by an earlier run, was already up again`;
  await machineUp(url, drained.machine);
  return `brought ${drained.machine.hostname} up, drained by an earlier run`;
}

function checkInputs(news: DockerEngineInputs): pulumi.dynamic.CheckFailure[] {
  const failures = connectionFailures(news);
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of ["version", "targetVersion"] as const) {
    if (!isKnownRelease("docker", news[key])) fail(key, `${key} "${news[key]}" is not a known Docker engine release; e.g. "1.11.2"`);
    else if (dockerPackage(news[key]).name !== PACKAGE) {
      fail(key, `${key} "${news[key]}" ships as the ${dockerPackage(news[key]).name} package (download.docker.com), which this provider does not install yet; use a docker-engine release, at most "17.05.0"`);
    }
  }
  if (failures.length === 0 && compareVersions(news.version, news.targetVersion) > 0) fail("version", `version "${news.version}" is beyond targetVersion "${news.targetVersion}"`);
  for (const [key, values] of [["registryMirrors", news.registryMirrors], ["insecureRegistries", news.insecureRegistries], ["logDriver", [news.logDriver ?? "json-file"]]] as const) {
    for (const value of values ?? []) {
      if (!SAFE_OPTION.test(value)) fail(key, `${key}: ${JSON.stringify(value)} is not a valid ${key} value (letters, digits, . _ : / - only: it goes into DOCKER_OPTS, which the init script reads as shell), e.g. "10.0.0.5:5000"`);
    }
  }
  if (news.suite !== undefined && !SUITE.test(news.suite)) fail("suite", `suite: ${JSON.stringify(news.suite)} is not an Ubuntu suite of apt.dockerproject.org, e.g. "trusty" or "ubuntu-trusty"`);
  return failures;
}

/** What one change does to the engine: a package install, a restart for new options, or finishing an interrupted install. */
type EngineAction = "install" | "restart" | "finish";

/** Finishes an install apt left half done: configure what dpkg unpacked, reinstall the pinned version if needed, start the engine. */
async function finishInstall(shell: RemoteShell, pinned: string): Promise<void> {
  const before = await installedPackage(shell);
  if (before?.status !== INSTALLED) await shell.run(["apt-get", "install", "-f", "-y"]);
  const after = await installedPackage(shell);
  if (after?.version !== pinned || after.status !== INSTALLED) await shell.run(["apt-get", "install", "-y", `${PACKAGE}=${pinned}`]);
  if (!(await serverVersion(shell))) await shell.run(["service", "docker", "start"], { allowFailure: true });
}

/** The step's error for a failed apt/dpkg/service command: host, package, apt's last stderr lines, and the fix. */
function commandFailure(error: unknown, pinned: string, action: EngineAction): string {
  if (!(error instanceof RemoteCommandError)) return (error as Error).message;
  const what = action === "restart" ? "restarting docker for its new options" : `installing ${PACKAGE}=${pinned}`;
  return `${what} failed: \`${error.command}\` exited with code ${error.exitCode ?? "(signal)"}${error.stderrTail ? `; apt/dpkg said: ${error.stderrTail}` : ""}`;
}

async function upgrade(id: string, inputs: DockerEngineInputs, provider: unknown, recorded?: DockerEngineOutputs): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  // A machine we drained and could not bring up comes first: until it is up its agent cannot register, whatever
  // else this run would do. The record is cleared only once it is up; if that fails again, it stays.
  const { unfinishedDrain, ...rest } = recorded ?? ({} as Partial<DockerEngineOutputs>);
  const previous = recorded && (rest as DockerEngineOutputs);
  if (!unfinishedDrain) return hop(id, inputs, provider, previous, undefined);
  let note: string;
  try {
    note = await finishDrain(inputs.masters, unfinishedDrain);
  } catch (error) {
    throw new ComponentFailure(
      `docker on ${shell.label}: ${(error as Error).message}. It was drained by an earlier run of this stack, which records it: the next \`pulumi up\` tries again first`,
      id,
      { ...recorded, __provider: provider },
    );
  }
  return hop(id, inputs, provider, previous, { note, keep: unfinishedDrain.keep });
}

/** The engine's hop (or nothing, when it runs the version asked), once no drain of ours is left unfinished. */
async function hop(id: string, inputs: DockerEngineInputs, provider: unknown, previous: DockerEngineOutputs | undefined, finishedDrain: { note: string; keep: readonly string[] } | undefined): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  const name = inputs.connection.name;
  const live = await serverVersion(shell);
  const interrupted = previous?.interruptedInstall;
  if (interrupted) {
    // Our own unfinished install is not a hand-made change: the package is still the version we were installing
    // (half-configured, or configured with the engine stopped), or someone finished it as the error told them to.
    const pkg = await installedPackage(shell);
    const ours = pkg?.version === interrupted.packageVersion && (live === undefined || live === interrupted.version);
    if (!ours) {
      throw new Error(
        `docker on ${name}: the stack recorded an unfinished install of ${PACKAGE} ${interrupted.packageVersion} (${interrupted.status}, engine not running it), ` +
          `but ${name} now has ${pkg ? `${PACKAGE} ${pkg.version} (${pkg.status})` : `no ${PACKAGE} package`} and its engine runs ${live ?? "nothing (daemon down)"}: ` +
          "it was changed by hand. Run `pulumi refresh` to record what runs, then `pulumi up` again",
      );
    }
    if (inputs.version !== interrupted.version) {
      throw new Error(`docker on ${name}: an install of ${interrupted.version} is unfinished (${PACKAGE} ${interrupted.packageVersion} ${interrupted.status}); set version back to "${interrupted.version}" so \`pulumi up\` can finish it first`);
    }
    return change(id, inputs, provider, { action: "finish", from: interrupted.from, keep: interrupted.keep });
  }
  if (previous && (live ?? "none") !== previous.runningVersion) {
    throw new Error(`docker on ${name} runs ${live ?? "nothing (daemon down)"}, but the stack recorded ${previous.runningVersion}: it was changed by hand. Run \`pulumi refresh\`, then \`pulumi up\` again`);
  }
  if (live && compareVersions(inputs.version, live) < 0) throw new Error(`docker on ${name} runs ${live}; version "${inputs.version}" would be a downgrade, which this project never does`);
  if (live && live !== inputs.version) {
    const path = findPath("docker", live, inputs.version);
    if (path.length > 1) throw new Error(`docker on ${name} runs ${live}; ${inputs.version} is ${path.length} hops away (${path.join(" → ")}); one hop per run: set version to ${path[0]}`);
  }
  const opts = dockerOpts(inputs);
  const currentOpts = (await shell.run(["cat", "/etc/default/docker"], { allowFailure: true })).stdout;
  const optsChanged = !currentOpts.split("\n").includes(opts);
  // An engine already at its version is never restarted (every restart before 1.12 stops the host's containers,
  // and no plan announced one): options that differ wait for the engine's next planned hop, and the resource says so.
  if (live === inputs.version) {
    const changedAt = previous?.changedAt ?? "";
    if (finishedDrain) {
      // The machine just came back: the step is done once its work is, as after a hop (the next step waits for it).
      const gate = await engineGate(shell, inputs, finishedDrain.keep);
      const kept = await restartingContainers(shell).catch(() => []);
      if (gate.failure) {
        throw new ComponentFailure(`docker on ${shell.label}: ${finishedDrain.note}; ${gate.failure}`, id, { ...inputs, runningVersion: live, changedAt, gateObserved: "health gate failed", keptContainers: kept, __provider: provider });
      }
      return { ...inputs, runningVersion: live, changedAt, gateObserved: `${finishedDrain.note}; ${gate.observed}`, keptContainers: kept };
    }
    if (optsChanged && inputs.settingsStep) {
      // A settings step of the plan: restart the engine at its version for its new options, drained and gated as a hop.
      return change(id, inputs, provider, { action: "restart", from: live, keep: await restartingContainers(shell) });
    }
    const kept = await restartingContainers(shell);
    const pending = optsChanged ? `; daemon options pending until the next Docker step on ${name}` : "";
    const gateObserved = previous ? `${previous.gateObserved.replace(/; daemon options (differ and apply at the engine's next hop|pending until the next Docker step on \S+)$/, "")}${pending}` : `adopted: already running this version, nothing restarted${pending}`;
    return { ...inputs, runningVersion: live, changedAt, gateObserved, keptContainers: kept };
  }
  const keep = await restartingContainers(shell);
  return change(id, inputs, provider, { action: "install", from: live ?? previous?.version ?? inputs.version, keep });
}

/** Waits until the engine answers at `inputs.version` with `keep` back and (on agents) every multi-instance app healthy. */
async function engineGate(shell: RemoteShell, inputs: DockerEngineInputs, keep: readonly string[]): Promise<{ observed: string; failure?: undefined } | { observed?: undefined; failure: string }> {
  try {
    const passed = await waitForGate({
      description: `docker on ${inputs.connection.name} answers at ${inputs.version} with ${keep.length ? keep.join(", ") : "no containers"} back${inputs.runsAgent ? " and every multi-instance app healthy" : ""}`,
      timeoutSeconds: inputs.gateTimeoutSeconds ?? 300,
      intervalSeconds: 0.5,
      stableChecks: 2,
      check: async () => {
        const version = await serverVersion(shell);
        if (version !== inputs.version) return { passed: false, observed: `engine ${version ?? "not answering"}` };
        const back = await restartingContainers(shell);
        const missing = keep.filter((container) => !back.includes(container));
        let degraded: string[] = [];
        if (inputs.runsAgent && inputs.marathons.length > 0) {
          const apps = await firstAnswer(inputs.marathons, marathonApps);
          degraded = apps ? degradedApps(apps) : ["marathon not answering"];
        }
        return { passed: missing.length === 0 && degraded.length === 0, observed: `engine ${version}, containers missing: ${missing.join(", ") || "none"}, apps degraded: ${degraded.join(", ") || "none"}` };
      },
    });
    return { observed: `${passed.observed} (after ${passed.seconds}s)` };
  } catch (error) {
    return { failure: (error as Error).message };
  }
}

/**
 * Changes the engine: drain the host (Mesos ≥ 0.25 agents), write the options, install/restart/finish, bring the
 * host back, then wait for the engine, its containers and (on agents) every multi-instance app. On failure the
 * resource records what the host really has, including an unfinished install for the next run to finish.
 */
async function change(id: string, inputs: DockerEngineInputs, provider: unknown, plan: { action: EngineAction; from: string; keep: readonly string[] }): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  const name = inputs.connection.name;
  const pinned = packageVersion(inputs.version, inputs.suite);
  const { keep } = plan;
  // Drain only before stopping a running engine: finishing an install finds it stopped already (or running the
  // new version, finished by hand), and taking the machine down then would only kill its tasks.
  const drains = plan.action !== "finish" && inputs.runsAgent && compareVersions(inputs.mesosVersion, "0.25.0") >= 0;
  const drained = drains ? await drainTarget(inputs) : undefined;
  if (drained) await drain(drained);
  let failure: string | undefined;
  let leftDown: UnfinishedDrain | undefined;
  try {
    // Options first: the package's postinst restarts the daemon, which reads them (log-driver needs a restart).
    await shell.run(["sh", "-c", 'printf "%s\\n" "$1" > /etc/default/docker', "sh", dockerOpts(inputs)]);
    switch (plan.action) {
      case "restart":
        await shell.run(["service", "docker", "restart"]);
        break;
      case "install":
        await shell.run(["apt-get", "update"]);
        await shell.run(["apt-get", "install", "-y", `${PACKAGE}=${pinned}`]);
        break;
      case "finish":
        await finishInstall(shell, pinned);
        break;
      default: {
        const unreachable: never = plan.action;
        throw new Error(`unknown engine action ${String(unreachable)}`);
      }
    }
  } catch (error) {
    failure = commandFailure(error, pinned, plan.action);
  }
  if (drained) {
    try {
      await undrain(inputs.masters, drained);
    } catch (error) {
      failure = failure ? `${failure}; ${(error as Error).message}` : (error as Error).message;
      leftDown = { machine: drained.machine, master: drained.url, keep };
    }
  }
  let observed = "";
  if (!failure) {
    const gate = await engineGate(shell, inputs, keep);
    observed = gate.observed ?? "";
    failure = gate.failure;
  }
  const now = await serverVersion(shell);
  const kept = await restartingContainers(shell).catch(() => []);
  const changedAt = new Date().toISOString();
  if (!failure) return { ...inputs, runningVersion: now ?? "none", changedAt, gateObserved: observed, keptContainers: kept };

  const pkg = await installedPackage(shell).catch(() => undefined);
  const unfinished: InterruptedInstall | undefined =
    now !== inputs.version && pkg?.version === pinned ? { package: PACKAGE, packageVersion: pinned, version: inputs.version, from: plan.from, status: pkg.status, keep } : undefined;
  // `version` is what last ran (the hop is still to do), so the next preview shows it again.
  const outputs: DockerEngineOutputs = {
    ...inputs,
    version: now ?? plan.from,
    runningVersion: now ?? "none",
    changedAt,
    gateObserved: "health gate failed",
    keptContainers: kept,
    ...(unfinished ? { interruptedInstall: unfinished } : {}),
    ...(leftDown ? { unfinishedDrain: leftDown } : {}),
  };
  const engineState = unfinished
    ? `${PACKAGE} is left ${unfinished.packageVersion} "${unfinished.status}" and the engine ${now ? `runs ${now}` : "is stopped"} (it ran ${plan.from}). ` +
      `Fix the cause (on ${name}: /var/log/upstart/docker.log, \`dpkg --audit\`), then run \`pulumi up\` again: it finishes this install (\`apt-get install -f\`, the pinned ${unfinished.packageVersion}) and waits for the engine`
    : `the engine now runs ${now ?? "nothing (daemon down)"}`;
  const drainState = leftDown
    ? `. ${leftDown.machine.hostname} stays down for maintenance; the stack records it, and the next \`pulumi up\` brings it up (through whichever master leads then) before anything else`
    : "";
  throw new ComponentFailure(`docker on ${shell.label}: ${failure}. ${engineState}${drainState}`, id, { ...outputs, __provider: provider });
}

/** The first answer of `ask` among `addresses` (any Marathon answers for the cluster; standbys proxy). */
async function firstAnswer<T>(addresses: readonly string[], ask: (address: string) => Promise<T | undefined>): Promise<T | undefined> {
  for (const address of addresses) {
    const answer = await ask(address);
    if (answer !== undefined) return answer;
  }
  return undefined;
}

export const implementation: ProviderImplementation = {
  async check(_olds, news) {
    const failures = checkInputs(news as DockerEngineInputs);
    return failures.length ? { inputs: news, failures } : { inputs: news };
  },
  async diff(_id, olds, news) {
    // A machine left down by our drain is work to do even when no input changed: the update brings it up.
    if ((olds as DockerEngineOutputs).unfinishedDrain) return { changes: true };
    // Context (where the masters and Marathons are, the cluster's Mesos version) is read when the engine has work,
    // never a reason to update it: an update of an engine at its version would touch a host no step planned.
    return componentDiff(olds, news, INPUT_KEYS.filter((key) => !CONTEXT_KEYS.includes(key)));
  },
  async create(raw) {
    const inputs = raw as DockerEngineInputs;
    const id = `${inputs.connection.name}/docker`;
    return { id, outs: await upgrade(id, inputs, raw.__provider) };
  },
  async read(id, props) {
    const state = props as DockerEngineOutputs;
    const shell = sshShell(targetOf(state));
    const live = await serverVersion(shell);
    const { interruptedInstall: recorded, ...rest } = state;
    // An unfinished install stays recorded only while the host still shows it; otherwise refresh records what runs.
    const pkg = recorded ? await installedPackage(shell) : undefined;
    const interruptedInstall = recorded && pkg?.version === recorded.packageVersion && live !== recorded.version ? { ...recorded, status: pkg.status } : undefined;
    const version = live ?? interruptedInstall?.from ?? state.version;
    const inputs = inputsOf(state, INPUT_KEYS);
    return { id, props: { ...rest, version, runningVersion: live ?? "none", ...(interruptedInstall ? { interruptedInstall } : {}) }, inputs: { ...inputs, version } };
  },
  async update(id, olds, news) {
    return { outs: await upgrade(id, news as DockerEngineInputs, (news as Record<string, unknown>).__provider, olds as DockerEngineOutputs) };
  },
  async delete(_id, props) {
    const state = props as DockerEngineOutputs;
    if (!state.uninstallOnDelete) return; // Removing a resource from a program must never uninstall prod Docker.
    await sshShell(targetOf(state)).run(["apt-get", "remove", "-y", "docker-engine"]);
  },
};

const provider = delegatingProvider(__filename);

/** The Docker engine of a host (type `pulumi-nodejs:dynamic/docker:DockerEngine`). */
export class DockerEngine extends pulumi.dynamic.Resource {
  declare readonly runningVersion: pulumi.Output<string>;
  declare readonly keptContainers: pulumi.Output<string[]>;
  declare readonly gateObserved: pulumi.Output<string>;
  declare readonly interruptedInstall: pulumi.Output<InterruptedInstall | undefined>;
  declare readonly unfinishedDrain: pulumi.Output<UnfinishedDrain | undefined>;

  constructor(name: string, args: DockerEngineArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { runningVersion: undefined, changedAt: undefined, gateObserved: undefined, keptContainers: undefined, interruptedInstall: undefined, unfinishedDrain: undefined, ...args }, { ...opts, additionalSecretOutputs: ["privateKey"] }, "docker", "DockerEngine");
  }
}

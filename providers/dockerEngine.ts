// DockerEngine: the Docker engine of one host, moved by its package manager, with the host's work kept alive.
import * as pulumi from "@pulumi/pulumi";
import { compareVersions, findPath, isKnownRelease } from "../planner";
import { waitForGate } from "../remote/gate";
import { httpRequest } from "../remote/http";
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
}

export interface DockerEngineInputs extends ComponentInputs {
  readonly suite?: string;
  readonly logDriver?: string;
  readonly registryMirrors?: readonly string[];
  readonly insecureRegistries?: readonly string[];
  readonly runsAgent: boolean;
  readonly masters: readonly string[];
  readonly marathons: readonly string[];
  readonly mesosVersion: string;
}

export interface DockerEngineOutputs extends DockerEngineInputs, ComponentState {
  /** Containers that were running with a restart policy before the change and were back after it. */
  readonly keptContainers: readonly string[];
}

const INPUT_KEYS = ["connection", "privateKey", "version", "targetVersion", "gateTimeoutSeconds", "rollbackOnFailure", "uninstallOnDelete", "suite", "logDriver", "registryMirrors", "insecureRegistries", "runsAgent", "masters", "marathons", "mesosVersion"];
const SAFE_OPTION = /^[A-Za-z0-9._:/-]+$/;

/** The DOCKER_OPTS line of /etc/default/docker (read by the upstart job of docker-engine on trusty). */
export function dockerOpts(inputs: Pick<DockerEngineInputs, "logDriver" | "registryMirrors" | "insecureRegistries">): string {
  const options = [`--log-driver=${inputs.logDriver ?? "json-file"}`];
  for (const mirror of inputs.registryMirrors ?? []) options.push(`--registry-mirror=${mirror}`);
  for (const registry of inputs.insecureRegistries ?? []) options.push(`--insecure-registry=${registry}`);
  return `DOCKER_OPTS="${options.join(" ")}"`;
}

/** The Debian package version of an engine release (docker-engine 1.9.x–1.12.3 use `<version>-0~<suite>`). */
export function packageVersion(version: string, suite = "trusty"): string {
  return `${version}-0~${suite}`;
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

/** Where to drain this host: the leading master's URL and the host's MachineID as that master knows it. */
async function drainTarget(inputs: DockerEngineInputs): Promise<{ url: string; machine: { hostname: string; ip: string } } | undefined> {
  const leader = await leaderState(inputs.masters);
  const agent = leader?.slaves.find((slave) => slave.pid.includes(`@${inputs.connection.address}:`));
  const master = leader && /@([^:]+):(\d+)/.exec(leader.pid);
  if (!agent) return undefined;
  if (!master) throw new Error(`no leading Mesos master among ${inputs.masters.join(", ")} to drain ${inputs.connection.name}`);
  return { url: `http://${master[1]}:${master[2]}`, machine: { hostname: agent.hostname, ip: inputs.connection.address } };
}

/** Mesos maintenance (0.25+): schedule the machine and take it down, so its tasks are moved before the engine stops. */
async function drain({ url, machine }: { url: string; machine: { hostname: string; ip: string } }): Promise<void> {
  const window = { machine_ids: [machine], unavailability: { start: { nanoseconds: Date.now() * 1e6 }, duration: { nanoseconds: 3600 * 1e9 } } };
  const scheduled = await httpRequest(`${url}/master/maintenance/schedule`, { method: "POST", json: { windows: [window] } });
  if (scheduled.status !== 200) throw new Error(`scheduling maintenance of ${machine.hostname} failed: HTTP ${scheduled.status} ${scheduled.body.trim()}`);
  const down = await httpRequest(`${url}/master/machine/down`, { method: "POST", json: [machine] });
  if (down.status !== 200) throw new Error(`taking ${machine.hostname} down failed: HTTP ${down.status} ${down.body.trim()}`);
}

async function undrain(url: string, machine: { hostname: string; ip: string }): Promise<void> {
  const up = await httpRequest(`${url}/master/machine/up`, { method: "POST", json: [machine] });
  if (up.status !== 200) throw new Error(`bringing ${machine.hostname} back up failed: HTTP ${up.status} ${up.body.trim()}`);
}

function checkInputs(news: DockerEngineInputs): pulumi.dynamic.CheckFailure[] {
  const failures = connectionFailures(news);
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of ["version", "targetVersion"] as const) {
    if (!isKnownRelease("docker", news[key])) fail(key, `${key} "${news[key]}" is not a known Docker engine release; e.g. "1.11.2"`);
  }
  if (failures.length === 0 && compareVersions(news.version, news.targetVersion) > 0) fail("version", `version "${news.version}" is beyond targetVersion "${news.targetVersion}"`);
  for (const [key, values] of [["registryMirrors", news.registryMirrors], ["insecureRegistries", news.insecureRegistries], ["logDriver", [news.logDriver ?? "json-file"]]] as const) {
    for (const value of values ?? []) if (!SAFE_OPTION.test(value)) fail(key, `"${value}" is not a valid ${key} value (letters, digits, . _ : / - only)`);
  }
  return failures;
}

async function upgrade(id: string, inputs: DockerEngineInputs, provider: unknown, previous?: DockerEngineOutputs): Promise<DockerEngineOutputs> {
  const shell = sshShell(targetOf(inputs));
  const name = inputs.connection.name;
  const live = await serverVersion(shell);
  if (previous && live !== previous.runningVersion) {
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
  // Adoption restarts nothing (every engine restart before 1.12 stops the host's containers): options that
  // differ wait for the next hop. An update that only changes options restarts the engine: the operator asked.
  if (live === inputs.version && (!optsChanged || !previous)) {
    const kept = await restartingContainers(shell);
    const pending = optsChanged ? "; daemon options differ and apply at the engine's next hop" : "";
    const gateObserved = previous ? previous.gateObserved : `adopted: already running this version, nothing restarted${pending}`;
    return { ...inputs, runningVersion: live, changedAt: previous?.changedAt ?? "", gateObserved, keptContainers: kept };
  }

  const keep = await restartingContainers(shell);
  const drained = inputs.runsAgent && compareVersions(inputs.mesosVersion, "0.25.0") >= 0 ? await drainTarget(inputs) : undefined;
  if (drained) await drain(drained);
  let failure: string | undefined;
  try {
    // Options first: the package's postinst restarts the daemon, which reads them (log-driver needs a restart).
    await shell.run(["sh", "-c", 'printf "%s\\n" "$1" > /etc/default/docker', "sh", opts]);
    if (live === inputs.version) {
      await shell.run(["service", "docker", "restart"]);
    } else {
      await shell.run(["apt-get", "update"]);
      await shell.run(["apt-get", "install", "-y", `docker-engine=${packageVersion(inputs.version, inputs.suite)}`]);
    }
  } catch (error) {
    failure = (error as Error).message;
  }
  if (drained) await undrain(drained.url, drained.machine);
  const timeoutSeconds = inputs.gateTimeoutSeconds ?? 300;
  let observed = "";
  if (!failure) {
    try {
      const passed = await waitForGate({
        description: `docker on ${name} answers at ${inputs.version} with ${keep.length ? keep.join(", ") : "no containers"} back${inputs.runsAgent ? " and every multi-instance app healthy" : ""}`,
        timeoutSeconds,
        intervalSeconds: 0.5,
        stableChecks: 2,
        check: async () => {
          const version = await serverVersion(shell);
          if (version !== inputs.version) return { passed: false, observed: `engine ${version ?? "not answering"}` };
          const back = await restartingContainers(shell);
          const missing = keep.filter((container) => !back.includes(container));
          let degraded: string[] = [];
          if (inputs.runsAgent && inputs.marathons.length > 0) {
            const apps = await marathonApps(inputs.marathons[0]);
            degraded = apps ? degradedApps(apps) : ["marathon not answering"];
          }
          return { passed: missing.length === 0 && degraded.length === 0, observed: `engine ${version}, containers missing: ${missing.join(", ") || "none"}, apps degraded: ${degraded.join(", ") || "none"}` };
        },
      });
      observed = `${passed.observed} (after ${passed.seconds}s)`;
    } catch (error) {
      failure = (error as Error).message;
    }
  }
  const now = await serverVersion(shell);
  const outputs: DockerEngineOutputs = { ...inputs, version: now ?? inputs.version, runningVersion: now ?? "none", changedAt: new Date().toISOString(), gateObserved: failure ? "health gate failed" : observed, keptContainers: await restartingContainers(shell).catch(() => []) };
  if (failure) throw new ComponentFailure(`docker on ${name}: ${failure}; the engine now runs ${now ?? "nothing (daemon down)"}`, id, { ...outputs, __provider: provider });
  return outputs;
}

export const implementation: ProviderImplementation = {
  async check(_olds, news) {
    const failures = checkInputs(news as DockerEngineInputs);
    return failures.length ? { inputs: news, failures } : { inputs: news };
  },
  async diff(_id, olds, news) {
    return componentDiff(olds, news, INPUT_KEYS);
  },
  async create(raw) {
    const inputs = raw as DockerEngineInputs;
    const id = `${inputs.connection.name}/docker`;
    return { id, outs: await upgrade(id, inputs, raw.__provider) };
  },
  async read(id, props) {
    const state = props as DockerEngineOutputs;
    const live = await serverVersion(sshShell(targetOf(state)));
    const inputs = inputsOf(state, INPUT_KEYS);
    return { id, props: { ...state, version: live ?? state.version, runningVersion: live ?? "none" }, inputs: { ...inputs, version: live ?? state.version } };
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

  constructor(name: string, args: DockerEngineArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { runningVersion: undefined, changedAt: undefined, gateObserved: undefined, keptContainers: undefined, ...args }, { ...opts, additionalSecretOutputs: ["privateKey"] }, "docker", "DockerEngine");
  }
}

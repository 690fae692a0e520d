// A stack's settings: the typed form of its config, validated with every problem reported at once.
import { ROLES, type Role } from "../catalogue/components";
import { nearest as nearestCandidate } from "../planner/nearest";
import { isFingerprint } from "../remote/fingerprint";
import { DEFAULT_GATE_INTERVAL_SECONDS } from "../remote/gate";
import { PROJECT_NAME } from "../providers/component";
import { parseReach, SECRET_KEYS, type ReachSettings } from "./reach";
import { addressProblem, isPort, userProblem } from "./syntax";

export const ENVIRONMENTS = ["local", "test", "dev", "demo", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export { ROLES, type Role } from "../catalogue/components";

/**
 * rollout.gateIntervalSeconds: from 0.05 s (a look is a few HTTP requests through SSH; faster only loads the masters)
 * to a minute.
 */
export const GATE_INTERVAL_RANGE = { min: 0.05, max: 60 };

/** One host of the cluster, as a stack file lists it. */
export interface HostSettings {
  readonly name: string;
  readonly address: string;
  readonly roles: readonly Role[];
  /** The pinned SSH host key, "SHA256:…". */
  readonly hostKeyFingerprint: string;
  /** Overrides ssh.port for this host. */
  readonly sshPort?: number;
}

export interface SshSettings {
  /** @default "root" */
  readonly user: string;
  /** @default 22 */
  readonly port: number;
  /** @default false */
  readonly sudo: boolean;
  /** @default 10 */
  readonly connectTimeoutSeconds: number;
  /** @default 300 */
  readonly commandTimeoutSeconds: number;
}

export interface RolloutSettings {
  /** Agents upgraded at once. @default 1 */
  readonly maxUnavailableSlaves: number;
  /** How long a health gate waits. @default 300 */
  readonly gateTimeoutSeconds: number;
  /**
   * The pause before a component gate's first look and between its looks until one passes (the confirming look
   * follows half as long after). Each look of an agent's gate reads the leading master's state, which grows with the
   * cluster: a longer pause asks less of the masters of a large one. @default 0.5
   */
  readonly gateIntervalSeconds: number;
  /** Put the previous image back when a component's gate fails. @default true */
  readonly rollbackOnFailure: boolean;
  /** Marathon's minimum-Mesos rule: Marathon's docs, or the seed's stricter table. @default "marathon-docs" */
  readonly policy: "marathon-docs" | "seed-table";
  /** The longest an agent is silent while its container restarts; the masters' window must exceed it. @default 30 */
  readonly agentRestartSeconds: number;
}

export interface ContainerSettings {
  /** Image repository; the tag follows from the version. */
  readonly image?: string;
  /** Flags of the component, by name without dashes. */
  readonly flags: Readonly<Record<string, string | number | boolean>>;
  /**
   * The container's name. Containers are found by what they run, so another name on a host is renamed at the
   * component's next restart. @default "mesos_master" | "mesos_slave" | "marathon" (never "mesos-…": agents stop those)
   */
  readonly containerName: string;
}

export interface DockerSettings {
  /** How the engine is installed: Debian/Ubuntu packages. @default "apt" */
  readonly packageSource: "apt";
  /** Ubuntu/Debian suite of the docker-engine packages, e.g. "trusty". @default "trusty" */
  readonly suite: string;
  /** The daemon's log driver. @default "json-file" (the seed keeps Docker's logs on for now) */
  readonly logDriver: string;
  readonly registryMirrors: readonly string[];
  readonly insecureRegistries: readonly string[];
}

/** ZooKeeper's data, copied before a Marathon hop that migrates Marathon's storage (Marathon's upgrade guide). */
export interface ZooKeeperSettings {
  /** Stack hosts that run a ZooKeeper server; each one's data directory is archived. @default the mesos-master hosts */
  readonly hosts: readonly string[];
  /** ZooKeeper's dataDir (zoo.cfg). @default "/var/lib/zookeeper" */
  readonly dataDir: string;
  /**
   * Where the archives go on each host; backups are never deleted by this project.
   * @default "/var/backups/mesos-upgrade"
   */
  readonly backupDir: string;
}

/** Everything a stack file says, typed. The SSH key is not here: it stays a Pulumi secret. */
export interface StackSettings {
  readonly environment: Environment;
  readonly promotedFrom: string;
  readonly promotionOverride: string;
  readonly hosts: readonly HostSettings[];
  readonly ssh: SshSettings;
  readonly targets: { readonly docker: string; readonly mesos: string; readonly marathon: string };
  readonly rollout: RolloutSettings;
  readonly frameworks: Readonly<Record<string, string>>;
  readonly docker: DockerSettings;
  readonly mesosMaster: ContainerSettings;
  readonly mesosSlave: ContainerSettings & { readonly workDir: string };
  readonly marathon: ContainerSettings;
  readonly zookeeper: ZooKeeperSettings;
  readonly simulator: { readonly hosts: string; readonly sshServer: "ssh2" | "openssh" };
  /** SSH agent, jump hosts, users per host, and the way to the hosts' HTTP ports (stacks/reach.ts). */
  readonly reach: ReachSettings;
  /** Environment variables of masters, agents and Marathon whose values are secrets, besides PASSWORD, TOKEN… names. */
  readonly secretEnv: readonly string[];
}

/** The config keys the project declares (Pulumi.yaml), without the project namespace. */
export const CONFIG_KEYS = [
  "environment",
  "promotedFrom",
  "promotionOverride",
  "hosts",
  "ssh",
  "sshPrivateKey",
  "targets",
  "rollout",
  "frameworks",
  "docker",
  "mesosMaster",
  "mesosSlave",
  "marathon",
  "zookeeper",
  "simulator",
  "http",
  "secretEnv",
  ...SECRET_KEYS.filter((key) => key !== "sshPrivateKey"),
] as const;

/** One problem with a stack's config: the key path, the value, and what to write instead. */
export interface SettingsProblem {
  readonly key: string;
  readonly message: string;
}

export class StackSettingsError extends Error {
  override readonly name = "StackSettingsError";
  constructor(readonly problems: readonly SettingsProblem[]) {
    super(problems.map((p) => `${p.key}: ${p.message}`).join("\n"));
  }
}

/** The closest of `choices` to `word` (the planner's "did you mean"). */
function nearest(word: string, choices: readonly string[]): string {
  return nearestCandidate(word, choices) ?? choices[0];
}

type Raw = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * The project's settings among a stack's config values by full key ("mesos-upgrade:hosts"): objects parsed, the
 * project's namespace dropped, the secrets left out (parseStackSettings reads the rest).
 */
export function rawSettingsOf(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(`${PROJECT_NAME}:`) || value === undefined) continue;
    const name = key.slice(PROJECT_NAME.length + 1);
    if ((SECRET_KEYS as readonly string[]).includes(name)) continue;
    raw[name] = typeof value === "string" ? parsedOrText(value) : value;
  }
  return raw;
}

function parsedOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Reads `raw` (config values by key, already JSON-parsed) into StackSettings, or throws every problem at once. */
export function parseStackSettings(raw: Raw): StackSettings {
  const problems: SettingsProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ key, message });

  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      problem(
        key,
        `is not a setting of this project; did you mean "${nearest(key, CONFIG_KEYS)}"? (see Pulumi.yaml for every key)`,
      );
    }
  }
  const section = (key: string, allowed: readonly string[]): Raw => {
    const value = raw[key] ?? {};
    if (!isObject(value)) {
      problem(key, `must be an object, got ${show(value)}`);
      return {};
    }
    for (const inner of Object.keys(value)) {
      if (!allowed.includes(inner)) {
        problem(
          `${key}.${inner}`,
          `is not a setting of ${key}; did you mean "${nearest(inner, allowed)}"? Valid: ${allowed.join(", ")}`,
        );
      }
    }
    return value;
  };
  const text = (key: string, value: unknown, fallback?: string): string => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== "string" || value === "") {
      problem(key, `must be a non-empty string, got ${show(value)}`);
      return fallback ?? "";
    }
    return value;
  };
  const count = (key: string, value: unknown, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
      problem(key, `must be a whole number of at least ${min}, got ${show(value)}`);
      return fallback;
    }
    return n;
  };
  const seconds = (key: string, value: unknown, fallback: number, range: { min: number; max: number }): number => {
    if (value === undefined) return fallback;
    const n = typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || n < range.min || n > range.max) {
      problem(
        key,
        `must be a number of seconds from ${range.min} to ${range.max}, got ${show(value)}; e.g. ${fallback}`,
      );
      return fallback;
    }
    return n;
  };
  const port = (key: string, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !isPort(n)) {
      problem(
        key,
        `must be a TCP port from 1 to 65535, got ${show(value)}; write the port the host's SSH server listens on (22 by default)`,
      );
      return fallback;
    }
    return n;
  };
  const address = (key: string, value: unknown): string => {
    const given = text(key, value);
    const why = given === "" ? undefined : addressProblem(given);
    if (why) problem(key, `${show(value)} ${why}; write the host's IP address or DNS name`);
    return given;
  };
  const flag = (key: string, value: unknown, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    problem(key, `must be true or false, got ${show(value)}`);
    return fallback;
  };
  const list = (key: string, value: unknown): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
      problem(key, `must be a list of strings, got ${show(value)}`);
      return [];
    }
    return value as string[];
  };
  const absolutePath = (key: string, value: unknown, fallback: string): string => {
    const path = text(key, value, fallback);
    if (path !== "" && (!path.startsWith("/") || path.includes("\n"))) {
      problem(
        key,
        `must be an absolute path on the hosts, got ${show(value)}; write it from the root, e.g. "/${path.replace(/^\.?\/*/, "").split("\n")[0]}"`,
      );
    }
    return path;
  };
  const loginName = (key: string, value: unknown): string => {
    const user = text(key, value, "root");
    const why = userProblem(user);
    if (why) problem(key, `${show(value)} ${why}; write the user the operator's key logs in as`);
    return user;
  };
  const oneOf = <T extends string>(key: string, value: unknown, choices: readonly T[], fallback?: T): T => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
    problem(key, `must be one of ${choices.join(", ")}, got ${show(value)}`);
    return fallback ?? choices[0];
  };
  const flagsOf = (key: string, value: unknown): Record<string, string | number | boolean> => {
    if (value === undefined) return {};
    if (!isObject(value)) {
      problem(key, `must be an object of flag names to values, got ${show(value)}`);
      return {};
    }
    const flags: Record<string, string | number | boolean> = {};
    for (const [name, v] of Object.entries(value)) {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") flags[name] = v;
      else problem(`${key}.${name}`, `must be a string, number or boolean, got ${show(v)}`);
    }
    return flags;
  };

  const environment = oneOf("environment", raw.environment, ENVIRONMENTS);
  const hostsRaw = raw.hosts ?? [];
  const hosts: HostSettings[] = [];
  if (!Array.isArray(hostsRaw)) problem("hosts", `must be a list of hosts, got ${show(hostsRaw)}`);
  else {
    const seen = new Set<string>();
    hostsRaw.forEach((entry: unknown, i: number) => {
      const at = `hosts[${i}]`;
      if (!isObject(entry)) {
        return problem(at, `must be an object {name, address, roles, hostKeyFingerprint}, got ${show(entry)}`);
      }
      const name = text(`${at}.name`, entry.name);
      if (seen.has(name)) problem(`${at}.name`, `"${name}" is listed twice; host names must be unique`);
      seen.add(name);
      const rolesRaw = entry.roles;
      const roles: Role[] = [];
      if (!Array.isArray(rolesRaw) || rolesRaw.length === 0) {
        problem(`${at}.roles`, `must list at least one of ${ROLES.join(", ")}, got ${show(rolesRaw)}`);
      } else rolesRaw.forEach((role: unknown, j: number) => roles.push(oneOf(`${at}.roles[${j}]`, role, ROLES)));
      const fingerprint = text(`${at}.hostKeyFingerprint`, entry.hostKeyFingerprint);
      if (fingerprint.includes("REPLACE-WITH")) {
        problem(
          `${at}.hostKeyFingerprint`,
          `is still the placeholder "${fingerprint}"; put ${name || "the host"}'s real key fingerprint here (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the host)`,
        );
      } else if (fingerprint && !isFingerprint(fingerprint)) {
        problem(
          `${at}.hostKeyFingerprint`,
          `"${fingerprint}" is not an SSH SHA256 fingerprint; copy it from \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on ${name || "the host"}`,
        );
      }
      for (const inner of Object.keys(entry)) {
        const allowed = ["name", "address", "roles", "hostKeyFingerprint", "sshPort", "user", "jump"];
        if (!allowed.includes(inner)) {
          problem(`${at}.${inner}`, `is not a host setting; did you mean "${nearest(inner, allowed)}"?`);
        }
      }
      hosts.push({
        name,
        address: address(`${at}.address`, entry.address),
        roles,
        hostKeyFingerprint: fingerprint,
        ...(entry.sshPort === undefined ? {} : { sshPort: port(`${at}.sshPort`, entry.sshPort, 22) }),
      });
    });
  }

  const ssh = section("ssh", [
    "user",
    "port",
    "sudo",
    "connectTimeoutSeconds",
    "commandTimeoutSeconds",
    "agent",
    "jump",
  ]);
  const targets = section("targets", ["docker", "mesos", "marathon"]);
  const rollout = section("rollout", [
    "maxUnavailableSlaves",
    "gateTimeoutSeconds",
    "gateIntervalSeconds",
    "rollbackOnFailure",
    "policy",
    "agentRestartSeconds",
  ]);
  const frameworks = section("frameworks", ["jenkins-mesos-plugin", "mesos-dns", "bamboo"]);
  const docker = section("docker", ["packageSource", "suite", "logDriver", "registryMirrors", "insecureRegistries"]);
  const master = section("mesosMaster", ["image", "flags", "containerName"]);
  const slave = section("mesosSlave", ["image", "flags", "workDir", "containerName"]);
  const marathon = section("marathon", ["image", "flags", "containerName"]);
  // parse() in apache/mesos src/slave/containerizer/docker.cpp: a recovering agent stops every "mesos-…" container it
  // does not track.
  const containerName = (key: string, value: unknown, fallback: string): string => {
    const name = text(key, value, fallback);
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
      problem(key, `${show(name)} is not a Docker container name (letters, digits, "_", ".", "-"); e.g. "${fallback}"`);
    } else if (name.startsWith("mesos-")) {
      problem(
        key,
        `"${name}" starts with "mesos-": a Mesos agent on the host would stop it as an orphan when it recovers; use "${name.replace(/^mesos-/, "mesos_")}"`,
      );
    }
    return name;
  };
  const zookeeper = section("zookeeper", ["hosts", "dataDir", "backupDir"]);
  const simulator = section("simulator", ["hosts", "sshServer"]);
  const zookeeperHosts = list("zookeeper.hosts", zookeeper.hosts);
  if (hosts.length > 0) {
    for (const name of zookeeperHosts.filter((n) => !hosts.some((h) => h.name === n))) {
      problem(
        "zookeeper.hosts",
        `"${name}" is not one of the stack's hosts; did you mean "${nearest(
          name,
          hosts.map((h) => h.name),
        )}"?`,
      );
    }
  }

  const settings: StackSettings = {
    environment,
    promotedFrom: typeof raw.promotedFrom === "string" ? raw.promotedFrom : text("promotedFrom", raw.promotedFrom, ""),
    promotionOverride:
      typeof raw.promotionOverride === "string"
        ? raw.promotionOverride
        : text("promotionOverride", raw.promotionOverride, ""),
    hosts,
    ssh: {
      user: loginName("ssh.user", ssh.user),
      port: port("ssh.port", ssh.port, 22),
      sudo: flag("ssh.sudo", ssh.sudo, false),
      connectTimeoutSeconds: count("ssh.connectTimeoutSeconds", ssh.connectTimeoutSeconds, 10, 1),
      commandTimeoutSeconds: count("ssh.commandTimeoutSeconds", ssh.commandTimeoutSeconds, 300, 1),
    },
    targets: {
      docker: text("targets.docker", targets.docker),
      mesos: text("targets.mesos", targets.mesos),
      marathon: text("targets.marathon", targets.marathon),
    },
    rollout: {
      maxUnavailableSlaves: count("rollout.maxUnavailableSlaves", rollout.maxUnavailableSlaves, 1, 1),
      gateTimeoutSeconds: count("rollout.gateTimeoutSeconds", rollout.gateTimeoutSeconds, 300, 1),
      gateIntervalSeconds: seconds(
        "rollout.gateIntervalSeconds",
        rollout.gateIntervalSeconds,
        DEFAULT_GATE_INTERVAL_SECONDS,
        GATE_INTERVAL_RANGE,
      ),
      rollbackOnFailure: flag("rollout.rollbackOnFailure", rollout.rollbackOnFailure, true),
      policy: oneOf("rollout.policy", rollout.policy, ["marathon-docs", "seed-table"] as const, "marathon-docs"),
      agentRestartSeconds: count("rollout.agentRestartSeconds", rollout.agentRestartSeconds, 30, 1),
    },
    frameworks: Object.fromEntries(Object.entries(frameworks).map(([k, v]) => [k, text(`frameworks.${k}`, v)])),
    docker: {
      packageSource: oneOf("docker.packageSource", docker.packageSource, ["apt"] as const, "apt"),
      suite: text("docker.suite", docker.suite, "trusty"),
      logDriver: text("docker.logDriver", docker.logDriver, "json-file"),
      registryMirrors: list("docker.registryMirrors", docker.registryMirrors),
      insecureRegistries: list("docker.insecureRegistries", docker.insecureRegistries),
    },
    mesosMaster: {
      ...(master.image === undefined ? {} : { image: text("mesosMaster.image", master.image) }),
      flags: flagsOf("mesosMaster.flags", master.flags),
      containerName: containerName("mesosMaster.containerName", master.containerName, "mesos_master"),
    },
    mesosSlave: {
      ...(slave.image === undefined ? {} : { image: text("mesosSlave.image", slave.image) }),
      flags: flagsOf("mesosSlave.flags", slave.flags),
      workDir: absolutePath("mesosSlave.workDir", slave.workDir, "/data/mesos"),
      containerName: containerName("mesosSlave.containerName", slave.containerName, "mesos_slave"),
    },
    marathon: {
      ...(marathon.image === undefined ? {} : { image: text("marathon.image", marathon.image) }),
      flags: flagsOf("marathon.flags", marathon.flags),
      containerName: containerName("marathon.containerName", marathon.containerName, "marathon"),
    },
    zookeeper: {
      hosts: zookeeperHosts,
      dataDir: absolutePath("zookeeper.dataDir", zookeeper.dataDir, "/var/lib/zookeeper"),
      backupDir: absolutePath("zookeeper.backupDir", zookeeper.backupDir, "/var/backups/mesos-upgrade"),
    },
    simulator: {
      hosts: text("simulator.hosts", simulator.hosts, "default"),
      sshServer: oneOf("simulator.sshServer", simulator.sshServer, ["ssh2", "openssh"] as const, "ssh2"),
    },
    reach: parseReach(raw, problem),
    secretEnv: list("secretEnv", raw.secretEnv).filter((name, i) => {
      const fine = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
      if (!fine) {
        problem(
          `secretEnv[${i}]`,
          `${show(name)} is not an environment variable name (letters, digits and _, not starting with a digit), e.g. "MARATHON_HTTP_CREDENTIALS"`,
        );
      }
      return fine;
    }),
  };
  if (environment !== "local" && hosts.length === 0) {
    problem("hosts", `stack of environment "${environment}" lists no hosts; add the cluster's hosts`);
  }
  if (problems.length > 0) throw new StackSettingsError(problems);
  return settings;
}

// Docker daemon options from the host's /etc/default/docker (DOCKER_OPTS, read by the upstart job) and, from 1.10,
// /etc/docker/daemon.json — validated the way the daemon does, so a bad option keeps the daemon from starting.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atLeast } from "../catalogue/versions";

/** The daemon settings the simulator acts on or reports. */
export interface DaemonOptions {
  readonly liveRestore: boolean;
  readonly logDriver: string;
  readonly logOpts: Readonly<Record<string, string>>;
  readonly registryMirrors: readonly string[];
  readonly insecureRegistries: readonly string[];
  readonly storageDriver: string;
  readonly debug: boolean;
  readonly labels: readonly string[];
}

/** The daemon refuses to start; `message` is what it logs before exiting. */
export class DaemonConfigError extends Error {
  override readonly name = "DaemonConfigError";
}

type Kind = "bool" | "value" | "list";
interface OptionSpec {
  readonly names: readonly string[];
  readonly kind: Kind;
  readonly key: string;
  readonly since?: string;
}

// Daemon flags of docker 1.7–1.13 (`docker daemon --help`); `key` is the daemon.json name (1.10+).
const OPTIONS: readonly OptionSpec[] = [
  { names: ["--live-restore"], kind: "bool", key: "live-restore", since: "1.12.0" },
  { names: ["--log-driver"], kind: "value", key: "log-driver" },
  { names: ["--log-opt"], kind: "list", key: "log-opts" },
  { names: ["--registry-mirror"], kind: "list", key: "registry-mirrors" },
  { names: ["--insecure-registry"], kind: "list", key: "insecure-registries" },
  { names: ["-s", "--storage-driver"], kind: "value", key: "storage-driver" },
  { names: ["--storage-opt"], kind: "list", key: "storage-opts" },
  { names: ["-D", "--debug"], kind: "bool", key: "debug" },
  { names: ["-l", "--log-level"], kind: "value", key: "log-level" },
  { names: ["--label"], kind: "list", key: "labels" },
  { names: ["-H", "--host"], kind: "list", key: "hosts" },
  { names: ["-g", "--graph"], kind: "value", key: "graph" },
  { names: ["--exec-root"], kind: "value", key: "exec-root" },
  { names: ["--dns"], kind: "list", key: "dns" },
  { names: ["--dns-search"], kind: "list", key: "dns-search" },
  { names: ["--dns-opt"], kind: "list", key: "dns-opts", since: "1.9.0" },
  { names: ["-b", "--bridge"], kind: "value", key: "bridge" },
  { names: ["--bip"], kind: "value", key: "bip" },
  { names: ["--fixed-cidr"], kind: "value", key: "fixed-cidr" },
  { names: ["--mtu"], kind: "value", key: "mtu" },
  { names: ["--ip"], kind: "value", key: "ip" },
  { names: ["--iptables"], kind: "bool", key: "iptables" },
  { names: ["--ip-forward"], kind: "bool", key: "ip-forward" },
  { names: ["--ip-masq"], kind: "bool", key: "ip-masq" },
  { names: ["--icc"], kind: "bool", key: "icc" },
  { names: ["--userland-proxy"], kind: "bool", key: "userland-proxy" },
  { names: ["--selinux-enabled"], kind: "bool", key: "selinux-enabled" },
  { names: ["--exec-opt"], kind: "list", key: "exec-opts" },
  { names: ["--default-ulimit"], kind: "list", key: "default-ulimits" },
  { names: ["-G", "--group"], kind: "value", key: "group" },
  { names: ["-p", "--pidfile"], kind: "value", key: "pidfile" },
  { names: ["--tls"], kind: "bool", key: "tls" },
  { names: ["--tlsverify"], kind: "bool", key: "tlsverify" },
  { names: ["--tlscacert"], kind: "value", key: "tlscacert" },
  { names: ["--tlscert"], kind: "value", key: "tlscert" },
  { names: ["--tlskey"], kind: "value", key: "tlskey" },
  { names: ["--api-cors-header"], kind: "value", key: "api-cors-header" },
  { names: ["--cluster-store"], kind: "value", key: "cluster-store", since: "1.9.0" },
  { names: ["--cluster-advertise"], kind: "value", key: "cluster-advertise", since: "1.9.0" },
  { names: ["--config-file"], kind: "value", key: "config-file", since: "1.10.0" },
  { names: ["--disable-legacy-registry"], kind: "bool", key: "disable-legacy-registry", since: "1.10.0" },
  { names: ["--max-concurrent-downloads"], kind: "value", key: "max-concurrent-downloads", since: "1.12.0" },
  { names: ["--max-concurrent-uploads"], kind: "value", key: "max-concurrent-uploads", since: "1.12.0" },
  { names: ["--raw-logs"], kind: "bool", key: "raw-logs", since: "1.10.0" },
];

function parseFlags(words: readonly string[], version: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(0, eq) : word;
    const spec = OPTIONS.find((o) => o.names.includes(name) && (!o.since || atLeast(version, o.since)));
    if (!spec) throw new DaemonConfigError(`flag provided but not defined: ${name}`);
    if (spec.kind === "bool") {
      values.set(spec.key, eq > 0 ? word.slice(eq + 1) !== "false" : true);
      continue;
    }
    const value = eq > 0 ? word.slice(eq + 1) : words[++i];
    if (value === undefined) throw new DaemonConfigError(`flag needs an argument: ${name}`);
    if (spec.kind === "list") values.set(spec.key, [...((values.get(spec.key) as string[]) ?? []), value]);
    else values.set(spec.key, value);
  }
  return values;
}

function dockerOpts(root: string): string[] {
  const file = join(root, "etc/default/docker");
  if (!existsSync(file)) return [];
  // The upstart job sources the file and expands $DOCKER_OPTS unquoted (contrib/init/upstart/docker.conf).
  const result = spawnSync("/bin/sh", ["-c", '. "$1"; printf "%s" "$DOCKER_OPTS"', "sh", file], { encoding: "utf8" });
  if (result.status !== 0) throw new DaemonConfigError(`/etc/default/docker: ${result.stderr.trim()}`);
  return result.stdout.split(/\s+/).filter((w) => w !== "");
}

function readConfigFile(root: string, path: string): Map<string, unknown> {
  const file = join(root, path);
  if (!existsSync(file)) return new Map();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DaemonConfigError(`unable to configure the Docker daemon with file ${path}: ${(error as Error).message}`);
  }
  return new Map(Object.entries(data as Record<string, unknown>));
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Reads and validates the daemon options a `version` daemon would start with on a host whose root is `root`. */
export function readDaemonOptions(root: string, version: string): DaemonOptions {
  const flags = parseFlags(dockerOpts(root), version);
  const configPath = (flags.get("config-file") as string | undefined) ?? "/etc/docker/daemon.json";
  const file = atLeast(version, "1.10.0") ? readConfigFile(root, configPath) : new Map<string, unknown>();
  const both = [...file.keys()].filter((k) => flags.has(k));
  if (both.length > 0) {
    const detail = both
      .map((k) => `${k}: (from flag: ${JSON.stringify(flags.get(k))}, from file: ${JSON.stringify(file.get(k))})`)
      .join(", ");
    throw new DaemonConfigError(
      `unable to configure the Docker daemon with file ${configPath}: the following directives are specified both as a flag and in the configuration file: ${detail}`,
    );
  }
  if (file.has("live-restore") && !atLeast(version, "1.12.0")) file.delete("live-restore");
  const get = (key: string) => (flags.has(key) ? flags.get(key) : file.get(key));
  const logOpts = Object.fromEntries(
    Array.isArray(get("log-opts"))
      ? asList(get("log-opts")).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])
      : Object.entries((get("log-opts") as Record<string, string>) ?? {}),
  );
  const logDriver = String(get("log-driver") ?? "json-file");
  const known = [
    "json-file",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "none",
    "awslogs",
    "splunk",
    "etwlogs",
    "gcplogs",
  ];
  if (!known.includes(logDriver)) {
    throw new DaemonConfigError(`logger: no log driver named '${logDriver}' is registered`);
  }
  return {
    liveRestore: get("live-restore") === true,
    logDriver,
    logOpts,
    registryMirrors: asList(get("registry-mirrors")),
    insecureRegistries: asList(get("insecure-registries")),
    storageDriver: String(get("storage-driver") ?? "aufs"),
    debug: get("debug") === true,
    labels: asList(get("labels")),
  };
}

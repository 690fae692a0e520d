// `npm run sim -- <command>`: up, status, down, fault, clear, ledger for the simulated cluster.
import { parseArgs as parseCommandLine } from "node:util";
import { APP_SETS } from "./apps";
import "./bootstrap";
import {
  attachCluster,
  ClusterStartError,
  DEFAULT_NETWORK,
  DEFAULT_SSH_PORT,
  startCluster,
  stopCluster,
  type Cluster,
  type StartOptions,
} from "./cluster";
import { FAULT_KINDS, parseFault } from "./faults";
import { defaultStateDir } from "./layout";
import type { AppDefinition } from "./marathon/marathon";
import { DEFAULT_HOST_SPEC } from "./spec";

const USAGE = `usage: npm run sim -- <command> [options]

commands:
  up       start a cluster            [--hosts SPEC] [--apps default|dev] [--network 127.0.10] [--ssh-port ${DEFAULT_SSH_PORT}] [--ssh-server ssh2|openssh]
                                      [--profile fast|realistic] [--time-scale N] [--docker V] [--mesos V] [--marathon V]
                                      [--no-bootstrap] [--isolation auto|namespace|none] [--zookeeper-host HOST]
                                      [--tool-client compiled|perl]
  status   print hosts, fingerprints, Docker versions and containers       [--json]
  down     stop every process of the cluster
  fault    inject a fault:  fault <host> <kind> [key=value…]
           kinds: ${FAULT_KINDS.join(", ")}
  clear    clear faults:    clear <host> [kind]
  ledger   print the ledger [host] [--json]

common options: --state-dir DIR (default ${defaultStateDir()})
host spec: groups "names:roles" joined by ";", names "m1,m2" or ranges "a1..a4", roles master|agent|marathon joined by "+"
           (default "${DEFAULT_HOST_SPEC}"), or a JSON file {"hosts":[{"name":"m1","roles":["master"]}]}
network:   hosts get <network>.11, .12, … in spec order; ZooKeeper listens on <network>.2:2181 (default ${DEFAULT_NETWORK}),
           or with --zookeeper-host on that host's address as a service of the host (its data in /var/lib/zookeeper there)
`;

interface Args {
  readonly command: string | undefined;
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

const VALUE_OPTIONS = [
  "hosts",
  "apps",
  "network",
  "ssh-port",
  "ssh-server",
  "profile",
  "time-scale",
  "docker",
  "mesos",
  "marathon",
  "state-dir",
  "isolation",
  "zookeeper-host",
  "tool-client",
];
const FLAG_OPTIONS = ["no-bootstrap", "json", "help"];

/** One strict parser (node:util): unknown options and options without their value are refused with the usage. */
function parseArgs(argv: string[]): Args {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries([
        ...VALUE_OPTIONS.map((name) => [name, { type: "string" as const }]),
        ...FLAG_OPTIONS.map((name) => [name, { type: "boolean" as const, ...(name === "help" ? { short: "h" } : {}) }]),
      ]),
    });
  } catch (error) {
    throw new Error(`${(error as Error).message.split("\n")[0]}\n\n${USAGE}`, { cause: error });
  }
  const options = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined || value === false) continue;
    options.set(`--${name}`, value === true ? true : String(value));
  }
  const [command, ...rest] = parsed.positionals;
  return { command, positional: rest, options };
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i < r.length - 1 ? c.padEnd((widths[i] as number) + 2) : c))
        .join("")
        .trimEnd(),
    )
    .join("\n");
}

function hostsTable(cluster: Cluster): string {
  return pad([
    ["HOST", "ADDRESS", "SSH PORT", "ROLES", "HOST KEY FINGERPRINT"],
    ...cluster.hosts.map((h) => [h.name, h.address, String(h.sshPort), h.roles.join("+") || "-", h.hostKeyFingerprint]),
  ]);
}

async function statusTable(cluster: Cluster): Promise<string> {
  const reports = await cluster.status();
  const rows = [["HOST", "ADDRESS", "SSH PORT", "FINGERPRINT", "DOCKER", "CONTAINERS"]];
  for (const host of cluster.hosts) {
    const report = reports.find((r) => r.host === host.name);
    const docker =
      report?.docker.running ?? (report?.docker.package ? `stopped (${report.docker.package})` : "not installed");
    const containers =
      report?.containers.map((c) => `${c.name}(${c.status === "running" ? "up" : c.status})`).join(" ") ?? "";
    const faults = report?.faults.length ? `  [faults: ${report.faults.map((f) => f.kind).join(",")}]` : "";
    rows.push([
      host.name,
      host.address,
      String(host.sshPort),
      host.hostKeyFingerprint,
      docker,
      `${containers || "-"}${faults}`,
    ]);
  }
  return pad(rows);
}

/** The apps of `--apps <name>`. */
function appSet(name: string): readonly AppDefinition[] {
  const apps = APP_SETS[name];
  if (!apps) {
    throw new Error(
      `--apps "${name}" is not an app set; use ${Object.keys(APP_SETS).join(" or ")} (dev: every app once, for a single host)\n\n${USAGE}`,
    );
  }
  return apps;
}

function startOptions(args: Args): StartOptions {
  const o = args.options;
  const str = (k: string) => (typeof o.get(k) === "string" ? (o.get(k) as string) : undefined);
  const num = (k: string) => (str(k) === undefined ? undefined : Number(str(k)));
  const versions = Object.fromEntries(
    (["docker", "mesos", "marathon"] as const)
      .filter((k) => str(`--${k}`) !== undefined)
      .map((k) => [k, str(`--${k}`)]),
  );
  return {
    ...(str("--state-dir") ? { stateDir: str("--state-dir") } : {}),
    ...(str("--network") ? { network: str("--network") } : {}),
    ...(num("--ssh-port") !== undefined ? { sshPort: num("--ssh-port") } : {}),
    ...(str("--ssh-server") ? { sshServer: str("--ssh-server") as StartOptions["sshServer"] } : {}),
    ...(str("--profile") ? { profile: str("--profile") as "fast" | "realistic" } : {}),
    ...(num("--time-scale") !== undefined ? { timeScale: num("--time-scale") } : {}),
    ...(str("--isolation") ? { isolation: str("--isolation") as StartOptions["isolation"] } : {}),
    ...(str("--apps") !== undefined ? { apps: appSet(str("--apps") as string) } : {}),
    ...(str("--zookeeper-host") !== undefined ? { zookeeperHost: str("--zookeeper-host") } : {}),
    ...(str("--tool-client") !== undefined ? { toolClient: str("--tool-client") as StartOptions["toolClient"] } : {}),
    versions,
    bootstrap: !o.has("--no-bootstrap"),
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.options.has("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const stateDir = (args.options.get("--state-dir") as string | undefined) ?? defaultStateDir();
  switch (args.command) {
    case "up": {
      const cluster = await startCluster(args.options.get("--hosts") as string | undefined, startOptions(args));
      process.stdout.write(`${hostsTable(cluster)}\n\n`);
      process.stdout.write(
        `user:        ${cluster.userKey.user}\nprivate key: ${cluster.userKey.privateKeyPath}\nknown_hosts: ${cluster.knownHostsPath}\nzookeeper:   ${cluster.zk.url}\nstate:       ${cluster.stateDir}\n`,
      );
      process.stdout.write(
        cluster.file.isolation === "namespace"
          ? "filesystem:  each host has its own / (mount namespace + chroot)\n"
          : "filesystem:  shared with this machine (run as root for per-host filesystems)\n",
      );
      process.stdout.write(
        cluster.file.toolClient
          ? "commands:    docker, apt-get, service, … are the compiled C client of the host's daemon\n"
          : "commands:    docker, apt-get, service, … are the Perl client of the host's daemon (no C compiler found)\n",
      );
      const first = cluster.hosts[0];
      if (first) {
        process.stdout.write(
          `\ntry: ssh -i ${cluster.userKey.privateKeyPath} -o UserKnownHostsFile=${cluster.knownHostsPath} -p ${first.sshPort} ${cluster.userKey.user}@${first.address} docker ps\n`,
        );
      }
      return 0;
    }
    case "status": {
      const cluster = attachCluster(stateDir);
      if (args.options.has("--json")) {
        process.stdout.write(`${JSON.stringify({ hosts: cluster.hosts, status: await cluster.status() }, null, 2)}\n`);
      } else process.stdout.write(`${await statusTable(cluster)}\n`);
      return 0;
    }
    case "down": {
      const pids = await stopCluster(stateDir);
      process.stdout.write(
        pids.length
          ? `stopped ${pids.length} process groups of the cluster in ${stateDir}\n`
          : `no running cluster in ${stateDir}\n`,
      );
      return 0;
    }
    case "fault": {
      const [host, ...words] = args.positional;
      if (!host || words.length === 0) {
        throw new Error(`usage: npm run sim -- fault <host> <kind> [key=value…]; kinds: ${FAULT_KINDS.join(", ")}`);
      }
      const fault = parseFault(words);
      await attachCluster(stateDir).inject(host, fault);
      process.stdout.write(`injected ${JSON.stringify(fault)} into ${host}\n`);
      return 0;
    }
    case "clear": {
      const [host, kind] = args.positional;
      if (!host) throw new Error("usage: npm run sim -- clear <host> [kind]");
      await attachCluster(stateDir).clear(host, kind as never);
      process.stdout.write(`cleared ${kind ?? "all faults"} on ${host}\n`);
      return 0;
    }
    case "ledger": {
      const cluster = attachCluster(stateDir);
      const entries = cluster.ledger(args.positional[0]);
      if (args.options.has("--json")) process.stdout.write(`${JSON.stringify(entries, null, 1)}\n`);
      else {
        for (const e of entries) {
          process.stdout.write(
            `${e.time} ${e.host} ${e.kind} ${JSON.stringify({ ...e, time: undefined, host: undefined, kind: undefined, seq: undefined })}\n`,
          );
        }
      }
      return 0;
    }
    case undefined:
    case "help":
      process.stdout.write(USAGE);
      return args.options.has("--help") || args.command === "help" ? 0 : 1;
    default:
      throw new Error(
        `unknown command "${args.command}"; commands are up, status, down, fault, clear, ledger\n\n${USAGE}`,
      );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(error instanceof ClusterStartError ? `${error.message}\n` : `error: ${error.message}\n`);
    process.exit(1);
  },
);

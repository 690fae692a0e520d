/** The Mesos master flags the project manages, per version. */
import { MESOS_LOGGING_FLAGS } from "./mesos-logging";
import type { FlagSpec } from "./types";

const FLAGS_022 = "apache/mesos@0.22.1:src/master/flags.hpp";
const FLAGS_028 = "apache/mesos@0.28.2:src/master/flags.cpp";
const FLAGS_100 = "apache/mesos@1.0.0:src/master/flags.cpp (flags::DeprecatedName)";
const MAIN = "apache/mesos@0.28.2:src/master/main.cpp";
const RENAMES = "fact sheet §1.3 (flags renamed in 1.0)";
const TO_AGENT = (to: string) => ({ to, in: "1.0.0", aliasKept: true });

/** Managed master flags. */
export const MESOS_MASTER_FLAGS: readonly FlagSpec[] = [
  {
    name: "work_dir",
    type: "path",
    description: "Directory of the replicated log that holds the registry",
    since: "0.22.0",
    requiredSince: "0.22.0",
    source: `${FLAGS_022}; ${MAIN} (exits with "--work_dir needed for replicated log based registry")`,
  },
  { name: "zk", type: "string", description: "ZooKeeper URL for leader election, zk://host:port,.../path", since: "0.22.0", source: MAIN },
  {
    name: "quorum",
    type: "int",
    description: "Size of the replicated log quorum: a majority of masters",
    since: "0.22.0",
    requiredWith: "zk",
    min: 1,
    source: `${FLAGS_022}; ${MAIN} (--quorum is required with --zk); apache/mesos@1.0.0:docs/operational-guide.md`,
  },
  { name: "cluster", type: "string", description: "Human-readable cluster name shown in the web UI", since: "0.22.0", source: FLAGS_022 },
  { name: "hostname", type: "string", description: "Hostname the master advertises", since: "0.22.0", source: FLAGS_022 },
  { name: "ip", type: "string", description: "IP address to listen on", since: "0.22.0", source: "apache/mesos@0.22.1:src/master/main.cpp" },
  { name: "port", type: "int", description: "Port to listen on", since: "0.22.0", defaults: [{ since: "0.22.0", value: 5050 }], min: 1, max: 65535, source: "apache/mesos@0.22.1:src/master/main.cpp" },
  ...MESOS_LOGGING_FLAGS,
  {
    name: "slave_ping_timeout",
    type: "duration",
    description: "Timeout of a ping to an agent; ping timeout × max pings is how long an agent may stay silent",
    since: "0.23.0",
    defaults: [{ since: "0.23.0", value: "15secs" }],
    min: "1secs",
    max: "15mins",
    renamed: TO_AGENT("agent_ping_timeout"),
    source: `${FLAGS_028}; ${FLAGS_100}; ${RENAMES}; hard-coded 15s in 0.22 (apache/mesos@0.22.2:src/master/constants.cpp)`,
  },
  {
    name: "max_slave_ping_timeouts",
    type: "int",
    description: "Missed pings in a row before an agent is shut down",
    since: "0.23.0",
    defaults: [{ since: "0.23.0", value: 5 }],
    min: 1,
    renamed: TO_AGENT("max_agent_ping_timeouts"),
    source: `${FLAGS_028}; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "slave_reregister_timeout",
    type: "duration",
    description: "How long agents have to re-register after a master failover",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "10mins" }],
    min: "10mins",
    renamed: TO_AGENT("agent_reregister_timeout"),
    source: `${FLAGS_022}; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "recovery_slave_removal_limit",
    type: "percent",
    description: "Share of agents a recovering master may remove before it fails over instead",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "100%" }],
    renamed: TO_AGENT("recovery_agent_removal_limit"),
    source: `${FLAGS_022}; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "slave_removal_rate_limit",
    type: "rate",
    description: "Maximum rate of removing unhealthy agents, e.g. 1/10mins; unset removes them immediately",
    since: "0.22.0",
    renamed: TO_AGENT("agent_removal_rate_limit"),
    source: `${FLAGS_022}; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "authenticate",
    type: "bool",
    description: "Only authenticated frameworks may register",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: false }],
    renamed: { to: "authenticate_frameworks", in: "1.0.0", aliasKept: true },
    source: `${FLAGS_022}; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "authenticate_slaves",
    type: "bool",
    description: "Only authenticated agents may register",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: false }],
    renamed: TO_AGENT("authenticate_agents"),
    source: `${FLAGS_022}; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "authenticate_http",
    type: "bool",
    description: "Authenticate HTTP requests to read-write endpoints",
    since: "0.27.0",
    defaults: [{ since: "0.27.0", value: false }],
    renamed: { to: "authenticate_http_readwrite", in: "1.0.0", aliasKept: true },
    source: `apache/mesos@0.27.0:src/master/flags.cpp; ${FLAGS_100}; ${RENAMES}`,
  },
  {
    name: "authenticate_http_readonly",
    type: "bool",
    description: "Authenticate HTTP requests to read-only endpoints (state, metrics, flags) with the principals of --credentials",
    since: "1.0.0",
    defaults: [{ since: "1.0.0", value: false }],
    source: `${FLAGS_100}; MESOS-5851; docs/authentication.md`,
  },
  { name: "http_authenticators", type: "string", description: "HTTP authenticator module (\"basic\": --credentials' principals)", since: "0.27.0", defaults: [{ since: "0.27.0", value: "basic" }], source: "apache/mesos@0.27.0:src/master/flags.cpp" },
  { name: "credentials", type: "path", description: "File of credentials (JSON from 1.0; plain text deprecated)", since: "0.22.0", source: `${FLAGS_022}; fact sheet §1.3 (credentials format)` },
  {
    name: "registry_strict",
    type: "bool",
    description: "Whether the master acts on the registry's agent list",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: false }],
    forbidden: { value: true, since: "1.0.0", reason: "Mesos 1.0 disabled --registry_strict and the master exits when it is true" },
    source: `${FLAGS_022}; fact sheet §1.3 (0.28 → 1.0)`,
  },
  {
    name: "roles",
    type: "string",
    description: "Comma-separated whitelist of roles",
    since: "0.22.0",
    deprecatedIn: "0.27.0",
    source: `${FLAGS_022}; fact sheet §1.3 (0.26 → 0.27 implicit roles)`,
  },
];

/** The Mesos agent (slave) flags the project manages, per version. */
import { MESOS_LOGGING_FLAGS } from "./mesos-logging";
import type { FlagSpec } from "./types";

const FLAGS_022 = "apache/mesos@0.22.1:src/slave/flags.hpp";
const FLAGS_023 = "apache/mesos@0.23.0:src/slave/flags.cpp";
const FLAGS_028 = "apache/mesos@0.28.2:src/slave/flags.cpp";
const FLAGS_100 = "apache/mesos@1.0.0:src/slave/flags.cpp";
const MAIN = "apache/mesos@0.22.1:src/slave/main.cpp";

/** Managed agent flags. */
export const MESOS_AGENT_FLAGS: readonly FlagSpec[] = [
  { name: "master", type: "string", description: "Master to register with: host:port or zk://host:port,.../path", since: "0.22.0", requiredSince: "0.22.0", source: MAIN },
  {
    name: "work_dir",
    type: "path",
    description: "Sandboxes and checkpointed state (meta/); must survive agent restarts",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "/tmp/mesos" }],
    requiredSince: "1.0.0",
    source: `${FLAGS_028} (default /tmp/mesos); ${FLAGS_100} (no default: "Flag 'work_dir' is required, but it was not provided"); fact sheet §2.3`,
  },
  { name: "hostname", type: "string", description: "Hostname the agent advertises", since: "0.22.0", source: FLAGS_022 },
  { name: "ip", type: "string", description: "IP address to listen on", since: "0.22.0", source: MAIN },
  { name: "port", type: "int", description: "Port to listen on", since: "0.22.0", defaults: [{ since: "0.22.0", value: 5051 }], min: 1, max: 65535, source: MAIN },
  { name: "attributes", type: "string", description: "Agent attributes, e.g. rack:r1;zone:z1 (changing them blocks recovery)", since: "0.22.0", source: `${FLAGS_022}; fact sheet §2.1` },
  { name: "resources", type: "string", description: "Resources the agent offers (changing them blocks recovery)", since: "0.22.0", source: `${FLAGS_022}; fact sheet §2.1` },
  {
    name: "containerizers",
    type: "string",
    description: "Containerizers in order of preference; docker,mesos for Docker tasks",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "mesos" }],
    source: `${FLAGS_022}; apache/mesos@1.0.0:docs/docker-containerizer.md`,
  },
  {
    name: "isolation",
    type: "string",
    description: "Isolators of the Mesos containerizer, e.g. cgroups/cpu,cgroups/mem",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "posix/cpu,posix/mem" }],
    source: FLAGS_022,
  },
  { name: "docker", type: "path", description: "The docker binary the agent runs", since: "0.22.0", defaults: [{ since: "0.22.0", value: "docker" }], source: FLAGS_022 },
  {
    name: "docker_remove_delay",
    type: "duration",
    description: "How long after a Docker container exits it is removed",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "6hrs" }],
    source: `${FLAGS_022}; fact sheet §2.3`,
  },
  {
    name: "docker_stop_timeout",
    type: "duration",
    description: "Grace period between docker stop's SIGTERM and SIGKILL",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "0secs" }],
    deprecatedIn: "1.0.0",
    source: `${FLAGS_022}; fact sheet §1.3 (0.28 → 1.0: use the task kill policy)`,
  },
  {
    name: "docker_sandbox_directory",
    type: "path",
    description: "Where the sandbox is mapped inside task containers",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "/mnt/mesos/sandbox" }],
    renamed: { to: "sandbox_directory", in: "0.24.0", aliasKept: false },
    source: `${FLAGS_023}; apache/mesos commit 6bd625748 "Rename --docker_sandbox_directory flag for general use" (first in 0.24.0, no alias)`,
  },
  {
    name: "docker_kill_orphans",
    type: "bool",
    description: "On recovery, stop and remove mesos-* containers the agent does not track",
    since: "0.23.0",
    defaults: [{ since: "0.23.0", value: true }],
    source: `${FLAGS_023}; fact sheet §2.3`,
  },
  { name: "docker_mesos_image", type: "string", description: "Image the agent itself runs in; executors then run in their own containers and survive agent restarts", since: "0.23.0", source: `${FLAGS_023}; fact sheet §2.3` },
  { name: "docker_socket", type: "path", description: "Docker daemon socket", since: "0.23.0", defaults: [{ since: "0.23.0", value: "/var/run/docker.sock" }], source: FLAGS_023 },
  {
    name: "docker_store_dir",
    type: "path",
    description: "Image store of the Mesos containerizer's Docker provisioner (not the Docker containerizer)",
    since: "0.26.0",
    defaults: [{ since: "0.26.0", value: "/tmp/mesos/store/docker" }],
    source: "apache/mesos@0.26.0:src/slave/flags.cpp; fact sheet §2.3",
  },
  { name: "docker_config", type: "string", description: "Registry auth file or JSON for image pulls", since: "1.0.0", source: FLAGS_100 },
  {
    name: "cgroups_limit_swap",
    type: "bool",
    description: "Limit memory plus swap (cgroups/mem isolator only; needs kernel swap accounting)",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: false }],
    source: `${FLAGS_022}; apache/mesos@0.28.2:src/slave/containerizer/mesos/isolators/cgroups/mem.cpp`,
  },
  ...MESOS_LOGGING_FLAGS,
  {
    name: "recover",
    type: "string",
    description: "reconnect to running executors on restart, or cleanup (kill them, then exit)",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "reconnect" }],
    choices: ["reconnect", "cleanup"],
    source: `${FLAGS_022}; fact sheet §2.1`,
  },
  { name: "recovery_timeout", type: "duration", description: "How long executors wait for a restarting agent", since: "0.22.0", defaults: [{ since: "0.22.0", value: "15mins" }], source: FLAGS_022 },
  { name: "strict", type: "bool", description: "Treat every recovery error as fatal", since: "0.22.0", defaults: [{ since: "0.22.0", value: true }], source: FLAGS_022 },
  { name: "executor_registration_timeout", type: "duration", description: "How long an executor may take to register", since: "0.22.0", defaults: [{ since: "0.22.0", value: "1mins" }], source: FLAGS_022 },
  { name: "gc_delay", type: "duration", description: "Maximum age of sandboxes before garbage collection", since: "0.22.0", defaults: [{ since: "0.22.0", value: "1weeks" }], source: FLAGS_022 },
  { name: "executor_environment_variables", type: "string", description: "JSON object of environment variables for executors", since: "0.23.0", source: FLAGS_023 },
  {
    name: "slave_subsystems",
    type: "string",
    description: "cgroup subsystems the agent process itself runs in",
    since: "0.22.0",
    renamed: { to: "agent_subsystems", in: "1.0.0", aliasKept: true },
    source: `${FLAGS_022}; ${FLAGS_100} (flags::DeprecatedName)`,
  },
  { name: "http_command_executor", type: "bool", description: "Use the HTTP API command executor", since: "1.0.0", defaults: [{ since: "1.0.0", value: false }], source: FLAGS_100 },
  // HTTP authentication of the agent's endpoints (MESOS-4849, MESOS-5851; docs/authentication.md).
  { name: "authenticate_http_readonly", type: "bool", description: "Authenticate HTTP requests to read-only endpoints with the principals of --http_credentials", since: "1.0.0", defaults: [{ since: "1.0.0", value: false }], source: FLAGS_100 },
  { name: "authenticate_http_readwrite", type: "bool", description: "Authenticate HTTP requests to read-write endpoints with the principals of --http_credentials", since: "1.0.0", defaults: [{ since: "1.0.0", value: false }], source: FLAGS_100 },
  { name: "http_credentials", type: "path", description: "JSON file of principals and secrets for HTTP authentication", since: "1.0.0", source: FLAGS_100 },
  { name: "http_authenticators", type: "string", description: "HTTP authenticator module (\"basic\": --http_credentials' principals)", since: "1.0.0", defaults: [{ since: "1.0.0", value: "basic" }], source: FLAGS_100 },
];

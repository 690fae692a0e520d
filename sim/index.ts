// The simulated cluster's library API: start, attach, inspect, inject faults, stop.
import "./bootstrap";

export {
  attachCluster,
  Cluster,
  ClusterStartError,
  DEFAULT_NETWORK,
  DEFAULT_SSH_PORT,
  DEFAULT_VERSIONS,
  PORTS,
  startCluster,
  stopCluster,
  type MarathonApp,
  type MarathonTaskView,
  type SimHost,
  type StartOptions,
  type UserKey,
} from "./cluster";
export { APP_SETS, DEFAULT_APPS, DEV_APPS } from "./apps";
export { bootstrapCommands, CONTAINER_NAMES, quorumOf, zkUrls } from "./bootstrap";
export { DOCKER_PACKAGE, DOCKER_RELEASES, type DockerRelease } from "./catalogue/docker";
export { MARATHON_IMAGE, MARATHON_RELEASES, type MarathonRelease } from "./catalogue/marathon";
export { MESOS_AGENT_IMAGE, MESOS_MASTER_IMAGE, MESOS_RELEASES, type MesosRelease } from "./catalogue/mesos";
export type { AppDefinition } from "./marathon/marathon";
export { FAULT_KINDS, parseFault, type Fault, type FaultKind } from "./faults";
export { fingerprint } from "./keys";
export type { ClusterFile, HostRecord, Isolation, SshServerKind, StartVersions } from "./layout";
export type { LedgerEntry, LedgerKind } from "./ledger";
export {
  DEFAULT_HOST_SPEC,
  HostSpecError,
  parseHostSpec,
  STACK_ROLE,
  type ClusterSpec,
  type HostSpec,
  type Role,
} from "./spec";
export { FAST, REALISTIC, type LatencyProfile } from "./time";

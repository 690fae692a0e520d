/** The Marathon flags the project manages, per version. */
import type { FlagSpec } from "./types";

const CONF = (tag: string) => `mesosphere/marathon@${tag}:src/main/scala/mesosphere/marathon/MarathonConf.scala`;
const DOCS = (tag: string) => `mesosphere/marathon@${tag}:docs/docs/command-line-flags.md`;
const CHAOS = "mesosphere/chaos:src/main/scala/mesosphere/chaos/http/HttpConf.scala";
const SSL_DOCS = "mesosphere/marathon@v0.9.0:docs/docs/ssl-basic-access-authentication.md";
const TOGGLE = `${CONF("v0.13.0")} (toggle with prefix "disable_"); ${CONF("v0.11.1")} (opt[Boolean]: a switch that can only say true)`;

/** Managed Marathon flags. */
export const MARATHON_FLAGS: readonly FlagSpec[] = [
  { name: "master", type: "string", description: "Mesos master URL, e.g. zk://host:2181/mesos", since: "0.9.0", requiredSince: "0.9.0", source: CONF("v0.9.0") },
  { name: "zk", type: "string", description: "ZooKeeper URL for Marathon's state, e.g. zk://host:2181/marathon", since: "0.9.0", source: DOCS("v0.9.0") },
  { name: "hostname", type: "string", description: "Hostname advertised to Mesos and to other Marathons", since: "0.9.0", source: CONF("v0.9.0") },
  { name: "http_port", type: "int", description: "HTTP port", since: "0.9.0", defaults: [{ since: "0.9.0", value: 8080 }], min: 1, max: 65535, source: DOCS("v0.9.0") },
  // The chaos HTTP service's options (HttpConf, outside the marathon repository): the connectors and the realm. Its
  // secrets (--ssl_keystore_password, --http_credentials) are not managed flags: give them as MARATHON_* variables.
  { name: "http_address", type: "string", description: "Address the HTTP connector binds", since: "0.9.0", source: `${CHAOS}; ${DOCS("v0.9.0")}` },
  { name: "https_port", type: "int", description: "HTTPS port (served when --ssl_keystore_path is set)", since: "0.9.0", defaults: [{ since: "0.9.0", value: 8443 }], min: 1, max: 65535, source: `${CHAOS}; ${SSL_DOCS}` },
  { name: "https_address", type: "string", description: "Address the HTTPS connector binds", since: "0.9.0", source: `${CHAOS}; ${DOCS("v0.9.0")}` },
  { name: "disable_http", type: "bool", description: "Serve no plain HTTP connector (HTTPS only); a switch: only --disable_http", since: "0.9.0", source: `${CHAOS}; ${SSL_DOCS}` },
  { name: "ssl_keystore_path", type: "path", description: "Keystore (JKS or PKCS#12) with the HTTPS connector's certificate and key", since: "0.9.0", source: `${CHAOS}; ${SSL_DOCS}` },
  { name: "http_realm", type: "string", description: "Realm of HTTP basic authentication (--http_credentials)", since: "0.9.0", defaults: [{ since: "0.9.0", value: "Mesosphere" }], source: `${CHAOS}; ${SSL_DOCS}` },
  {
    name: "ha",
    type: "bool",
    description: "Run with leader election (HA)",
    since: "0.9.0",
    defaults: [{ since: "0.9.0", value: true }],
    disableSince: "0.13.0",
    source: TOGGLE,
  },
  {
    name: "checkpoint",
    type: "bool",
    description: "Ask Mesos to checkpoint tasks so they survive agent restarts",
    since: "0.9.0",
    defaults: [{ since: "0.9.0", value: true }],
    disableSince: "0.13.0",
    source: TOGGLE,
  },
  {
    name: "event_subscriber",
    type: "string",
    description: "Event subscriber module; http_callback for callback subscriptions (bamboo < 0.2.16)",
    since: "0.9.0",
    choices: ["http_callback"],
    deprecatedIn: "1.4.0",
    removedIn: "1.5.0",
    source: `${DOCS("v0.9.0")}; changelog 1.4.0 (event callback subscriptions deprecated) and 1.5.0 (removed, with /v2/eventSubscriptions; absent from src/main/scala at v1.5.0; newest-releases fact sheet §2.4)`,
  },
  {
    name: "max_tasks_per_offer",
    type: "int",
    description: "Tasks launched per Mesos offer (the seed's \"many instances per cycle\")",
    since: "0.9.0",
    defaults: [
      { since: "0.9.0", value: 1 },
      { since: "0.11.0", value: 100 },
      { since: "1.0.0-RC1", value: 5 },
    ],
    min: 1,
    deprecatedIn: "1.4.0",
    removedIn: "1.5.0",
    source: `added 0.8.2; ${CONF("v0.9.0")} default 1; ${CONF("v0.11.0")} default 100; ${CONF("v1.0.0-RC1")} default 5 (changelog "Changes from 0.15.3 to 1.0.0"); deprecated in 1.4.0, removed in 1.5.0 (changelog; newest-releases fact sheet §2.4)`,
  },
  {
    name: "max_tasks_per_offer_cycle",
    type: "int",
    description: "Tasks launched per offer cycle (no effect from 0.11: launch tokens replace it)",
    since: "0.9.0",
    defaults: [{ since: "0.9.0", value: 1000 }],
    deprecatedIn: "0.11.0",
    source: `added 0.8.2; changelog "Changes from 0.10.0 to 0.11.0"; ${CONF("v1.1.7")} ("DEPRECATED. NO EFFECT.")`,
  },
  {
    name: "launch_tokens",
    type: "int",
    description: "Task launches allowed per --launch_token_refresh_interval",
    since: "0.11.0",
    defaults: [
      { since: "0.11.0", value: 1000 },
      { since: "1.0.0-RC1", value: 100 },
    ],
    min: 1,
    source: `${CONF("v0.11.0")} default 1000; ${CONF("v1.0.0-RC1")} default 100`,
  },
  {
    name: "launch_token_refresh_interval",
    type: "int",
    description: "Milliseconds between launch token refills",
    since: "0.11.0",
    defaults: [{ since: "0.11.0", value: 30000 }],
    min: 1,
    source: DOCS("v0.11.0"),
  },
  { name: "task_launch_timeout", type: "int", description: "Milliseconds a task may take to reach TASK_RUNNING", since: "0.9.0", defaults: [{ since: "0.9.0", value: 300000 }], min: 1, source: DOCS("v0.9.0") },
  {
    name: "reconciliation_interval",
    type: "int",
    description: "Milliseconds between task reconciliations",
    since: "0.9.0",
    defaults: [
      { since: "0.9.0", value: 300000 },
      { since: "1.0.0-RC1", value: 600000 },
    ],
    min: 1,
    source: `${DOCS("v0.9.0")}; ${DOCS("v1.0.0-RC1")}`,
  },
  { name: "failover_timeout", type: "int", description: "Seconds Mesos keeps Marathon's tasks while no Marathon is registered", since: "0.9.0", defaults: [{ since: "0.9.0", value: 604800 }], min: 1, source: CONF("v0.9.0") },
  { name: "framework_name", type: "string", description: "Framework name registered with Mesos", since: "0.9.0", defaults: [{ since: "0.9.0", value: "marathon" }], source: CONF("v0.9.0") },
  { name: "mesos_role", type: "string", description: "Mesos role Marathon registers with", since: "0.9.0", source: CONF("v0.9.0") },
  {
    name: "enable_features",
    type: "string",
    description: "Comma-separated optional features, e.g. vips,task_killing",
    since: "1.0.0-RC1",
    source: `${DOCS("v1.0.0-RC1")} (labelled v0.16.0, a line never released)`,
  },
  {
    name: "logging_level",
    type: "string",
    description: "Lowest level logged",
    since: "0.9.0",
    choices: ["off", "fatal", "error", "warn", "info", "debug", "trace", "all"],
    source: `added 0.8.2; ${DOCS("v0.9.0")}`,
  },
];

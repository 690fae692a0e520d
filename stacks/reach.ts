// How the operator's machine reaches the stack's hosts: SSH agent, jump hosts, users per host, and the way to the
// hosts' Mesos and Marathon HTTP ports (through SSH by default). Parsed from config; turned into connections.
import { isFingerprint } from "../remote/fingerprint";
import * as pulumi from "@pulumi/pulumi";
import {
  CREDENTIAL_CONFIG_KEYS,
  encodeCredentials,
  type ConnectionArgs,
  type JumpArgs,
  type StackRoutes,
} from "../providers/component";
import { DEFAULT_HTTP_ROUTING, type HttpRouting } from "../remote/routes";
import type { HostSettings, StackSettings } from "./settings";

/** The reach settings of a stack: `ssh.agent`, `ssh.jump`, `hosts[].user`, `hosts[].jump`, and `http`. */
export interface ReachSettings {
  /** Log in through the SSH agent of `SSH_AUTH_SOCK`. @default false */
  readonly agent: boolean;
  /** The stack's jump host (bastion), if any. */
  readonly jump?: JumpArgs;
  /** Per host name: its own SSH user (overrides ssh.user). */
  readonly users: Readonly<Record<string, string>>;
  /** Per host name: its own jump host, or null for "connect directly" (overrides ssh.jump). */
  readonly jumps: Readonly<Record<string, JumpArgs | null>>;
  readonly http: HttpRouting;
}

/** The config keys that hold secrets: never parsed into settings, never logged (the providers read them too). */
export const SECRET_KEYS = Object.values(CREDENTIAL_CONFIG_KEYS);

export const JUMP_KEYS = ["name", "address", "port", "user", "hostKeyFingerprint"] as const;
export const HTTP_KEYS = [
  "via",
  "scheme",
  "tunnelTo",
  "mesosUser",
  "marathonUser",
  "ca",
  "certificateFingerprints",
] as const;

type Raw = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Reads one jump host ({name?, address, port?, user?, hostKeyFingerprint}) at config key `key`. */
function jumpOf(key: string, value: unknown, problem: (key: string, message: string) => void): JumpArgs | undefined {
  if (!isObject(value)) {
    problem(key, `must be a jump host {address, hostKeyFingerprint, port?, user?, name?}, got ${show(value)}`);
    return undefined;
  }
  for (const inner of Object.keys(value)) {
    if (!(JUMP_KEYS as readonly string[]).includes(inner)) {
      problem(`${key}.${inner}`, `is not a jump host setting; valid: ${JUMP_KEYS.join(", ")}`);
    }
  }
  const address = value.address;
  if (typeof address !== "string" || address === "") {
    problem(`${key}.address`, `must be the jump host's address, got ${show(address)}`);
  }
  const fingerprint = value.hostKeyFingerprint;
  if (typeof fingerprint !== "string" || !isFingerprint(fingerprint)) {
    problem(
      `${key}.hostKeyFingerprint`,
      `${show(fingerprint)} is not an SSH SHA256 fingerprint; pin the jump host's own key (\`npm run -s fingerprints -- --stack <stack>\` prints it)`,
    );
  }
  const port = value.port === undefined ? undefined : Number(value.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    problem(`${key}.port`, `must be a port from 1 to 65535, got ${show(value.port)}`);
  }
  for (const field of ["user", "name"] as const) {
    if (value[field] !== undefined && (typeof value[field] !== "string" || value[field] === "")) {
      problem(`${key}.${field}`, `must be a non-empty string, got ${show(value[field])}`);
    }
  }
  return {
    name: typeof value.name === "string" ? value.name : String(address),
    address: String(address),
    hostKeyFingerprint: String(fingerprint),
    ...(port === undefined ? {} : { port }),
    ...(typeof value.user === "string" ? { user: value.user } : {}),
  };
}

/** Reads the reach settings out of the raw config; each problem names its key. */
export function parseReach(raw: Raw, problem: (key: string, message: string) => void): ReachSettings {
  const ssh = isObject(raw.ssh) ? raw.ssh : {};
  let agent = false;
  if (ssh.agent !== undefined) {
    if (ssh.agent === true || ssh.agent === "true") agent = true;
    else if (ssh.agent !== false && ssh.agent !== "false") {
      problem("ssh.agent", `must be true or false, got ${show(ssh.agent)}`);
    }
  }
  const jump = ssh.jump === undefined ? undefined : jumpOf("ssh.jump", ssh.jump, problem);
  const users: Record<string, string> = {};
  const jumps: Record<string, JumpArgs | null> = {};
  (Array.isArray(raw.hosts) ? raw.hosts : []).forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.name !== "string") return;
    if (entry.user !== undefined) {
      if (typeof entry.user !== "string" || !/^[a-z_][a-z0-9_.-]*$/i.test(entry.user)) {
        problem(`hosts[${i}].user`, `must be a login name, got ${show(entry.user)}`);
      } else users[entry.name] = entry.user;
    }
    if (entry.jump === "none" || entry.jump === null) jumps[entry.name] = null;
    else if (entry.jump !== undefined) {
      const own = jumpOf(`hosts[${i}].jump`, entry.jump, problem);
      if (own) jumps[entry.name] = own;
    }
  });
  const httpRaw = raw.http ?? {};
  const http = isObject(httpRaw) ? httpRaw : {};
  if (!isObject(httpRaw)) problem("http", `must be an object {${HTTP_KEYS.join(", ")}}, got ${show(httpRaw)}`);
  for (const inner of Object.keys(http)) {
    if (!(HTTP_KEYS as readonly string[]).includes(inner)) {
      problem(`http.${inner}`, `is not a setting of http; valid: ${HTTP_KEYS.join(", ")}`);
    }
  }
  const choice = <T extends string>(key: string, value: unknown, choices: readonly T[], fallback: T): T => {
    if (value === undefined) return fallback;
    if ((choices as readonly unknown[]).includes(value)) return value as T;
    problem(key, `must be one of ${choices.join(", ")}, got ${show(value)}`);
    return fallback;
  };
  const user = (key: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "string" && value !== "" && !value.includes(":")) return value;
    problem(key, `must be a user name without ":", got ${show(value)}`);
    return undefined;
  };
  const mesosUser = user("http.mesosUser", http.mesosUser);
  const marathonUser = user("http.marathonUser", http.marathonUser);
  const via = choice("http.via", http.via, ["ssh", "direct"] as const, DEFAULT_HTTP_ROUTING.via);
  const scheme = choice("http.scheme", http.scheme, ["http", "https"] as const, DEFAULT_HTTP_ROUTING.scheme);
  const { ca, certificateFingerprints } = trustOf(http, scheme, problem);
  return {
    agent,
    ...(jump ? { jump } : {}),
    users,
    jumps,
    http: {
      via,
      scheme,
      tunnelTo: choice("http.tunnelTo", http.tunnelTo, ["address", "loopback"] as const, DEFAULT_HTTP_ROUTING.tunnelTo),
      ...(mesosUser ? { mesosUser } : {}),
      ...(marathonUser ? { marathonUser } : {}),
      ...(ca ? { ca } : {}),
      ...(certificateFingerprints ? { certificateFingerprints } : {}),
    },
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const SHA256_FINGERPRINT = /^(?:sha256 Fingerprint=)?([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/;

/** What https trusts: http.ca (a PEM CA certificate) and http.certificateFingerprints (pinned SHA-256 fingerprints). */
function trustOf(
  http: Raw,
  scheme: "http" | "https",
  problem: (key: string, message: string) => void,
): { ca?: string; certificateFingerprints?: string[] } {
  const trust: { ca?: string; certificateFingerprints?: string[] } = {};
  if (http.ca !== undefined) {
    if (typeof http.ca !== "string" || !PEM_CERTIFICATE.test(http.ca)) {
      problem(
        "http.ca",
        'must be the PEM text of a CA certificate (-----BEGIN CERTIFICATE----- …), e.g. `pulumi config set --path http.ca -- "$(cat ca.pem)"`',
      );
    } else trust.ca = http.ca;
  }
  if (http.certificateFingerprints !== undefined) {
    const list = http.certificateFingerprints;
    const bad = Array.isArray(list)
      ? list.filter((f) => typeof f !== "string" || !SHA256_FINGERPRINT.test(f.trim()))
      : [list];
    if (bad.length || !Array.isArray(list) || list.length === 0) {
      problem(
        "http.certificateFingerprints",
        `must list SHA-256 certificate fingerprints "AB:CD:…" as \`openssl x509 -noout -fingerprint -sha256 -in <cert>\` prints them, got ${show(bad.length ? bad[0] : list)}`,
      );
    } else {
      trust.certificateFingerprints = list.map((f) =>
        String(f)
          .trim()
          .replace(/^sha256 Fingerprint=/, ""),
      );
    }
  }
  if (scheme !== "https" && (trust.ca || trust.certificateFingerprints)) {
    problem(
      "http.scheme",
      `is "${scheme}", but http.ca or http.certificateFingerprints is set: set http.scheme: https to use them`,
    );
  }
  return trust;
}

/** How a provider reaches one host over SSH. */
function ownConnection(settings: StackSettings, host: HostSettings): ConnectionArgs {
  const { reach } = settings;
  const jump = host.name in reach.jumps ? reach.jumps[host.name] : reach.jump;
  return {
    name: host.name,
    address: host.address,
    port: host.sshPort ?? settings.ssh.port,
    user: reach.users[host.name] ?? settings.ssh.user,
    sudo: settings.ssh.sudo,
    hostKeyFingerprint: host.hostKeyFingerprint,
    connectTimeoutSeconds: settings.ssh.connectTimeoutSeconds,
    commandTimeoutSeconds: settings.ssh.commandTimeoutSeconds,
    ...(reach.agent ? { agent: true } : {}),
    ...(jump ? { jump } : {}),
  };
}

/** How a provider reaches the host named `name`: its SSH connection (the stack's HTTP routes: stackRoutesOf). */
export function connectionArgsOf(settings: StackSettings, name: string): ConnectionArgs {
  const host = settings.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`host "${name}" is not in the stack's hosts`);
  return ownConnection(settings, host);
}

const routesBySettings = new WeakMap<StackSettings, StackRoutes>();

/**
 * How every host's HTTP ports are reached under the stack's settings: the program's discovery and each provider
 * process (from the config the engine hands it) set their route tables from this. No resource carries it: a table
 * in every resource, twice, was a seventh of a hop's state at 100 agents, which the engine writes whole at each
 * step's start and end (issue 14).
 */
export function stackRoutesOf(settings: StackSettings): StackRoutes {
  let routes = routesBySettings.get(settings);
  if (!routes) {
    routes = { routing: settings.reach.http, hosts: settings.hosts.map((h) => ownConnection(settings, h)) };
    routesBySettings.set(settings, routes);
  }
  return routes;
}

/** Whether a config key was set as a secret (the runtime knows; its typings do not say so). */
function isSecret(key: string): boolean {
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  return check ? check(key) : true;
}

/**
 * The stack's secrets as the one secret the providers take (the `privateKey` input): the SSH key and its
 * passphrase, and the HTTP passwords. A key is required unless ssh.agent is on.
 */
export function stackSecrets(config: pulumi.Config, settings: StackSettings): pulumi.Output<string> {
  const all = pulumi.runtime.allConfig();
  const plain = SECRET_KEYS.filter((key) => all[`${config.name}:${key}`] && !isSecret(`${config.name}:${key}`));
  if (plain.length) {
    throw new Error(
      `${plain.join(", ")} ${plain.length === 1 ? "is" : "are"} stored in plain text in the stack file; set ${plain.length === 1 ? "it" : "each"} with \`pulumi config set --secret ${plain[0]}\``,
    );
  }
  const read = (key: (typeof SECRET_KEYS)[number]) => config.getSecret(key) ?? pulumi.secret("");
  const privateKey = settings.reach.agent ? read("sshPrivateKey") : config.requireSecret("sshPrivateKey");
  return pulumi.secret(
    pulumi
      .all([privateKey, read("sshPrivateKeyPassphrase"), read("mesosHttpPassword"), read("marathonHttpPassword")])
      .apply(([key, passphrase, mesosPassword, marathonPassword]) =>
        encodeCredentials({ privateKey: key, passphrase, mesosPassword, marathonPassword }),
      ),
  );
}

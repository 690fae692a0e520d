// What every component resource shares: how it reaches its host, its hop, its gate settings, and the diff rule.
import { isFingerprint } from "../remote/fingerprint";
import type * as pulumi from "@pulumi/pulumi";
import { useHttpRouting, type HttpRouting } from "../remote/routes";
import type { JumpTarget, SshTarget } from "../remote/ssh";

/** A jump host (bastion) as connections carry it: its own address, port, user and pinned key. */
export type JumpArgs = JumpTarget;

/** How a provider reaches the host. Plain data; the private key travels separately as a secret. */
export interface ConnectionArgs {
  /** The host's name in the stack, e.g. "m1". A different name means a different host: replacement. */
  readonly name: string;
  /** Address of the host. A different address means a different host: replacement. */
  readonly address: string;
  /** @default 22 */
  readonly port?: number;
  /** @default "root" */
  readonly user?: string;
  /** @default false */
  readonly sudo?: boolean;
  /** Pinned host key, "SHA256:…" as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** @default 10 */
  readonly connectTimeoutSeconds?: number;
  /** @default 300 */
  readonly commandTimeoutSeconds?: number;
  /** Log in through the SSH agent of `SSH_AUTH_SOCK` (in the environment of \`pulumi\`). @default false */
  readonly agent?: boolean;
  /** Reach the host through this jump host (ProxyJump). */
  readonly jump?: JumpArgs;
  /**
   * How the gates reach the hosts' Mesos and Marathon HTTP ports, and the other hosts' connections for that (this
   * connection's own host is always one of them). The cluster program's resources leave it out: their provider takes
   * the stack's routes from the config (useStackContext); states from before carry it.
   */
  readonly http?: HttpRouting & { readonly hosts: readonly RouteHost[] };
}

/** The SSH settings a route host takes from the connection that lists it, unless it says otherwise. */
const INHERITED = ["port", "user", "sudo", "connectTimeoutSeconds", "commandTimeoutSeconds", "agent"] as const;

/**
 * Another host's connection as a connection's HTTP route table lists it: its name, address and pinned key, its jump
 * host if it has one, and of the other settings only those that differ from the listing connection's.
 */
export type RouteHost = Pick<ConnectionArgs, "name" | "address" | "hostKeyFingerprint" | "jump"> &
  Partial<Pick<ConnectionArgs, (typeof INHERITED)[number]>>;

/** `other` as `own`'s route table lists it (pure; routeConnection reverses it). */
export function routeHostOf(own: Omit<ConnectionArgs, "http">, other: Omit<ConnectionArgs, "http">): RouteHost {
  const differing = INHERITED.filter((key) => other[key] !== undefined && other[key] !== own[key]);
  return {
    name: other.name,
    address: other.address,
    hostKeyFingerprint: other.hostKeyFingerprint,
    ...(other.jump ? { jump: other.jump } : {}),
    ...Object.fromEntries(differing.map((key) => [key, other[key]])),
  };
}

/** The whole connection of a route host listed by `own` (a table from before issue 14's compaction lists it whole). */
export function routeConnection(own: Omit<ConnectionArgs, "http">, route: RouteHost): Omit<ConnectionArgs, "http"> {
  const inherited = Object.fromEntries(INHERITED.filter((key) => own[key] !== undefined).map((key) => [key, own[key]]));
  return { ...inherited, ...route };
}

/**
 * What the `privateKey` input carries: a bare private key (as before), or the stack's JSON bundle of SSH and HTTP
 * secrets ({privateKey?, passphrase?, mesosPassword?, marathonPassword?}). Either way one Pulumi secret.
 */
export interface Credentials {
  readonly privateKey?: string;
  readonly passphrase?: string;
  readonly mesosPassword?: string;
  readonly marathonPassword?: string;
}

/** The `privateKey` input's value for `credentials`: the bare key when that is all there is. */
export function encodeCredentials(credentials: Credentials): string {
  const present = Object.fromEntries(Object.entries(credentials).filter(([, v]) => typeof v === "string" && v !== ""));
  const keys = Object.keys(present);
  return keys.length === 1 && keys[0] === "privateKey" ? String(present.privateKey) : JSON.stringify(present);
}

/** Reads the `privateKey` input back (a bare key, or the JSON bundle). */
export function decodeCredentials(value: string | undefined): Credentials {
  if (!value) return {};
  if (!value.trimStart().startsWith("{")) return { privateKey: value };
  try {
    return JSON.parse(value) as Credentials;
  } catch {
    return { privateKey: value };
  }
}

/** The stack config key (in the project's namespace) of each secret: never parsed into settings, never logged. */
export const CREDENTIAL_CONFIG_KEYS = {
  privateKey: "sshPrivateKey",
  passphrase: "sshPrivateKeyPassphrase",
  mesosPassword: "mesosHttpPassword",
  marathonPassword: "marathonHttpPassword",
} as const satisfies Record<keyof Credentials, string>;

/** The project's name (Pulumi.yaml): the namespace of its config, the secrets' among them, and of its types. */
export const PROJECT_NAME = "mesos-upgrade";

/** The credentials in a stack's config, `get` reading one key of the project's namespace (pure). */
export function credentialsOfConfig(get: (key: string) => string | undefined): Credentials {
  return Object.fromEntries(
    Object.entries(CREDENTIAL_CONFIG_KEYS)
      .map(([field, key]) => [field, get(`${PROJECT_NAME}:${key}`)])
      .filter(([, value]) => typeof value === "string" && value !== ""),
  ) as Credentials;
}

/**
 * How every host of a stack is reached over HTTP: the stack's routing and each host's SSH connection (a gate's
 * requests to a master go through that master's own SSH connection by default).
 */
export interface StackRoutes {
  readonly routing: HttpRouting;
  readonly hosts: readonly Omit<ConnectionArgs, "http">[];
}

/** What a provider process takes from the stack config the engine hands it (configureFromStack). */
export interface StackContext {
  readonly credentials: Credentials;
  /** Unset where the config holds no stack (a resource declared outside the cluster program). */
  readonly routes?: StackRoutes;
}

/** The stack's context as the engine handed it to this provider process (useStackContext). */
let configured: StackContext = { credentials: {} };

/**
 * Sets what every resource of this provider process acts with unless it says otherwise: the stack's credentials and
 * its hosts' HTTP routes. The engine hands a dynamic provider's process the whole stack config, secrets decrypted,
 * before its first check, so neither is in any resource's state: the engine writes the whole state at every step's
 * start and end, and a key's ciphertext was a fifth of an agent step's state, the route table another seventh (issue
 * 14). A key rotated or a host's port changed in the config is used at once.
 */
export function useStackContext(context: StackContext): void {
  configured = context;
}

/** Reads the stack's HTTP routes from its config values by full key (registered by stacks/provider-context.ts). */
export type StackRoutesReader = (get: (key: string) => unknown) => StackRoutes | undefined;

let routesReader: StackRoutesReader | undefined;

/**
 * How this provider process reads the stack's routes from the config the engine hands it. The program registers it:
 * the providers do not parse a stack's settings (stacks/ does), and a resource declared outside the cluster program
 * carries its own table (ConnectionArgs.http).
 */
export function readStackRoutesWith(reader: StackRoutesReader): void {
  routesReader = reader;
}

/** The modules the provider process loads before a resource's implementation (readStackRoutesFrom). */
let routesModules: readonly string[] = [];

/**
 * Has the provider process of every resource declared from now on load `file` (compiled .js, which calls
 * readStackRoutesWith) before the resource's implementation: the program's way to hand the providers its parsing of
 * the stack's config, which they must not import (providers/dynamic.ts writes it into the resources' provider text).
 */
export function readStackRoutesFrom(file: string): void {
  routesModules = [file];
}

/** What readStackRoutesFrom named, for the provider text. */
export function modulesBeforeImplementations(): readonly string[] {
  return routesModules;
}

/**
 * The `configure` of every provider: the engine hands a dynamic provider's process the whole stack config, secrets
 * decrypted, before its first check; the cluster program gives its resources neither its secrets nor its route
 * table (useStackContext).
 */
export async function configureFromStack(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const get = (key: string): unknown => request.config.get(key);
  useStackContext({
    credentials: credentialsOfConfig((key) => {
      const value = get(key);
      return typeof value === "string" ? value : undefined;
    }),
    routes: routesReader?.(get),
  });
}

/**
 * The credentials a resource acts with: its own `privateKey` input when it has one (a resource declared outside the
 * cluster program, a state written before), otherwise the stack's, from the provider's configuration.
 */
export function credentialsOf(privateKey: string | undefined): Credentials {
  return privateKey ? decodeCredentials(privateKey) : configured.credentials;
}

/** Inputs every component resource takes. */
export interface ComponentArgs {
  readonly connection: pulumi.Input<ConnectionArgs>;
  /**
   * The SSH private key, or the stack's secrets bundle (encodeCredentials), as a Pulumi secret; never in logs or
   * messages. Unset, the provider uses the stack config's (useStackContext), which keeps it out of the state.
   */
  readonly privateKey?: pulumi.Input<string>;
  /** The version this run moves the component to: one hop from what runs (the planner's step). */
  readonly version: pulumi.Input<string>;
  /** Where the stack is heading; shown in preview, checked to be at or beyond `version`. */
  readonly targetVersion: pulumi.Input<string>;
  /** How long the health gate waits after a change. @default 300 */
  readonly gateTimeoutSeconds?: pulumi.Input<number>;
  /**
   * The pause between the health gate's looks until one passes; the look that confirms it follows half as long after.
   * How the gate looks, not what runs: a change of it changes no component. @default 0.5
   */
  readonly gateIntervalSeconds?: pulumi.Input<number>;
  /** Put the previous version back when the gate fails. @default true */
  readonly rollbackOnFailure?: pulumi.Input<boolean>;
  /**
   * Uninstall the component when the resource is deleted; by default deleting only stops managing it. @default false
   */
  readonly uninstallOnDelete?: pulumi.Input<boolean>;
}

/** The resolved form of ComponentArgs as providers receive it. */
export interface ComponentInputs {
  readonly connection: ConnectionArgs;
  readonly privateKey?: string;
  readonly version: string;
  readonly targetVersion: string;
  readonly gateTimeoutSeconds?: number;
  readonly gateIntervalSeconds?: number;
  readonly rollbackOnFailure?: boolean;
  readonly uninstallOnDelete?: boolean;
}

/** Outputs every component resource reports, besides its inputs (minus the key). */
export interface ComponentState {
  /** The version found running after the last create, update or read. */
  readonly runningVersion: string;
  /** ISO time of the last change this resource made on the host; unchanged when nothing was restarted. */
  readonly changedAt: string;
  /** What the health gate saw when it passed (or "adopted: nothing restarted"). */
  readonly gateObserved: string;
}

/** Problems with how a host is reached: its name and address, its pinned key. */
export function hostFailures(c: Partial<ConnectionArgs> | undefined): pulumi.dynamic.CheckFailure[] {
  if (!c || !c.name || !c.address) {
    return [
      {
        property: "connection",
        reason: `connection needs a host name and address, got ${JSON.stringify(c && { name: c.name, address: c.address })}`,
      },
    ];
  }
  if (!isFingerprint(c.hostKeyFingerprint)) {
    return [
      {
        property: "connection.hostKeyFingerprint",
        reason: `"${c.hostKeyFingerprint}" is not an SSH SHA256 fingerprint; pin ${c.name}'s host key as \`ssh-keygen -lf\` prints it`,
      },
    ];
  }
  return [];
}

/** The problem of a missing SSH private key (and no agent), if it is missing. */
export function privateKeyFailures(privateKey: string | undefined, agent = false): pulumi.dynamic.CheckFailure[] {
  if (agent || credentialsOf(privateKey).privateKey) return [];
  return [
    {
      property: "privateKey",
      reason:
        "no SSH private key and no SSH agent; set the stack's sshPrivateKey with `pulumi config set --secret sshPrivateKey < key`, or ssh.agent: true",
    },
  ];
}

/** Problems with the inputs every component shares: the host, its pinned key, the SSH key. */
export function connectionFailures(
  news: Partial<Pick<ComponentInputs, "connection" | "privateKey">>,
): pulumi.dynamic.CheckFailure[] {
  return connectionsFailures([news.connection], news.privateKey);
}

/** Problems with the hosts a resource reaches and the SSH key (none is needed when one of them logs in by agent). */
export function connectionsFailures(
  connections: readonly (Partial<ConnectionArgs> | undefined)[],
  privateKey: string | undefined,
): pulumi.dynamic.CheckFailure[] {
  return [
    ...connections.flatMap((c) => hostFailures(c)),
    ...privateKeyFailures(
      privateKey,
      connections.some((c) => c?.agent ?? false),
    ),
  ];
}

/** The SSH target of one connection with the decoded secrets. */
export function sshTargetOf(c: Omit<ConnectionArgs, "http">, credentials: Credentials): SshTarget {
  const agent = c.agent ? process.env.SSH_AUTH_SOCK : undefined;
  return {
    name: c.name,
    address: c.address,
    port: c.port,
    user: c.user,
    sudo: c.sudo,
    hostKeyFingerprint: c.hostKeyFingerprint,
    connectTimeoutSeconds: c.connectTimeoutSeconds,
    commandTimeoutSeconds: c.commandTimeoutSeconds,
    ...(credentials.privateKey ? { privateKey: credentials.privateKey } : {}),
    ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}),
    ...(agent ? { agent } : {}),
    ...(c.jump ? { jump: c.jump } : {}),
  };
}

/**
 * The SSH target of a resource's inputs. Also sets the process's HTTP route table, so the gates that follow reach
 * every host's Mesos and Marathon the way the stack says (through SSH by default): the connection's own table where it
 * has one, otherwise `routes` (the stack's, from the provider's configuration unless given), its own host among them.
 */
export function targetOf(
  inputs: Pick<ComponentInputs, "connection" | "privateKey">,
  routes: StackRoutes | undefined = configured.routes,
): SshTarget {
  const { http, ...own } = inputs.connection;
  const credentials = credentialsOf(inputs.privateKey);
  const table = http
    ? { routing: routingOf(http), hosts: [own, ...http.hosts.map((h) => routeConnection(own, h))] }
    : routes && { routing: routes.routing, hosts: [own, ...routes.hosts.filter((h) => h.address !== own.address)] };
  if (table) {
    useHttpRouting(
      table.routing,
      table.hosts.map((h) => sshTargetOf(h, credentials)),
      { mesosPassword: credentials.mesosPassword, marathonPassword: credentials.marathonPassword },
    );
  }
  return sshTargetOf(own, credentials);
}

/** The routing of a connection's own table, without its hosts. */
function routingOf(http: NonNullable<ConnectionArgs["http"]>): HttpRouting {
  const { hosts: _hosts, ...routing } = http;
  return routing;
}

/** The inputs within a resource's recorded state (outputs carry every input), for `read` to return. */
export function inputsOf(state: object, inputKeys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    inputKeys.filter((key) => key in state).map((key) => [key, (state as Record<string, unknown>)[key]]),
  );
}

/** Deep equality of plain JSON values (inputs and outputs). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** `value` with every object's keys in order and undefined members left out: the same data, the same JSON text. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Inputs that say how the provider reaches or looks at the host, never what runs there. */
const NOT_A_CHANGE: readonly string[] = ["privateKey", "gateIntervalSeconds"];

/**
 * The diff rule of every component: replace only when the host itself changes (name or address); no change
 * when no input the component uses changed; otherwise leave `changes` undefined so the engine diffs the inputs
 * itself and preview shows each changed property (`version: "0.24.2" => "0.25.1"`).
 */
export function componentDiff(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  inputKeys: readonly string[],
): pulumi.dynamic.DiffResult {
  const oldConnection = (olds.connection ?? {}) as Partial<ConnectionArgs>;
  const newConnection = (news.connection ?? {}) as Partial<ConnectionArgs>;
  if (oldConnection.name !== newConnection.name || oldConnection.address !== newConnection.address) {
    return { replaces: ["connection"], deleteBeforeReplace: false };
  }
  // The credentials say how the host is reached, not what it runs: a key rotated, or moved from the resources to
  // the stack config (a state written before), changes no component; nor does the pace of its gate's looks, nor the
  // way to the hosts' HTTP ports (a table states from before carry, which the stack's config now gives).
  const changed = inputKeys.filter((key) =>
    key === "connection"
      ? !sameValue(withoutHttp(oldConnection), withoutHttp(newConnection))
      : !NOT_A_CHANGE.includes(key) && !sameValue(olds[key], news[key]),
  );
  return changed.length === 0 ? { changes: false } : {};
}

/**
 * A connection without its HTTP routing: how the gates reach the masters and Marathons is context, like the
 * credentials, never a change of the component.
 */
function withoutHttp(connection: Partial<ConnectionArgs>): Partial<ConnectionArgs> {
  const { http: _http, ...ssh } = connection;
  return ssh;
}

// How a host's Mesos and Marathon HTTP ports are reached: through that host's own SSH connection (the default, so
// only SSH must be open) or directly; which scheme; which credentials. One table per process, set by whoever
// holds the stack's connections (the program, each provider method) before it asks a service anything.
import type { SshTarget } from "./ssh";

/** The HTTP side of a stack's connections. Plain data. */
export interface HttpRouting {
  /**
   * "ssh": a channel forwarded by the host's sshd; "direct": the operator's machine opens the port itself.
   * @default "ssh"
   */
  readonly via: "ssh" | "direct";
  /** "https" where the cluster serves TLS. @default "http" */
  readonly scheme: "http" | "https";
  /**
   * Where the forwarded channel connects on the host: its own address (what Mesos' --ip binds) or 127.0.0.1.
   * @default "address"
   */
  readonly tunnelTo: "address" | "loopback";
  /** Mesos HTTP authentication principal (basic auth on 5050/5051); its password is the secret mesosHttpPassword. */
  readonly mesosUser?: string;
  /** Marathon's --http_credentials user; its password is the secret marathonHttpPassword. */
  readonly marathonUser?: string;
  /** PEM of the CA that signed the services' certificates (https); the system's CAs when unset. */
  readonly ca?: string;
  /**
   * SHA-256 fingerprints of the services' certificates ("AB:CD:…", as `openssl x509 -noout -fingerprint -sha256`
   * prints them), pinned instead of trusting a CA: a certificate whose fingerprint is listed is accepted as is.
   */
  readonly certificateFingerprints?: readonly string[];
}

/** The HTTP passwords (secrets). */
export interface HttpPasswords {
  readonly mesosPassword?: string;
  readonly marathonPassword?: string;
}

export const DEFAULT_HTTP_ROUTING: HttpRouting = { via: "ssh", scheme: "http", tunnelTo: "address" };

/** Mesos masters (5050) and agents (5051) take Mesos' credentials; Marathon (8080) its own. */
const MESOS_PORTS: readonly number[] = [5050, 5051];
const MARATHON_PORTS: readonly number[] = [8080];

/** How one request to `address:port` travels. */
export interface Route {
  readonly scheme: "http" | "https";
  /** Set when the request goes through this host's SSH connection. */
  readonly through?: { readonly target: SshTarget; readonly address: string };
  /** The Authorization header value, when the service has credentials. */
  readonly authorization?: string;
  /** Which service's credentials the port takes, and the user sent (for errors: never the password). */
  readonly service?: { readonly kind: "mesos" | "marathon"; readonly user?: string };
  /** For https: what the certificate is checked against. */
  readonly trust?: { readonly ca?: string; readonly fingerprints?: readonly string[] };
  /** The host's name in the stack, when it is one of the stack's hosts. */
  readonly hostName?: string;
}

interface Table {
  readonly routing: HttpRouting;
  readonly hosts: ReadonlyMap<string, SshTarget>;
  readonly passwords: HttpPasswords;
}

let table: Table | undefined;

/**
 * Sets the process's route table: the stack's hosts (by address) and how their HTTP ports are reached. Each
 * resource carries only the hosts its own steps call (its host, the masters, the Marathons), and steps of a wave run
 * at once in one provider process, so hosts add up while the routing and passwords stay those of the same stack: an
 * agent's step never loses its own host's route to another agent's step. Other routing or passwords start afresh.
 */
export function useHttpRouting(routing: HttpRouting, hosts: readonly SshTarget[], passwords: HttpPasswords = {}): void {
  const kept =
    table && sameJson(table.routing, routing) && sameJson(table.passwords, passwords) ? table.hosts : undefined;
  table = { routing, hosts: new Map([...(kept ?? []), ...hosts.map((h) => [h.address, h] as const)]), passwords };
}

function sameJson(a: object, b: object): boolean {
  const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}

/** Forgets the route table (tests). */
export function clearHttpRouting(): void {
  table = undefined;
}

/** The scheme in force ("http" unless the stack says https). */
export function httpScheme(): "http" | "https" {
  return table?.routing.scheme ?? "http";
}

/** The URL of a service port on a host: the one way providers and stacks name a Mesos or Marathon endpoint. */
export function serviceUrl(address: string, port: number, path = ""): string {
  return `${httpScheme()}://${address.includes(":") ? `[${address}]` : address}:${port}${path}`;
}

function basic(user: string | undefined, password: string | undefined): string | undefined {
  return user === undefined ? undefined : `Basic ${Buffer.from(`${user}:${password ?? ""}`).toString("base64")}`;
}

/** How a request to `address:port` goes under the current table (pure: no connection is opened). */
export function routeOf(address: string, port: number): Route {
  if (!table) return { scheme: "http" };
  const { routing, passwords } = table;
  const kind = MESOS_PORTS.includes(port) ? "mesos" : MARATHON_PORTS.includes(port) ? "marathon" : undefined;
  const user = kind === "mesos" ? routing.mesosUser : kind === "marathon" ? routing.marathonUser : undefined;
  const authorization = basic(user, kind === "mesos" ? passwords.mesosPassword : passwords.marathonPassword);
  const host = table.hosts.get(address);
  const through =
    routing.via === "ssh" && host
      ? { target: host, address: routing.tunnelTo === "loopback" ? "127.0.0.1" : address }
      : undefined;
  const trust =
    routing.scheme === "https"
      ? {
          ...(routing.ca ? { ca: routing.ca } : {}),
          ...(routing.certificateFingerprints?.length ? { fingerprints: routing.certificateFingerprints } : {}),
        }
      : undefined;
  return {
    scheme: routing.scheme,
    ...(through ? { through } : {}),
    ...(authorization ? { authorization } : {}),
    ...(kind ? { service: { kind, ...(user ? { user } : {}) } } : {}),
    ...(trust ? { trust } : {}),
    ...(host ? { hostName: host.name } : {}),
  };
}

/** "m1 (10.0.0.1:5050)", or the address alone for a host outside the stack. */
function labelOf(route: Route, address: string, port: number): string {
  return `${route.hostName ? `${route.hostName} (${address}:${port})` : `${address}:${port}`}`;
}

/** Why a 401 came back, naming the stack's keys to fix (never a password). */
export function unauthorizedMessage(
  route: Route,
  address: string,
  port: number,
  challenge: string | undefined,
): string {
  const realm = /realm="([^"]*)"/.exec(challenge ?? "")?.[1];
  const what = route.service?.kind === "marathon" ? "Marathon" : "Mesos";
  const [userKey, passwordKey, serverFlag] =
    route.service?.kind === "marathon"
      ? ["http.marathonUser", "marathonHttpPassword", "Marathon's --http_credentials"]
      : ["http.mesosUser", "mesosHttpPassword", "the --http_credentials of the masters and agents"];
  const sent = route.service?.user
    ? `the credentials of ${userKey} "${route.service.user}"`
    : `no credentials (${userKey} is not set)`;
  return `${what} on ${labelOf(route, address, port)} answered 401 Unauthorized${realm ? ` (realm ${realm})` : ""} to ${sent}: set ${userKey} to a user of ${serverFlag} and its password with \`pulumi config set --secret ${passwordKey}\``;
}

/** Why TLS to a service failed, naming the stack's keys to fix. */
export function untrustedMessage(route: Route, address: string, port: number, reason: string): string {
  return `${labelOf(route, address, port)} serves a certificate the stack does not trust (${reason}): set http.ca to the PEM of the CA that signed the services' certificates, or pin their SHA-256 fingerprints in http.certificateFingerprints (\`openssl x509 -noout -fingerprint -sha256 -in <cert>\`); with http.scheme: http the stack speaks plain HTTP`;
}

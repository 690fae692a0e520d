// Who may read and change a Mesos master's or agent's HTTP endpoints: HTTP authentication (basic, with the
// principals of --http_credentials) per realm, and HTTPS through libprocess' SSL settings.
//
// Mesos 1.0 split --authenticate_http into --authenticate_http_readwrite (its alias) and
// --authenticate_http_readonly (MESOS-5851; docs/authentication.md, docs/configuration.md); the default
// authenticator "basic" takes the principals and secrets of a credentials file — the master's --credentials (the
// same file frameworks and agents authenticate with), the agent's --http_credentials — JSON
// {"credentials": [{"principal", "secret"}]} (or, up to 1.10, the deprecated "principal secret" lines; 1.11 exits with
// "Invalid json format"); without one the process exits. Endpoints marked "does not require
// authentication" in docs/endpoints (health, version, redirect) and libprocess messages between Mesos processes
// are never asked; a GET of any other endpoint is in the read-only realm, any other method in the read-write one.
import type { Handler, Incoming, Reply } from "../http";
import { libprocessTls, type TlsServing } from "../tls";
import { mesosTraits } from "../catalogue/mesos";
import { atLeast } from "../catalogue/versions";
import { flagOn, flagText, type MesosFlagValues } from "./flags";
import { parseJsonBody } from "./stout-json";

/** A process's HTTP access rules: the handler behind authentication, and how its port serves TLS. */
export interface MesosHttpAccess {
  readonly guard: (handler: Handler) => Handler;
  readonly tls?: TlsServing;
}

const OPEN_ENDPOINTS = new Set(["health", "version", "redirect"]);

/**
 * Whether a request needs no authentication: an open endpoint, or a libprocess message ("/master/mesos.internal.X").
 */
function open(path: string): boolean {
  const last = path.split("/").filter(Boolean).pop() ?? "";
  return OPEN_ENDPOINTS.has(last) || last.startsWith("mesos.internal.");
}

/** The principals and secrets of a credentials file, or why there are none. */
function credentialsOf(
  path: string,
  readFile: (path: string) => string | undefined,
  textFormat: boolean,
  flag: string,
): Map<string, string> | { error: string } {
  const text = readFile(path.replace(/^file:\/\//, ""));
  if (text === undefined) return { error: `Failed to load credentials from '${path}': No such file or directory` };
  if (!textFormat) {
    // 1.11 reads JSON only (src/credentials/credentials.hpp at 1.11.0; EXIT in master.cpp / slave.cpp).
    const json = parseJsonBody(text, "object");
    if (json.error !== undefined) return { error: `Invalid json format: ${json.error} (see --${flag} flag)` };
  }
  if (!text.trimStart().startsWith("{")) {
    return new Map(
      text
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter((words) => words.length === 2)
        .map(([p, s]) => [p as string, s as string]),
    );
  }
  try {
    const parsed = JSON.parse(text) as { credentials?: Array<{ principal?: string; secret?: string }> };
    return new Map(
      (parsed.credentials ?? []).filter((c) => c.principal).map((c) => [String(c.principal), String(c.secret ?? "")]),
    );
  } catch (error) {
    return { error: `Failed to parse credentials from '${path}': ${(error as Error).message}` };
  }
}

/** Whether an Authorization header carries a principal and secret of `credentials`. */
function authenticated(header: string | undefined, credentials: ReadonlyMap<string, string>): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/.exec(header ?? "");
  if (!match) return false;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const secret = credentials.get(decoded.slice(0, colon));
  return secret !== undefined && secret === decoded.slice(colon + 1);
}

/**
 * The access rules of a master or agent at `version` from its flags and environment; an error text when it must exit.
 */
export function mesosHttpAccess(
  role: "master" | "agent",
  version: string,
  flags: MesosFlagValues,
  env: Readonly<Record<string, string>>,
  readFile: (path: string) => string | undefined,
): MesosHttpAccess | { readonly error: string } {
  const tls = libprocessTls(env, readFile);
  if (tls && "error" in tls) return tls;
  const split = atLeast(version, "1.0.0");
  const readwrite = flagOn(flags, "authenticate_http_readwrite", false) || flagOn(flags, "authenticate_http", false);
  const readonly = split && flagOn(flags, "authenticate_http_readonly", false);
  const realm = (kind: "readonly" | "readwrite") => (split ? `mesos-${role}-${kind}` : "mesos");
  let credentials = new Map<string, string>();
  if (readonly || readwrite) {
    const authenticators = flagText(flags, "http_authenticators") ?? "basic";
    const path = flagText(flags, role === "master" ? "credentials" : "http_credentials");
    if (authenticators === "basic") {
      if (path === undefined) {
        return {
          error: `No credentials provided for the default 'basic' HTTP authenticator for realm '${realm(readonly ? "readonly" : "readwrite")}'`,
        };
      }
      const loaded = credentialsOf(
        path,
        readFile,
        mesosTraits(version).textCredentials,
        role === "master" ? "credentials" : "http_credentials",
      );
      if ("error" in loaded) return loaded;
      credentials = loaded;
    }
  }
  const refusal = (req: Incoming): Reply | undefined => {
    if (open(req.path)) return undefined;
    const kind = req.method === "GET" || req.method === "HEAD" ? "readonly" : "readwrite";
    if (!(kind === "readonly" ? readonly : readwrite)) return undefined;
    if (authenticated(req.headers.authorization, credentials)) return undefined;
    return { status: 401, body: "", headers: { "WWW-Authenticate": `Basic realm="${realm(kind)}"` } };
  };
  return {
    guard: (handler) => (req) => refusal(req) ?? handler(req),
    ...(tls ? { tls } : {}),
  };
}

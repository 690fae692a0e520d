// Who may use Marathon's HTTP API and on which ports: the chaos HTTP service's connectors (HTTP on --http_port unless
// --disable_http; HTTPS on --https_port with the PKCS#12/JKS keystore of --ssl_keystore_path) and, with
// --http_credentials user:password, basic authentication on every endpoint (realm --http_realm, "Mesosphere").
// Sources: mesosphere/chaos HttpConf.scala and HttpModule.scala (the auth filter on "/*"); Marathon's
// docs/docs/command-line-flags.md and docs/docs/ssl-basic-access-authentication.md.
import type { Handler } from "../http";
import type { TlsServing } from "../tls";

/** One port Marathon serves its API on. */
export interface MarathonConnector {
  readonly port: number;
  readonly tls?: TlsServing;
}

/** Marathon's HTTP access: the handler behind authentication, and its connectors (the first is the advertised one). */
export interface MarathonHttpAccess {
  readonly guard: (handler: Handler) => Handler;
  readonly connectors: readonly MarathonConnector[];
}

type Values = ReadonlyMap<string, string | boolean>;

const text = (values: Values, name: string): string | undefined => {
  const value = values.get(name);
  return typeof value === "string" ? value : undefined;
};

/** Marathon's connectors and authentication from its options; an error text when it cannot serve. */
export function marathonHttpAccess(
  values: Values,
  readBinary: (path: string) => Buffer | undefined,
): MarathonHttpAccess | { readonly error: string } {
  const connectors: MarathonConnector[] = [];
  if (values.get("disable_http") !== true) connectors.push({ port: Number(text(values, "http_port") ?? 8080) });
  const keystorePath = text(values, "ssl_keystore_path");
  if (keystorePath !== undefined) {
    const pfx = readBinary(keystorePath);
    if (pfx === undefined) {
      return { error: `java.io.FileNotFoundException: ${keystorePath} (No such file or directory)` };
    }
    const passphrase = text(values, "ssl_keystore_password") ?? "";
    connectors.push({
      port: Number(text(values, "https_port") ?? 8443),
      tls: { options: { pfx, passphrase }, plainToo: false },
    });
  }
  if (connectors.length === 0) {
    return { error: "--disable_http needs an HTTPS connector: set --ssl_keystore_path and --ssl_keystore_password" };
  }
  const credentials = text(values, "http_credentials");
  const realm = text(values, "http_realm") ?? "Mesosphere";
  const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString("base64")}`;
  const guard =
    (handler: Handler): Handler =>
    (req) => {
      if (expected === undefined || req.headers.authorization === expected) return handler(req);
      return { status: 401, body: "", headers: { "WWW-Authenticate": `Basic realm="${realm}"` } };
    };
  return { guard, connectors };
}

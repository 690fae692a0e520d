// Serving HTTPS the way Mesos' libprocess and Marathon do: TLS with the certificate the process is configured with,
// and (libprocess' LIBPROCESS_SSL_SUPPORT_DOWNGRADE) plain HTTP on the same port, told apart by the first byte.
import type http from "node:http";
import https from "node:https";
import type net from "node:net";
import type tls from "node:tls";

/** How a port serves TLS. */
export interface TlsServing {
  /** Certificate and key (PEM) or a PKCS#12 keystore with its password. */
  readonly options: tls.SecureContextOptions;
  /** Plain HTTP is served on the same port too (libprocess' downgrade support). */
  readonly plainToo: boolean;
}

/** The first byte of a TLS record carrying a handshake (a ClientHello): RFC 8446 §5.1, ContentType handshake(22). */
const TLS_HANDSHAKE = 0x16;

const TRUE = new Set(["true", "1"]);
const FALSE = new Set(["false", "0"]);

/**
 * libprocess' SSL settings from a Mesos process's environment (apache/mesos 3rdparty/libprocess/src/openssl.cpp,
 * docs/ssl.md): LIBPROCESS_SSL_ENABLED, LIBPROCESS_SSL_CERT_FILE, LIBPROCESS_SSL_KEY_FILE,
 * LIBPROCESS_SSL_SUPPORT_DOWNGRADE. Undefined when SSL is off; an error text (as libprocess exits) when it cannot be
 * on.
 */
export function libprocessTls(
  env: Readonly<Record<string, string>>,
  readFile: (path: string) => string | undefined,
): TlsServing | { readonly error: string } | undefined {
  const flag = (name: string): boolean | { error: string } => {
    const value = (env[name] ?? "false").toLowerCase();
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    return { error: `Failed to initialize SSL: ${name}=${env[name]} is not a boolean (true, false, 1, 0)` };
  };
  const enabled = flag("LIBPROCESS_SSL_ENABLED");
  if (typeof enabled === "object") return enabled;
  if (!enabled) return undefined;
  const downgrade = flag("LIBPROCESS_SSL_SUPPORT_DOWNGRADE");
  if (typeof downgrade === "object") return downgrade;
  const keyFile = env.LIBPROCESS_SSL_KEY_FILE;
  if (!keyFile) return { error: "SSL requires key! NOTE: Set path with LIBPROCESS_SSL_KEY_FILE" };
  const certFile = env.LIBPROCESS_SSL_CERT_FILE;
  if (!certFile) return { error: "SSL requires certificate! NOTE: Set path with LIBPROCESS_SSL_CERT_FILE" };
  const key = readFile(keyFile);
  if (key === undefined) return { error: `Could not load key file '${keyFile}'` };
  const cert = readFile(certFile);
  if (cert === undefined) return { error: `Could not load cert file '${certFile}'` };
  // Not modelled: TLS between the simulator's own Mesos processes (their libprocess messages stay plain HTTP), so an
  // SSL-only Mesos could not talk to its peers here; the simulator says so instead of pretending.
  if (!downgrade) {
    return {
      error:
        "the simulator serves libprocess SSL only with LIBPROCESS_SSL_SUPPORT_DOWNGRADE=true: its Mesos processes message each other in plain HTTP",
    };
  }
  return { options: { key, cert }, plainToo: true };
}

/**
 * A connection handler for a port that serves `plain`'s requests over TLS (and plain HTTP too when `serving` says
 * so): it reads the first byte, puts it back, and hands the socket to an HTTPS server sharing `plain`'s handler.
 */
export function tlsFront(plain: http.Server, serving: TlsServing): (socket: net.Socket) => void {
  const listener = plain.listeners("request")[0] as http.RequestListener;
  const secure = https.createServer(serving.options, listener);
  secure.on("tlsClientError", () => undefined);
  return (socket) => {
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) secure.emit("connection", socket);
      else if (serving.plainToo) plain.emit("connection", socket);
      else return void socket.destroy();
      process.nextTick(() => socket.resume());
    });
    socket.resume();
  };
}

// A throwaway PostgreSQL server (Debian's postgresql package) in a temporary directory, on a free loopback port.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/** A running server: its connection URL for Pulumi's postgres:// backend, and how to stop it. */
export interface PostgresServer {
  readonly url: string;
  stop(): void;
}

/** The directory of initdb/pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin. */
function binDir(): string {
  const debian = "/usr/lib/postgresql";
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((v) => fs.existsSync(path.join(debian, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(debian, versions[0], "bin");
  throw new Error("PostgreSQL's server is not installed: `apt-get install -y postgresql` (Debian), as .ci/run does");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server whose data lives in `dir`: initdb with trust authentication for the user `pulumi`, pg_ctl on
 * 127.0.0.1:<free port>. As root it runs as the `postgres` user (the server refuses root), via runuser.
 */
export async function startPostgres(dir: string): Promise<PostgresServer> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  fs.mkdirSync(dir, { recursive: true });
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const run = (tool: string, args: string[]) => {
    const [command, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    execFileSync(command, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: dir });
  };
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-U", "pulumi", "--auth=trust", "--no-sync"]);
  const port = await freePort();
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    path.join(dir, "server.log"),
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    "-w",
    "start",
  ]);
  return {
    url: `postgres://pulumi@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
  };
}

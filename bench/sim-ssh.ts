// One command over SSH to a simulated host, as an operator's shell loop runs it: a new login, the command, its output.
import { Client } from "ssh2";
import { fingerprint, type Cluster } from "../sim";

/** The command's exit code and output. */
export interface SshResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Logs in to `hostName` (pinning its host key), runs `command`, and logs out. */
export function ssh(cluster: Cluster, hostName: string, command: string): Promise<SshResult> {
  const host = cluster.host(hostName);
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on("error", reject);
    client.on("ready", () =>
      client.exec(command, (error, stream) => {
        if (error) return reject(error);
        let stdout = "";
        let stderr = "";
        let code: number | null = null;
        stream.on("data", (d: Buffer) => (stdout += d));
        stream.stderr.on("data", (d: Buffer) => (stderr += d));
        stream.on("exit", (c: number | null) => (code = c));
        stream.on("close", () => {
          client.end();
          resolve({ code, stdout, stderr });
        });
      }),
    );
    client.connect({
      host: host.address,
      port: host.sshPort,
      username: cluster.userKey.user,
      privateKey: cluster.userKey.privateKey,
      readyTimeout: 60_000,
      hostVerifier: (key: Buffer) => fingerprint(key) === host.hostKeyFingerprint,
    });
  });
}

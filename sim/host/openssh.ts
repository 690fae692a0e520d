// The OpenSSH variant: a host runs Debian's sshd with its own config, host key and a ForceCommand wrapper that logs
// the received command and runs it in the host's shell.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths, type ClusterFile, type HostRecord } from "../layout";

/** Where Debian installs sshd; it must be started by absolute path. */
export const SSHD_PATH = "/usr/sbin/sshd";

/** True when sshd is installed on this machine. */
export function sshdAvailable(): boolean {
  return existsSync(SSHD_PATH);
}

/** Writes the host's sshd_config, authorized_keys and ForceCommand wrapper; returns the config path. */
export function writeSshdConfig(cluster: ClusterFile, host: HostRecord, listenAddress = host.address): string {
  const hostDir = paths.hostDir(cluster.stateDir, host.name);
  const authorizedKeys = join(paths.keysDir(cluster.stateDir), "authorized_keys");
  writeFileSync(authorizedKeys, `${cluster.userPublicKey}\n`, { mode: 0o600 });
  const wrapper = join(hostDir, "sshd-command");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec '${cluster.nodePath}' '${join(cluster.distDir, "sim", "host", "bin", "main.js")}' sshd-command '${cluster.stateDir}' '${host.name}'\n`,
    { mode: 0o755 },
  );
  const config = [
    `ListenAddress ${listenAddress}:${host.sshPort}`,
    `HostKey ${paths.hostKey(cluster.stateDir, host.name)}`,
    `PidFile ${join(hostDir, "sshd.pid")}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `AllowUsers ${cluster.user}`,
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "StrictModes no",
    "UsePAM no",
    "PrintMotd no",
    "PrintLastLog no",
    "LogLevel ERROR",
    `ForceCommand ${wrapper}`,
  ];
  const path = paths.sshdConfig(cluster.stateDir, host.name);
  writeFileSync(path, `${config.join("\n")}\n`);
  return path;
}

/** Starts `sshd -D -e -f <config>` as a child of the host daemon (same process group). */
export function startSshd(configPath: string, logPath: string): ChildProcess {
  // sshd refuses to start without its privilege separation directory (creating it needs root; sshd says so if not).
  try {
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  } catch {
    // sshd reports "Missing privilege separation directory: /run/sshd" in the host's sshd.log
  }
  const child = spawn(SSHD_PATH, ["-D", "-e", "-f", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (d: Buffer) => {
    try {
      writeFileSync(logPath, d, { flag: "a" });
    } catch {
      // the log is best effort
    }
  });
  return child;
}

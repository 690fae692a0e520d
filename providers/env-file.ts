// Secret environment values reach a container through an env file, never a command line (which `ps` on the host and
// the host's audit logs show): written over SSH stdin into a root-only directory, passed with `docker run --env-file`,
// and removed afterwards, also when the run fails.
import type { RemoteShell } from "../remote/ssh";

/** Root's own directory for env files: /run is a tmpfs on Ubuntu 14.04 and later, so the values never reach a disk. */
export const ENV_FILE_DIR = "/run/mesos-upgrade";

/** The env file of the container `containerName` (one at a time per container: a run holds the stack's lock). */
export function envFilePath(containerName: string): string {
  return `${ENV_FILE_DIR}/${containerName}.env`;
}

/**
 * The file's text: one "NAME=value" line per variable, sorted. Docker's client reads every character after the first
 * "=" as the value, verbatim (ParseEnvFile, docker/docker opts/envfile.go), so any one-line value arrives unchanged;
 * `check` refuses values with newlines or other control characters.
 */
export function envFileText(env: Readonly<Record<string, string>>): string {
  return Object.keys(env).sort().map((name) => `${name}=${env[name]}\n`).join("");
}

/**
 * Writes `env` to the container's env file (directory 0700 and file 0600, both root's), runs `use(path)`, and removes
 * the file whatever `use` did. The values travel only on the command's standard input.
 */
export async function withEnvFile<T>(shell: RemoteShell, containerName: string, env: Readonly<Record<string, string>>, use: (path: string) => Promise<T>): Promise<T> {
  const path = envFilePath(containerName);
  const secrets = Object.values(env);
  try {
    // One command (one round trip: it runs while a component is down, between the old container's stop and the new one's start).
    await shell.run(["sh", "-c", 'umask 077 && install -d -m 0700 -o root -g root "$1" && cat > "$2"', "sh", ENV_FILE_DIR, path], { stdin: envFileText(env), secrets });
    return await use(path);
  } finally {
    await shell.run(["rm", "-f", path], { allowFailure: true, secrets });
  }
}

// Secret environment values reach a container through an env file, never a command line (which `ps` on the host and
// the host's audit logs show): written over SSH stdin into a root-only directory, passed with `docker run --env-file`,
// and removed afterwards, also when the run fails (all in the replacement's one script: providers/container.ts).

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
  return Object.keys(env)
    .sort()
    .map((name) => `${name}=${env[name]}\n`)
    .join("");
}

// Reading a host's Docker engine: the version its daemon answers with.
import type { RemoteShell } from "../remote/ssh";

/**
 * The engine's version: `--format` from 1.8; 1.7 prints "Server version: 1.7.1". Undefined when the daemon is down.
 * Docker CE names itself "17.06.2-ce" (docker/docker-ce VERSION files); the release is "17.06.2", as catalogued.
 */
export async function serverVersion(shell: RemoteShell): Promise<string | undefined> {
  const formatted = await shell.run(["docker", "version", "--format", "{{.Server.Version}}"], { allowFailure: true });
  const release = /^(\d+\.\d+\.\d+)(?:-ce)?$/.exec(formatted.stdout.trim());
  if (formatted.code === 0 && release) return release[1];
  const plain = await shell.run(["docker", "version"], { allowFailure: true });
  return /Server version:\s*(\d+\.\d+\.\d+)/.exec(plain.stdout)?.[1] ?? /Server:\s*\n\s*Version:\s*(\d+\.\d+\.\d+)/.exec(plain.stdout)?.[1];
}

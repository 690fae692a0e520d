// Reading a host's Docker engine: the version its daemon answers with.
import { runSections, type Section, type SectionResult } from "../remote/sections";
import type { RemoteShell } from "../remote/ssh";

/**
 * The engine's version as one command of a batch: `--format` from 1.8; 1.7 has no --format and prints
 * "Server version: 1.7.1" (later plain output: "Server:" then "Version:"), so the plain output is asked only then.
 * Docker CE names itself "17.06.2-ce" (docker/docker-ce VERSION files); the release is "17.06.2", as catalogued.
 */
export const serverVersionSection: Section = {
  name: "version",
  script: `f=$(docker version --format '{{.Server.Version}}' 2>/dev/null); case "$f" in [0-9]*) printf '%s\\n' "$f";; *) docker version;; esac`,
};

/** The version in the answer of `serverVersionSection`; undefined when the daemon is down. */
export function serverVersionOf(result: SectionResult | undefined): string | undefined {
  const out = result?.stdout ?? "";
  const formatted = /^(\d+\.\d+\.\d+)(?:-ce)?$/.exec(out.trim());
  if (formatted) return formatted[1];
  return (
    /Server version:\s*(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? /Server:\s*\n\s*Version:\s*(\d+\.\d+\.\d+)/.exec(out)?.[1]
  );
}

/** The engine's version (one round trip). Undefined when the daemon is down. */
export async function serverVersion(shell: RemoteShell): Promise<string | undefined> {
  return serverVersionOf((await runSections(shell, [serverVersionSection])).get("version"));
}

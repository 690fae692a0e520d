// Reading a host's Docker engine: the version its daemon answers with.
import { runSections, type Section, type SectionResult } from "../remote/sections";
import type { RemoteShell } from "../remote/ssh";
import { INFO_VARIABLE } from "./containers";

/**
 * The engine's version as one command of a batch: `docker version`'s plain answer, one call on every release. 1.7
 * prints "Server version: 1.7.1" and has no --format (asking it first cost a second call there, on every 1.7 host a
 * discovery reads); 1.8 to 18.03 print "Server:" then " Version:", 18.06 "Server:", " Engine:", then "  Version:"
 * (and 18.09 on "Server: Docker Engine - Community"). Docker CE names itself "17.06.2-ce" (docker/docker-ce VERSION
 * files); the release is "17.06.2", as catalogued.
 */
export const serverVersionSection: Section = { name: "version", script: "docker version" };

const SERVER_VERSION_1_7 = /^Server version:\s*(\d+\.\d+\.\d+)/m;
const SERVER_BLOCK_VERSION = /^Server:.*\n(?:[ \t].*\n)*?[ \t]+Version:\s*(\d+\.\d+\.\d+)/m;

/** The server's version in `docker version`'s plain answer; undefined when the daemon did not answer. */
export function serverVersionOf(result: SectionResult | undefined): string | undefined {
  const out = result?.stdout ?? "";
  return SERVER_VERSION_1_7.exec(out)?.[1] ?? SERVER_BLOCK_VERSION.exec(out)?.[1];
}

/**
 * `docker version` after a read of the host's containers, unless the `docker info` answer it kept named the server's
 * version already ("Server Version:", printed from Docker 1.9 when the daemon says it; indented under "Server:" from
 * 17.x): one Docker client process fewer per host read on every engine the stack upgraded to 1.11, and the answer of
 * the other kind on 1.7 and 1.8. Runs after `containerSections` in the same script.
 */
export const serverVersionUnlessInfoSection: Section = {
  name: "version",
  script: `case "$${INFO_VARIABLE}" in *"Server Version: "[0-9]*) ;; *) docker version ;; esac`,
};

const INFO_SERVER_VERSION = /^[ \t]*Server Version:\s*(\d+\.\d+\.\d+)/m;

/**
 * The server's version from a read's sections: `docker version`'s answer when it ran, else what `docker info` said
 * (serverVersionUnlessInfoSection); undefined when the daemon answered neither.
 */
export function engineVersionOf(sections: ReadonlyMap<string, SectionResult>): string | undefined {
  return serverVersionOf(sections.get("version")) ?? INFO_SERVER_VERSION.exec(sections.get("info")?.stdout ?? "")?.[1];
}

/** The engine's version (one round trip). Undefined when the daemon is down. */
export async function serverVersion(shell: RemoteShell): Promise<string | undefined> {
  return serverVersionOf((await runSections(shell, [serverVersionSection])).get("version"));
}

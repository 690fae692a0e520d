// The host spec: which simulated hosts exist and what runs on each, parsed from
// "m1,m2,m3:master+marathon;a1..a4:agent".
import { readFileSync } from "node:fs";
import type { Role as StackRole } from "../catalogue/components";

/** What a host runs besides Docker: a Mesos master, a Mesos agent, Marathon. */
export type Role = "master" | "agent" | "marathon";

/** All roles, in the order status tables list them. */
export const ROLES: readonly Role[] = ["master", "marathon", "agent"];

/** The role a stack file names for each simulated role (catalogue/components.ts). */
export const STACK_ROLE: Readonly<Record<Role, StackRole>> = {
  master: "mesos-master",
  agent: "mesos-slave",
  marathon: "marathon",
};

/** One simulated host. */
export interface HostSpec {
  /** Host name: lowercase letters, digits and dashes, starting with a letter (e.g. "m1", "agent-3"). */
  readonly name: string;
  /** What the host runs; empty for a Docker-only host. */
  readonly roles: readonly Role[];
}

/** The hosts of a cluster, in address order. */
export interface ClusterSpec {
  readonly hosts: readonly HostSpec[];
}

/** The seed's starting point: three masters each also running Marathon, and four agents. */
export const DEFAULT_HOST_SPEC = "m1,m2,m3:master+marathon;a1..a4:agent";

/** A spec that cannot be used; `problems` lists every fault found, each naming the bad value and the fix. */
export class HostSpecError extends Error {
  override readonly name = "HostSpecError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid host spec:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const EXAMPLE = `e.g. "${DEFAULT_HOST_SPEC}"`;

function roleOf(word: string): Role | undefined {
  if (word === "slave") return "agent";
  return (ROLES as readonly string[]).includes(word) ? (word as Role) : undefined;
}

function expandNames(text: string, problems: string[]): string[] {
  const names: string[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const range = /^([a-z][a-z-]*?)(\d+)\.\.([a-z][a-z-]*?)?(\d+)$/.exec(part);
    if (range) {
      const [, prefix, from, prefix2, to] = range;
      if (prefix2 !== undefined && prefix2 !== prefix) {
        problems.push(
          `range "${part}" mixes prefixes "${prefix}" and "${prefix2}"; write it as ${prefix}1..${prefix}4 or ${prefix}1..4`,
        );
        continue;
      }
      const first = Number(from);
      const last = Number(to);
      if (last < first || last - first > 200) {
        problems.push(`range "${part}" must count up by at most 200 hosts, e.g. a1..a4`);
        continue;
      }
      for (let i = first; i <= last; i++) names.push(`${prefix}${i}`);
      continue;
    }
    if (!NAME.test(part)) {
      problems.push(
        part === ""
          ? `empty host name in "${text}"; separate names with single commas`
          : `host name "${part}" must be lowercase letters, digits or dashes starting with a letter (e.g. m1, agent-2)`,
      );
      continue;
    }
    names.push(part);
  }
  return names;
}

function parseGroups(text: string, problems: string[]): HostSpec[] {
  const hosts: HostSpec[] = [];
  const groups = text
    .split(";")
    .map((g) => g.trim())
    .filter((g) => g !== "");
  if (groups.length === 0) problems.push(`the spec is empty; give at least one group "names:roles", ${EXAMPLE}`);
  for (const group of groups) {
    const colon = group.indexOf(":");
    if (colon < 0) {
      problems.push(`group "${group}" has no ":roles" part; write "names:roles", ${EXAMPLE}`);
      continue;
    }
    const names = expandNames(group.slice(0, colon), problems);
    const roles: Role[] = [];
    const roleText = group.slice(colon + 1).trim();
    for (const word of roleText === "" || roleText === "none" ? [] : roleText.split("+").map((w) => w.trim())) {
      const role = roleOf(word);
      if (!role) {
        problems.push(
          `unknown role "${word}" in group "${group}"; roles are master, agent, marathon, joined with "+" (or "none")`,
        );
      } else if (roles.includes(role)) {
        problems.push(`role "${word}" is repeated in group "${group}"; list each role once`);
      } else roles.push(role);
    }
    for (const name of names) hosts.push({ name, roles });
  }
  return hosts;
}

function parseJson(path: string, problems: string[]): HostSpec[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    problems.push(
      `cannot read host spec file "${path}": ${(error as Error).message}; give a JSON file like {"hosts":[{"name":"m1","roles":["master","marathon"]}]}`,
    );
    return [];
  }
  const list = (data as { hosts?: unknown }).hosts;
  if (!Array.isArray(list)) {
    problems.push(`host spec file "${path}" needs a "hosts" array, e.g. {"hosts":[{"name":"m1","roles":["master"]}]}`);
    return [];
  }
  return list.map((entry: { name?: unknown; roles?: unknown }, i) => {
    const name = typeof entry.name === "string" ? entry.name : "";
    if (!NAME.test(name)) {
      problems.push(
        `hosts[${i}].name ${JSON.stringify(entry.name)} must be lowercase letters, digits or dashes starting with a letter`,
      );
    }
    const roles: Role[] = [];
    for (const word of Array.isArray(entry.roles) ? entry.roles : []) {
      const role = roleOf(String(word));
      if (!role) {
        problems.push(`hosts[${i}].roles has unknown role ${JSON.stringify(word)}; roles are master, agent, marathon`);
      } else roles.push(role);
    }
    return { name, roles };
  });
}

/**
 * Parses a host spec: `names:roles` groups separated by ";", names separated by "," or given as a range
 * ("a1..a4"), roles joined by "+" ("master+marathon"), "none" for a Docker-only host; or the path of a JSON file
 * `{"hosts":[{"name":"m1","roles":["master","marathon"]}]}`. Throws `HostSpecError` listing every problem.
 */
export function parseHostSpec(text: string = DEFAULT_HOST_SPEC): ClusterSpec {
  const problems: string[] = [];
  const trimmed = text.trim();
  const hosts =
    trimmed.endsWith(".json") || trimmed.startsWith("@")
      ? parseJson(trimmed.replace(/^@/, ""), problems)
      : parseGroups(trimmed, problems);
  const seen = new Set<string>();
  for (const host of hosts) {
    if (seen.has(host.name)) problems.push(`host "${host.name}" appears twice; every host needs its own name`);
    seen.add(host.name);
  }
  if (hosts.length > 200) problems.push(`${hosts.length} hosts is more than the 200 a /24 loopback network can hold`);
  if (hosts.some((h) => h.roles.includes("agent")) && !hosts.some((h) => h.roles.includes("master"))) {
    problems.push(`agents need a master: add a group such as "m1:master+marathon"`);
  }
  if (hosts.some((h) => h.roles.includes("marathon")) && !hosts.some((h) => h.roles.includes("master"))) {
    problems.push(`Marathon needs a Mesos master: add "master" to a host, e.g. "m1:master+marathon"`);
  }
  if (problems.length > 0) throw new HostSpecError(problems);
  return { hosts };
}

/** Hosts that have a role. */
export function hostsWithRole(spec: ClusterSpec, role: Role): HostSpec[] {
  return spec.hosts.filter((h) => h.roles.includes(role));
}

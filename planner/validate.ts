/** Parsing and validating plan input: every problem is collected, then thrown together. */
import { ROLES as CATALOGUE_ROLES } from "../catalogue/components";
import { FRAMEWORK_NAMES, type FrameworkName } from "../catalogue/frameworks";
import { containerizerRefusal, marathonMasterProblem, minMesosFor, policySource } from "./compatibility";
import { inputProblem, PlanInputError, type InputProblem } from "./errors";
import { nearest } from "./nearest";
import { componentLabel } from "./paths";
import {
  compareVersions,
  isKnownBad,
  isKnownRelease,
  isVersionString,
  latestPatch,
  minorOf,
  nearestRelease,
  releasesOf,
} from "./versions";
import type { Component, HostComponent, HostInput, MarathonPolicy, PlanInput, Role } from "./types";

/** Layers, in the order they are upgraded. */
export const COMPONENTS: readonly Component[] = ["docker", "mesos", "marathon"];
/** Roles a host may have besides Docker (catalogue/components.ts). */
export const ROLES: readonly Role[] = CATALOGUE_ROLES;
/** Marathon minimum-Mesos policies. */
export const POLICIES: readonly MarathonPolicy[] = ["marathon-docs", "seed-table"];
const HOST_COMPONENTS: readonly HostComponent[] = ["docker", ...ROLES];
const TOP_FIELDS = ["desired", "hosts", "rollout", "frameworks", "policy", "settingsChanges"];
const HOST_FIELDS = ["name", "roles", "versions", "leader", "executorContainers", "multiInstanceApps", "marathonTasks"];
const ROLE_SYNONYMS: Readonly<Record<string, Role>> = {
  "mesos-agent": "mesos-slave",
  agent: "mesos-slave",
  slave: "mesos-slave",
  master: "mesos-master",
};

/** The layer whose versions a host component runs. */
export function componentOf(part: HostComponent): Component {
  return part === "mesos-master" || part === "mesos-slave" ? "mesos" : part;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const quoted = (list: readonly string[]) => list.map((s) => JSON.stringify(s)).join(", ");

function oneOf(
  field: string,
  value: unknown,
  choices: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): InputProblem {
  const guess = typeof value === "string" ? (synonyms[value] ?? nearest(value, choices)) : undefined;
  return inputProblem(
    field,
    value,
    `one of ${quoted(choices)}`,
    guess === undefined ? undefined : `did you mean ${JSON.stringify(guess)}?`,
    choices,
  );
}

function unknownKey(
  parent: string,
  key: string,
  value: unknown,
  known: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): InputProblem {
  const guess = synonyms[key] ?? nearest(key, known);
  const field = parent === "" ? key : `${parent}.${key}`;
  const message = `${parent === "" ? "input" : parent} must only have the keys ${quoted(known)}, got ${JSON.stringify(key)}; did you mean ${JSON.stringify(guess)}?`;
  return { field, value, message, choices: known };
}

function unknownFields(
  parent: string,
  raw: Raw,
  known: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): InputProblem[] {
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => unknownKey(parent, key, raw[key], known, synonyms));
}

function release(field: string, value: unknown, component: Component): InputProblem | undefined {
  const label = componentLabel(component);
  const releases = releasesOf(component);
  if (value === undefined) {
    return inputProblem(
      field,
      value,
      `a ${label} release`,
      `add it, e.g. ${JSON.stringify(releases[releases.length - 1])}`,
    );
  }
  if (typeof value !== "string" || !isKnownRelease(component, value)) {
    const near =
      typeof value === "string" ? nearestRelease(component, value) : (releases[releases.length - 1] as string);
    return inputProblem(
      field,
      value,
      `a known ${label} release (${releases[0]} to ${releases[releases.length - 1]})`,
      `did you mean ${JSON.stringify(near)}?`,
      [near],
    );
  }
  return undefined;
}

function checkHost(raw: unknown, i: number, problems: InputProblem[]): void {
  const at = `hosts[${i}]`;
  if (!isObject(raw)) {
    problems.push(inputProblem(at, raw, `an object with name, roles and versions`));
    return;
  }
  problems.push(...unknownFields(at, raw, HOST_FIELDS));
  if (typeof raw.name !== "string" || raw.name.trim() === "") {
    problems.push(inputProblem(`${at}.name`, raw.name, "a non-empty host name"));
  }
  const roles: Role[] = [];
  if (!Array.isArray(raw.roles)) {
    problems.push(
      inputProblem(
        `${at}.roles`,
        raw.roles,
        `a list of roles from ${quoted(ROLES)}`,
        "use [] for a host that only runs Docker",
      ),
    );
  } else {
    raw.roles.forEach((role: unknown, j) => {
      if (!ROLES.includes(role as Role)) problems.push(oneOf(`${at}.roles[${j}]`, role, ROLES, ROLE_SYNONYMS));
      else if (roles.includes(role as Role)) {
        problems.push(inputProblem(`${at}.roles[${j}]`, role, "listed once", "remove the repeat"));
      } else roles.push(role as Role);
    });
  }
  if (!isObject(raw.versions)) {
    problems.push(
      inputProblem(`${at}.versions`, raw.versions, `an object with the version of docker and of each role`),
    );
  } else {
    const versions = raw.versions;
    problems.push(...unknownFields(`${at}.versions`, versions, HOST_COMPONENTS, ROLE_SYNONYMS));
    for (const key of Object.keys(versions)) {
      if (
        HOST_COMPONENTS.includes(key as HostComponent) &&
        key !== "docker" &&
        Array.isArray(raw.roles) &&
        !roles.includes(key as Role)
      ) {
        problems.push(
          inputProblem(
            `${at}.versions.${key}`,
            versions[key],
            `the version of a role of this host (roles: ${roles.join(", ") || "none"})`,
            `remove it or add "${key}" to ${at}.roles`,
          ),
        );
      }
    }
    for (const part of ["docker", ...roles] as const) {
      const problem = release(`${at}.versions.${part}`, versions[part], componentOf(part));
      if (problem !== undefined) problems.push(problem);
    }
  }
  if (raw.executorContainers !== undefined && typeof raw.executorContainers !== "boolean") {
    problems.push(
      inputProblem(
        `${at}.executorContainers`,
        raw.executorContainers,
        "true when the agent runs with --docker_mesos_image and --pid=host, else false",
      ),
    );
  }
  if (
    raw.multiInstanceApps !== undefined &&
    (!Array.isArray(raw.multiInstanceApps) || raw.multiInstanceApps.some((app: unknown) => typeof app !== "string"))
  ) {
    problems.push(
      inputProblem(
        `${at}.multiInstanceApps`,
        raw.multiInstanceApps,
        'the ids of the Marathon apps of more than one instance with a task on the host, e.g. ["/redis"]',
      ),
    );
  }
  if (
    raw.marathonTasks !== undefined &&
    (typeof raw.marathonTasks !== "number" || !Number.isInteger(raw.marathonTasks) || raw.marathonTasks < 0)
  ) {
    problems.push(
      inputProblem(
        `${at}.marathonTasks`,
        raw.marathonTasks,
        "how many Marathon tasks run on the host: a whole number, 0 or more, e.g. 2",
      ),
    );
  }
  if (raw.leader !== undefined) {
    if (!Array.isArray(raw.leader)) {
      problems.push(inputProblem(`${at}.leader`, raw.leader, `a list of roles this host leads`));
    } else {
      raw.leader.forEach((role: unknown, j) => {
        const leadable: string[] = roles.filter((r) => r !== "mesos-slave");
        if (!leadable.includes(role as string)) {
          const fix =
            leadable.length === 0
              ? "this host has no role with a leader: remove the mark"
              : `did you mean ${JSON.stringify(nearest(String(role), leadable))}?`;
          problems.push(
            inputProblem(
              `${at}.leader[${j}]`,
              role,
              `a role of this host that elects a leader (${leadable.join(", ") || "none"})`,
              fix,
              leadable,
            ),
          );
        }
      });
    }
  }
}

/** A check across fields of a well-formed input. */
type InputRule = (input: PlanInput) => InputProblem[];

const INPUT_RULES: readonly InputRule[] = [
  function hostNamesAreUnique(input) {
    const firstAt = new Map<string, number>();
    return input.hosts.flatMap((host, i) => {
      const first = firstAt.get(host.name);
      if (first === undefined) firstAt.set(host.name, i);
      return first === undefined
        ? []
        : [
            inputProblem(
              `hosts[${i}].name`,
              host.name,
              `unique (hosts[${first}].name is the same)`,
              "rename one of them",
            ),
          ];
    });
  },
  function desiredMesosIsNotKnownBad(input) {
    const bad = isKnownBad("mesos", input.desired.mesos);
    return bad === undefined
      ? []
      : [
          inputProblem(
            "desired.mesos",
            bad.version,
            `a release that is not known-bad (${bad.reason})`,
            `use ${JSON.stringify(bad.fixedIn)}`,
            [bad.fixedIn],
          ),
        ];
  },
  function nothingRunsNewerThanDesired(input) {
    return input.hosts.flatMap((host, i) =>
      (Object.entries(host.versions) as [HostComponent, string][]).flatMap(([part, version]) => {
        const component = componentOf(part);
        const desired = input.desired[component];
        return compareVersions(version, desired) <= 0
          ? []
          : [
              inputProblem(
                `hosts[${i}].versions.${part}`,
                version,
                `no newer than desired.${component} ${JSON.stringify(desired)}`,
                `the planner never downgrades: raise desired.${component} to ${JSON.stringify(version)} or later`,
                [desired],
              ),
            ];
      }),
    );
  },
  function someHostIsAMaster(input) {
    return input.hosts.some((h) => h.roles.includes("mesos-master"))
      ? []
      : [
          inputProblem(
            "hosts",
            input.hosts.map((h) => h.name),
            `a list with at least one "mesos-master" host`,
            "add the masters",
          ),
        ];
  },
  function oneLeaderPerRole(input) {
    return ROLES.flatMap((role) => {
      const leaders = input.hosts.map((h, i) => ({ h, i })).filter(({ h }) => h.leader?.includes(role) === true);
      return leaders
        .slice(1)
        .map(({ h, i }) =>
          inputProblem(
            `hosts[${i}].leader`,
            h.leader,
            `free of "${role}" (hosts[${(leaders[0] as { i: number }).i}] already leads it)`,
            `mark one ${role} leader`,
          ),
        );
    });
  },
  function desiredMarathonRunsOnDesiredMesos(input) {
    const policy = input.policy ?? "marathon-docs";
    const { marathon, mesos } = input.desired;
    const min = minMesosFor(marathon, policy);
    if (compareVersions(mesos, min) < 0) {
      return [
        inputProblem(
          "desired.marathon",
          marathon,
          `a Marathon that runs on desired.mesos ${JSON.stringify(mesos)}`,
          `Marathon ${marathon} needs Mesos >= ${min} (${policySource(policy)}): raise desired.mesos or lower desired.marathon`,
        ),
      ];
    }
    const problem = marathonMasterProblem(marathon, mesos);
    return problem === undefined
      ? []
      : [
          inputProblem(
            "desired.marathon",
            marathon,
            `a Marathon that can talk to Mesos ${mesos} masters`,
            `${problem}; raise desired.marathon`,
          ),
        ];
  },
  function desiredMesosDrivesDesiredDocker(input) {
    const limit = containerizerRefusal(input.desired.mesos, input.desired.docker);
    const fix = limit === undefined ? undefined : latestPatch("mesos", minorOf(limit.fixedIn));
    return limit === undefined
      ? []
      : [
          inputProblem(
            "desired.mesos",
            input.desired.mesos,
            `a Mesos whose Docker containerizer drives desired.docker ${JSON.stringify(input.desired.docker)}`,
            `${limit.reason}; use ${JSON.stringify(fix)} or later`,
            [limit.fixedIn],
          ),
        ];
  },
];

/**
 * Reads plan input from parsed JSON. Throws a PlanInputError carrying every problem: missing fields,
 * unknown fields, versions, roles or frameworks, duplicate hosts, downgrades, bad rollout limits and
 * targets that contradict each other.
 */
export function validatePlanInput(raw: unknown): PlanInput {
  if (!isObject(raw)) {
    throw new PlanInputError([inputProblem("input", raw, "a JSON object with desired, hosts and rollout")]);
  }
  const problems: InputProblem[] = [...unknownFields("", raw, TOP_FIELDS)];
  if (!isObject(raw.desired)) {
    problems.push(inputProblem("desired", raw.desired, `an object with the target ${COMPONENTS.join(", ")} versions`));
  } else {
    problems.push(...unknownFields("desired", raw.desired, COMPONENTS));
    for (const component of COMPONENTS) {
      const problem = release(`desired.${component}`, raw.desired[component], component);
      if (problem !== undefined) problems.push(problem);
    }
  }
  if (!Array.isArray(raw.hosts) || raw.hosts.length === 0) {
    problems.push(inputProblem("hosts", raw.hosts, "a non-empty list of hosts"));
  } else raw.hosts.forEach((host: unknown, i) => checkHost(host, i, problems));
  if (!isObject(raw.rollout)) {
    problems.push(
      inputProblem("rollout", raw.rollout, "an object with maxUnavailableSlaves", 'add {"maxUnavailableSlaves": 1}'),
    );
  } else {
    problems.push(...unknownFields("rollout", raw.rollout, ["maxUnavailableSlaves"]));
    const max = raw.rollout.maxUnavailableSlaves;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1) {
      problems.push(
        inputProblem("rollout.maxUnavailableSlaves", max, "an integer >= 1", "use 1 to upgrade one agent at a time"),
      );
    }
  }
  if (raw.policy !== undefined && !POLICIES.includes(raw.policy as MarathonPolicy)) {
    problems.push(oneOf("policy", raw.policy, POLICIES));
  }
  if (raw.frameworks !== undefined) {
    if (!isObject(raw.frameworks)) {
      problems.push(inputProblem("frameworks", raw.frameworks, "an object of framework versions"));
    } else {
      problems.push(...unknownFields("frameworks", raw.frameworks, FRAMEWORK_NAMES));
      for (const [name, version] of Object.entries(raw.frameworks)) {
        if (FRAMEWORK_NAMES.includes(name as FrameworkName) && !isVersionString(version)) {
          problems.push(inputProblem(`frameworks.${name}`, version, 'a version such as "0.13.1"'));
        }
      }
    }
  }
  if (raw.settingsChanges !== undefined) {
    const hostNames = Array.isArray(raw.hosts) ? raw.hosts.map((h) => (isObject(h) ? h.name : undefined)) : [];
    if (!Array.isArray(raw.settingsChanges)) {
      problems.push(inputProblem("settingsChanges", raw.settingsChanges, "a list of {host, component, change}"));
    } else {
      raw.settingsChanges.forEach((c: unknown, i) => {
        const ok =
          isObject(c) &&
          hostNames.includes(c.host) &&
          ["docker", "mesos-master", "mesos-slave", "marathon"].includes(c.component as string) &&
          typeof c.change === "string";
        if (!ok) {
          problems.push(
            inputProblem(
              `settingsChanges[${i}]`,
              c,
              "{host: a host of hosts, component: docker | mesos-master | mesos-slave | marathon, change: text}",
            ),
          );
        }
      });
    }
  }
  if (problems.length > 0) throw new PlanInputError(problems);
  const input = raw as unknown as PlanInput;
  const crossProblems = INPUT_RULES.flatMap((rule) => rule(input));
  if (crossProblems.length > 0) throw new PlanInputError(crossProblems);
  return input;
}

/** The hosts of an input that hold a role. */
export function hostsWithRole(input: PlanInput, role: Role): HostInput[] {
  return input.hosts.filter((h) => h.roles.includes(role));
}

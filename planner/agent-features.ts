/** Whether a Mesos release starts with an `--agent_features` whitelist, and what to add when it would not. */
import { AGENT_FEATURE_RULES, type AgentFeatureRule } from "../catalogue/agent-features";
import { compareVersions } from "./versions";

/** The whitelist rule of Mesos `version`; undefined before 1.5.0, which has no such flag. */
export function agentFeatureRule(version: string): AgentFeatureRule | undefined {
  return AGENT_FEATURE_RULES.filter((rule) => compareVersions(version, rule.since) >= 0).at(-1);
}

const EXAMPLE = '{"capabilities": [{"type": "MULTI_ROLE"}, {"type": "HIERARCHICAL_ROLE"}]}';

/** The capability types a whitelist names, or why it is not the JSON Mesos reads. */
export function agentFeatureTypes(value: string): { readonly types: readonly string[] } | { readonly error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { error: `--agent_features must be JSON such as ${EXAMPLE}, got ${JSON.stringify(value)}` };
  }
  const capabilities = (parsed as { capabilities?: unknown } | null)?.capabilities;
  if (!Array.isArray(capabilities) || capabilities.some((c) => typeof (c as { type?: unknown })?.type !== "string")) {
    return {
      error: `--agent_features must list {"type": "<capability>"} objects under "capabilities", such as ${EXAMPLE}, got ${value}`,
    };
  }
  return { types: capabilities.map((c) => (c as { type: string }).type) };
}

/**
 * Why Mesos `version` would refuse to start with `value` as its `--agent_features`, naming what to add; undefined
 * when it starts (or when the value is a `file://` path, read only on the host).
 */
export function agentFeaturesProblem(version: string, value: string): string | undefined {
  const rule = agentFeatureRule(version);
  if (rule === undefined || value.startsWith("file://")) return undefined;
  const read = agentFeatureTypes(value);
  if ("error" in read) return read.error;
  const missing = rule.required.filter((type) => !read.types.includes(type));
  const unpaired = rule.pairs.filter(([type, needs]) => read.types.includes(type) && !read.types.includes(needs));
  if (missing.length === 0 && unpaired.length === 0) return undefined;
  const add = [...missing, ...unpaired.map(([, needs]) => needs)];
  const why = [
    ...(missing.length > 0 ? [`Mesos ${version} requires ${missing.join(", ")}`] : []),
    ...unpaired.map(([type, needs]) => `${type} requires ${needs}`),
  ];
  return (
    `--agent_features does not enable ${add.join(", ")}: ${why.join("; ")} (the agent would refuse to start: ` +
    `"${missing.length > 0 ? rule.message : `${unpaired[0]?.[0]} feature requires ${unpaired[0]?.[1]} feature`}"); ` +
    `add ${add.map((type) => `{"type": "${type}"}`).join(", ")} to its "capabilities" ` +
    `(releases that do not know a capability ignore it, so one list serves the whole path)`
  );
}

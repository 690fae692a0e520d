// The agent's `--agent_features` (1.5+) as its flag validator judges it (apache/mesos src/slave/flags.cpp at each
// tag; the rules are catalogue/agent-features.ts): the value is JSON read by stout (3rdparty/stout/include/stout/
// flags/parse.hpp, JSON::parse) into SlaveCapabilities, where a capability type the release does not know is dropped
// (stout/protobuf.hpp: an unknown name of an optional enum field is discarded), then the release's required
// capabilities are checked.
import { AGENT_FEATURE_RULES } from "../../catalogue/agent-features";
import { atLeast } from "../catalogue/versions";
import { parseJsonBody } from "./stout-json";

/** The error that stops the agent of `version` with this `--agent_features`, or undefined when it starts. */
export function agentFeaturesError(version: string, value: string): string | undefined {
  const rule = AGENT_FEATURE_RULES.filter((r) => atLeast(version, r.since)).at(-1);
  if (rule === undefined) return undefined;
  const parsed = parseJsonBody(value, "object");
  if (parsed.error !== undefined) {
    return `Failed to load flag 'agent_features': Failed to load value '${value}': ${parsed.error}`;
  }
  const capabilities = (parsed.value as { capabilities?: unknown }).capabilities;
  const types = new Set(
    (Array.isArray(capabilities) ? capabilities : []).map((c) => String((c as { type?: unknown } | null)?.type)),
  );
  if (rule.required.some((type) => !types.has(type))) return rule.message;
  const unpaired = rule.pairs.find(([type, needs]) => types.has(type) && !types.has(needs));
  return unpaired === undefined ? undefined : `${unpaired[0]} feature requires ${unpaired[1]} feature`;
}

/**
 * The Mesos agent's `--agent_features` (from 1.5.0): a JSON whitelist of the capabilities the agent announces. The
 * flag's validator refuses to start the agent unless the whitelist enables every capability its release requires, so
 * an explicit whitelist must grow along the path; capability types a release does not know are dropped on parsing
 * (`type` is an optional enum field: stout's protobuf parser discards an unknown name unless the field is required),
 * which lets one whitelist name a later release's capabilities ahead of time.
 */
import type { Sourced } from "./types";

/** The capabilities a release requires an explicit `--agent_features` to enable, from that release on. */
export interface AgentFeatureRule extends Sourced {
  /** First release with this rule. */
  readonly since: string;
  /** Every capability it requires. */
  readonly required: readonly string[];
  /** Capabilities that need another one with them: [feature, needs]. */
  readonly pairs: readonly (readonly [string, string])[];
  /** Mesos' refusal, word for word. */
  readonly message: string;
}

const SOURCE = (tag: string) => `apache/mesos@${tag}:src/slave/flags.cpp (agent_features validator)`;

/** Newest rule last: the rule of a release is the last whose `since` it reaches. */
export const AGENT_FEATURE_RULES: readonly AgentFeatureRule[] = [
  {
    since: "1.5.0",
    required: ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"],
    pairs: [],
    message:
      "At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT",
    source: SOURCE("1.5.0"),
  },
  {
    since: "1.6.0",
    required: ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"],
    pairs: [["RESIZE_VOLUME", "RESOURCE_PROVIDER"]],
    message:
      "At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT",
    source: SOURCE("1.6.0"),
  },
  {
    since: "1.8.0",
    required: ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT", "AGENT_OPERATION_FEEDBACK"],
    pairs: [["RESIZE_VOLUME", "RESOURCE_PROVIDER"]],
    message:
      "At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT, AGENT_OPERATION_FEEDBACK",
    source: SOURCE("1.8.0"),
  },
  {
    since: "1.9.0",
    required: [
      "MULTI_ROLE",
      "HIERARCHICAL_ROLE",
      "RESERVATION_REFINEMENT",
      "AGENT_OPERATION_FEEDBACK",
      "AGENT_DRAINING",
    ],
    pairs: [["RESIZE_VOLUME", "RESOURCE_PROVIDER"]],
    message:
      "At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT, AGENT_OPERATION_FEEDBACK, and AGENT_DRAINING",
    source: SOURCE("1.9.0"),
  },
  {
    since: "1.10.0",
    required: [
      "MULTI_ROLE",
      "HIERARCHICAL_ROLE",
      "RESERVATION_REFINEMENT",
      "AGENT_OPERATION_FEEDBACK",
      "RESOURCE_PROVIDER",
      "AGENT_DRAINING",
      "TASK_RESOURCE_LIMITS",
    ],
    pairs: [],
    message:
      "At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT, AGENT_OPERATION_FEEDBACK, RESOURCE_PROVIDER, AGENT_DRAINING, and TASK_RESOURCE_LIMITS",
    source: `${SOURCE("1.10.0")}; unchanged in 1.11.0`,
  },
];

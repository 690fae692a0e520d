import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentFeatureRule, agentFeaturesProblem } from "../../../planner/agent-features";
import { validateFlags } from "../../../planner/flags";

const whitelist = (...types: string[]) => JSON.stringify({ capabilities: types.map((type) => ({ type })) });
const ROLES = ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"];

describe("the agent's --agent_features whitelist", () => {
  it("has no rule before 1.5.0, which has no such flag", () => {
    assert.equal(agentFeatureRule("1.4.3"), undefined);
    assert.equal(agentFeaturesProblem("1.4.3", "not json"), undefined);
  });

  it("requires more capabilities release by release, as each one's validator does", () => {
    assert.equal(agentFeaturesProblem("1.5.0", whitelist(...ROLES)), undefined);
    assert.equal(agentFeaturesProblem("1.7.3", whitelist(...ROLES)), undefined);
    assert.match(agentFeaturesProblem("1.8.1", whitelist(...ROLES)) ?? "", /requires AGENT_OPERATION_FEEDBACK/);
    assert.match(
      agentFeaturesProblem("1.9.0", whitelist(...ROLES, "AGENT_OPERATION_FEEDBACK")) ?? "",
      /does not enable AGENT_DRAINING: Mesos 1\.9\.0 requires AGENT_DRAINING/,
    );
    assert.match(
      agentFeaturesProblem("1.11.0", whitelist(...ROLES, "AGENT_OPERATION_FEEDBACK", "AGENT_DRAINING")) ?? "",
      /does not enable RESOURCE_PROVIDER, TASK_RESOURCE_LIMITS: .*"At least the following agent features need to be enabled: MULTI_ROLE, HIERARCHICAL_ROLE, RESERVATION_REFINEMENT, AGENT_OPERATION_FEEDBACK, RESOURCE_PROVIDER, AGENT_DRAINING, and TASK_RESOURCE_LIMITS"/,
    );
  });

  it("refuses RESIZE_VOLUME without RESOURCE_PROVIDER from 1.6 to 1.9", () => {
    assert.equal(agentFeaturesProblem("1.5.2", whitelist(...ROLES, "RESIZE_VOLUME")), undefined);
    assert.match(
      agentFeaturesProblem("1.6.2", whitelist(...ROLES, "RESIZE_VOLUME")) ?? "",
      /RESIZE_VOLUME requires RESOURCE_PROVIDER .*"RESIZE_VOLUME feature requires RESOURCE_PROVIDER feature".*add \{"type": "RESOURCE_PROVIDER"\}/,
    );
  });

  it("accepts capabilities a release does not know (Mesos drops unknown optional enum values)", () => {
    assert.equal(
      agentFeaturesProblem("1.5.0", whitelist(...ROLES, "AGENT_DRAINING", "TASK_RESOURCE_LIMITS")),
      undefined,
    );
  });

  it("names a value that is not the JSON Mesos reads, with an example", () => {
    assert.match(
      agentFeaturesProblem("1.9.0", "MULTI_ROLE,AGENT_DRAINING") ?? "",
      /must be JSON such as \{"capabilities"/,
    );
    assert.match(
      agentFeaturesProblem("1.9.0", '{"capabilities": ["MULTI_ROLE"]}') ?? "",
      /must list \{"type": "<capability>"\}/,
    );
  });

  it("is a managed agent flag from 1.5.0 that validateFlags judges at each release", () => {
    assert.deepEqual(
      validateFlags(
        "mesos-slave",
        "1.8.1",
        { agent_features: whitelist(...ROLES, "AGENT_OPERATION_FEEDBACK") },
        { partial: true },
      ),
      [],
    );
    const problems = validateFlags("mesos-slave", "1.9.0", { agent_features: whitelist(...ROLES) }, { partial: true });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.flag, "agent_features");
    assert.equal(problems[0]?.severity, "error");
  });
});

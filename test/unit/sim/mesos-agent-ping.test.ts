// The simulated agent's answer to the master's ping: a registered agent the master holds as disconnected
// re-registers (Slave::ping, src/slave/slave.cpp from 0.21.0), one it holds as connected stays registered.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ping } from "../../../sim/mesos/agent/registration";
import { newAgentState, type AgentNode } from "../../../sim/mesos/agent/state";

describe("the simulated agent's answer to the master's ping", () => {
  const agent = (): { node: AgentNode; logged: string[] } => {
    const logged: string[] = [];
    const state = { ...newAgentState(), id: "S1", registered: true };
    const node = {
      ctx: { stderr: (line: string) => logged.push(line), faults: () => [] },
      state,
      version: "0.22.2",
      traits: { agentWord: "slave" },
    } as unknown as AgentNode;
    return { node, logged };
  };

  it("re-registers when the master's ping says it holds the agent as disconnected", () => {
    const { node, logged } = agent();
    const reply = ping(node, { slave_id: "S1", connected: false });
    assert.equal(reply.status ?? 200, 200, "the ping is answered");
    assert.equal(node.state.registered, false, "the registration loop sends ReregisterSlaveMessage next");
    assert.match(logged.join("\n"), /considers itself registered! Forcing re-registration/);
  });

  it("stays registered when the master holds it as connected", () => {
    const { node } = agent();
    assert.equal(ping(node, { slave_id: "S1", connected: true }).status ?? 200, 200);
    assert.equal(node.state.registered, true);
  });

  it("refuses a ping addressed to another agent id without changing its registration", () => {
    const { node } = agent();
    assert.equal(ping(node, { slave_id: "S2", connected: false }).status, 409);
    assert.equal(node.state.registered, true);
  });
});

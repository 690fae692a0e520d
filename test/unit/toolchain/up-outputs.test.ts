import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { holdsSecret, outputMapOf, stackOutputsOfEvent } from "../../../toolchain/up-outputs";

const outputsEvent = (type: string, outputs?: Record<string, unknown>): EngineEvent =>
  ({
    sequence: 1,
    timestamp: 0,
    resOutputsEvent: {
      metadata: {
        op: "same",
        urn: `urn:pulumi:s::p::${type}::x`,
        type,
        provider: "",
        ...(outputs ? { new: { type, urn: "", id: "", parent: "", inputs: {}, outputs, provider: "" } } : {}),
      },
    },
  }) as unknown as EngineEvent;
const masked = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };

describe("the stack's outputs in an update's events", () => {
  it("takes them from the root stack's outputs event only", () => {
    assert.deepEqual(stackOutputsOfEvent(outputsEvent("pulumi:pulumi:Stack", { phase: "converged" })), {
      phase: "converged",
    });
    assert.deepEqual(stackOutputsOfEvent(outputsEvent("pulumi:pulumi:Stack")), {}, "a stack without outputs");
    assert.equal(stackOutputsOfEvent(outputsEvent("pulumi-nodejs:dynamic/x:Y", { phase: "x" })), undefined);
    assert.equal(stackOutputsOfEvent({ sequence: 1, timestamp: 0, cancelEvent: {} } as EngineEvent), undefined);
  });

  it("finds a masked secret at any depth, and nothing in plain values", () => {
    assert.equal(holdsSecret({ a: [1, { b: masked }] }), true);
    assert.equal(holdsSecret(masked), true);
    assert.equal(holdsSecret({ a: [1, { b: "1b47061264138c4ac30d75fd1eb44270" }], c: null, d: "[secret]" }), false);
  });

  it("gives each output as a value that is not secret", () => {
    assert.deepEqual(outputMapOf({ phase: "converged", waves: [[1]] }), {
      phase: { value: "converged", secret: false },
      waves: { value: [[1]], secret: false },
    });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { ConnectionArgs } from "../../../providers/component";
import type { PlanStep } from "../../../planner";
import { PRE_PULL, prePullLine, prePullOf } from "../../../stacks/prepull";
import { parseStackSettings } from "../../../stacks/settings";

const FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
const settings = (extra: Record<string, unknown> = {}) =>
  parseStackSettings({
    environment: "test",
    hosts: [
      { name: "m1", address: "10.0.0.1", roles: ["mesos-master", "marathon"], hostKeyFingerprint: FINGERPRINT },
      { name: "a1", address: "10.0.0.2", roles: ["mesos-slave"], hostKeyFingerprint: FINGERPRINT },
    ],
    targets: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    ...extra,
  });
const connectionOf = (host: string) =>
  ({ name: host, address: host, hostKeyFingerprint: FINGERPRINT }) as ConnectionArgs;
const step = (seq: number, host: string, component: PlanStep["component"], from: string, to: string): PlanStep => ({
  seq,
  wave: seq,
  host,
  component,
  from,
  to,
});

describe("what a run pre-pulls", () => {
  it("lists per host the new version's image of each container step and the engine step's Docker package", () => {
    const steps = [
      step(1, "m1", "mesos-master", "0.22.1", "0.22.2"),
      step(2, "a1", "mesos-slave", "0.22.1", "0.22.2"),
      step(3, "a1", "docker", "1.7.1", "1.8.3"),
      step(4, "m1", "marathon", "0.9.1", "0.11.1"),
    ];
    assert.deepEqual(prePullOf(steps, settings(), connectionOf), [
      {
        connection: connectionOf("m1"),
        images: ["mesosphere/mesos-master:0.22.2-1.0.ubuntu1404", "mesosphere/marathon:v0.11.1"],
        packages: [],
      },
      {
        connection: connectionOf("a1"),
        images: ["mesosphere/mesos-slave:0.22.2-1.0.ubuntu1404"],
        packages: [{ name: "docker-engine", version: "1.8.3-0~trusty" }],
      },
    ]);
  });

  it("pulls from the stack's own image repository when it names one", () => {
    const pulls = prePullOf(
      [step(1, "a1", "mesos-slave", "0.22.1", "0.22.2")],
      settings({ mesosSlave: { image: "registry.example/mesos-slave" } }),
      connectionOf,
    );
    assert.deepEqual(pulls[0]?.images, ["registry.example/mesos-slave:0.22.2-1.0.ubuntu1404"]);
  });

  it("fetches nothing for settings steps (same version) and for a run without steps", () => {
    assert.deepEqual(
      prePullOf([{ ...step(1, "a1", "docker", "1.7.1", "1.7.1"), settings: "log driver" }], settings(), connectionOf),
      [],
    );
    assert.deepEqual(prePullOf([], settings(), connectionOf), []);
  });
});

describe("the pre-pull's live lines", () => {
  const urn = `urn:pulumi:test::mesos-upgrade::pulumi-nodejs:dynamic:Resource::${PRE_PULL}`;
  it("says how much it fetches on how many hosts when it starts, and how long it took when done", () => {
    const hosts = [
      { images: ["x:1", "y:1"], packages: [] },
      { images: ["x:1"], packages: [{ name: "docker-engine", version: "1.8.3-0~trusty" }] },
    ];
    const start = {
      resourcePreEvent: { metadata: { urn, op: "update", new: { inputs: { hosts } } } },
    } as unknown as EngineEvent;
    assert.equal(
      prePullLine(start),
      "  ▶ pre-pull on 2 host(s): 3 image(s), 1 Docker package(s), before the first step",
    );
    const done = {
      resOutputsEvent: { metadata: { urn, op: "update", new: { outputs: { seconds: 4.2 } } } },
    } as unknown as EngineEvent;
    assert.equal(prePullLine(done), "  ✓ pre-pull done in 4.2s");
    const failed = { resOpFailedEvent: { metadata: { urn, op: "update" } } } as unknown as EngineEvent;
    assert.match(prePullLine(failed) ?? "", /✗ pre-pull failed: no step starts/);
  });

  it("says nothing for other resources or a pre-pull left as it was", () => {
    const other = {
      resourcePreEvent: { metadata: { urn: `${urn.replace(PRE_PULL, "a1-docker")}`, op: "update" } },
    } as unknown as EngineEvent;
    assert.equal(prePullLine(other), undefined);
    const same = { resourcePreEvent: { metadata: { urn, op: "same" } } } as unknown as EngineEvent;
    assert.equal(prePullLine(same), undefined);
  });
});

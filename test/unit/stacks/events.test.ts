import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import {
  cleanError,
  endLine,
  noticeOf,
  placeOf,
  previewChange,
  startLine,
  StepTracker,
  withWaves,
} from "../../../stacks/events";
import { PACKED_KEY, packedArgs } from "../../../providers/packed";

const URN = (name: string, type: string) =>
  `urn:pulumi:local::mesos-upgrade::mesos-upgrade:cluster:MesosCluster$mesos-upgrade:cluster:Host$${type}::${name}`;
const SLAVE = URN("a1-mesos-slave", "pulumi-nodejs:dynamic/mesos:MesosSlave");
const state = (version: string, extra: Record<string, unknown> = {}) => ({
  type: "t",
  urn: SLAVE,
  custom: true,
  delete: false,
  id: "x",
  parent: "",
  protect: false,
  inputs: { version, connection: { name: "a1" }, ...extra },
  outputs: {},
  provider: "",
});
const pre = (
  op: string,
  urn = SLAVE,
  type = "pulumi-nodejs:dynamic/mesos:MesosSlave",
  extra: object = {},
): EngineEvent => ({
  sequence: 1,
  timestamp: 0,
  resourcePreEvent: {
    metadata: {
      op,
      urn,
      type,
      old: state("0.22.1"),
      new: state("0.22.2"),
      diffs: ["version"],
      provider: "",
      ...extra,
    } as never,
  },
});
const outputs = (urn: string, out: Record<string, unknown>): EngineEvent => ({
  sequence: 2,
  timestamp: 0,
  resOutputsEvent: {
    metadata: { op: "update", urn, type: "t", new: { ...state("0.22.2"), outputs: out }, provider: "" } as never,
  },
});
const diagnostic = (severity: string, message: string, urn?: string, ephemeral = false): EngineEvent => ({
  sequence: 3,
  timestamp: 0,
  diagnosticEvent: { severity, message, color: "never", ephemeral, ...(urn ? { urn } : {}) } as never,
});

describe("reading the engine's event stream", () => {
  it("shows a preview's real changes with each changed input from → to", () => {
    assert.deepEqual(previewChange(pre("update")), {
      op: "update",
      name: "a1-mesos-slave",
      diffs: ["version: 0.22.1 → 0.22.2"],
    });
  });

  it("names each changed setting of a step's packed settings, and none that only changed form", () => {
    const flags = (delay: string) => ({ docker_remove_delay: delay, work_dir: "/data/mesos" });
    const packed = (version: string, delay: string) => ({
      ...state(version),
      inputs: { version, ...packedArgs({ connection: { name: "a1" }, flags: flags(delay), masters: ["m1"] }) },
    });
    const settingsChange = pre("update", SLAVE, "pulumi-nodejs:dynamic/mesos:MesosSlave", {
      old: packed("0.28.2", "6hrs"),
      new: packed("0.28.2", "12hrs"),
      diffs: [PACKED_KEY],
    });
    assert.deepEqual(previewChange(settingsChange)?.diffs, [
      'flags: {"docker_remove_delay":"6hrs","work_dir":"/data/mesos"} → {"docker_remove_delay":"12hrs","work_dir":"/data/mesos"}',
    ]);
    // A state recorded before packing: the engine sees its inputs' keys go and the packed one come.
    const fromUnpacked = pre("update", SLAVE, "pulumi-nodejs:dynamic/mesos:MesosSlave", {
      old: {
        ...state("0.28.2"),
        inputs: { version: "0.28.2", connection: { name: "a1" }, flags: flags("6hrs"), masters: ["m1"] },
      },
      new: packed("1.0.1", "6hrs"),
      diffs: ["connection", "flags", "masters", PACKED_KEY, "version"],
    });
    assert.deepEqual(previewChange(fromUnpacked)?.diffs, ["version: 0.28.2 → 1.0.1"]);
    assert.deepEqual(placeOf(settingsChange.resourcePreEvent!.metadata), { hosts: ["a1"], component: "mesos-slave" });
  });

  it("leaves out no-ops, reads of the stack's own outputs and grouping components", () => {
    assert.equal(previewChange(pre("same")), undefined);
    assert.equal(
      previewChange(
        pre(
          "read",
          "urn:pulumi:local::mesos-upgrade::pulumi:pulumi:StackReference::self-local",
          "pulumi:pulumi:StackReference",
        ),
      ),
      undefined,
    );
    assert.equal(
      previewChange(
        pre(
          "create",
          "urn:pulumi:local::mesos-upgrade::mesos-upgrade:cluster:Host::local-a1",
          "mesos-upgrade:cluster:Host",
          { new: { ...state("x"), custom: false } },
        ),
      ),
      undefined,
    );
  });

  it("keeps the program's notices and warnings, drops the engine's debug stream and ephemeral lines", () => {
    assert.deepEqual(noticeOf(diagnostic("info", "plan (mesos):\nHOST ...\n")), {
      severity: "info",
      message: "plan (mesos):\nHOST ...",
    });
    assert.deepEqual(noticeOf(diagnostic("warning", "downtime this run:\n  /alert")), {
      severity: "warning",
      message: "downtime this run:\n  /alert",
    });
    assert.equal(noticeOf(diagnostic("debug", "Registering resource: t=pulumi:pulumi:Stack")), undefined);
    assert.equal(noticeOf(diagnostic("info", "progress", undefined, true)), undefined);
  });

  it("shows an error once, as the provider wrote it, without the Automation API's wrapping", () => {
    const wrapped =
      "code: -2\n stdout: \n stderr: Command failed with exit code 255: pulumi up --yes --skip-preview --client=127.0.0.1:4321 --exec-kind auto.inline --stack local --non-interactive\nerror: a1: pulling mesos-slave:0.23.1 failed: registry unreachable; check the registry mirror";
    assert.equal(
      cleanError(wrapped),
      "a1: pulling mesos-slave:0.23.1 failed: registry unreachable; check the registry mirror",
    );
  });

  it("follows a step from start to end with what its gate observed and how long it waited", () => {
    const tracker = new StepTracker(2);
    const { started } = tracker.apply(pre("update"), 1_000);
    assert.deepEqual(started, {
      run: 2,
      hosts: ["a1"],
      component: "mesos-slave",
      op: "update",
      from: "0.22.1",
      to: "0.22.2",
      start: 1_000,
    });
    assert.equal(startLine(started!), "  ▶ a1       mesos-slave      0.22.1 → 0.22.2");
    const { ended } = tracker.apply(outputs(SLAVE, { gateObserved: "a1 registered at 0.22.2 (after 4.5s)" }), 13_250);
    assert.deepEqual(
      { end: ended?.end, gate: ended?.gate, gateSeconds: ended?.gateSeconds },
      { end: 13_250, gate: "a1 registered at 0.22.2 (after 4.5s)", gateSeconds: 4.5 },
    );
    assert.equal(
      endLine(ended!),
      "  ✓ a1       mesos-slave      0.22.1 → 0.22.2  12.3s  gate: a1 registered at 0.22.2 (after 4.5s)",
    );
  });

  it("marks a failed step with the provider's error", () => {
    const tracker = new StepTracker(1);
    tracker.apply(pre("update"), 0);
    tracker.apply(
      diagnostic(
        "error",
        "error: a1: health gate failed: agent not registered after 60s; rolled back to 0.22.1",
        SLAVE,
      ),
      5_000,
    );
    const { ended } = tracker.apply(
      {
        sequence: 4,
        timestamp: 0,
        resOpFailedEvent: {
          metadata: { op: "update", urn: SLAVE, type: "t", provider: "" } as never,
          status: 1,
          steps: 1,
        },
      },
      6_000,
    );
    assert.equal(ended?.error, "a1: health gate failed: agent not registered after 60s; rolled back to 0.22.1");
    assert.equal(
      endLine(ended!),
      "  ✗ a1       mesos-slave      0.22.1 → 0.22.2  failed after 6.0s:\n      a1: health gate failed: agent not registered after 60s; rolled back to 0.22.1",
    );
  });

  it("closes the steps still open when a run is interrupted", () => {
    const tracker = new StepTracker(1);
    tracker.apply(pre("update"), 0);
    assert.deepEqual(
      tracker.finish(9_000, "interrupted").map((s) => [s.end, s.error]),
      [[9_000, "interrupted"]],
    );
  });

  it("puts each step in its plan wave", () => {
    const tracker = new StepTracker(1);
    tracker.apply(pre("update"), 0);
    tracker.apply(outputs(SLAVE, {}), 1);
    assert.equal(withWaves(tracker.steps, ["wave 3  a1       mesos-slave   0.22.1 → 0.22.2"])[0]?.wave, 3);
  });

  it("places a ZooKeeper backup on every ZooKeeper host", () => {
    const urn = URN("zookeeper-backup-marathon-0.10.0-0.11.0", "pulumi-nodejs:dynamic/zookeeper:ZooKeeperBackup");
    const tracker = new StepTracker(4);
    const event: EngineEvent = {
      sequence: 1,
      timestamp: 0,
      resourcePreEvent: {
        metadata: {
          op: "create",
          urn,
          type: "pulumi-nodejs:dynamic/zookeeper:ZooKeeperBackup",
          new: { ...state(""), inputs: { connections: [{ name: "m1" }, { name: "m2" }] } },
          provider: "",
        } as never,
      },
    };
    const { started } = tracker.apply(event, 0);
    assert.deepEqual(
      [started?.hosts, started?.component, started?.to],
      [["m1", "m2"], "zookeeper-backup", "marathon-0.10.0-0.11.0"],
    );
  });
});

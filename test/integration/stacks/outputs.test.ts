// The stack's outputs tell what the hosts run, after a step fails half way through a run too: under the real engine,
// a Mesos hop whose last agent step fails, then the run that finishes it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { versionOfImage } from "../../../catalogue/images";
import { PACKED_KEY, unpackedProperties } from "../../../providers/packed";
import { CONTAINER_NAMES, type Cluster } from "../../../sim";
import { completedOfRunning, hostVersionsOfResources, type HostVersions } from "../../../stacks/truth";
import { ROLE, oneHopScratchStack, type ScratchStack } from "../../support/scratch-stack";

describe("the stack's outputs after a failed step", () => {
  let scratch: ScratchStack;
  let cluster: Cluster;
  let stack: Stack;

  /** What every host runs now, read from its containers' images and its Docker engine. */
  async function hostsRun(): Promise<HostVersions> {
    const hosts: Record<string, Record<string, string>> = {};
    for (const host of cluster.hosts) {
      const versions: Record<string, string> = {};
      const docker = await cluster.exec(host.name, "docker version --format '{{.Server.Version}}'");
      versions.docker = docker.stdout.trim();
      for (const role of host.roles) {
        const inspect = await cluster.exec(host.name, `docker inspect ${CONTAINER_NAMES[role]}`);
        const [container] = JSON.parse(inspect.stdout) as Array<{
          Config: { Image: string };
          State: { Running: boolean };
        }>;
        versions[ROLE[role]] = container?.State.Running
          ? (versionOfImage(container.Config.Image) ?? container.Config.Image)
          : "stopped";
      }
      hosts[host.name] = versions;
    }
    return hosts;
  }

  /** The hosts' versions as the stack's resources recorded them in the state. */
  async function recordedByResources(): Promise<HostVersions> {
    const state = await stack.exportStack();
    const resources =
      (state.deployment as { resources?: Array<{ urn: string; outputs?: Record<string, unknown> }> }).resources ?? [];
    return hostVersionsOfResources(Object.fromEntries(resources.map((r) => [r.urn, { outputs: r.outputs }])));
  }

  before(async () => {
    scratch = await oneHopScratchStack({
      stack: "scratch-outputs",
      network: "127.0.122",
      gateTimeoutSeconds: 30,
    });
    ({ cluster, stack } = scratch);
  });
  after(async () => {
    await scratch?.close();
  });

  it("records after adoption exactly what the hosts run", async () => {
    const outputs = await stack.outputs();
    assert.deepEqual(outputs.hostVersions?.value, await hostsRun());
    assert.deepEqual(outputs.completed?.value, { docker: "1.11.2", mesos: "0.25.1", marathon: "0.11.1" });
  });

  it("keeps neither the SSH key nor a stack trace of the library's code in any step's state", async () => {
    const state = await stack.exportStack();
    const resources =
      (state.deployment as { resources?: Array<Record<string, unknown> & { urn: string }> }).resources ?? [];
    const steps = resources.filter((r) => r.custom === true && !String(r.type).startsWith("pulumi:"));
    assert.ok(steps.length >= 3, "the steps are in the state");
    // The stack's own resource is the SDK's (made before the program runs), not one the program declares.
    const declared = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const traced = declared.filter((r) => r.sourcePosition !== undefined || r.stackTrace !== undefined);
    assert.deepEqual(
      traced.map((r) => r.urn),
      [],
      "the engine writes the whole state at every step's start and end; where our code declared a resource is not in it",
    );
    // The providers take the key from the stack config the engine hands them (the provider resource holds the config).
    const keyed = declared.filter(
      (r) =>
        !String(r.type).startsWith("pulumi:providers:") &&
        [r.inputs, r.outputs].some((props) => props && "privateKey" in (props as object)),
    );
    assert.deepEqual(
      keyed.map((r) => r.urn),
      [],
    );
  });

  it("keeps no route table to the HTTP ports in any step's state, and previews a stack recorded with them, unpacked, the same", async () => {
    const toDo = (await stack.preview()).changeSummary;
    const state = await stack.exportStack();
    type Connection = { name: string; address: string; hostKeyFingerprint: string; http?: unknown };
    type Props = Record<string, unknown> & { connection?: Connection };
    const resources =
      (state.deployment as { resources?: Array<{ urn: string; type: string; inputs?: Props; outputs?: Props }> })
        .resources ?? [];
    const steps = resources.filter((r) => unpackedProperties(r.inputs).connection !== undefined);
    assert.ok(steps.length >= 6, "every component's step names its host");
    assert.ok(
      steps.every((r) => typeof r.inputs?.[PACKED_KEY] === "string" && r.inputs.connection === undefined),
      "every step's settings are one packed property",
    );
    assert.deepEqual(
      steps
        .filter((r) => [r.inputs, r.outputs].some((props) => (unpackedProperties(props) as Props).connection?.http))
        .map((r) => r.urn),
      [],
      "each provider process reads the routes from the stack config",
    );
    // A stack recorded before issue 14's changes: every step's settings unpacked, and its connection listing the
    // masters' and Marathons' hosts.
    const listed = steps
      .filter((r) => r.type.endsWith(":MesosMaster") || r.type.endsWith(":MarathonInstance"))
      .map((r) => (unpackedProperties(r.inputs) as Props).connection as Connection)
      .map(({ name, address, hostKeyFingerprint }) => ({ name, address, hostKeyFingerprint }));
    assert.ok(listed.length >= 1);
    const table = { via: "ssh", scheme: "http", tunnelTo: "address", hosts: listed };
    const recordedBefore = (props: Props | undefined): Props | undefined => {
      if (!props) return props;
      const whole = unpackedProperties(props) as Props;
      return { ...whole, connection: { ...(whole.connection as Connection), http: table } };
    };
    for (const r of steps) {
      r.inputs = recordedBefore(r.inputs);
      r.outputs = recordedBefore(r.outputs);
    }
    await stack.importStack(state);
    assert.deepEqual(
      (await stack.preview()).changeSummary,
      toDo,
      "a recorded table, or settings recorded unpacked, change no component: the same steps to do as without them",
    );
  });

  it("never records a version a host does not run when a step fails half way, and the resources record each host's truth", async () => {
    const before = (await stack.outputs()).hostVersions?.value as HostVersions;
    // a2's agent is the last step of the Mesos hop (one agent at a time). Once the run's pre-pull has fetched every
    // image, the registry fails for a2: its step's own pull (which asks the registry even for an image it has) fails
    // before anything on a2 is stopped.
    let injected: Promise<void> | undefined;
    try {
      await assert.rejects(
        stack.up({
          onOutput: () => undefined,
          onEvent: (event) => {
            if (!injected && event.resOutputsEvent?.metadata.urn.endsWith("::pre-pull")) {
              injected = cluster.inject("a2", { kind: "pull-fails", image: "mesosphere/mesos-slave" });
            }
          },
        }),
        /a2/,
      );
    } finally {
      await injected;
      await cluster.clear("a2");
    }
    assert.ok(injected, "the run's pre-pull finished before the steps");
    const running = await hostsRun();
    assert.equal(running.m1?.["mesos-master"], "0.26.2", "the master's step was done before the failure");
    assert.equal(running.a2?.["mesos-slave"], "0.25.1", "a2 never moved");
    const outputs = await stack.outputs();
    const recorded = outputs.hostVersions?.value as HostVersions;
    assert.deepEqual(recorded, before, "the failed run recorded no outputs: the last successful run's record stands");
    assert.equal(
      recorded.a2?.["mesos-slave"],
      running.a2?.["mesos-slave"],
      "no host is recorded ahead of what it runs",
    );
    assert.deepEqual(outputs.completed?.value, completedOfRunning(running), "completed is what every host runs");
    assert.deepEqual(
      await recordedByResources(),
      running,
      "each resource recorded what its host runs, including the steps done before the failure",
    );
  });

  it("records what the hosts run once the next run finishes the hop, restarting no Docker engine on the way, logging in to each host at most twice and swapping the agent in one SSH command", async () => {
    const engineEvents = () =>
      cluster.ledger().filter((e) => e.kind === "engine.stop" || e.kind === "engine.start").length;
    const enginesBefore = engineEvents();
    let preview = "";
    // The program's notices (the plan table among them) reach a person as the engine's diagnostics, as converge prints
    // them.
    let notices = "";
    await stack.preview({
      diff: true,
      onOutput: (text) => {
        preview += text;
      },
      onEvent: (event) => {
        notices += event.diagnosticEvent?.message ?? "";
      },
    });
    assert.doesNotMatch(
      preview,
      /DockerEngine: \(update\)|mesosVersion/,
      "the Mesos version moving is context, not a change of any Docker engine",
    );
    // The three hosts wait the same way: one line names them all.
    assert.match(
      notices,
      /3 hosts \(m1, a1, a2\): adds --log-driver=json-file — waiting for each host's next Docker step \(none this run\)/,
      "the plan shows every host's stock options as pending",
    );
    const seqBefore = Object.fromEntries(cluster.hosts.map((h) => [h.name, cluster.ledger(h.name).at(-1)?.seq ?? -1]));
    const result = await stack.up({ onOutput: () => undefined });
    const during = (host: string) => cluster.ledger(host).filter((e) => e.seq > (seqBefore[host] as number));
    for (const host of ["m1", "a1", "a2"]) {
      const logins = during(host).filter((e) => e.kind === "ssh.auth" && e.accepted).length;
      // Two: the program's reads (discovery, then Marathon's apps for the forecast, one connection), then the provider
      // process's one pooled connection. A third on m1 came from the apps' read after discovery had closed its
      // connections (issue 14).
      assert.ok(
        logins >= 1 && logins <= 2,
        `${host}: ${logins} SSH logins in one \`pulumi up\` (the program's discovery, then the provider process's pooled connection)`,
      );
    }
    // a2's agent swap: stopping the old container and starting the new one is one SSH command, nothing in between.
    const a2 = during("a2");
    const stopped = a2.findIndex((e) => e.kind === "container.stop" && e.name === "mesos_slave");
    const started = a2.findIndex((e, i) => i > stopped && e.kind === "container.start" && e.name === "mesos_slave");
    assert.ok(stopped >= 0 && started > stopped, "a2's agent was stopped, then started");
    assert.deepEqual(
      a2.slice(stopped, started).filter((e) => e.kind === "ssh.exec" || e.kind === "ssh.auth"),
      [],
      "no SSH command or login between the old agent's stop and the new one's start",
    );
    assert.equal(
      engineEvents(),
      enginesBefore,
      "a Mesos hop run restarts no Docker engine, though the hosts carry stock daemon options",
    );
    const running = await hostsRun();
    assert.equal(running.a2?.["mesos-slave"], "0.26.2");
    assert.deepEqual(result.outputs.hostVersions.value, running);
    assert.deepEqual(result.outputs.completed.value, { docker: "1.11.2", mesos: "0.26.2", marathon: "0.11.1" });
  });
});

// The engine's event stream read as an operator's rollout: steps (host, component, from → to, start, end, gate) and
// notices. Pure.
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { sameValue } from "../providers/component";
import { PACKED_KEY, unpackedProperties } from "../providers/packed";

/** The components a step can change; a ZooKeeper backup is a step of its own. */
export type StepComponent = "docker" | "mesos-master" | "mesos-slave" | "marathon" | "zookeeper-backup";

/** One resource step of one run, as the engine reported it. */
export interface RolloutStep {
  readonly run: number;
  /** The hosts the step touches (a backup touches every ZooKeeper host). */
  readonly hosts: readonly string[];
  readonly component: StepComponent;
  /** The engine's operation: create (adoption or a backup), update (a hop), replace, delete. */
  readonly op: string;
  readonly from?: string;
  readonly to?: string;
  /** Milliseconds since the epoch. */
  readonly start: number;
  readonly end?: number;
  /** What the health gate observed (provider output gateObserved). */
  readonly gate?: string;
  /** Seconds the gate waited, from "(after Ns)" in what it observed. */
  readonly gateSeconds?: number;
  /** The provider's own error message when the step failed. */
  readonly error?: string;
  /** The plan's wave, once the run's outputs name it. */
  readonly wave?: number;
  /** Why the step kills its host's tasks, when the plan says it does (the resource's killsTasks input). */
  readonly killsTasks?: string;
}

/** A notice or warning the program or the engine wrote (plan table, adoption, backups, downtime, errors). */
export interface Notice {
  readonly severity: "info" | "warning" | "error";
  readonly message: string;
  /** The resource it is about, if any (its name). */
  readonly resource?: string;
}

/** A change the preview shows, for the plan section of a run. */
export interface PreviewChange {
  readonly op: string;
  readonly name: string;
  /** "key: old → new" for each changed input (secrets as the engine masks them). */
  readonly diffs: readonly string[];
}

const COMPONENTS: readonly StepComponent[] = ["mesos-master", "mesos-slave", "marathon", "docker"];

/** The resource name at the end of a URN. */
export const nameOfUrn = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** Whether a step is one of ours that touches hosts (not the stack, a component, a provider or a stack reference). */
function isHostResource(metadata: StepEventMetadata): boolean {
  return metadata.type.startsWith("pulumi-nodejs:dynamic");
}

/** The host(s) and component of one of our resources from its name and inputs. */
export function placeOf(metadata: StepEventMetadata): { hosts: string[]; component: StepComponent } | undefined {
  if (!isHostResource(metadata)) return undefined;
  const name = nameOfUrn(metadata.urn);
  const inputs = unpackedProperties(metadata.new?.inputs ?? metadata.old?.inputs) as {
    connection?: { name?: string };
    connections?: Array<{ name?: string }>;
  };
  if (name.startsWith("zookeeper-backup-")) {
    return { hosts: (inputs.connections ?? []).map((c) => String(c.name)), component: "zookeeper-backup" };
  }
  const place = hostComponentOfName(name);
  if (!place) return undefined;
  return { hosts: [inputs.connection?.name ?? place.host], component: place.component };
}

/** The host and component a resource's name says ("a12-mesos-slave" → a12, mesos-slave); undefined for others. */
export function hostComponentOfName(name: string): { host: string; component: StepComponent } | undefined {
  const component = COMPONENTS.find((c) => name.endsWith(`-${c}`) && name.length > c.length + 1);
  return component ? { host: name.slice(0, -(component.length + 1)), component } : undefined;
}

/** A value for one line: strings as they are, anything else as compact JSON, cut at 60 characters. */
function shown(value: unknown): string {
  const text = value === undefined ? "(none)" : typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * The settings a change names, from the engine's changed keys: the packed settings' property stands for each packed
 * setting that differs (providers/packed.ts), and a setting that only changed form (packed on one side) is none.
 */
function settingsOfKeys(
  keys: readonly string[],
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): string[] {
  const named = keys.flatMap((key) =>
    key === PACKED_KEY ? Object.keys({ ...olds, ...news }).filter((k) => !keys.includes(k)) : [key],
  );
  return [...new Set(named)].filter((k) => !k.startsWith("__") && k !== PACKED_KEY && !sameValue(olds[k], news[k]));
}

/** The changes a preview shows: only resources the run creates, updates, replaces or deletes; no reads, no no-ops. */
export function previewChange(event: EngineEvent): PreviewChange | undefined {
  const metadata = event.resourcePreEvent?.metadata;
  if (
    !metadata ||
    ["same", "read", "refresh", "read-replacement", "discard", "discard-replaced", "import"].includes(metadata.op)
  ) {
    return undefined;
  }
  // Only resources that stand for something on a host: not the stack, providers, stack references or grouping
  // components.
  if (!(metadata.new ?? metadata.old)?.custom || metadata.type.startsWith("pulumi:")) return undefined;
  const oldInputs = unpackedProperties(metadata.old?.inputs);
  const newInputs = unpackedProperties(metadata.new?.inputs);
  const keys = metadata.op === "update" || metadata.op === "replace" ? (metadata.diffs ?? metadata.keys ?? []) : [];
  return {
    op: metadata.op,
    name: nameOfUrn(metadata.urn),
    diffs: settingsOfKeys(keys, oldInputs, newInputs).map(
      (k) => `${k}: ${shown(oldInputs[k])} → ${shown(newInputs[k])}`,
    ),
  };
}

/** A diagnostic worth showing: not ephemeral, not empty, not the engine's echo of a failed step's summary. */
export function noticeOf(event: EngineEvent): Notice | undefined {
  const d = event.diagnosticEvent;
  // Only what the program and the engine say to people: not the engine's debug stream (it prints serialized providers).
  if (!d || d.ephemeral || !["info", "info#err", "warning", "error"].includes(d.severity)) return undefined;
  const message = cleanError(d.message.replace(/\u001b\[[0-9;]*m|<\{%[^%]*%\}>/g, "")).trimEnd();
  if (!message) return undefined;
  const severity = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info";
  const resource = d.urn && !d.urn.includes("pulumi:pulumi:Stack::") ? nameOfUrn(d.urn) : undefined;
  return { severity, message, ...(resource ? { resource } : {}) };
}

/**
 * An error as the provider wrote it: without the Automation API's wrapping (`code: -2`, `stdout:`, `stderr:`,
 * `Command failed with exit code …: pulumi up …`) and without the engine's "error: " prefix.
 */
export function cleanError(text: string): string {
  const lines = text
    .split("\n")
    .filter(
      (line) =>
        !/^\s*(code: -?\d+|stdout:|stderr:)\s*$/.test(line) &&
        !/^\s*(code: -?\d+\s*)?(stdout: *)?(stderr: *)?Command failed with exit code \d+: .*pulumi.*$/.test(line),
    );
  return lines
    .map((line) => line.replace(/^\s*(stderr: )?error: /, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Folds engine events into the steps of one run; `now` is when the event arrived (ms). */
export class StepTracker {
  private readonly open = new Map<string, RolloutStep>();
  readonly steps: RolloutStep[] = [];

  constructor(private readonly run: number) {}

  /** Applies one event; returns what changed for the live log. */
  apply(event: EngineEvent, now: number): { started?: RolloutStep; ended?: RolloutStep } {
    const pre = event.resourcePreEvent?.metadata;
    if (pre && ["create", "update", "replace", "create-replacement", "delete"].includes(pre.op)) {
      const place = placeOf(pre);
      if (!place) return {};
      const oldVersion = (pre.old?.inputs as { version?: string } | undefined)?.version;
      const newInputs = pre.new?.inputs as { version?: string; killsTasks?: string } | undefined;
      const newVersion = newInputs?.version;
      const step: RolloutStep = {
        run: this.run,
        hosts: place.hosts,
        component: place.component,
        op: pre.op,
        ...(oldVersion ? { from: oldVersion } : {}),
        ...(newVersion
          ? { to: newVersion }
          : place.component === "zookeeper-backup"
            ? { to: nameOfUrn(pre.urn).replace(/^zookeeper-backup-/, "") }
            : {}),
        ...(newInputs?.killsTasks ? { killsTasks: newInputs.killsTasks } : {}),
        start: now,
      };
      this.open.set(pre.urn, step);
      return { started: step };
    }
    const done = event.resOutputsEvent?.metadata;
    if (done && this.open.has(done.urn)) {
      const outputs = (done.new?.outputs ?? {}) as { gateObserved?: string; archives?: unknown[] };
      const gate =
        typeof outputs.gateObserved === "string"
          ? outputs.gateObserved
          : Array.isArray(outputs.archives)
            ? `${outputs.archives.length} archive(s) written`
            : undefined;
      const after = gate ? /\(after (\d+(?:\.\d+)?)s\)/.exec(gate) : null;
      return {
        ended: this.close(done.urn, {
          end: now,
          ...(gate ? { gate } : {}),
          ...(after ? { gateSeconds: Number(after[1]) } : {}),
        }),
      };
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed && this.open.has(failed.urn)) {
      return { ended: this.close(failed.urn, { end: now, error: this.errors.get(failed.urn) ?? "failed" }) };
    }
    const d = event.diagnosticEvent;
    if (d && d.severity === "error" && d.urn && this.open.has(d.urn)) {
      const message = cleanError(d.message.replace(/\u001b\[[0-9;]*m/g, ""));
      if (message) this.errors.set(d.urn, [this.errors.get(d.urn), message].filter(Boolean).join("\n"));
      const step = this.open.get(d.urn) as RolloutStep;
      this.open.set(d.urn, { ...step, error: this.errors.get(d.urn) });
    }
    return {};
  }

  private readonly errors = new Map<string, string>();

  private close(urn: string, end: Partial<RolloutStep>): RolloutStep {
    const step = { ...(this.open.get(urn) as RolloutStep), ...end };
    this.open.delete(urn);
    this.steps.push(step);
    return step;
  }

  /** Steps still open when the run ended (failed or interrupted): closed at `now`, marked with why. */
  finish(now: number, why: string): RolloutStep[] {
    const left = [...this.open.keys()].map((urn) =>
      this.close(urn, { end: now, error: this.open.get(urn)?.error ?? why }),
    );
    return left;
  }
}

/** Puts each step in its wave from the run's `thisRun` lines ("wave 2  a1  mesos-slave  0.22.1 → 0.23.1"). */
export function withWaves(steps: readonly RolloutStep[], thisRun: readonly string[]): RolloutStep[] {
  const waves = new Map<string, number>();
  for (const line of thisRun) {
    const match = /^wave (\d+)\s+(\S+)\s+(\S+)/.exec(line);
    if (match) waves.set(`${match[2]}/${match[3]}`, Number(match[1]));
  }
  return steps.map((s) => {
    const wave = waves.get(`${s.hosts[0]}/${s.component}`);
    return wave === undefined ? s : { ...s, wave };
  });
}

/** "a1  mesos-slave  0.22.1 → 0.23.1" */
export function stepTitle(step: RolloutStep): string {
  const hop =
    step.component === "zookeeper-backup"
      ? `before marathon ${step.to ?? ""}`
      : step.op === "create"
        ? `adopt ${step.to ?? ""}`
        : `${step.from ?? "?"} → ${step.to ?? "?"}`;
  return `${step.hosts.join(",").padEnd(8)} ${step.component.padEnd(16)} ${hop}`;
}

/** The live line when a step starts. */
export const startLine = (step: RolloutStep): string => `  ▶ ${stepTitle(step)}`;

/** The live line when a step ends: how long it took and what the gate saw, or the provider's error. */
export function endLine(step: RolloutStep): string {
  const seconds = step.end === undefined ? "?" : ((step.end - step.start) / 1000).toFixed(1);
  return step.error
    ? `  ✗ ${stepTitle(step)}  failed after ${seconds}s:\n      ${step.error.split("\n").join("\n      ")}`
    : `  ✓ ${stepTitle(step)}  ${seconds}s${step.gate ? `  gate: ${step.gate}` : ""}`;
}

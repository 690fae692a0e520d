// What to do with one host's Docker engine, decided from plain facts read beforehand: pure, no I/O.
import { compareVersions, hopRefusal } from "../planner";
import type { EngineAction, InstalledPackage } from "./enginePackage";

/**
 * A package install this provider started that did not end with the engine running the new version (apt failed
 * half way, or the engine did not come back). Recorded on the resource so the next run can tell its own unfinished
 * work from a hand-made change, and finish it.
 */
export interface InterruptedInstall {
  readonly package: string;
  /** The Debian version being installed, e.g. "1.11.2-0~trusty". */
  readonly packageVersion: string;
  /** The engine version that install moves to. */
  readonly version: string;
  /** The engine version that ran before. */
  readonly from: string;
  /** How dpkg left the package, e.g. "install ok half-configured" (`dpkg-query -W -f='${Status}'`). */
  readonly status: string;
  /** Containers with a restart policy that ran before, which must be back when the engine is. */
  readonly keep: readonly string[];
}

/** What was read from the host and the stack before deciding. */
export interface EngineFacts {
  /** The host's name, for messages. */
  readonly name: string;
  /** The engine version asked for (`version`). */
  readonly version: string;
  /** The version the engine answers with; undefined when the daemon is down. */
  readonly live: string | undefined;
  /** What the stack recorded last time, if anything. */
  readonly previous?: {
    readonly version: string;
    readonly runningVersion: string;
    readonly interruptedInstall?: InterruptedInstall;
  };
  /**
   * The engine's package (docker-engine or docker-ce) as dpkg has it (read when an install is recorded as interrupted).
   */
  readonly installed?: InstalledPackage;
}

/** What one update of the engine does. */
export type EngineDecision =
  /** Nothing to change on the host: the engine runs the version asked (options that differ wait for its next hop). */
  | { readonly kind: "settled" }
  /** Install the pinned package of `version` (the engine restarts); `from` is what runs now. */
  | { readonly kind: "install"; readonly from: string }
  /** Finish an install of ours that was left half done; `keep` are the containers that must come back. */
  | { readonly kind: "finish"; readonly from: string; readonly keep: readonly string[] }
  /** Touch nothing: the message names what is wrong and the fix. */
  | { readonly kind: "refuse"; readonly message: string };

/** Decides what an update of the engine does on this host. */
export function decideEngine(facts: EngineFacts): EngineDecision {
  const { name, version, live, previous, installed } = facts;
  const interrupted = previous?.interruptedInstall;
  if (interrupted) {
    // Our own unfinished install is not a hand-made change: the package is still the version we were installing
    // (half-configured, or configured with the engine stopped), or someone finished it as the error told them to.
    const ours =
      installed?.name === interrupted.package &&
      installed.version === interrupted.packageVersion &&
      (live === undefined || live === interrupted.version);
    if (!ours) {
      return {
        kind: "refuse",
        message:
          `docker on ${name}: the stack recorded an unfinished install of ${interrupted.package} ${interrupted.packageVersion} (${interrupted.status}, engine not running it), ` +
          `but ${name} now has ${installed ? `${installed.name} ${installed.version} (${installed.status})` : "no docker-engine or docker-ce package"} and its engine runs ${live ?? "nothing (daemon down)"}: ` +
          "it was changed by hand. Run `pulumi refresh` to record what runs, then `pulumi up` again",
      };
    }
    if (version !== interrupted.version) {
      return {
        kind: "refuse",
        message: `docker on ${name}: an install of ${interrupted.version} is unfinished (${interrupted.package} ${interrupted.packageVersion} ${interrupted.status}); set version back to "${interrupted.version}" so \`pulumi up\` can finish it first`,
      };
    }
    return { kind: "finish", from: interrupted.from, keep: interrupted.keep };
  }
  if (previous && (live ?? "none") !== previous.runningVersion) {
    return {
      kind: "refuse",
      message: `docker on ${name} runs ${live ?? "nothing (daemon down)"}, but the stack recorded ${previous.runningVersion}: it was changed by hand. Run \`pulumi refresh\`, then \`pulumi up\` again`,
    };
  }
  const refusal = hopRefusal("docker", `docker on ${name}`, live, version);
  if (refusal) return { kind: "refuse", message: refusal };
  // An engine already at its version is never restarted (every restart before 1.12 stops the host's containers,
  // and no plan announced one): options that differ wait for the engine's next planned hop.
  if (live === version) return { kind: "settled" };
  return { kind: "install", from: live ?? previous?.version ?? version };
}

/** One step of an engine change, in the order `changeSteps` gives. */
export type ChangeStep = "download" | "drain" | "write-options" | "install" | "restart" | "finish" | "undrain" | "gate";

/**
 * The ordered steps of one engine change. The package is downloaded before anything is drained or stopped, so a
 * missing package or an unreachable mirror costs no task. The host is drained (Mesos ≥ 0.25 maintenance) only
 * before stopping a running engine: finishing an install finds it stopped already (or running the new version,
 * finished by hand), and taking the machine down then would only kill its tasks.
 */
export function changeSteps(
  action: EngineAction,
  host: { readonly runsAgent: boolean; readonly mesosVersion: string },
): ChangeStep[] {
  const drains = action !== "finish" && host.runsAgent && compareVersions(host.mesosVersion, "0.25.0") >= 0;
  const act: ChangeStep = action;
  return [
    ...(action === "install" ? (["download"] as const) : []),
    ...(drains ? (["drain"] as const) : []),
    "write-options",
    act,
    ...(drains ? (["undrain"] as const) : []),
    "gate",
  ];
}

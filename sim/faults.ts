// Faults that can be injected into a simulated host, and how the CLI spells them.

/** A fault injected into one host; it stays until cleared. */
export type Fault =
  /** `docker pull` (and `docker run` of a missing image) fails with Docker's network error; `image` narrows it. */
  | { readonly kind: "pull-fails"; readonly image?: string }
  /** Pulls take `seconds` of simulated time (default 600) before they complete; `image` narrows it. */
  | { readonly kind: "pull-slow"; readonly image?: string; readonly seconds?: number }
  /** Containers of `image` ("repo" or "repo:tag") die a few seconds after every start, with exit code 1. */
  | { readonly kind: "crash-loop"; readonly image: string }
  /** The host's SSH port refuses connections (nothing listens). */
  | { readonly kind: "ssh-refuse" }
  /** The host's SSH port accepts TCP but never answers (no banner): clients hang until their timeout. */
  | { readonly kind: "ssh-hang" }
  /** The Mesos agent on this host never (re-)registers: its registration messages are lost. */
  | { readonly kind: "agent-no-reregister" }
  /**
   * The leading Mesos master (whichever host leads at the time) aborts: when this host next receives a command
   * containing `trigger`, or after `afterSeconds`, or at once when neither is given.
   */
  | { readonly kind: "leader-fails"; readonly trigger?: string; readonly afterSeconds?: number }
  /** `apt-get install` unpacks the package, then its post-installation script fails (the daemon stays down). */
  | { readonly kind: "package-install-fails"; readonly package?: string };

/** Every fault kind. */
export type FaultKind = Fault["kind"];

/** All fault kinds, as the CLI lists them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  "pull-fails",
  "pull-slow",
  "crash-loop",
  "ssh-refuse",
  "ssh-hang",
  "agent-no-reregister",
  "leader-fails",
  "package-install-fails",
];

const PARAMETERS: Readonly<Record<FaultKind, readonly string[]>> = {
  "pull-fails": ["image"],
  "pull-slow": ["image", "seconds"],
  "crash-loop": ["image"],
  "ssh-refuse": [],
  "ssh-hang": [],
  "agent-no-reregister": [],
  "leader-fails": ["trigger", "afterSeconds"],
  "package-install-fails": ["package"],
};

/** Parses the CLI form: kind followed by key=value words, e.g. ["crash-loop", "image=mesosphere/mesos-slave"]. */
export function parseFault(words: readonly string[]): Fault {
  const [kind, ...rest] = words;
  if (!kind || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown fault ${JSON.stringify(kind ?? "")}; choose one of ${FAULT_KINDS.join(", ")}`);
  }
  const allowed = PARAMETERS[kind as FaultKind];
  const fault: Record<string, unknown> = { kind };
  for (const word of rest) {
    const eq = word.indexOf("=");
    const key = eq < 0 ? word : word.slice(0, eq);
    if (eq < 0 || !allowed.includes(key)) {
      const hint = allowed.length
        ? `${kind} takes ${allowed.map((a) => `${a}=…`).join(", ")}`
        : `${kind} takes no parameters`;
      throw new Error(`unexpected ${JSON.stringify(word)} for fault ${kind}; ${hint}`);
    }
    const value = word.slice(eq + 1);
    if (key === "seconds" || key === "afterSeconds") {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${key}=${value} must be a number of seconds, e.g. ${key}=30`);
      fault[key] = n;
    } else {
      fault[key] = value;
    }
  }
  if (kind === "crash-loop" && typeof fault.image !== "string") {
    throw new Error(`crash-loop needs image=<repo[:tag]>, e.g. crash-loop image=mesosphere/mesos-slave`);
  }
  return fault as Fault;
}

/** True when an image reference matches a fault's image selector ("repo" matches every tag). */
export function imageMatches(selector: string | undefined, image: string): boolean {
  if (selector === undefined) return true;
  if (selector === image) return true;
  return !selector.includes(":") && image.startsWith(`${selector}:`);
}

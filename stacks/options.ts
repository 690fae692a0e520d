// The converge command's arguments and whether a run may apply without asking: pure, one strict parser (node:util).
import { parseArgs } from "node:util";

export const CONVERGE_USAGE = `usage: npm start [-- --keep-cluster]                    converge the local stack on a simulated cluster
       npm run converge -- --stack <name> [options]    converge a named stack

options:
  --stack <name>     the stack to converge (default: local, the simulated cluster); any other stack must be named
  --yes              apply every run without asking (needed for a stack other than local without a terminal)
  --step             ask before each run (always on for a stack other than local, unless --yes)
  --max-runs <N>     give up after N runs (default 60)
  --keep-cluster     local only: leave the simulated cluster running afterwards; the next \`npm start\` resumes it
  --sim-hosts <spec> local only: the hosts of a new simulated cluster, e.g. "m1:master+marathon;a1:agent"
                     (default: Pulumi.local.yaml's simulator.hosts; see \`npm run sim -- --help\`)
  --cluster <shape>  local only: the simulated cluster's shape: local (default: 3 masters with Marathon, 4 agents),
                     dev (dev's single host: master, agent and Marathon on dev1, every app once, dev's targets)
                     or newest (3 masters with Marathon, 2 agents, to the newest releases: Pulumi.newest.yaml)
  --help             this text

Each run prints its plan, notices and warnings, then one line per step while it applies, and writes a rollout
timeline (HTML) into the work area (.work/timelines/), printing its path.`;

/** The simulated cluster shapes `--cluster` takes (stacks/localCluster.ts CLUSTER_SHAPES). */
export const CLUSTER_SHAPE_NAMES: readonly string[] = ["local", "dev", "newest"];

/** What the converge command was asked to do. */
export interface ConvergeArgs {
  readonly stack: string;
  readonly step: boolean;
  readonly yes: boolean;
  readonly maxRuns: number;
  readonly keepCluster: boolean;
  /** The simulated cluster's hosts (local only), else the stack file's. */
  readonly simHosts?: string;
  /** The simulated cluster's shape (local only): one of CLUSTER_SHAPE_NAMES (stacks/localCluster.ts). */
  readonly cluster?: string;
}

export type ParsedConvergeArgs =
  | { readonly kind: "help" }
  | { readonly kind: "run"; readonly args: ConvergeArgs }
  | { readonly kind: "refuse"; readonly message: string };

const refuse = (message: string): ParsedConvergeArgs => ({
  kind: "refuse",
  message: `${message}\n\n${CONVERGE_USAGE}`,
});

/**
 * Parses `converge [options]` (argv without node and script); unknown flags, missing values and stray words are refused
 * with the usage.
 */
export function parseConvergeArgs(argv: readonly string[]): ParsedConvergeArgs {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return { kind: "help" };
  if (command !== "converge") {
    return refuse(`unknown command ${JSON.stringify(command ?? "")}: the only command is "converge"`);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        step: { type: "boolean" },
        yes: { type: "boolean" },
        "max-runs": { type: "string" },
        "keep-cluster": { type: "boolean" },
        "sim-hosts": { type: "string" },
        cluster: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return refuse(`converge: ${(error as Error).message.split("\n")[0]}`);
  }
  if (values.help) return { kind: "help" };
  const stack = values.stack === undefined ? "local" : String(values.stack);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack)) {
    return refuse(`converge: --stack ${JSON.stringify(stack)} is not a stack name; name one, e.g. --stack prod`);
  }
  const maxRunsText = values["max-runs"] === undefined ? "60" : String(values["max-runs"]);
  const maxRuns = Number(maxRunsText);
  if (!/^\d+$/.test(maxRunsText) || maxRuns < 1) {
    return refuse(
      `converge: --max-runs ${JSON.stringify(maxRunsText)} is not a whole number of runs ≥ 1; e.g. --max-runs 40`,
    );
  }
  if (values["keep-cluster"] && stack !== "local") {
    return refuse(
      `converge: --keep-cluster applies to the simulated cluster of the local stack only, not to stack "${stack}"; drop it`,
    );
  }
  if (values["sim-hosts"] !== undefined && stack !== "local") {
    return refuse(
      `converge: --sim-hosts shapes the simulated cluster of the local stack only, not stack "${stack}"; drop it`,
    );
  }
  if (values["sim-hosts"] === "") {
    return refuse(`converge: --sim-hosts "" names no hosts; e.g. --sim-hosts "m1:master+marathon;a1:agent"`);
  }
  const simHosts = values["sim-hosts"] === undefined ? {} : { simHosts: String(values["sim-hosts"]) };
  if (values.cluster !== undefined && stack !== "local") {
    return refuse(
      `converge: --cluster shapes the simulated cluster of the local stack only, not stack "${stack}"; drop it`,
    );
  }
  if (values.cluster !== undefined && values["sim-hosts"] !== undefined) {
    return refuse(
      `converge: --cluster ${String(values.cluster)} and --sim-hosts both name the simulated hosts; give one`,
    );
  }
  if (values.cluster !== undefined && !CLUSTER_SHAPE_NAMES.includes(String(values.cluster))) {
    return refuse(
      `converge: --cluster ${JSON.stringify(String(values.cluster))} is not a simulated cluster shape; use ${CLUSTER_SHAPE_NAMES.join(", ")}`,
    );
  }
  const cluster = values.cluster === undefined ? {} : { cluster: String(values.cluster) };
  return {
    kind: "run",
    args: {
      stack,
      step: Boolean(values.step),
      yes: Boolean(values.yes),
      maxRuns,
      keepCluster: Boolean(values["keep-cluster"]),
      ...simHosts,
      ...cluster,
    },
  };
}

/** How runs get applied: without asking, asking before each, or not at all. */
export type Confirmation =
  { readonly kind: "apply" } | { readonly kind: "ask" } | { readonly kind: "refuse"; readonly message: string };

/**
 * The local stack (the simulated cluster) applies without asking unless --step; any other stack asks before each
 * run unless --yes, and with no terminal to ask on (stdin not a TTY) refuses unless --yes.
 */
export function confirmation(
  args: Pick<ConvergeArgs, "stack" | "step" | "yes">,
  stdinIsTerminal: boolean,
): Confirmation {
  const asks = args.stack === "local" ? args.step : !args.yes || args.step;
  if (!asks) return { kind: "apply" };
  if (stdinIsTerminal) return { kind: "ask" };
  return {
    kind: "refuse",
    message:
      args.stack === "local"
        ? "converge: --step asks before each run, but stdin is not a terminal; run it in a terminal, or drop --step"
        : `converge: stack "${args.stack}" asks before applying each run, but stdin is not a terminal; run it in a terminal, or pass --yes to apply every run without asking`,
  };
}

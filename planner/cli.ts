/**
 * The planner's command line (the only planner module with I/O):
 *   plan path <docker|mesos|marathon> <from> <to> [--json]
 *   plan --input <file.json> [--json]
 * Invalid input exits with status 2 and one line on stderr naming the field, the value and the fix.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { describeValue, inputProblem, PlanInputError } from "./errors";
import { explainPath } from "./path-reasons";
import { planRun } from "./plan-run";
import { renderPlanTable } from "./render-table";
import { COMPONENTS, validatePlanInput } from "./validate";
import type { Component } from "./types";

const USAGE = [
  "usage: npm run -s plan -- path <docker|mesos|marathon> <from> <to> [--json]",
  "       npm run -s plan -- --input <file.json> [--json]",
  "",
  "  path       the one-hop path of a component between two versions",
  "  --input    the plan of one run for a cluster described in a JSON file (see planner/README.md)",
  "  --json     print JSON instead of text",
  "  --help     this text",
].join("\n");

/** What the CLI writes and how it exits. */
export interface CliResult {
  /** Text for stdout. */
  readonly stdout: string;
  /** Text for stderr. */
  readonly stderr: string;
  /** Exit status: 0 done, 2 invalid input or usage. */
  readonly status: number;
}

const fail = (message: string): CliResult => ({ stdout: "", stderr: `${message.split("\n")[0]}\n`, status: 2 });
/** A usage mistake: the problem, then the usage. */
const usage = (message: string): CliResult => ({ stdout: "", stderr: `${message}\n\n${USAGE}\n`, status: 2 });
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The version of the CLI's JSON documents; a consumer checks it before reading the rest. */
export const API_VERSION = "mesos-upgrade/v1";

/** A JSON document of the CLI: `apiVersion` and `kind` first, then the object's own fields. */
const document = (kind: "Plan" | "Path", value: object) => ({ apiVersion: API_VERSION, kind, ...value });

function pathCommand(args: readonly string[], asJson: boolean): CliResult {
  const [component, from, to, ...extra] = args;
  if (!COMPONENTS.includes(component as Component)) {
    return fail(
      inputProblem("component", component, `one of ${COMPONENTS.join(", ")}`, "e.g. path mesos 0.22.1 0.28.2").message,
    );
  }
  if (from === undefined || to === undefined || extra.length > 0) {
    return fail(
      inputProblem("arguments", args.join(" "), "<component> <from> <to>", "e.g. path mesos 0.22.1 0.28.2").message,
    );
  }
  const reasons = explainPath(component as Component, from, to);
  const hops = reasons.map((r) => r.to);
  const result = { component, from, to, hops, reasons };
  const head = `${component} ${from} → ${hops.length === 0 ? "(already there)" : hops.join(" → ")}\n`;
  return {
    stdout: asJson ? json(document("Path", result)) : head + reasons.map((r) => `  ${r.to}: ${r.reason}\n`).join(""),
    stderr: "",
    status: 0,
  };
}

function inputCommand(file: string | undefined, asJson: boolean): CliResult {
  if (file === undefined) {
    return fail(inputProblem("--input", file, "the path of a JSON plan input", "e.g. --input cluster.json").message);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail(
      inputProblem(
        "--input",
        file,
        "a readable file",
        `${(error as NodeJS.ErrnoException).code ?? "unreadable"}: check the path`,
      ).message,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(
      `--input must be a file of valid JSON, got ${describeValue(file)} (${(error as Error).message}); fix the file`,
    );
  }
  const input = validatePlanInput(raw);
  const plan = planRun(input);
  return { stdout: asJson ? json(document("Plan", plan)) : renderPlanTable(plan, input), stderr: "", status: 0 };
}

/** Runs the CLI on arguments (without node and script) and returns what to print; reads only the input file. */
export function runCli(argv: readonly string[]): CliResult {
  let values: { json?: boolean; input?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { json: { type: "boolean" }, input: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    return usage(`plan: ${(error as Error).message.split("\n")[0]}`);
  }
  try {
    if (values.help) return { stdout: `${USAGE}\n`, stderr: "", status: 0 };
    const asJson = Boolean(values.json);
    if (values.input !== undefined) {
      if (positionals.length) {
        return usage(`plan: --input takes no other arguments, got ${JSON.stringify(positionals.join(" "))}`);
      }
      return inputCommand(values.input || undefined, asJson);
    }
    if (positionals[0] === "path") return pathCommand(positionals.slice(1), asJson);
    return usage(
      `plan: ${positionals.length ? `unknown command ${JSON.stringify(positionals[0])}` : "nothing to do"}: give "path <component> <from> <to>" or "--input <file.json>"`,
    );
  } catch (error) {
    if (error instanceof PlanInputError) return fail((error.problems[0] ?? error).message);
    throw error;
  }
}

if (require.main === module) {
  const result = runCli(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.status;
}

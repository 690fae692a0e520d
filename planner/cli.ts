/**
 * The planner's command line (the only planner module with I/O):
 *   plan path <docker|mesos|marathon> <from> <to> [--json]
 *   plan --input <file.json> [--json]
 * Invalid input exits with status 2 and one line on stderr naming the field, the value and the fix.
 */
import { readFileSync } from "node:fs";
import { describeValue, inputProblem, PlanInputError } from "./errors";
import { explainPath } from "./path-reasons";
import { planRun } from "./plan-run";
import { renderPlanTable } from "./render-table";
import { COMPONENTS, validatePlanInput } from "./validate";
import type { Component } from "./types";

const USAGE = [
  "usage: npm run -s plan -- path <docker|mesos|marathon> <from> <to> [--json]",
  "       npm run -s plan -- --input <file.json> [--json]",
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
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The version of the CLI's JSON documents; a consumer checks it before reading the rest. */
export const API_VERSION = "mesos-upgrade/v1";

/** A JSON document of the CLI: `apiVersion` and `kind` first, then the object's own fields. */
const document = (kind: "Plan" | "Path", value: object) => ({ apiVersion: API_VERSION, kind, ...value });

function pathCommand(args: readonly string[], asJson: boolean): CliResult {
  const [component, from, to, ...extra] = args;
  if (!COMPONENTS.includes(component as Component)) {
    return fail(inputProblem("component", component, `one of ${COMPONENTS.join(", ")}`, "e.g. path mesos 0.22.1 0.28.2").message);
  }
  if (from === undefined || to === undefined || extra.length > 0) {
    return fail(inputProblem("arguments", args.join(" "), "<component> <from> <to>", "e.g. path mesos 0.22.1 0.28.2").message);
  }
  const reasons = explainPath(component as Component, from, to);
  const hops = reasons.map((r) => r.to);
  const result = { component, from, to, hops, reasons };
  const head = `${component} ${from} → ${hops.length === 0 ? "(already there)" : hops.join(" → ")}\n`;
  return { stdout: asJson ? json(document("Path", result)) : head + reasons.map((r) => `  ${r.to}: ${r.reason}\n`).join(""), stderr: "", status: 0 };
}

function inputCommand(file: string | undefined, asJson: boolean): CliResult {
  if (file === undefined) return fail(inputProblem("--input", file, "the path of a JSON plan input", "e.g. --input cluster.json").message);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail(inputProblem("--input", file, "a readable file", `${(error as NodeJS.ErrnoException).code ?? "unreadable"}: check the path`).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`--input must be a file of valid JSON, got ${describeValue(file)} (${(error as Error).message}); fix the file`);
  }
  const input = validatePlanInput(raw);
  const plan = planRun(input);
  return { stdout: asJson ? json(document("Plan", plan)) : renderPlanTable(plan, input), stderr: "", status: 0 };
}

/** Runs the CLI on arguments (without node and script) and returns what to print; reads only the input file. */
export function runCli(argv: readonly string[]): CliResult {
  const asJson = argv.includes("--json");
  const args = argv.filter((a) => a !== "--json");
  try {
    if (args[0] === "--help" || args[0] === "-h") return { stdout: `${USAGE}\n`, stderr: "", status: 0 };
    if (args[0] === "path") return pathCommand(args.slice(1), asJson);
    if (args[0] === "--input" && args.length <= 2) return inputCommand(args[1], asJson);
    return fail(inputProblem("arguments", args.join(" "), `"path <component> <from> <to>" or "--input <file.json>", with optional --json`, "see --help").message);
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

// What a change to a stack file alters: targets, each layer's path, batches, and every other setting, base → head.
import { pathsOf, type RolloutForecast } from "./rollout";

/** One side of the change: the stack file's config (without the project prefix) and, when valid, its forecast. */
export interface StackFileSide {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly forecast?: RolloutForecast;
}

const LAYERS = ["docker", "mesos", "marathon"] as const;

/** Config values by key path ("rollout.maxUnavailableSlaves", "hosts[0].address"); secrets shown as "(secret)". */
export function flatten(value: unknown, prefix = ""): Record<string, string> {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value) {
    return { [prefix]: "(secret)" };
  }
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item !== "object" || item === null)) return { [prefix]: JSON.stringify(value) };
    return Object.assign({}, ...value.map((item, i) => flatten(item, `${prefix}[${i}]`)));
  }
  if (typeof value === "object" && value !== null) {
    return Object.assign(
      {},
      ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key)),
    );
  }
  return { [prefix]: JSON.stringify(value) };
}

const hops = (path: readonly string[]) => (path.length ? path.join(" → ") : "(no hop)");
const wavesOf = (forecast: RolloutForecast) =>
  forecast.runs.reduce((sum, r) => sum + new Set(r.plan.steps.map((s) => s.wave)).size, 0);
const stepsOf = (forecast: RolloutForecast) => forecast.runs.reduce((sum, r) => sum + r.plan.steps.length, 0);

/**
 * The change base → head as lines for people, grouped: targets, path, batches, settings. Empty when nothing changes.
 */
export function describeChange(base: StackFileSide, head: StackFileSide): string[] {
  const before = flatten(base.raw);
  const after = flatten(head.raw);
  const lines: string[] = [];
  const changed = (key: string) => before[key] !== after[key];
  const show = (key: string, values: Record<string, string>) => values[key] ?? "(unset)";

  const targets = LAYERS.map((layer) => `targets.${layer}`).filter(changed);
  if (targets.length) {
    lines.push("targets:", ...targets.map((key) => `  ${key}: ${show(key, before)} → ${show(key, after)}`));
  }

  if (base.forecast && head.forecast) {
    const [pathBefore, pathAfter] = [pathsOf(base.forecast), pathsOf(head.forecast)];
    const paths = LAYERS.filter((layer) => hops(pathBefore[layer]) !== hops(pathAfter[layer]));
    if (paths.length) {
      lines.push(
        "path:",
        ...paths.map((layer) => `  ${layer}: ${hops(pathBefore[layer])}  becomes  ${hops(pathAfter[layer])}`),
      );
    }
    const batches: string[] = [];
    if (changed("rollout.maxUnavailableSlaves")) {
      batches.push(
        `  rollout.maxUnavailableSlaves: ${show("rollout.maxUnavailableSlaves", before)} → ${show("rollout.maxUnavailableSlaves", after)}`,
      );
    }
    const counts = (f: RolloutForecast) =>
      `${f.runs.filter((r) => r.plan.steps.length).length} runs, ${stepsOf(f)} steps in ${wavesOf(f)} waves, ${f.runs.reduce((n, r) => n + r.taskKillingRestarts.length, 0)} task-killing restarts`;
    if (counts(base.forecast) !== counts(head.forecast)) {
      batches.push(`  ${counts(base.forecast)}  becomes  ${counts(head.forecast)}`);
    }
    if (batches.length) lines.push("batches:", ...batches);
  } else if (changed("rollout.maxUnavailableSlaves")) {
    lines.push(
      "batches:",
      `  rollout.maxUnavailableSlaves: ${show("rollout.maxUnavailableSlaves", before)} → ${show("rollout.maxUnavailableSlaves", after)}`,
    );
  }

  const shown = new Set([...LAYERS.map((layer) => `targets.${layer}`), "rollout.maxUnavailableSlaves"]);
  const settings = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !shown.has(key) && changed(key))
    .sort();
  if (settings.length) {
    lines.push("settings:", ...settings.map((key) => `  ${key}: ${show(key, before)} → ${show(key, after)}`));
  }
  return lines;
}

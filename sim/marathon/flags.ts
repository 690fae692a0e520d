// Marathon's command line: scallop flags of the release, with MARATHON_* environment variables turned into flags by
// bin/start (mesosphere/marathon bin/start; flag sets per release in sim/catalogue/marathon-flags.json).
import { marathonFlags } from "../catalogue/marathon";

/** Parses the container's args and env; scallop's error text on a bad command line. */
export function parseArgs(
  version: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): { values: Map<string, string | boolean> } | { error: string } {
  const known = marathonFlags(version);
  // bin/start turns MARATHON_XXX=yyy into "--xxx yyy" (MARATHON_APP* excluded) and puts them first.
  const words: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("MARATHON_") || key.startsWith("MARATHON_APP")) continue;
    words.push(`--${key.slice("MARATHON_".length).toLowerCase()}`, ...value.split(/\s+/).filter((w) => w !== ""));
  }
  words.push(...args);
  const values = new Map<string, string | boolean>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith("--")) return { error: `Excess arguments provided: '${word}'` };
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(2, eq) : word.slice(2);
    const disabled = name.startsWith("disable_") && known.get(name.slice("disable_".length)) === "toggle";
    const kind = disabled ? "toggle" : known.get(name);
    if (kind === undefined) return { error: `Unknown option '${name}'` };
    if (kind === "toggle" || kind === "flag") {
      values.set(disabled ? name.slice("disable_".length) : name, !disabled);
      continue;
    }
    const value =
      eq > 0
        ? word.slice(eq + 1)
        : words[i + 1] !== undefined && !(words[i + 1] as string).startsWith("--")
          ? words[++i]
          : undefined;
    if (value === undefined) return { error: `Option '${name}' needs one argument` };
    values.set(name, value);
  }
  if (!values.has("master")) return { error: "Required option 'master' not found" };
  return { values };
}

// The program's own plan and declaration of many hosts in a preview (issue 14, "Scale"): a stack of 3 masters and
// up to ~1,000 agents whose first preview (adoption) runs the real program — settings, decision, planning, every
// component declared with its real provider's check — with discovery replaced by a stand-in. The stand-in discovers
// the running cluster's masters and first agent for real and gives every other agent that agent's discovery under
// its own name and address. Nothing is asked of the stand-in agents' addresses in a preview (no step, no gate), so
// they need no host behind them; what the preview costs beyond the engine's floor is then the program's own work.
import type { DiscoveredHost } from "../stacks/discover";
import { discoverCluster } from "../stacks/discover";
import type { Discover } from "../stacks/program";

/** One host of the stack's `hosts` setting. */
export interface StackHostEntry {
  readonly name: string;
  readonly address: string;
  readonly roles: readonly string[];
  readonly hostKeyFingerprint: string;
}

/** The address of stand-in agent `index` (0-based): 10.200.0.1 … 10.200.3.232 for 1,000 (never a simulated host's). */
export function standInAddress(index: number): string {
  return `10.200.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

/** The stack's hosts: the real ones as given, then `count` stand-in agents named a<n> after the template agent. */
export function standInHosts(
  real: readonly StackHostEntry[],
  template: StackHostEntry,
  count: number,
): StackHostEntry[] {
  const taken = new Set(real.map((h) => h.name));
  const extra: StackHostEntry[] = [];
  for (let n = 1; extra.length < count; n++) {
    const name = `a${n}`;
    if (taken.has(name)) continue;
    extra.push({ ...template, name, address: standInAddress(extra.length) });
  }
  return [...real, ...extra];
}

/** The template's discovery under another host's name and address (its address replaced wherever it appears). */
export function discoveredAs(template: DiscoveredHost, name: string, address: string): DiscoveredHost {
  const escaped = template.address.replace(/\./g, "\\.");
  const text = JSON.stringify(template).replace(new RegExp(`${escaped}(?![0-9])`, "g"), address);
  return { ...(JSON.parse(text) as DiscoveredHost), name, address };
}

/**
 * Discovery for the stack: the hosts named in `real` are read for real (discoverCluster on them alone); every other
 * host of the settings is `templateName`'s discovery under its own name and address.
 */
export function standInDiscovery(real: ReadonlySet<string>, templateName: string): Discover {
  return async (settings, privateKey) => {
    const readHosts = settings.hosts.filter((h) => real.has(h.name));
    const found = await discoverCluster({ ...settings, hosts: readHosts }, privateKey);
    const template = found.find((h) => h.name === templateName);
    if (!template) throw new Error(`the template host ${templateName} is not among the hosts read (${[...real]})`);
    const byName = new Map(found.map((h) => [h.name, h]));
    return settings.hosts.map(
      (h) => byName.get(h.name) ?? { ...discoveredAs(template, h.name, h.address), leader: [] },
    );
  };
}

// Host names for people: a list of many hosts read as runs, "m1..m3, a1..a197", in the spelling of the simulator's
// host specs and of Ansible's inventory patterns (a[1:197]) rather than 200 names. Pure.

/** Host names compared as people count them: a2 before a10. */
export const byHostName = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

/** A name split into its prefix and its trailing number ("a12" → "a", 12); undefined without a trailing number. */
function numbered(
  name: string,
): { readonly prefix: string; readonly number: number; readonly digits: string } | undefined {
  const match = /^(.*?)(\d+)$/.exec(name);
  if (!match) return undefined;
  const digits = match[2] as string;
  return { prefix: match[1] as string, number: Number(digits), digits };
}

/** Whether `next` comes right after `last` in one numbering: same prefix, the next number, zero-padded alike. */
function follows(last: string, next: string): boolean {
  const a = numbered(last);
  const b = numbered(next);
  if (!a || !b || a.prefix !== b.prefix || b.number !== a.number + 1) return false;
  const padded = (n: { readonly digits: string }) => n.digits.length > 1 && n.digits.startsWith("0");
  return padded(a) || padded(b) ? a.digits.length === b.digits.length : true;
}

/**
 * `names` in their order, three or more consecutive ones of one numbering written as one run ("a1..a4",
 * "node-098..node-101"); two in a row stay two names ("a1, a2"), and so does every name without a trailing number.
 */
export function hostRuns(names: readonly string[]): string {
  const parts: string[] = [];
  let run: string[] = [];
  const close = () => {
    if (run.length >= 3) parts.push(`${run[0]}..${run.at(-1)}`);
    else parts.push(...run);
    run = [];
  };
  for (const name of names) {
    if (run.length && !follows(run.at(-1) as string, name)) close();
    run.push(name);
  }
  close();
  return parts.join(", ");
}

/** "1 host" or "N hosts" and their runs: "3 hosts (m1..m3)"; one host is its name alone. */
export function hostsNamed(names: readonly string[]): string {
  return names.length === 1 ? (names[0] as string) : `${names.length} hosts (${hostRuns(names)})`;
}

/**
 * What hostsNamed writes for several hosts, as regular expression source whose one group is the runs (expandHostRuns
 * reads them back): for the text read back from a printed plan.
 */
export const SEVERAL_HOSTS_PATTERN = String.raw`\d+ hosts \(([^)]*)\)`;

/**
 * A change said of its hosts: "a1 docker 1.7.1 → 1.11.2" (then `rest`) for one host, "docker 1.7.1 → 1.11.2 on
 * 3 hosts (a1..a3)" (then `rest`) for several.
 */
export function onHosts(subject: string, hosts: readonly string[], rest = ""): string {
  return hosts.length === 1 ? `${hosts[0]} ${subject}${rest}` : `${subject} on ${hostsNamed(hosts)}${rest}`;
}

/**
 * The names `hostRuns` wrote, in order: "m1..m3, a1" → m1, m2, m3, a1. For tools that read a plan's text back (the
 * run's changes, its version table); an unreadable run is an error naming it.
 */
export function expandHostRuns(text: string): string[] {
  if (text === "") return [];
  return text.split(", ").flatMap((part) => {
    const [first, last, ...more] = part.split("..");
    if (last === undefined) return [part];
    const a = numbered(first as string);
    const b = numbered(last);
    if (more.length || !a || !b || a.prefix !== b.prefix || b.number <= a.number) {
      throw new Error(`"${part}" is not a run of host names such as "a1..a4"`);
    }
    const width = a.digits.startsWith("0") ? a.digits.length : 0;
    return Array.from(
      { length: b.number - a.number + 1 },
      (_, i) => `${a.prefix}${String(a.number + i).padStart(width, "0")}`,
    );
  });
}

/** Hosts that share something, and the first item that said it. */
export interface HostsAlike<T> {
  readonly what: string;
  readonly hosts: string[];
  readonly first: T;
}

/** `items` grouped by what each says (`whatOf`), with their hosts (`hostOf`), groups in the order their first comes. */
export function hostsAlike<T>(
  items: readonly T[],
  hostOf: (item: T) => string,
  whatOf: (item: T) => string,
): HostsAlike<T>[] {
  const groups = new Map<string, HostsAlike<T>>();
  for (const item of items) {
    const what = whatOf(item);
    const group = groups.get(what) ?? { what, hosts: [], first: item };
    group.hosts.push(hostOf(item));
    groups.set(what, group);
  }
  return [...groups.values()];
}

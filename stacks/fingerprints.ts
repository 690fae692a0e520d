// Pinning host keys in a stack file: the hosts' (and jump hosts') fingerprints written beside their names,
// keeping the file's comments and layout; pure text in, text out.

/** A host's name and the fingerprint to pin for it. */
export interface Pin {
  readonly name: string;
  readonly fingerprint: string;
}

const NAME = /(?:^|[\s{,-])name:\s*["']?([^"',}\s]+)["']?/;
const FINGERPRINT = /(hostKeyFingerprint:\s*)(["']?)([^"',}\s]*)\2/;

/**
 * Writes each pin's fingerprint into the `hostKeyFingerprint` of the entry named `name` (block style, or flow
 * style on one line). Returns the new text and the names whose fingerprint changed.
 */
export function pinFingerprints(
  text: string,
  pins: readonly Pin[],
): { readonly text: string; readonly changed: readonly string[] } {
  const wanted = new Map(pins.map((p) => [p.name, p.fingerprint]));
  const changed: string[] = [];
  let current: string | undefined;
  const lines = text.split("\n").map((line) => {
    const named = NAME.exec(line);
    if (named) current = named[1];
    const pinned = FINGERPRINT.exec(line);
    if (!pinned || current === undefined || !wanted.has(current)) return line;
    const fingerprint = wanted.get(current) as string;
    wanted.delete(current);
    if (pinned[3] === fingerprint) return line;
    changed.push(current);
    return line.replace(FINGERPRINT, `$1${fingerprint}`);
  });
  return { text: lines.join("\n"), changed };
}

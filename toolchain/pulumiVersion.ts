// The Pulumi version the project is pinned to: the CLI is kept in step with the @pulumi/pulumi npm package.

/** The pinned @pulumi/pulumi version, e.g. "3.259.0" (read from the installed package). */
export function pinnedPulumiVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/** Parses `pulumi version` output ("v3.259.0", "v3.260.1-dev.0") into [major, minor, patch], or undefined. */
export function parseCliVersion(output: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(output.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** A CLI is suitable when it has the pinned major version and is at least the pinned version. */
export function isSuitableCli(found: [number, number, number], pinned: [number, number, number]): boolean {
  if (found[0] !== pinned[0]) return false;
  for (let i = 1; i < 3; i++) {
    if (found[i] !== pinned[i]) return found[i] > pinned[i];
  }
  return true;
}

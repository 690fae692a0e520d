// A promise kept for the life of the process, one per key: what is costly to find and the same every time it is asked
// (the toolchain, the Automation API's handle on the CLI). A failure is not kept: the next call tries again.

/** `kept`'s promise for `key`, made by `make` when there is none (or the last one failed). */
export function keptPromise<T>(kept: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = kept.get(key);
  if (known) return known;
  const made = make();
  kept.set(key, made);
  made.catch(() => kept.delete(key));
  return made;
}

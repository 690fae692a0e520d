// Reads that run side by side and all end before the caller goes on, failed or not.

/** Waits for every one of `reads` to end; then their values, or the first one's failure. */
export async function allEnded<T extends readonly unknown[]>(
  reads: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const ended = await Promise.allSettled(reads);
  const failed = ended.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return ended.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

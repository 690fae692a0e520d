// The main job's last word on tasks: every task that died during the run (a terminal status the leading master
// recorded), counted by cause: its state and Mesos' reason (REASON_EXECUTOR_TERMINATED: an agent restart took its
// executor; REASON_SLAVE_REMOVED: the agent was silent past the masters' window; a Docker engine stop shows as
// the task failing or lost with the engine's containers).

/** A ledger entry as far as the count needs it. */
export interface TaskStatusEntry {
  readonly kind: string;
  readonly state?: string;
  readonly reason?: string;
}

const KILLED_ON_PURPOSE = new Set(["TASK_KILLED", "TASK_FINISHED"]);

/** "N tasks died (TASK_LOST REASON_EXECUTOR_TERMINATED: 5, …)", killed-on-request and finished tasks left out. */
export function taskDeathsLine(entries: readonly TaskStatusEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.kind !== "task.status" || !entry.state || KILLED_ON_PURPOSE.has(entry.state)) continue;
    const cause = `${entry.state} ${entry.reason ?? "(no reason)"}`;
    counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const byCause = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cause, n]) => `${cause}: ${n}`)
    .join(", ");
  return `${total} task${total === 1 ? "" : "s"} died${total ? ` (${byCause})` : ""}`;
}

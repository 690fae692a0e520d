// Where a run's wall time went against its limit (pure): the lead before the first window (the engine's start, the
// program's discovery and the pre-pull, against the limit's pulls), each window's span against the limit's window, the
// gaps between one window's end and the next one's start, and the tail after the last window; within the windows, how
// long the engine took to begin each one's steps and how long a step took.

/** A step as the breakdown sees it: its window and its wall times (ms since the epoch). */
export interface TimedStep {
  readonly run: number;
  readonly wave: number;
  readonly start: number;
  readonly end: number;
  /** When the step's host received its first command (rollout-ledger.ts firstCommandTimes), if the record says. */
  readonly reached?: number;
}

/** One run's wall seconds, by part. */
export interface RunBreakdown {
  /** Run start to the first window's first step start. */
  readonly leadSeconds: number;
  /** Each window's first step start to its last step end, summed. */
  readonly windowSeconds: number;
  /** The limit's windows (wall seconds), summed, for the same windows. */
  readonly limitWindowSeconds: number;
  /** A window's last end to the next window's first start, summed. */
  readonly gapSeconds: number;
  /** The last window's last end to the run's end. */
  readonly tailSeconds: number;
  readonly windows: number;
  /** Each window's first step start to its last step start, summed: the engine's time to begin a wave's steps. */
  readonly staggerSeconds: number;
  /** The steps' own spans (start to end), on average. */
  readonly meanStepSeconds: number;
  /**
   * Each window's first step start to the last first command on its steps' hosts, summed over the windows whose steps
   * all say when they reached their host: how long the engine took to hand the wave's steps to the provider.
   */
  readonly reachSeconds: number;
  /** How many windows reachSeconds covers. */
  readonly reachWindows: number;
}

/**
 * Splits one run's wall time (`run`, ms) into lead, windows, gaps and tail; `limitWindows` are the limit's windows of
 * that run in wall seconds, by wave.
 */
export function breakdownOf(
  run: { readonly start: number; readonly end: number },
  steps: readonly TimedStep[],
  limitWindows: ReadonlyMap<number, number>,
): RunBreakdown {
  const byWave = new Map<number, { start: number; lastStart: number; end: number; lastReached: number }>();
  for (const step of steps) {
    const window = byWave.get(step.wave);
    byWave.set(step.wave, {
      start: Math.min(window?.start ?? step.start, step.start),
      lastStart: Math.max(window?.lastStart ?? step.start, step.start),
      end: Math.max(window?.end ?? step.end, step.end),
      // NaN once a step of the wave does not say when it reached its host.
      lastReached: Math.max(window?.lastReached ?? -Infinity, step.reached ?? NaN),
    });
  }
  const windows = [...byWave.entries()].sort((a, b) => a[1].start - b[1].start);
  if (windows.length === 0) {
    const seconds = (run.end - run.start) / 1000;
    return {
      leadSeconds: seconds,
      windowSeconds: 0,
      limitWindowSeconds: 0,
      gapSeconds: 0,
      tailSeconds: 0,
      windows: 0,
      staggerSeconds: 0,
      meanStepSeconds: 0,
      reachSeconds: 0,
      reachWindows: 0,
    };
  }
  let gapMs = 0;
  for (let i = 1; i < windows.length; i++) {
    gapMs += Math.max(0, (windows[i]?.[1].start ?? 0) - (windows[i - 1]?.[1].end ?? 0));
  }
  const reached = windows.filter(([, w]) => Number.isFinite(w.lastReached));
  const first = windows[0]?.[1].start ?? run.start;
  const last = Math.max(...windows.map(([, w]) => w.end));
  return {
    leadSeconds: (first - run.start) / 1000,
    windowSeconds: windows.reduce((sum, [, w]) => sum + (w.end - w.start), 0) / 1000,
    limitWindowSeconds: windows.reduce((sum, [wave]) => sum + (limitWindows.get(wave) ?? 0), 0),
    gapSeconds: gapMs / 1000,
    tailSeconds: (run.end - last) / 1000,
    windows: windows.length,
    staggerSeconds: windows.reduce((sum, [, w]) => sum + (w.lastStart - w.start), 0) / 1000,
    meanStepSeconds: steps.reduce((sum, step) => sum + (step.end - step.start), 0) / steps.length / 1000,
    reachSeconds: reached.reduce((sum, [, w]) => sum + (w.lastReached - w.start), 0) / 1000,
    reachWindows: reached.length,
  };
}

/** The breakdown as one line, against the limit's pulls (wall seconds). */
export function breakdownLine(b: RunBreakdown, limitPullSeconds: number): string {
  const s = (n: number): string => `${n.toFixed(1)} s`;
  const per = (n: number): string => s(n / Math.max(1, b.windows));
  const reach = b.reachWindows
    ? `, its last step's first command reaches its host ${s(b.reachSeconds / b.reachWindows)} in`
    : "";
  return `lead ${s(b.leadSeconds)} (limit's pulls ${s(limitPullSeconds)}); ${b.windows} windows ${s(b.windowSeconds)} (limit ${s(b.limitWindowSeconds)}, ${per(b.windowSeconds - b.limitWindowSeconds)} over per window; a window's steps begin over ${per(b.staggerSeconds)}${reach}, a step takes ${s(b.meanStepSeconds)}); gaps between windows ${s(b.gapSeconds)}; tail ${s(b.tailSeconds)}`;
}

/** A window that ran far over its limit's window, with the step that ended it. */
export interface SlowWindow {
  readonly wave: number;
  readonly seconds: number;
  readonly limitSeconds: number;
  /** The host of the window's last step to end, and that step's span. */
  readonly slowest: { readonly host: string; readonly seconds: number };
}

/**
 * The windows of a run whose span (first step start to last step end) exceeds the limit's window by more than
 * `overSeconds`, in wave order: where a run lost time to something no window of the limit holds (a step that waited
 * at its hold for another's apps, a gate that kept looking). Pure.
 */
export function slowWindows(
  steps: ReadonlyArray<TimedStep & { readonly host: string }>,
  limitWindows: ReadonlyMap<number, number>,
  overSeconds: number,
): SlowWindow[] {
  const waves = [...new Set(steps.map((step) => step.wave))].sort((a, b) => a - b);
  return waves.flatMap((wave) => {
    const mine = steps.filter((step) => step.wave === wave);
    const start = Math.min(...mine.map((step) => step.start));
    const last = mine.reduce((a, b) => (b.end > a.end ? b : a));
    const seconds = (last.end - start) / 1000;
    const limitSeconds = limitWindows.get(wave) ?? 0;
    if (seconds - limitSeconds <= overSeconds) return [];
    return [{ wave, seconds, limitSeconds, slowest: { host: last.host, seconds: (last.end - last.start) / 1000 } }];
  });
}

/** The slow windows as one line. */
export function slowWindowsLine(windows: readonly SlowWindow[], overSeconds: number): string {
  const each = windows.map(
    (w) =>
      `wave ${w.wave} ${w.seconds.toFixed(1)} s against ${w.limitSeconds.toFixed(1)} s (last to end: ${w.slowest.host}, ${w.slowest.seconds.toFixed(1)} s)`,
  );
  return `windows more than ${overSeconds} s over the limit's: ${each.length ? each.join("; ") : "none"}`;
}

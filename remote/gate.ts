// The one health-gate mechanism: poll a check until it passes or the gate's time runs out.

/** One look at the component: passed, or not yet with what was seen. */
export type GateObservation =
  { readonly passed: true; readonly observed: string } | { readonly passed: false; readonly observed: string };

export interface HealthGate {
  /** What the gate waits for, for messages: "mesos-master on m2 re-elected a leader with quorum". */
  readonly description: string;
  /** Looks once; must not throw for "not yet" (return passed: false with what was seen). */
  readonly check: () => Promise<GateObservation>;
  /** How long to wait in all. */
  readonly timeoutSeconds: number;
  /**
   * Pause before the first look: a component that has just been started cannot be back at once, and a look asks the
   * cluster for something (an agent's look reads the leading master's state). @default 0
   */
  readonly firstLookAfterSeconds?: number;
  /** Pause between looks. @default 1 */
  readonly intervalSeconds?: number;
  /** Consecutive passing looks required, so a flapping service does not pass. @default 1 */
  readonly stableChecks?: number;
  /**
   * Pause before the next look of a streak that has begun (a look passed): the looks that confirm it need not wait for
   * the whole interval, which paces the looks for a component not up yet. @default intervalSeconds
   */
  readonly stableIntervalSeconds?: number;
  /**
   * Asked once the looks have passed `stableChecks` times in a row: whether they all saw one run of the component (say,
   * its container was not restarted in between). Not passed: the streak starts over, and what it saw joins the last
   * observation.
   */
  readonly confirm?: () => Promise<GateObservation>;
}

/** The pause before a component gate's first look and between its looks, unless rollout.gateIntervalSeconds says. */
export const DEFAULT_GATE_INTERVAL_SECONDS = 0.5;

/**
 * How a component's gate looks after a restart: first `intervalSeconds` after it (half a second unless the stack
 * says), then every `intervalSeconds` until a look passes, then twice in a row, the second half an interval after the
 * first (a flapping component fails one of them; a restarted container fails `confirm`).
 */
export function componentGatePace(
  intervalSeconds = DEFAULT_GATE_INTERVAL_SECONDS,
): Pick<HealthGate, "firstLookAfterSeconds" | "intervalSeconds" | "stableChecks" | "stableIntervalSeconds"> {
  return {
    firstLookAfterSeconds: intervalSeconds,
    intervalSeconds,
    stableChecks: 2,
    stableIntervalSeconds: intervalSeconds / 2,
  };
}

/** The gate did not pass in time; says what it waited for and what it saw last. */
export class HealthGateTimeoutError extends Error {
  override readonly name = "HealthGateTimeoutError";
  constructor(
    readonly gate: string,
    readonly timeoutSeconds: number,
    readonly lastObserved: string,
  ) {
    super(
      `health gate "${gate}" did not pass within ${timeoutSeconds}s; last seen: ${lastObserved}. Fix the component, or raise rollout.gateTimeoutSeconds, then run \`pulumi up\` again`,
    );
  }
}

const pause = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Waits for the gate; resolves with the passing observation (with how long it took), or throws HealthGateTimeoutError.
 */
export async function waitForGate(gate: HealthGate): Promise<{ observed: string; seconds: number }> {
  const started = Date.now();
  const deadline = started + gate.timeoutSeconds * 1000;
  const needed = Math.max(1, gate.stableChecks ?? 1);
  let streak = 0;
  let last: string;
  /** What the last confirmation that failed saw; every later observation carries it, so a timeout says it too. */
  let unconfirmed: string | undefined;
  const confirm = (): Promise<GateObservation> | undefined =>
    gate.confirm?.().catch((error: Error) => ({ passed: false, observed: error.message }));
  if (gate.firstLookAfterSeconds) await pause(gate.firstLookAfterSeconds);
  for (;;) {
    // The look that would complete a begun streak goes beside its confirmation (one round trip, not two); a look that
    // fails drops that confirmation, and the streak starts over after it.
    const confirming = streak > 0 && streak + 1 >= needed ? confirm() : undefined;
    let observation: GateObservation;
    try {
      observation = await gate.check();
    } catch (error) {
      observation = { passed: false, observed: (error as Error).message };
    }
    const confirmedBeside = await confirming;
    last = unconfirmed ? `${observation.observed}; ${unconfirmed}` : observation.observed;
    streak = observation.passed ? streak + 1 : 0;
    if (streak >= needed) {
      const confirmed = confirmedBeside ?? (await confirm()) ?? observation;
      if (confirmed.passed) {
        return { observed: observation.observed, seconds: Math.round((Date.now() - started) / 100) / 10 };
      }
      streak = 0;
      unconfirmed = confirmed.observed;
      last = `${observation.observed}; ${unconfirmed}`;
    }
    if (Date.now() >= deadline) throw new HealthGateTimeoutError(gate.description, gate.timeoutSeconds, last);
    await pause(streak > 0 ? (gate.stableIntervalSeconds ?? gate.intervalSeconds ?? 1) : (gate.intervalSeconds ?? 1));
  }
}

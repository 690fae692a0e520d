// When an agent tries to register with a master it detected (apache/mesos src/slave/slave.cpp, the same from 0.22 to
// 1.x): Slave::detected first waits a random part of --registration_backoff_factor ("Wait for a random amount of time
// before authentication or registration"), then Slave::doReliableRegistration sends its (re-)registration and, until
// the agent is registered, tries again after a random part of a bound that starts at twice the factor and doubles at
// each attempt, up to REGISTER_RETRY_INTERVAL_MAX (src/slave/constants.cpp).

/** REGISTER_RETRY_INTERVAL_MAX: the longest wait between two registration attempts, in seconds. */
export const REGISTER_RETRY_INTERVAL_MAX_SECONDS = 60;

/** --registration_backoff_factor's default (DEFAULT_REGISTRATION_BACKOFF_FACTOR), in seconds. */
export const DEFAULT_REGISTRATION_BACKOFF_FACTOR_SECONDS = 1;

/**
 * The waits, in seconds, before each registration attempt after a master is detected (pure for a given `random`,
 * which draws uniformly from [0, 1) as `::random() / RAND_MAX` does): the first before the first attempt, each next
 * one after the attempt before it.
 */
export function* registrationWaits(factorSeconds: number, random: () => number): Generator<number, never> {
  yield factorSeconds * random();
  for (let bound = factorSeconds * 2; ; bound *= 2) {
    yield Math.min(bound, REGISTER_RETRY_INTERVAL_MAX_SECONDS) * random();
  }
}

/**
 * The expected longest first wait among `agents` agents detecting a master at once (pure): the expectation of the
 * largest of n uniform draws is n ÷ (n + 1) of the factor. What a wave of agents restarted together waits, on average,
 * before the last of them sends its registration.
 */
export function expectedLongestFirstWait(agents: number, factorSeconds: number): number {
  return agents <= 0 ? 0 : (factorSeconds * agents) / (agents + 1);
}

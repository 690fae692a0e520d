/** Shapes shared by the catalogue's data modules: every datum says where it comes from. */

/** A fact together with where it was read. */
export interface Sourced {
  /** Where the fact comes from: `repo@tag:path`, an issue, the seed plan, or the fact sheet section. */
  readonly source: string;
}

/** The releases of one minor version line, oldest first. */
export interface ReleaseLine extends Sourced {
  /** The minor version, e.g. `"0.28"`. */
  readonly minor: string;
  /** Every released version of the line, oldest first (release candidates only where no final exists). */
  readonly releases: readonly string[];
  /** The line's latest patch release; the step target whenever a path passes through this line. */
  readonly latest: string;
}

/** A release never to land on, with the reason and the fix. */
export interface KnownBadRelease extends Sourced {
  /** The bad version. */
  readonly version: string;
  /** What goes wrong on it. */
  readonly reason: string;
  /** The first release of the same line that fixes it. */
  readonly fixedIn: string;
}

/** An inclusive range of versions; a missing end is open. */
export interface VersionRange {
  /** Lowest version in the range, inclusive. @default no lower bound */
  readonly from?: string;
  /** Highest version in the range, inclusive. @default no upper bound */
  readonly to?: string;
  /** First version past the range, exclusive. @default no upper bound */
  readonly before?: string;
}

/** What an upgrade crossing a version implies for operators. */
export interface CrossingNote extends Sourced {
  /** The note applies to a hop `from → to` when `from < at <= to`. */
  readonly at: string;
  /** The implication, in operators' words. */
  readonly message: string;
  /** Arriving migrates stored state that earlier versions cannot read: back up ZooKeeper before the hop. */
  readonly migratesStorage?: true;
}

/** The seed plan's two upgrade tables, verbatim, so tests can hold the catalogue to every row. */
import type { Sourced } from "./types";

const SEED = "seed plan 000_e886c188cbfe4207.txt";

/** A row of the seed's Mesos table: old line → new line, and that line's latest version then. */
export interface SeedMesosRow extends Sourced {
  /** Old line as written, e.g. `"0.22.x"`. */
  readonly from: string;
  /** New line as written, e.g. `"0.23.x"`. */
  readonly to: string;
  /** The latest release of the new line when the seed was written. */
  readonly latest: string;
}

/** The seed's "Mesos 升级列表" table. */
export const SEED_MESOS_ROWS: readonly SeedMesosRow[] = [
  { from: "0.22.x", to: "0.23.x", latest: "0.23.1", source: `${SEED}, Mesos table row 1` },
  { from: "0.23.x", to: "0.24.x", latest: "0.24.2", source: `${SEED}, Mesos table row 2` },
  { from: "0.24.x", to: "0.25.x", latest: "0.25.1", source: `${SEED}, Mesos table row 3` },
  { from: "0.25.x", to: "0.26.x", latest: "0.26.1", source: `${SEED}, Mesos table row 4` },
  { from: "0.26.x", to: "0.27.x", latest: "0.27.2", source: `${SEED}, Mesos table row 5` },
  { from: "0.27.x", to: "0.28.x", latest: "0.28.2", source: `${SEED}, Mesos table row 6` },
];

/** A row of the seed's Marathon table: on this Mesos, Marathon goes old → new. */
export interface SeedMarathonRow extends Sourced {
  /** The Mesos version (or line) the row is planned on. */
  readonly mesos: string;
  /** Old Marathon version as written. */
  readonly from: string;
  /** New Marathon version as written. */
  readonly to: string;
}

/** The seed's "Marathon 官方升级列表" table. */
export const SEED_MARATHON_ROWS: readonly SeedMarathonRow[] = [
  ["0.22.1", "0.9.1", "0.9.2"],
  ["0.22.1", "0.9.0", "0.10.0"],
  ["0.22.1", "0.10.0", "0.10.1"],
  ["0.23", "0.10.0", "0.11.0"],
  ["0.23", "0.11.0", "0.11.1"],
  ["0.23", "0.11.1", "0.13.0"],
  ["0.23", "0.13.0", "0.13.1"],
  ["0.26", "0.13.0", "0.14.0"],
  ["0.26", "0.14.0", "0.14.1"],
  ["0.26", "0.14.0", "0.15.0"],
  ["0.26", "0.15.0", "0.15.1"],
  ["0.26", "0.15.1", "0.15.2"],
  ["0.26", "0.15.2", "0.15.3"],
  ["0.26", "0.15.3", "0.15.4"],
  ["0.26", "0.15.4", "0.15.5"],
  ["0.28", "0.15.3", "1.0.0-RC1"],
  ["0.28", "1.0.0", "1.1.0"],
  ["0.28", "1.1.0", "1.1.1"],
].map(([mesos, from, to], i) => ({ mesos, from, to, source: `${SEED}, Marathon table row ${i + 1}` }));

/** The seed's required agent settings (§2.3 "新增参数"). */
export const SEED_AGENT_SETTINGS_SOURCE = `${SEED} §2.3 (新增参数): -v /data/mesos:/data/mesos, --docker_remove_delay (keep 6hrs for now), cgroups_limit_swap, no log_dir on master and agent`;

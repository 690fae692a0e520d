/** Logging flags that Mesos masters and agents share (one stout flags class, src/logging/flags.cpp). */
import type { FlagSpec } from "./types";

const LOGGING = "apache/mesos@0.28.2:src/logging/flags.cpp";

/** Managed logging flags of both Mesos components. */
export const MESOS_LOGGING_FLAGS: readonly FlagSpec[] = [
  {
    name: "log_dir",
    type: "path",
    description: "Directory for log files; unset means no log files",
    since: "0.22.0",
    source: LOGGING,
  },
  {
    name: "logging_level",
    type: "string",
    description: "Lowest level logged",
    since: "0.22.0",
    defaults: [{ since: "0.22.0", value: "INFO" }],
    choices: ["INFO", "WARNING", "ERROR"],
    source: LOGGING,
  },
];

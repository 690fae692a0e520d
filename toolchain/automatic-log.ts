// Pulumi's automatic log, kept out of the project's own work area.
//
// Since 3.259 every `pulumi` command writes a log of its own under $PULUMI_HOME/logs at debug level, whatever the
// verbosity: every property of every resource at each RPC, compressed and encrypted as it is written. At 200 hosts a
// preview wrote 13 MB of it, and the compression and encoding took 41 % of the engine's CPU (issue 14). The CLI has no
// switch for it; it goes without when it cannot create that directory. So the work area's Pulumi home (local and
// scratch stacks, simulated hosts) holds a file named `logs` that says why. An operator's own PULUMI_HOME (real
// stacks) is never touched.
import * as fs from "node:fs";
import * as path from "node:path";

const NOTE =
  "Not a directory on purpose: the Pulumi CLI writes no automatic debug log in this work area (see toolchain/automatic-log.ts).\n";

/** Makes `pulumiHome/logs` a file, so the CLI keeps no automatic log there; removes an earlier log directory. */
export function withoutAutomaticLog(pulumiHome: string): void {
  const logs = path.join(pulumiHome, "logs");
  const found = fs.lstatSync(logs, { throwIfNoEntry: false });
  if (found?.isFile()) return;
  if (found) fs.rmSync(logs, { recursive: true, force: true });
  fs.mkdirSync(pulumiHome, { recursive: true });
  fs.writeFileSync(logs, NOTE);
}

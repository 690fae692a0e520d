// Several commands in one SSH round trip: one POSIX shell script whose sections' output, error output and exit status
// come back told apart by marker lines. Sections run in order in one shell, so a later one may use an earlier one's
// shell variables; a section never calls `exit` (the ones after it would not run).
import type { RemoteShell, RunOptions } from "./ssh";

/** One command (a shell script fragment) of a batch. */
export interface Section {
  /** A word naming the section in the output (letters, digits, "-"). */
  readonly name: string;
  /** Shell text; its exit status is the status of its last command. */
  readonly script: string;
}

/** What one section printed and how it ended. */
export interface SectionResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const MARK = "@@mesos-upgrade-section";

/**
 * A shell function every batch defines: `section_status N` ends a section with status N (one it kept from an earlier
 * command, after printing that command's output) in the batch's own shell. `(exit N)` did the same in a subshell: a
 * process forked on the host for every such section.
 */
export const SECTION_STATUS = "section_status";

/**
 * The script that runs `sections` in order. After each one a marker line with its name goes to stdout (with its exit
 * status) and one to stderr: SSH keeps the two streams apart, so no temporary file, `cat` or `rm` is needed to tell
 * one section's error output from the next (each a process on the host).
 */
export function sectionsScript(sections: readonly Section[]): string {
  const lines: string[] = [`${SECTION_STATUS}() { return "$1"; }`];
  for (const section of sections) {
    if (!/^[A-Za-z0-9-]+$/.test(section.name)) {
      throw new Error(`section name ${JSON.stringify(section.name)} is not a word (letters, digits, "-")`);
    }
    lines.push(
      `{\n${section.script}\n}`,
      `printf '\\n${MARK} out %s %s\\n' ${section.name} "$?"`,
      `printf '\\n${MARK} err %s\\n' ${section.name} >&2`,
    );
  }
  return lines.join("\n");
}

/**
 * Splits a batch's stdout and stderr into each section's result; a section missing (the script stopped before its
 * markers) is absent. Error output the shell wrote before the first section (a `sudo` warning) counts as the first's.
 */
export function parseSections(stdout: string, stderr: string): Map<string, SectionResult> {
  const results = new Map<string, SectionResult>();
  let cursor = 0;
  let errCursor = 0;
  const out = new RegExp(`\\n${MARK} out ([A-Za-z0-9-]+) (\\d+)\\n`, "g");
  for (;;) {
    const end = out.exec(stdout);
    if (!end) break;
    const name = end[1] as string;
    const errMark = `\n${MARK} err ${name}\n`;
    const errEnd = stderr.indexOf(errMark, errCursor);
    if (errEnd < 0) break;
    results.set(name, {
      code: Number(end[2]),
      stdout: stdout.slice(cursor, end.index),
      stderr: stderr.slice(errCursor, errEnd),
    });
    cursor = out.lastIndex;
    errCursor = errEnd + errMark.length;
  }
  return results;
}

/**
 * Runs `sections` in one remote command. The batch itself fails (RemoteCommandError, as any command) only when its
 * shell cannot start; each section's own failure is in its result.
 */
export async function runSections(
  shell: RemoteShell,
  sections: readonly Section[],
  options: Omit<RunOptions, "allowFailure"> = {},
): Promise<Map<string, SectionResult>> {
  const result = await shell.run(["sh", "-c", sectionsScript(sections)], options);
  return parseSections(result.stdout, result.stderr);
}

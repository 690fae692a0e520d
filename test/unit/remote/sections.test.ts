// Several commands in one round trip: what each section printed, on stdout and stderr, and how it ended.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { parseSections, SECTION_STATUS, sectionsScript } from "../../../remote/sections";

/** Runs a batch in this machine's /bin/sh, as a host's shell would: its stdout and stderr, apart as SSH keeps them. */
const runLocally = (script: string, stdin = ""): [string, string] => {
  const run = spawnSync("/bin/sh", ["-c", script], { input: stdin, encoding: "utf8" });
  return [run.stdout, run.stderr];
};

describe("a batch of commands", () => {
  it("tells its sections apart: each one's output, error output and exit code", () => {
    const parsed = parseSections(
      "a\nb\n@@mesos-upgrade-section out one 0\nno newline\n@@mesos-upgrade-section out two 3\n",
      "\n@@mesos-upgrade-section err one\noops\n\n@@mesos-upgrade-section err two\n",
    );
    assert.deepEqual(Object.fromEntries(parsed), {
      one: { code: 0, stdout: "a\nb", stderr: "" },
      two: { code: 3, stdout: "no newline", stderr: "oops\n" },
    });
  });

  it("runs in one shell: a later section reads an earlier one's variables and stdin, and each keeps its own stderr and status", () => {
    const [out, err] = runLocally(
      sectionsScript([
        { name: "first", script: "x=$(cat); printf '%s' \"$x\"" },
        { name: "second", script: 'echo "got $x"; echo warn >&2; (exit 4)' },
        { name: "third", script: "printf 'end\\n'" },
      ]),
      "from stdin",
    );
    assert.deepEqual(Object.fromEntries(parseSections(out, err)), {
      first: { code: 0, stdout: "from stdin", stderr: "" },
      second: { code: 4, stdout: "got from stdin\n", stderr: "warn\n" },
      third: { code: 0, stdout: "end\n", stderr: "" },
    });
  });

  it("refuses a section name that is not a word", () => {
    assert.throws(
      () => sectionsScript([{ name: "two words", script: "true" }]),
      /section name "two words" is not a word/,
    );
  });

  it("starts no process of its own: no temporary file, no cat, no rm around the sections, no subshell for a status", () => {
    const script = sectionsScript([
      { name: "one", script: "docker version" },
      { name: "two", script: `docker ps -a -q; ${SECTION_STATUS} 0` },
    ]);
    const commands = script
      .split("\n")
      .map((line) => line.trim().split(/\s+/)[0])
      .filter((word) => word && !["{", "}", "printf", "docker", `${SECTION_STATUS}()`].includes(word as string));
    assert.deepEqual(commands, [], script);
    assert.doesNotMatch(script, /\(exit/, script);
  });

  it("ends a section with a status it kept (section_status), after printing, and goes on to the next", () => {
    const [out, err] = runLocally(
      sectionsScript([
        { name: "kept", script: `r=7; printf 'printed first'; ${SECTION_STATUS} $r` },
        { name: "after", script: `printf '%s' "$r"; ${SECTION_STATUS} 0` },
      ]),
    );
    assert.deepEqual(Object.fromEntries(parseSections(out, err)), {
      kept: { code: 7, stdout: "printed first", stderr: "" },
      after: { code: 0, stdout: "7", stderr: "" },
    });
  });

  it("leaves out a section whose markers are missing from either stream (the script was cut short)", () => {
    const parsed = parseSections(
      "a\n@@mesos-upgrade-section out one 0\nb\n@@mesos-upgrade-section out two 0\n",
      "\n@@mesos-upgrade-section err one\n",
    );
    assert.deepEqual([...parsed.keys()], ["one"]);
  });
});

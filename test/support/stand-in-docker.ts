// A batch of sections run in this machine's real /bin/sh, as a host's shell runs it, with a stand-in `docker` first on
// PATH that records each call's arguments: what a read asked, and what it made of the answers.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestContext } from "node:test";
import { parseSections, sectionsScript, type Section, type SectionResult } from "../../remote/sections";
import { tempDir, writeScript } from "./tmp";

/**
 * Runs `sections` against a `docker` whose answers are the shell `case` lines `answers(dir)` gives (`dir`: a directory
 * of the test's own for the files they read); returns each section's result and the arguments of every call, in order.
 */
export function runWithStandInDocker(
  t: Pick<TestContext, "after">,
  answers: (dir: string) => readonly string[],
  sections: readonly Section[],
): { sections: Map<string, SectionResult>; asked: string[] } {
  const dir = tempDir(t);
  writeScript(dir, "docker", [`echo "$*" >> "${dir}/argv"`, 'case "$1" in', ...answers(dir), "esac"].join("\n"));
  const run = spawnSync("/bin/sh", ["-c", sectionsScript(sections)], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
  return {
    sections: parseSections(run.stdout, run.stderr),
    asked: fs.readFileSync(path.join(dir, "argv"), "utf8").trim().split("\n"),
  };
}

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { commandLine, redact, shellQuote } from "../../../remote/quote";

const hostile = [
  "a; touch /tmp/pwned",
  "$(touch /tmp/pwned)",
  "`touch /tmp/pwned`",
  'it\'s "quoted"',
  "line one\nline two",
  "--flag=$HOME ${PATH} *",
  "",
  "'",
  "\\",
  "tab\there & | > <",
];

describe("shell quoting of remote commands", () => {
  it("leaves plain words as they are so commands stay readable", () => {
    assert.equal(
      commandLine(["docker", "pull", "mesosphere/mesos-master:0.23.1-1.0.ubuntu1404"]),
      "docker pull mesosphere/mesos-master:0.23.1-1.0.ubuntu1404",
    );
    assert.equal(shellQuote("--work_dir=/data/mesos"), "--work_dir=/data/mesos");
  });

  for (const value of hostile) {
    it(`passes ${JSON.stringify(value)} through a real shell as one unchanged argument`, () => {
      const line = commandLine(["printf", "%s", value]);
      const result = spawnSync("/bin/sh", ["-c", line], { encoding: "utf8" });
      assert.equal(result.status, 0);
      assert.equal(result.stdout, value);
    });
  }

  it("refuses an empty argv instead of running nothing", () => {
    assert.throws(() => commandLine([]), /argv is empty/);
  });

  it("redacts secrets from messages", () => {
    assert.equal(redact("docker run -e TOKEN=hunter22 x", ["hunter22"]), "docker run -e TOKEN=[secret] x");
  });
});

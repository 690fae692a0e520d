import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { withoutAutomaticLog } from "../../../toolchain/automatic-log";
import { tempDir } from "../../support/tmp";

describe("the work area's Pulumi home without the CLI's automatic log", () => {
  it("puts a file named logs that says why where the CLI would make its log directory", (t) => {
    const home = path.join(tempDir(t), "pulumi-home");
    withoutAutomaticLog(home);
    const logs = path.join(home, "logs");
    assert.ok(fs.statSync(logs).isFile());
    assert.match(fs.readFileSync(logs, "utf8"), /automatic-log\.ts/);
  });

  it("replaces a log directory an earlier run left, with its logs", (t) => {
    const home = tempDir(t);
    fs.mkdirSync(path.join(home, "logs"));
    fs.writeFileSync(path.join(home, "logs", "pulumi-20261203T085426-1-preview.log"), "PLOG");
    withoutAutomaticLog(home);
    assert.ok(fs.statSync(path.join(home, "logs")).isFile());
  });

  it("leaves the file alone on the next run", (t) => {
    const home = tempDir(t);
    fs.writeFileSync(path.join(home, "logs"), "kept");
    withoutAutomaticLog(home);
    assert.equal(fs.readFileSync(path.join(home, "logs"), "utf8"), "kept");
  });
});

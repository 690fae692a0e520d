// `docker run` flag parsing: mflag's forms and its error text per release.
import assert from "node:assert/strict";
import { test } from "node:test";
import { flagBool, flagList, flagValue, parseFlags, RUN_FLAGS } from "../../../sim/docker/cli-flags";

test("reads long and short forms, =values, bundles, repeats, and stops at the image", () => {
  const flags = parseFlags(
    [
      "-dit",
      "--name=mesos-slave",
      "--net",
      "host",
      "-e",
      "A=1",
      "--env=B=2",
      "-v",
      "/data/mesos:/data/mesos",
      "--privileged",
      "--restart=always",
      "img:1",
      "--master=zk://x",
      "-v",
    ],
    RUN_FLAGS,
    "1.7.1",
    false,
  );
  assert.ok(flagBool(flags, "-d") && flagBool(flags, "-i") && flagBool(flags, "-t") && flagBool(flags, "--privileged"));
  assert.equal(flagValue(flags, "--name"), "mesos-slave");
  assert.equal(flagValue(flags, "--net"), "host");
  assert.deepEqual(flagList(flags, "-e"), ["A=1", "B=2"]);
  assert.deepEqual(flagList(flags, "-v"), ["/data/mesos:/data/mesos"]);
  assert.deepEqual(flags.args, ["img:1", "--master=zk://x", "-v"]);
});

test("knows which release added a flag and words the error per CLI generation", () => {
  assert.throws(
    () => parseFlags(["--network", "host", "img"], RUN_FLAGS, "1.8.3", false),
    /^UnknownFlagError: flag provided but not defined: --network$/,
  );
  assert.equal(flagValue(parseFlags(["--network", "host", "img"], RUN_FLAGS, "1.9.0", false), "--network"), "host");
  assert.throws(() => parseFlags(["--bogus", "img"], RUN_FLAGS, "1.13.1", false), /unknown flag: --bogus/);
});

// Docker daemon options from /etc/default/docker and /etc/docker/daemon.json, validated like the daemon.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readDaemonOptions } from "../../../sim/docker/daemon-options";

function root(defaults: string, daemonJson?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "dopts-"));
  mkdirSync(join(dir, "etc/default"), { recursive: true });
  mkdirSync(join(dir, "etc/docker"), { recursive: true });
  writeFileSync(join(dir, "etc/default/docker"), defaults);
  if (daemonJson !== undefined) writeFileSync(join(dir, "etc/docker/daemon.json"), JSON.stringify(daemonJson));
  return dir;
}

test("reads DOCKER_OPTS as the upstart job expands it", () => {
  const options = readDaemonOptions(
    root('DOCKER_OPTS="--log-driver=syslog --registry-mirror http://m:5000 --insecure-registry harbor:5000 -D"\n'),
    "1.7.1",
  );
  assert.deepEqual(
    { ...options },
    {
      liveRestore: false,
      logDriver: "syslog",
      logOpts: {},
      registryMirrors: ["http://m:5000"],
      insecureRegistries: ["harbor:5000"],
      storageDriver: "aufs",
      debug: true,
      labels: [],
    },
  );
});

test("reads daemon.json from 1.10 and refuses a directive given both ways", () => {
  assert.equal(readDaemonOptions(root("", { "live-restore": true }), "1.12.6").liveRestore, true);
  assert.equal(
    readDaemonOptions(root("", { "log-driver": "none" }), "1.9.1").logDriver,
    "json-file",
    "1.9 has no daemon.json",
  );
  assert.throws(
    () => readDaemonOptions(root('DOCKER_OPTS="--log-driver=none"', { "log-driver": "json-file" }), "1.11.2"),
    /^DaemonConfigError: unable to configure the Docker daemon with file \/etc\/docker\/daemon.json: the following directives are specified both as a flag and in the configuration file: log-driver: \(from flag: "none", from file: "json-file"\)$/,
  );
});

test("refuses flags the release does not have", () => {
  assert.throws(
    () => readDaemonOptions(root('DOCKER_OPTS="--live-restore"'), "1.11.2"),
    /flag provided but not defined: --live-restore/,
  );
  assert.throws(
    () => readDaemonOptions(root('DOCKER_OPTS="--log-driver=splunkk"'), "1.11.2"),
    /logger: no log driver named 'splunkk' is registered/,
  );
});

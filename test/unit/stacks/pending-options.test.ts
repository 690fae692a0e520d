// Docker daemon options a host's /etc/default/docker lacks: shown as pending until a planned Docker step applies them.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PlanStep } from "../../../planner";
import { daemonOptionsOf, pendingDaemonOptions, pendingOptionsLines } from "../../../stacks/pending-options";

const STOCK =
  '# Docker Upstart and SysVinit configuration file\n\n# Use DOCKER_OPTS to modify the daemon startup options.\n#DOCKER_OPTS="--dns 8.8.8.8 --dns 8.8.4.4"\n';
const RENDERED = 'DOCKER_OPTS="--log-driver=json-file --registry-mirror=http://m:5000"';
const step = (host: string, component: PlanStep["component"], from: string, to: string, wave: number): PlanStep =>
  ({ seq: wave, wave, host, component, from, to }) as PlanStep;

test("reads the effective DOCKER_OPTS line, ignoring comments, joining '--name value' pairs", () => {
  assert.deepEqual(daemonOptionsOf(STOCK), []);
  assert.deepEqual(
    daemonOptionsOf('DOCKER_OPTS="-D"\nDOCKER_OPTS="--registry-mirror http://m:5000 -D --log-driver=syslog"\n'),
    ["--registry-mirror=http://m:5000", "-D", "--log-driver=syslog"],
  );
});

test("names each host whose options differ, which options, and whether this run's plan applies them", () => {
  const hosts = [
    { name: "m1", dockerDefaults: STOCK },
    { name: "a1", dockerDefaults: 'DOCKER_OPTS="--registry-mirror http://m:5000 -D"\n' },
    { name: "a2", dockerDefaults: `${RENDERED}\n` },
    { name: "a3" },
  ];
  const pending = pendingDaemonOptions(hosts, RENDERED, {
    steps: [step("a1", "docker", "1.11.2", "1.12.6", 2), step("m1", "mesos-master", "0.25.1", "0.26.2", 1)],
  });
  assert.deepEqual(pending, [
    { host: "m1", adds: ["--log-driver=json-file", "--registry-mirror=http://m:5000"], drops: [] },
    { host: "a1", adds: ["--log-driver=json-file"], drops: ["-D"], appliedBy: "1.11.2 → 1.12.6 (wave 2)" },
  ]);
  assert.deepEqual(pendingOptionsLines(pending), [
    "",
    "pending Docker daemon options (/etc/default/docker differs from the stack's docker settings; an engine restarts only at a planned Docker step):",
    "  m1: adds --log-driver=json-file --registry-mirror=http://m:5000 — waiting for the host's next Docker step (none this run)",
    "  a1: adds --log-driver=json-file, drops -D — applied by this run's Docker step 1.11.2 → 1.12.6 (wave 2)",
  ]);
});

test("shows nothing when every host carries the stack's options", () => {
  assert.deepEqual(
    pendingOptionsLines(
      pendingDaemonOptions([{ name: "a1", dockerDefaults: `# ours\n${RENDERED}\n` }], RENDERED, { steps: [] }),
    ),
    [],
  );
});

test("puts hosts whose options wait the same way on one line, named as runs", () => {
  const hosts = [
    ...["m1", "m2", "m3"].map((name) => ({ name, dockerDefaults: STOCK })),
    ...Array.from({ length: 197 }, (_, i) => ({ name: `a${i + 1}`, dockerDefaults: STOCK })),
  ];
  hosts[5] = { name: "a3", dockerDefaults: 'DOCKER_OPTS="-D"\n' };
  const lines = pendingOptionsLines(
    pendingDaemonOptions(hosts, RENDERED, { steps: [step("a197", "docker", "1.11.2", "1.12.6", 4)] }),
  );
  assert.deepEqual(lines.slice(2), [
    "  198 hosts (m1..m3, a1, a2, a4..a196): adds --log-driver=json-file --registry-mirror=http://m:5000 — waiting for each host's next Docker step (none this run)",
    "  a3: adds --log-driver=json-file --registry-mirror=http://m:5000, drops -D — waiting for the host's next Docker step (none this run)",
    "  a197: adds --log-driver=json-file --registry-mirror=http://m:5000 — applied by this run's Docker step 1.11.2 → 1.12.6 (wave 4)",
  ]);
});

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCluster } from "./helpers";

const CLI = join(__dirname, "..", "..", "..", "planner", "cli.js");
let dir = "";

function plan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inputFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function broken(change: (r: Record<string, any>) => void): Record<string, any> {
  const r = JSON.parse(JSON.stringify(seedCluster(2)));
  change(r);
  return r;
}

describe("planner CLI", () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "planner-cli-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("path --json prints the hops, excluding from and ending with to, each with its reason and source", () => {
    const r = plan("path", "mesos", "0.22.1", "0.28.2", "--json");
    assert.deepEqual([r.status, r.stderr], [0, ""]);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      { ...out, reasons: undefined },
      {
        apiVersion: "mesos-upgrade/v1",
        kind: "Path",
        component: "mesos",
        from: "0.22.1",
        to: "0.28.2",
        hops: ["0.23.1", "0.24.2", "0.25.1", "0.26.2", "0.27.3", "0.28.2"],
        reasons: undefined,
      },
    );
    assert.deepEqual(
      out.reasons.map((r: { to: string }) => r.to),
      out.hops,
    );
    for (const reason of out.reasons) assert.ok(reason.reason.length > 0 && reason.source.length > 0);
  });

  it("path without --json prints the hops on one line, then one line per hop with its reason", () => {
    assert.equal(
      plan("path", "marathon", "1.0.0-RC1", "1.1.7").stdout,
      "marathon 1.0.0-RC1 → 1.1.0 → 1.1.7\n  1.1.0: the seed's hop graph (edge 1.0.0-RC1 → 1.1.0)\n  1.1.7: a later patch of the same line; migrates ZooKeeper storage (back up ZooKeeper first)\n",
    );
    assert.match(
      plan("path", "docker", "1.7.1", "1.11.2").stdout,
      /^docker 1\.7\.1 → 1\.11\.2\n  1\.11\.2: straight on: .*; package docker-engine=1\.11\.2-0~trusty\n$/,
    );
  });

  it("path mesos 0.22.1 1.11.0 walks every line's latest patch and names the 1.0 rule for agents", () => {
    const r = plan("path", "mesos", "0.22.1", "1.11.0");
    const [head, ...lines] = r.stdout.trimEnd().split("\n");
    assert.equal(
      head,
      "mesos 0.22.1 → 0.23.1 → 0.24.2 → 0.25.1 → 0.26.2 → 0.27.3 → 0.28.3 → 1.0.4 → 1.1.3 → 1.2.3 → 1.3.2 → 1.4.3 → 1.5.3 → 1.6.2 → 1.7.3 → 1.8.1 → 1.9.0 → 1.10.0 → 1.11.0",
    );
    assert.equal(lines.length, 18);
    assert.match(
      lines[6] as string,
      /^  1\.0\.4: latest patch of 1\.0: every agent must run 1\.0\.x before any master leaves 1\.0\.x/,
    );
    assert.match(lines[17] as string, /^  1\.11\.0: the target: one minor per hop/);
  });

  it("path marathon 0.9.1 1.10.26 goes line by line past 1.1, with the whole-cluster stop at 1.3", () => {
    const r = plan("path", "marathon", "0.9.1", "1.10.26");
    const [head, ...lines] = r.stdout.trimEnd().split("\n");
    assert.equal(
      head,
      "marathon 0.9.1 → 0.10.0 → 0.11.0 → 0.11.1 → 0.13.0 → 0.14.0 → 0.15.0 → 0.15.3 → 1.0.0-RC1 → 1.1.0 → 1.3.14 → 1.4.13 → 1.5.15 → 1.6.590 → 1.7.236 → 1.8.244 → 1.9.109 → 1.10.26",
    );
    assert.match(
      lines.find((l) => l.startsWith("  1.3.14:")) as string,
      /stop every instance, then start them at 1\.3\.14/,
    );
    assert.match(
      lines.find((l) => l.startsWith("  1.5.15:")) as string,
      /may only be entered from 1\.4\.x.*migrates ZooKeeper storage/,
    );
    assert.match(
      lines.find((l) => l.startsWith("  1.8.244:")) as string,
      /may only be entered from 1\.6\.x or 1\.7\.x/,
    );
  });

  it("path docker 1.7.1 18.06.3 goes straight to docker-ce 18.06.3; from 1.12 one minor while live-restore holds", () => {
    assert.match(
      plan("path", "docker", "1.7.1", "18.06.3").stdout,
      /^docker 1\.7\.1 → 18\.06\.3\n  18\.06\.3: straight on: .*package docker-ce=18\.06\.3~ce~3-0~ubuntu\n$/,
    );
    assert.match(
      plan("path", "docker", "1.12.0", "18.06.3").stdout,
      /^docker 1\.12\.0 → 1\.13\.1 → 17\.03\.2 → 18\.06\.3\n/,
    );
  });

  it("--input --json prints the plan of one run in the issue's shape, inside a versioned Plan envelope", () => {
    const r = plan("--input", inputFile("seed.json", seedCluster(2)), "--json");
    assert.deepEqual([r.status, r.stderr], [0, ""]);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), [
      "apiVersion",
      "kind",
      "phase",
      "steps",
      "blocked",
      "paths",
      "targets",
      "notes",
    ]);
    assert.deepEqual([out.apiVersion, out.kind], ["mesos-upgrade/v1", "Plan"]);
    assert.equal(out.phase, "mesos");
    assert.deepEqual(out.steps[0], {
      seq: 1,
      wave: 1,
      host: "m2",
      component: "mesos-master",
      from: "0.22.1",
      to: "0.22.2",
    });
    assert.deepEqual(Object.keys(out.paths), ["docker", "mesos", "marathon"]);
  });

  it("--input without --json prints the reviewer's table", () => {
    const r = plan("--input", inputFile("table.json", seedCluster(1)));
    assert.equal(r.status, 0);
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], "phase: mesos — 4 steps in 4 waves; policy marathon-docs");
    assert.equal(lines[1], "HOST  COMPONENT     CURRENT  THIS RUN  TARGET  WAVE  REMAINING PATH");
    assert.equal(
      lines[3],
      "m1    mesos-master  0.22.1   → 0.22.2  0.28.2  3     0.23.1 → 0.24.2 → 0.25.1 → 0.26.2 → 0.27.3 → 0.28.2",
    );
  });

  const invalid: [string, () => string[], string | (() => RegExp)][] = [
    [
      "an unknown version",
      () => ["path", "mesos", "0.22.1", "0.29.0"],
      'to must be a known Mesos release, got "0.29.0"; did you mean "0.28.3"?',
    ],
    [
      "a downgrade",
      () => ["path", "mesos", "0.28.2", "0.22.1"],
      'to must be "0.28.2" or newer, got "0.22.1"; the planner never downgrades Mesos',
    ],
    [
      "an unknown component",
      () => ["path", "zookeeper", "3.4.6", "3.4.8"],
      'component must be one of docker, mesos, marathon, got "zookeeper"; e.g. path mesos 0.22.1 0.28.2',
    ],
    [
      "an unknown version in the input",
      () => [
        "--input",
        inputFile(
          "v.json",
          broken((r) => (r.desired.docker = "1.11.9")),
        ),
      ],
      'desired.docker must be a known Docker release (1.7.0 to 18.06.3), got "1.11.9"; did you mean "1.11.2"?',
    ],
    [
      "a downgrade in the input",
      () => [
        "--input",
        inputFile(
          "d.json",
          broken((r) => (r.hosts[0].versions.docker = "1.12.0")),
        ),
      ],
      'hosts[0].versions.docker must be no newer than desired.docker "1.11.2", got "1.12.0"; the planner never downgrades: raise desired.docker to "1.12.0" or later',
    ],
    [
      "an unknown role",
      () => [
        "--input",
        inputFile(
          "r.json",
          broken((r) => (r.hosts[3].roles = ["mesos-agent"])),
        ),
      ],
      'hosts[3].roles[0] must be one of "mesos-master", "mesos-slave", "marathon", got "mesos-agent"; did you mean "mesos-slave"?',
    ],
    [
      "a duplicate host",
      () => [
        "--input",
        inputFile(
          "h.json",
          broken((r) => (r.hosts[2].name = "m1")),
        ),
      ],
      'hosts[2].name must be unique (hosts[0].name is the same), got "m1"; rename one of them',
    ],
    [
      "a missing field",
      () => [
        "--input",
        inputFile(
          "m.json",
          broken((r) => delete r.desired.mesos),
        ),
      ],
      'desired.mesos must be a Mesos release, got nothing; add it, e.g. "1.11.0"',
    ],
    [
      "maxUnavailableSlaves below 1",
      () => [
        "--input",
        inputFile(
          "w.json",
          broken((r) => (r.rollout.maxUnavailableSlaves = 0)),
        ),
      ],
      "rollout.maxUnavailableSlaves must be an integer >= 1, got 0; use 1 to upgrade one agent at a time",
    ],
    [
      "malformed JSON",
      () => ["--input", inputFile("bad.json", '{"desired": {"docker": "1.11.2",}')],
      () =>
        new RegExp(
          `^--input must be a file of valid JSON, got "${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}/bad\\.json" \\(.*JSON.*\\); fix the file\\n$`,
        ),
    ],
    [
      "a missing input file",
      () => ["--input", "/nonexistent/plan.json"],
      '--input must be a readable file, got "/nonexistent/plan.json"; ENOENT: check the path',
    ],
  ];

  it("refuses an unknown flag with the usage, exit 2", () => {
    const r = plan("--inptu", "x.json");
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^plan: Unknown option '--inptu'.*\n\nusage: npm run -s plan -- path <docker\|mesos\|marathon> <from> <to> \[--json\]\n/,
    );
  });

  it("refuses an unknown command with the usage, exit 2", () => {
    const r = plan("paths", "mesos");
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^plan: unknown command "paths": give "path <component> <from> <to>" or "--input <file.json>"\n\nusage:/,
    );
  });

  for (const [what, args, message] of invalid) {
    it(`exits 2 with one line on stderr for ${what}`, () => {
      const r = plan(...args());
      assert.equal(r.status, 2);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.split("\n").length, 2, "one line and its newline");
      if (typeof message === "string") assert.equal(r.stderr, `${message}\n`);
      else assert.match(r.stderr, message());
    });
  }
});

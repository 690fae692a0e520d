// Host spec parsing: the compact "names:roles" form, ranges, JSON files, and errors that name the value and the fix.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DEFAULT_HOST_SPEC, HostSpecError, parseHostSpec } from "../../../sim/spec";

describe("parseHostSpec", () => {
  test("reads the default spec as three masters with Marathon and four agents", () => {
    const spec = parseHostSpec(DEFAULT_HOST_SPEC);
    assert.deepEqual(
      spec.hosts.map((h) => `${h.name}:${h.roles.join("+")}`),
      [
        "m1:master+marathon",
        "m2:master+marathon",
        "m3:master+marathon",
        "a1:agent",
        "a2:agent",
        "a3:agent",
        "a4:agent",
      ],
    );
  });

  test("accepts ranges with a repeated prefix, 'slave' as agent, 'none' for Docker-only hosts, and spaces", () => {
    const spec = parseHostSpec(" m1 : master ; s8..s10 : slave ; d1:none ; d2: ");
    assert.deepEqual(
      spec.hosts.map((h) => `${h.name}:${h.roles.join("+")}`),
      ["m1:master", "s8:agent", "s9:agent", "s10:agent", "d1:", "d2:"],
    );
    assert.deepEqual(
      parseHostSpec("m1:master;a1..a2:agent").hosts.map((h) => h.name),
      parseHostSpec("m1:master;a1..2:agent").hosts.map((h) => h.name),
    );
  });

  test("lists every problem at once, each with the fix", () => {
    assert.throws(
      () => parseHostSpec("a1,A2:agent+agent;x3..x1:agnt;m1;a1:agent"),
      (error: HostSpecError) => {
        assert.deepEqual(error.problems, [
          'host name "A2" must be lowercase letters, digits or dashes starting with a letter (e.g. m1, agent-2)',
          'role "agent" is repeated in group "a1,A2:agent+agent"; list each role once',
          'range "x3..x1" must count up by at most 200 hosts, e.g. a1..a4',
          'unknown role "agnt" in group "x3..x1:agnt"; roles are master, agent, marathon, joined with "+" (or "none")',
          'group "m1" has no ":roles" part; write "names:roles", e.g. "m1,m2,m3:master+marathon;a1..a4:agent"',
          'host "a1" appears twice; every host needs its own name',
          'agents need a master: add a group such as "m1:master+marathon"',
        ]);
        return true;
      },
    );
  });

  test("reads a JSON file of hosts", () => {
    const file = join(mkdtempSync(join(tmpdir(), "spec-")), "hosts.json");
    writeFileSync(
      file,
      JSON.stringify({
        hosts: [
          { name: "m1", roles: ["master", "marathon"] },
          { name: "a1", roles: ["agent"] },
        ],
      }),
    );
    assert.deepEqual(parseHostSpec(file).hosts, [
      { name: "m1", roles: ["master", "marathon"] },
      { name: "a1", roles: ["agent"] },
    ]);
    writeFileSync(file, JSON.stringify({ hosts: [{ name: "m1", roles: ["boss"] }] }));
    assert.throws(
      () => parseHostSpec(file),
      /hosts\[0\]\.roles has unknown role "boss"; roles are master, agent, marathon/,
    );
  });
});

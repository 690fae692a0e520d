// Test files may run side by side only if no two of them use the same simulated network (hosts get <network>.11,
// .12, …; ZooKeeper <network>.2). This keeps each network to one file and off the default one that `npm start` and
// `npm run sim -- up` use, so a developer's running cluster and the suite never meet either.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_NETWORK } from "../../../sim/cluster";
import { repoRoot } from "../../../toolchain/paths";

/** Every TypeScript file under `dir`, relative to the repository. */
function sources(dir: string): string[] {
  return fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** The networks (`127.0.N`) a source names in a string literal, from a network or a host address in it. */
function networksIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(/["'`](127\.0\.(\d{1,3}))(?:\.\d{1,3})?["'`]/g)) {
    if (match[2] !== "0") found.add(match[1]!);
  }
  return found;
}

describe("simulated networks of the test files", () => {
  const users = new Map<string, string[]>();
  for (const file of [...sources("test/integration"), ...sources("test/support")]) {
    for (const network of networksIn(fs.readFileSync(path.join(repoRoot, file), "utf8"))) {
      users.set(network, [...(users.get(network) ?? []), file]);
    }
  }

  it("finds the networks the integration tests start clusters on", () => {
    assert.ok(users.size >= 20, `only ${users.size} networks found: the pattern no longer matches how tests name them`);
  });

  it("gives each network to one test file only, so files can run side by side", () => {
    const shared = [...users]
      .filter(([, files]) => files.length > 1)
      .map(([network, files]) => `${network}: ${files.join(", ")}`);
    assert.deepEqual(shared, [], "give each of these files a network no other file uses");
  });

  it("keeps the tests off the default network of `npm start` and `npm run sim -- up`", () => {
    assert.deepEqual(users.get(DEFAULT_NETWORK) ?? [], [], `${DEFAULT_NETWORK} is the default network; pick another`);
  });
});

// The simulator's ledger: JSON lines a host appends while tests and benchmarks read them.
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { completeLines, ledgerWriter, readLedgerFile } from "../../../sim/ledger";
import { tempDir } from "../../support/tmp";

const ledgerPath = (t: TestContext): string => join(tempDir(t, "ledger-"), "a1.jsonl");

/** Each entry of the ledger at `path` as [seq, kind]. */
const seqAndKind = (path: string) => readLedgerFile(path).map((e) => [e.seq, e.kind]);

test("reads every whole line and leaves a last line still being written for the next read", (t) => {
  const path = ledgerPath(t);
  ledgerWriter(path, "a1").record({ kind: "engine.start", version: "1.11.2" });
  appendFileSync(path, '{"time":"2026-12-06T19:50:55.000Z","host":"a1","kind":"exec","seq":1,"argv":["ps","-');
  assert.deepEqual(
    readLedgerFile(path).map((e) => [e.seq, e.kind, e.version]),
    [[0, "engine.start", "1.11.2"]],
  );
});

test("continues a host's sequence after a restart, counting whole lines only", (t) => {
  const path = ledgerPath(t);
  ledgerWriter(path, "a1").record({ kind: "engine.start" });
  ledgerWriter(path, "a1").record({ kind: "engine.stop" });
  assert.deepEqual(seqAndKind(path), [
    [0, "engine.start"],
    [1, "engine.stop"],
  ]);
});

test("cuts off a line a writer that died left half written, and goes on after the last whole line", (t) => {
  const path = ledgerPath(t);
  ledgerWriter(path, "a1").record({ kind: "engine.start" });
  appendFileSync(path, '{"time":"2026-12-06T19:50:55.000Z","host":"a1","kind":"engine.st');
  ledgerWriter(path, "a1").record({ kind: "engine.stop" });
  assert.deepEqual(seqAndKind(path), [
    [0, "engine.start"],
    [1, "engine.stop"],
  ]);
});

test("takes the lines that end with a newline, skipping empty ones", () => {
  assert.deepEqual(completeLines("a\n\nb\nc"), ["a", "b"]);
  assert.deepEqual(completeLines("a\nb\n"), ["a", "b"]);
  assert.deepEqual(completeLines(""), []);
});

test("reads a missing ledger as empty", (t) => {
  assert.deepEqual(readLedgerFile(ledgerPath(t)), []);
});

// The simulator's ledger: JSON lines a host appends while tests and benchmarks read them.
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { completeLines, ledgerWriter, readLedgerFile } from "../../../sim/ledger";

function withLedger(body: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "ledger-"));
  try {
    body(join(dir, "a1.jsonl"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("reads every whole line and leaves a last line still being written for the next read", () => {
  withLedger((path) => {
    const writer = ledgerWriter(path, "a1");
    writer.record({ kind: "engine.start", version: "1.11.2" });
    appendFileSync(path, '{"time":"2026-12-06T19:50:55.000Z","host":"a1","kind":"exec","seq":1,"argv":["ps","-');
    const entries = readLedgerFile(path);
    assert.deepEqual(
      entries.map((e) => [e.seq, e.kind, e.version]),
      [[0, "engine.start", "1.11.2"]],
    );
  });
});

test("continues a host's sequence after a restart, counting whole lines only", () => {
  withLedger((path) => {
    ledgerWriter(path, "a1").record({ kind: "engine.start" });
    ledgerWriter(path, "a1").record({ kind: "engine.stop" });
    assert.deepEqual(
      readLedgerFile(path).map((e) => [e.seq, e.kind]),
      [
        [0, "engine.start"],
        [1, "engine.stop"],
      ],
    );
  });
});

test("cuts off a line a writer that died left half written, and goes on after the last whole line", () => {
  withLedger((path) => {
    ledgerWriter(path, "a1").record({ kind: "engine.start" });
    appendFileSync(path, '{"time":"2026-12-06T19:50:55.000Z","host":"a1","kind":"engine.st');
    ledgerWriter(path, "a1").record({ kind: "engine.stop" });
    assert.deepEqual(
      readLedgerFile(path).map((e) => [e.seq, e.kind]),
      [
        [0, "engine.start"],
        [1, "engine.stop"],
      ],
    );
  });
});

test("takes the lines that end with a newline, skipping empty ones", () => {
  assert.deepEqual(completeLines("a\n\nb\nc"), ["a", "b"]);
  assert.deepEqual(completeLines("a\nb\n"), ["a", "b"]);
  assert.deepEqual(completeLines(""), []);
});

test("reads a missing ledger as empty", () => {
  withLedger((path) => assert.deepEqual(readLedgerFile(path), []));
});

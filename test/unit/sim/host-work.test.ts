// Unscaled host work: the spans in which an operator's process ran on a host while its daemon served no request.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { hostWorkRecorder, readHostWork } from "../../../sim/host-work";

const total = (spans: ReadonlyArray<readonly [number, number]>) => spans.reduce((sum, [a, b]) => sum + b - a, 0);

test("records a command's time outside the daemon's requests as unscaled host work", async () => {
  const state = mkdtempSync(join(tmpdir(), "host-work-"));
  const work = hostWorkRecorder(state, "a1");
  const start = Date.now();
  const execEnded = work.exec();
  await sleep(40);
  const answered = work.request();
  await sleep(200);
  answered();
  await sleep(40);
  const during = readHostWork(state, "a1", start);
  assert.equal(during.length, 2, "the span before the request and the one in progress");
  execEnded();
  execEnded();
  const spans = readHostWork(state, "a1", start);
  assert.equal(spans.length, 2);
  assert.ok(total(spans) >= 75 && total(spans) < 200, `the request's 200 ms is not host work: ${total(spans)} ms`);
  assert.deepEqual(readHostWork(state, "a1", Date.now()), [], "nothing after the command ended");
});

test("records nothing for requests with no operator process, and a new recorder forgets an earlier process' spans", async () => {
  const state = mkdtempSync(join(tmpdir(), "host-work-"));
  const first = hostWorkRecorder(state, "a1");
  const start = Date.now();
  first.request()();
  assert.deepEqual(readHostWork(state, "a1", start), []);
  first.exec();
  await sleep(10);
  assert.equal(readHostWork(state, "a1", start).length, 1);
  hostWorkRecorder(state, "a1");
  assert.deepEqual(
    readHostWork(state, "a1", start),
    [],
    "a restarted host daemon runs none of the dead one's commands",
  );
});

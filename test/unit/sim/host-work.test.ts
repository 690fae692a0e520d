// Unscaled host work: the spans in which an operator's process ran on a host while its daemon served no request.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  checkStalls,
  hostWorkRecorder,
  readHostWork,
  readStalls,
  STALL_TICKS,
  stallTickMs,
  watchStalls,
} from "../../../sim/host-work";

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

test("records a stall of the host's process from one tick after its last look to the look that finds it late", () => {
  const state = mkdtempSync(join(tmpdir(), "host-work-"));
  let now = 1_000_000;
  const tick = 50;
  const watch = watchStalls(state, "a1", tick, () => now);
  try {
    now += STALL_TICKS * tick - 1;
    watch.check();
    assert.deepEqual(readStalls(state, "a1", 0), [], "late by less than STALL_TICKS ticks is no stall");
    const looked = now;
    now += 2500;
    checkStalls();
    assert.deepEqual(readStalls(state, "a1", 0), [[looked + tick, looked + 2500]], "checkStalls asks the watch");
    now += 10;
    watch.check();
    assert.deepEqual(readStalls(state, "a1", looked + 2500), [], "only spans that end after the time asked for");
    assert.deepEqual(readHostWork(state, "a1", 0), [], "a stall is not the host's work: they are read apart");
  } finally {
    watch.stop();
  }
  checkStalls();
  watchStalls(state, "a1", tick, () => now).stop();
  assert.deepEqual(readStalls(state, "a1", 0), [], "a new watch forgets what an earlier process of the host recorded");
});

test("finds a stall of the event loop by itself, with its timer", async () => {
  const state = mkdtempSync(join(tmpdir(), "host-work-"));
  const tick = stallTickMs(0.02);
  const watch = watchStalls(state, "a1", tick);
  try {
    await sleep(tick * 2);
    const blocked = Date.now();
    while (Date.now() - blocked < STALL_TICKS * tick * 2) {
      // the process runs nothing else: its timer is late
    }
    await sleep(tick * 2);
    const stalls = readStalls(state, "a1", 0);
    assert.equal(stalls.length, 1, JSON.stringify(stalls));
    assert.ok(total(stalls) >= STALL_TICKS * tick, `${total(stalls)} ms`);
  } finally {
    watch.stop();
  }
});

test("looks at the clock a sixth of the master's 15 s ping timeout apart in wall time, at least every 50 ms", () => {
  assert.equal(stallTickMs(0.02), 50);
  assert.equal(stallTickMs(0.2), 500);
  assert.equal(stallTickMs(0.001), 50);
});

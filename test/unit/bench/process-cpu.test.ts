import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { cpuTicksOfStat, withCpuOf, withOwnCpu } from "../../../bench/process-cpu";

/** Spins until this process has used `ms` more milliseconds of CPU. */
function spin(ms: number): void {
  const start = process.cpuUsage();
  while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < ms) {
    // busy
  }
}

describe("the CPU time of processes, from /proc", () => {
  it("adds a process's own user and system time and its reaped children's, whatever its name holds", () => {
    const stat = "4242 (node (sim) a1) S 1 4242 4242 0 -1 4194560 900 12 0 0 150 30 7 3 20 0 11 0";
    assert.equal(cpuTicksOfStat(stat), 150 + 30 + 7 + 3);
  });

  it("counts the CPU a process used meanwhile, its own and that of the children it waited for", async () => {
    const [, own] = await withCpuOf([process.pid], async () => spin(300));
    assert.ok(own >= 0.25 && own < 5, `own ${own} s`);
    const [, children] = await withCpuOf([process.pid], async () => {
      const child = spawnSync(process.execPath, [
        "-e",
        "const t=process.cpuUsage();while(process.cpuUsage(t).user<300000){}",
      ]);
      assert.equal(child.status, 0);
    });
    assert.ok(children >= 0.25, `a reaped child's CPU counts: ${children} s`);
  });

  it("counts a process that is gone as nothing", async () => {
    const [, seconds] = await withCpuOf([2 ** 22 + 1], async () => undefined);
    assert.equal(seconds, 0);
  });

  it("counts this process's own CPU apart from its children's (the program, not the engine it starts)", async () => {
    const [, own] = await withOwnCpu(async () => spin(300));
    assert.ok(own >= 0.25 && own < 5, `own ${own} s`);
    const [, withChild] = await withOwnCpu(async () => {
      const child = spawnSync(process.execPath, [
        "-e",
        "const t=process.cpuUsage();while(process.cpuUsage(t).user<300000){}",
      ]);
      assert.equal(child.status, 0);
    });
    assert.ok(withChild < 0.2, `a child's CPU is not the process's own: ${withChild} s`);
  });
});

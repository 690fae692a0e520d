/** Benchmark: plan one run for a 10,000-agent cluster (3 masters with Marathon) and print how long it took. */
import { performance } from "node:perf_hooks";
import { planRun, renderPlanTable, type PlanInput } from "../planner";

/** The benchmark's result. */
export interface PlannerBenchResult {
  /** Agents in the planned cluster. */
  readonly agents: number;
  /** Steps in the planned run. */
  readonly steps: number;
  /** Median wall time of one `planRun`, in milliseconds. */
  readonly medianMs: number;
  /** Slowest of the timed runs, in milliseconds. */
  readonly maxMs: number;
  /** Wall time of rendering the plan's table once, in milliseconds. */
  readonly tableMs: number;
}

/** A cluster of 3 masters with Marathon and `agents` agents, all at Mesos `mesos`. */
export function planInput(agents: number, mesos: string): PlanInput {
  return {
    desired: { docker: "1.11.2", mesos: "0.28.2", marathon: "1.1.7" },
    hosts: [
      ...["m1", "m2", "m3"].map((name, i) => ({
        name,
        roles: ["mesos-master" as const, "marathon" as const],
        versions: { docker: "1.11.2", "mesos-master": mesos, marathon: "0.11.0" },
        ...(i === 0 ? { leader: ["mesos-master" as const, "marathon" as const] } : {}),
      })),
      ...Array.from({ length: agents }, (_, i) => ({
        name: `agent-${i + 1}`,
        roles: ["mesos-slave" as const],
        versions: { docker: "1.11.2", "mesos-slave": mesos },
      })),
    ],
    rollout: { maxUnavailableSlaves: 50 },
    frameworks: { "jenkins-mesos-plugin": "0.13.1", "mesos-dns": "0.6.0" },
  };
}

/** Plans a Mesos hop (0.25.1 → 0.26.2) for 10,000 agents several times and reports the timings. */
export function runPlannerBench(agents = 10_000, repeats = 7): PlannerBenchResult {
  const input = planInput(agents, "0.25.1");
  let steps = planRun(input).steps.length; // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    steps = planRun(input).steps.length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const plan = planRun(input);
  const start = performance.now();
  renderPlanTable(plan, input);
  const tableMs = performance.now() - start;
  return {
    agents,
    steps,
    medianMs: times[Math.floor(times.length / 2)] as number,
    maxMs: times[times.length - 1] as number,
    tableMs,
  };
}

if (require.main === module) {
  const r = runPlannerBench();
  console.log(
    `planRun for ${r.agents} agents (${r.steps} steps): median ${r.medianMs.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms; table ${r.tableMs.toFixed(1)} ms`,
  );
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PlanStep } from "../../../planner";
import { accumulate, downtimeLines, forecastCount } from "../../../stacks/downtime";
import { downtimeForecast } from "../../../stacks/downtime-forecast";
import type { ForecastHost } from "../../../stacks/singleHost";

const host = (name: string, ...roles: string[]): ForecastHost => ({ name, address: `10.0.0.${name.slice(1)}`, roles });
/**
 * Marathon 1.1.7 → 1.3.14 on `hosts`: one step per instance, in one wave, each marked whole-cluster (planner/waves.ts).
 */
const wholeCluster = (...hosts: string[]): PlanStep[] =>
  hosts.map(
    (name, i) =>
      ({
        seq: i + 1,
        wave: 1,
        host: name,
        component: "marathon",
        from: "1.1.7",
        to: "1.3.14",
        restart: "whole-cluster",
      }) as PlanStep,
  );
/** The converge log's plan section of a run whose forecast is `lines` (program.ts's warning, converge.ts's label). */
const printedWarning = (lines: readonly string[]): string => `warning: downtime this run:\n  ${lines.join("\n  ")}`;

describe("downtime measured against the forecast", () => {
  it("adds the span from each look that found a name down to the next look", () => {
    const looks = [
      { at: 0, up: new Set(["/redis", "api"]) },
      { at: 1000, up: new Set(["api"]) },
      { at: 1500, up: new Set<string>() },
      { at: 4000, up: new Set(["/redis", "api"]) },
    ];
    assert.deepEqual(
      [...accumulate(["/redis", "api"], looks)],
      [
        ["/redis", 3000],
        ["api", 2500],
      ],
    );
  });

  it("counts the forecast lines that name an app or an API down", () => {
    const printed = [
      "warning: downtime this run:\n  the Mesos API (dev1:5050) is down while Docker 1.7.1 → 1.11.2 restarts on dev1: it is the only master\n  /redis (1 instance) is down while Docker 1.7.1 → 1.11.2 restarts on dev1 (…): there is no other host",
      "  /redis (1 instance) is down while the Mesos agent 0.22.1 → 0.22.2 restarts on dev1 (…): there is no other host",
      "  ✓ dev1 docker 1.7.1 → 1.11.2 gate: apps down: none",
    ];
    assert.equal(forecastCount("/redis", printed), 2);
    assert.equal(forecastCount("the Mesos API (dev1:5050)", printed), 1);
    assert.equal(forecastCount("/drone", printed), 0);
    assert.deepEqual(downtimeLines(new Map([["/redis", 12345]]), printed), [
      "/redis: down 12.3s measured; forecast: down at 2 step(s)",
    ]);
  });

  it("counts a whole-cluster Marathon restart's forecast at every instance's step, as the plan lists them", () => {
    const hosts = [
      host("m1", "mesos-master", "marathon"),
      host("m2", "mesos-master", "marathon"),
      host("m3", "mesos-master", "marathon"),
      host("a1", "mesos-slave"),
      host("a2", "mesos-slave"),
    ];
    const printed = [printedWarning(downtimeForecast(wholeCluster("m1", "m2", "m3"), hosts, []))];
    assert.equal(forecastCount("Marathon's API", printed), 3);
    assert.deepEqual(downtimeLines(new Map([["Marathon's API", 5200]]), printed), [
      "Marathon's API: down 5.2s measured; forecast: down at 3 step(s)",
    ]);
  });

  it("counts an only Marathon's whole-cluster restart once, against the API the summary names with its host", () => {
    const hosts = [host("m1", "mesos-master", "marathon"), host("a1", "mesos-slave"), host("a2", "mesos-slave")];
    const printed = [printedWarning(downtimeForecast(wholeCluster("m1"), hosts, []))];
    assert.equal(forecastCount("Marathon's API (m1:8080)", printed), 1);
  });

  it("adds whole-cluster and per-step forecasts of the same API across runs", () => {
    const printed = [
      printedWarning([
        "Marathon's API (every instance: m1, m2) is down from the first stop until a 1.3.14 instance leads: …",
      ]),
      printedWarning([
        "Marathon's API (m1:8080) is down while Docker 1.7.1 → 1.11.2 restarts on m1: it is the only Marathon",
      ]),
    ];
    assert.equal(forecastCount("Marathon's API", printed), 3);
    assert.equal(forecastCount("the Mesos API", printed), 0);
  });

  it("marks downtime measured where no step forecast it, and only there", () => {
    const printed = [
      printedWarning([
        "/harbor (single instance) is down while Docker restarts on a1, until Marathon starts it elsewhere",
      ]),
    ];
    assert.deepEqual(
      downtimeLines(
        new Map([
          ["/harbor", 800],
          ["Marathon's API", 600],
          ["/redis", 0],
        ]),
        printed,
      ),
      [
        "/harbor: down 0.8s measured; forecast: down at 1 step(s)",
        "Marathon's API: down 0.6s measured; forecast: down at 0 step(s) — not forecast",
        "/redis: down 0.0s measured; forecast: down at 0 step(s)",
      ],
    );
  });
});

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as YAML from "yaml";
import { CLUSTER_SHAPES } from "../../../stacks/localCluster";
import { CLUSTER_SHAPE_NAMES, confirmation, parseConvergeArgs } from "../../../stacks/options";
import { repoRoot } from "../../../toolchain/paths";

const refusal = (argv: string[]): string => {
  const parsed = parseConvergeArgs(argv);
  assert.equal(parsed.kind, "refuse", JSON.stringify(parsed));
  return (parsed as { message: string }).message;
};

describe("the converge command's arguments", () => {
  it("defaults to the local stack, 60 runs, applying without asking", () => {
    assert.deepEqual(parseConvergeArgs(["converge"]), {
      kind: "run",
      args: { stack: "local", step: false, yes: false, maxRuns: 60, keepCluster: false },
    });
  });

  it("reads every flag", () => {
    assert.deepEqual(parseConvergeArgs(["converge", "--stack", "prod", "--yes", "--step", "--max-runs", "3"]), {
      kind: "run",
      args: { stack: "prod", step: true, yes: true, maxRuns: 3, keepCluster: false },
    });
    assert.deepEqual(parseConvergeArgs(["converge", "--stack=dev"]), {
      kind: "run",
      args: { stack: "dev", step: false, yes: false, maxRuns: 60, keepCluster: false },
    });
  });

  it("answers --help on the command and alone", () => {
    assert.deepEqual(parseConvergeArgs(["converge", "--help"]), { kind: "help" });
    assert.deepEqual(parseConvergeArgs(["--help"]), { kind: "help" });
  });

  it("refuses --stack without a value instead of falling back to local", () => {
    assert.match(refusal(["converge", "--stack"]), /^converge: Option '--stack <value>' argument missing\n\nusage:/);
    assert.match(refusal(["converge", "--stack", "--yes"]), /argument is ambiguous/);
    assert.match(refusal(["converge", "--stack="]), /--stack "" is not a stack name; name one, e\.g\. --stack prod/);
  });

  it("refuses unknown flags, stray words and unknown commands with the usage", () => {
    assert.match(refusal(["converge", "--stak", "prod"]), /Unknown option '--stak'[\s\S]*usage:/);
    assert.match(refusal(["converge", "prod"]), /Unexpected argument 'prod'/);
    assert.match(refusal(["apply"]), /unknown command "apply": the only command is "converge"/);
    assert.match(refusal(["converge", "--step=yes"]), /'--step' does not take an argument/);
  });

  it("refuses a --max-runs that is not a whole number of runs", () => {
    assert.match(refusal(["converge", "--max-runs", "x"]), /--max-runs "x" is not a whole number of runs ≥ 1/);
    assert.match(refusal(["converge", "--max-runs", "0"]), /--max-runs "0"/);
  });

  it("shapes a smaller simulated cluster for the local stack only", () => {
    const parsed = parseConvergeArgs(["converge", "--sim-hosts", "m1:master+marathon;a1:agent"]);
    assert.equal(parsed.kind === "run" && parsed.args.simHosts, "m1:master+marathon;a1:agent");
    assert.match(
      refusal(["converge", "--stack", "dev", "--yes", "--sim-hosts", "m1:master"]),
      /--sim-hosts shapes the simulated cluster of the local stack only, not stack "dev"/,
    );
  });

  it("runs the dev shape on the local stack with --cluster dev, and refuses an unknown shape or one given twice", () => {
    const parsed = parseConvergeArgs(["converge", "--cluster", "dev"]);
    assert.equal(parsed.kind === "run" && parsed.args.cluster, "dev");
    assert.match(
      refusal(["converge", "--cluster", "prod"]),
      /--cluster "prod" is not a simulated cluster shape; use local, dev, newest/,
    );
    assert.match(
      refusal(["converge", "--cluster", "dev", "--sim-hosts", "m1:master"]),
      /--cluster dev and --sim-hosts both name the simulated hosts; give one/,
    );
    assert.match(
      refusal(["converge", "--stack", "dev", "--yes", "--cluster", "dev"]),
      /--cluster shapes the simulated cluster of the local stack only, not stack "dev"/,
    );
  });

  it("takes as --cluster exactly the shapes the local stack can start, each converging to a committed stack file's targets", () => {
    assert.deepEqual([...CLUSTER_SHAPE_NAMES].sort(), Object.keys(CLUSTER_SHAPES).sort());
    for (const shape of Object.values(CLUSTER_SHAPES)) {
      const file = YAML.parse(fs.readFileSync(path.join(repoRoot, shape.targetsFrom), "utf8")) as {
        config: Record<string, unknown>;
      };
      assert.ok(file.config["mesos-upgrade:targets"], `${shape.targetsFrom} names targets for the ${shape.name} shape`);
    }
    const parsed = parseConvergeArgs(["converge", "--cluster", "newest"]);
    assert.equal(parsed.kind === "run" && parsed.args.cluster, "newest");
  });

  it("refuses --keep-cluster for a stack other than local", () => {
    assert.match(
      refusal(["converge", "--stack", "prod", "--keep-cluster"]),
      /--keep-cluster applies to the simulated cluster of the local stack only, not to stack "prod"/,
    );
  });
});

describe("whether a run applies without asking", () => {
  it("applies the local stack without asking, unless --step", () => {
    assert.deepEqual(confirmation({ stack: "local", step: false, yes: false }, false), { kind: "apply" });
    assert.deepEqual(confirmation({ stack: "local", step: true, yes: false }, true), { kind: "ask" });
  });

  it("asks before each run of any other stack in a terminal", () => {
    assert.deepEqual(confirmation({ stack: "prod", step: false, yes: false }, true), { kind: "ask" });
  });

  it("refuses another stack without a terminal and without --yes", () => {
    const decision = confirmation({ stack: "prod", step: false, yes: false }, false);
    assert.equal(decision.kind, "refuse");
    assert.match(
      (decision as { message: string }).message,
      /stack "prod" asks before applying each run, but stdin is not a terminal; run it in a terminal, or pass --yes/,
    );
  });

  it("applies another stack with --yes, in a terminal or not", () => {
    assert.deepEqual(confirmation({ stack: "prod", step: false, yes: true }, false), { kind: "apply" });
    assert.deepEqual(confirmation({ stack: "prod", step: false, yes: true }, true), { kind: "apply" });
  });
});

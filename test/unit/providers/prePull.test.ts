import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bounded, fetchCommand, fetchesOf, fetchOn } from "../../../providers/prePull";
import type { RemoteShell } from "../../../remote/ssh";

/** A shell that records each command and fails the ones `fails` matches. */
function fakeShell(fails: (line: string) => boolean = () => false): RemoteShell & { lines: string[] } {
  const lines: string[] = [];
  return {
    label: "a2 (10.0.0.3:22)",
    lines,
    async run(argv) {
      const line = argv.join(" ");
      lines.push(line);
      if (fails(line)) throw new Error(`\`${line}\` failed with exit code 1: network timed out`);
      return { code: 0, stdout: "", stderr: "" };
    },
  };
}

describe("pre-pulling on one host", () => {
  it("updates apt, pulls the images, then downloads the packages without installing them", async () => {
    const shell = fakeShell();
    const fetches = fetchesOf({ images: ["m:1"], packages: [{ name: "docker-engine", version: "1.8.3-0~trusty" }] });
    await fetchOn(shell, "a2", fetches, 60);
    assert.deepEqual(shell.lines, [
      "apt-get update",
      "docker pull m:1",
      "apt-get install -d -y docker-engine=1.8.3-0~trusty",
    ]);
    assert.deepEqual(fetchCommand({ kind: "image", image: "m:1" }), ["docker", "pull", "m:1"]);
  });

  it("names the host and the image that could not be pulled", async () => {
    const shell = fakeShell((line) => line.includes("mesos-slave"));
    await assert.rejects(
      fetchOn(shell, "a2", fetchesOf({ images: ["mesosphere/mesos-slave:0.22.2-1.0.ubuntu1404"], packages: [] }), 60),
      /pre-pull on a2: image mesosphere\/mesos-slave:0\.22\.2-1\.0\.ubuntu1404 could not be fetched: .*network timed out/,
    );
  });
});

describe("pre-pulling on many hosts", () => {
  it("never runs more hosts at once than the bound, and does every host", async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await bounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      done.push(n);
    });
    assert.equal(most, 3);
    assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  it("starts no further host after a failure and says nothing was stopped", async () => {
    const started: number[] = [];
    await assert.rejects(
      bounded([1, 2, 3, 4], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error("pre-pull on a2: image x could not be fetched");
      }),
      /pre-pull on a2: image x could not be fetched\nnothing was stopped/,
    );
    assert.deepEqual(started, [1, 2]);
  });
});

// Reading a host's containers in one round trip: the script's sections run in a real /bin/sh against a stand-in
// `docker` that answers as Docker 1.11 does, and what they print becomes the containers with what they inherited.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { it } from "node:test";
import type { ImageDefaults } from "../../../observe/container-options";
import { containerSections, containersOf, parseInspect } from "../../../observe/containers";
import { runWithStandInDocker } from "../../support/stand-in-docker";
import { tempDir, writeScript } from "../../support/tmp";

const IMAGE_ID = `sha256:${"ab".repeat(32)}`;
const container = (id: string, name: string, running: boolean) => ({
  Id: id,
  Name: `/${name}`,
  Image: IMAGE_ID,
  Path: "mesos-master",
  Args: ["--quorum=1"],
  State: { Running: running },
  Config: {
    Image: "mesosphere/mesos-master:0.28.2-2.0.27.ubuntu1404",
    Env: ["PATH=/usr/bin", "MESOS_QUORUM=1"],
    Cmd: ["--quorum=1"],
  },
  HostConfig: { Binds: ["/var/lib/mesos:/var/lib/mesos"], NetworkMode: "host", RestartPolicy: { Name: "always" } },
});

/** Runs the read's script with a stand-in `docker` first on PATH; returns what it printed and the argv docker got. */
function readWith(
  t: Parameters<typeof tempDir>[0],
  psIds: string,
  names?: string[],
  known: ReadonlyMap<string, ImageDefaults> = new Map(),
) {
  const { sections, asked } = runWithStandInDocker(
    t,
    (dir) => {
      fs.writeFileSync(
        path.join(dir, "containers.json"),
        JSON.stringify([container("c1", "mesos_master", true), container("c2", "old", false)], null, 4),
      );
      fs.writeFileSync(
        path.join(dir, "images.json"),
        JSON.stringify([{ Id: IMAGE_ID, Config: { Env: ["PATH=/usr/bin"] } }], null, 4),
      );
      return [
        `  ps) printf '${psIds}' ;;`,
        `  inspect) case "$2" in sha256:*) cat "${dir}/images.json" ;; nope) echo "Error: No such object: nope" >&2; echo "[]"; exit 1 ;; *) cat "${dir}/containers.json" ;; esac ;;`,
        "  info) printf 'Containers: 2\\nLogging Driver: journald\\nCgroup Driver: cgroupfs\\n' ;;",
      ];
    },
    containerSections(names, known.keys()),
  );
  return { read: containersOf(sections, known), argv: asked };
}

it("reads every container, the config of the images they run and the engine's log driver, each command once", (t) => {
  const { read, argv } = readWith(t, "c1\\nc2\\n");
  assert.equal(read.kind, "read");
  if (read.kind !== "read") return;
  assert.deepEqual(
    read.containers.map((c) => [c.name, c.running, c.imageId]),
    [
      ["mesos_master", true, IMAGE_ID],
      ["old", false, IMAGE_ID],
    ],
  );
  assert.deepEqual(read.containers[0]?.env, { MESOS_QUORUM: "1" }, "what the image sets is not the container's own");
  assert.equal(read.daemonLogDriver, "journald");
  assert.deepEqual(argv, ["ps -a -q --no-trunc", "inspect c1 c2", `inspect ${IMAGE_ID}`, "info"]);
  assert.deepEqual([...read.imagesRead], [[IMAGE_ID, { Env: ["PATH=/usr/bin"] }]], "the configs it asked for");
});

it("does not ask for an image whose config an earlier read brought, and still tells what the container inherited", (t) => {
  const { read, argv } = readWith(t, "c1\\nc2\\n", undefined, new Map([[IMAGE_ID, { Env: ["PATH=/usr/bin"] }]]));
  assert.deepEqual(argv, ["ps -a -q --no-trunc", "inspect c1 c2", "info"]);
  assert.equal(read.kind, "read");
  if (read.kind !== "read") return;
  assert.deepEqual(read.containers[0]?.env, { MESOS_QUORUM: "1" }, "the known config tells the image's PATH apart");
  assert.equal(read.imagesRead.size, 0);
});

it("refuses a known image id that is not one before building any command (a host's answer never becomes shell text)", () => {
  assert.throws(() => containerSections(undefined, ["x'; rm -rf /; '"]), /"x'; rm -rf \/; '" is not a Docker image id/);
});

it("reads nothing more on a host without containers", (t) => {
  const { read, argv } = readWith(t, "");
  assert.deepEqual(read, { kind: "read", containers: [], daemonLogDriver: "journald", imagesRead: new Map() });
  assert.deepEqual(argv, ["ps -a -q --no-trunc", "info"]);
});

it("reads named containers without listing, and tells a missing one by Docker's own words", (t) => {
  assert.deepEqual(readWith(t, "", ["mesos_master"]).argv.slice(0, 1), ["inspect mesos_master"]);
  const missing = readWith(t, "", ["nope"]).read;
  assert.equal(missing.kind, "failed");
  assert.match(missing.kind === "failed" ? missing.result.stderr : "", /No such object: nope/);
});

it("refuses a name that is not a Docker container name before building any command", () => {
  assert.throws(() => containerSections(["a; rm -rf /"]), /"a; rm -rf \/" is not a Docker container name or id/);
});

it("asks for each image a container runs once, by the id of Docker 1.7 or of 1.10 and later, never by its name", (t) => {
  const dir = tempDir(t);
  const old = "cd".repeat(32);
  const inspected = [
    { Id: "c1", Image: IMAGE_ID, Config: { Image: "mesosphere/mesos-master:0.28.2" } },
    { Id: "c2", Image: IMAGE_ID, Config: { Image: "mesosphere/mesos-master:0.28.2" } },
    { Id: "c3", Image: old, Config: { Image: `${"ef".repeat(32)}` } },
    { Id: "c4", Image: `sha256:${"ab".repeat(31)}`, Config: { Image: "short" } },
  ];
  fs.writeFileSync(path.join(dir, "inspect.json"), JSON.stringify(inspected, null, 4));
  writeScript(dir, "docker", `echo "$*" >> "${dir}/argv"`);
  const images = containerSections().find((s) => s.name === "images")?.script ?? "";
  const run = spawnSync("/bin/sh", ["-c", `c=$(cat "${dir}/inspect.json")\n${images}`], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
  assert.equal(run.status, 0, run.stderr);
  // c3's Config names its image by an id: a container run by id has it as its image too, so asking once is right.
  assert.deepEqual(fs.readFileSync(path.join(dir, "argv"), "utf8").trim().split("\n"), [
    `inspect ${IMAGE_ID} ${old} ${"ef".repeat(32)}`,
  ]);
});

it("does not take a container waiting out its restart delay for one that runs, though Docker says Running", () => {
  const waiting = parseInspect({ ...container("c3", "mesos_slave", true), State: { Running: true, Restarting: true } });
  assert.deepEqual([waiting.running, waiting.restarting], [false, true]);
  const up = parseInspect(container("c1", "mesos_master", true));
  assert.deepEqual([up.running, up.restarting], [true, false]);
});

// The engine's version from `docker version`'s plain answer, in the layout of each line of releases, or from the
// `docker info` a host read asked anyway.
import assert from "node:assert/strict";
import { it, type TestContext } from "node:test";
import { containerSections } from "../../../observe/containers";
import { engineVersionOf, serverVersionOf, serverVersionUnlessInfoSection } from "../../../observe/docker";
import { runWithStandInDocker } from "../../support/stand-in-docker";

const answer = (stdout: string, code = 0) => ({ stdout, stderr: "", code });

it("reads the server's version in 1.7's lines, which have no Server: block and no --format", () => {
  const out =
    "Client version: 1.7.1\nClient API version: 1.19\nGo version (client): go1.4.2\nGit commit (client): 786b29d\nOS/Arch (client): linux/amd64\nServer version: 1.7.1\nServer API version: 1.19\nGo version (server): go1.4.2\nGit commit (server): 786b29d\nOS/Arch (server): linux/amd64\n";
  assert.equal(serverVersionOf(answer(out)), "1.7.1");
});

it("reads the server's version, not the client's, in the Server: block of 1.8 to 18.03", () => {
  const out =
    "Client:\n Version:      1.10.3\n API version:  1.22\n\nServer:\n Version:      1.11.2\n API version:  1.23\n Go version:   go1.5.4\n";
  assert.equal(serverVersionOf(answer(out)), "1.11.2");
  const ce =
    "Client:\n Version:      17.03.2-ce\n\nServer:\n Version:      17.03.2-ce\n API version:  1.27 (minimum version 1.12)\n";
  assert.equal(serverVersionOf(answer(ce)), "17.03.2", "the release, without -ce");
});

it("reads the Engine's version under 18.06's Server: block, and 18.09's named one", () => {
  const out =
    "Client:\n Version:           18.06.3-ce\n API version:       1.38\n\nServer:\n Engine:\n  Version:          18.06.3-ce\n  API version:      1.38 (minimum version 1.12)\n";
  assert.equal(serverVersionOf(answer(out)), "18.06.3");
  const named =
    "Client:\n Version:           18.09.9\n\nServer: Docker Engine - Community\n Engine:\n  Version:          18.09.9\n";
  assert.equal(serverVersionOf(answer(named)), "18.09.9");
});

it("reads no version when the daemon does not answer: the client's lines alone", () => {
  assert.equal(serverVersionOf(answer("Client:\n Version:      1.11.2\n API version:  1.23\n", 1)), undefined);
  assert.equal(serverVersionOf(answer("Client version: 1.7.1\nClient API version: 1.19\n", 1)), undefined);
  assert.equal(serverVersionOf(undefined), undefined);
});

/** A host read (containers, then the version section) in a real /bin/sh whose `docker` answers `info` and `version`. */
function readVersion(t: Pick<TestContext, "after">, info: string, version: string, infoCode = 0) {
  const { sections, asked } = runWithStandInDocker(
    t,
    () => ["  ps) ;;", `  info) printf '%s' '${info}'; exit ${infoCode} ;;`, `  version) printf '%s' '${version}' ;;`],
    [...containerSections(), serverVersionUnlessInfoSection],
  );
  return { version: engineVersionOf(sections), asked: asked.map((call) => call.split(" ")[0]) };
}

it("takes the version `docker info` names (1.9 and later) without asking `docker version`", (t) => {
  const info = "Containers: 2\nImages: 3\nServer Version: 1.11.2\nStorage Driver: aufs\nLogging Driver: json-file\n";
  assert.deepEqual(readVersion(t, info, "never asked"), { version: "1.11.2", asked: ["ps", "info"] });
  const indented = "Client:\n Debug Mode: false\n\nServer:\n Containers: 0\n Server Version: 20.10.17\n";
  assert.deepEqual(readVersion(t, indented, "never asked"), { version: "20.10.17", asked: ["ps", "info"] });
});

it("asks `docker version` where `docker info` has no Server Version (1.7, 1.8) or the daemon did not answer", (t) => {
  const info17 = "Containers: 2\nImages: 3\nStorage Driver: aufs\nLogging Driver: json-file\n";
  const version17 = "Client version: 1.7.1\nServer version: 1.7.1\n";
  assert.deepEqual(readVersion(t, info17, version17), { version: "1.7.1", asked: ["ps", "info", "version"] });
  const down = readVersion(t, "Client:\n Debug Mode: false\n", "Client:\n Version:      1.11.2\n", 1);
  assert.deepEqual(down, { version: undefined, asked: ["ps", "info", "version"] });
});

// The engine's version from `docker version`'s plain answer, in the layout of each line of releases.
import assert from "node:assert/strict";
import { it } from "node:test";
import { serverVersionOf } from "../../../observe/docker";

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

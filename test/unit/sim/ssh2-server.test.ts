// The simulated hosts' SSH server writes a turn's packets as one, as OpenSSH's sshd writes its output buffer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { writeOncePerTurn } from "../../../sim/host/ssh2-server";

describe("the ssh2 server's socket", () => {
  it("sends everything written in one turn in one write, and the next turn's apart", async () => {
    const calls: string[] = [];
    const socket = {
      write: ((chunk: string) => (calls.push(`write ${chunk}`), true)) as never,
      cork: () => void calls.push("cork"),
      uncork: () => void calls.push("uncork"),
    };
    writeOncePerTurn(socket);
    // ssh2 writes a packet's length, ciphertext and tag apart.
    for (const part of ["length", "ciphertext", "tag"]) (socket.write as (chunk: string) => boolean)(part);
    await nextTurn();
    (socket.write as (chunk: string) => boolean)("next");
    await nextTurn();
    assert.deepEqual(calls, [
      "cork",
      "write length",
      "write ciphertext",
      "write tag",
      "uncork",
      "cork",
      "write next",
      "uncork",
    ]);
  });
});

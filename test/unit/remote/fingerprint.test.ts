import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFingerprint } from "../../../remote/fingerprint";

describe("SSH host key fingerprints", () => {
  it("accepts OpenSSH's SHA256 form as ssh-keygen -lf prints it", () => {
    assert.equal(isFingerprint("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"), true);
  });

  it("refuses placeholders, MD5 fingerprints, padded base64 and non-strings", () => {
    for (const text of [
      "SHA256:REPLACE-WITH-m1",
      "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48",
      "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      undefined,
      42,
    ]) {
      assert.equal(isFingerprint(text), false, String(text));
    }
  });
});

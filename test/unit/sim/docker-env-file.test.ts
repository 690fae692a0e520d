// `docker run --env-file` as Docker's client reads the file (opts/envfile.go, the CLI reference's example).
import assert from "node:assert/strict";
import { test } from "node:test";
import { EnvFileError, parseEnvFile } from "../../../sim/docker/env-file";

const none = () => undefined;

test("takes each VAR=VAL line verbatim after the first '=', skipping comments and empty lines", () => {
  const text = '# the registry\nREGISTRY_PASSWORD= pa ss=word#1 \n\nEMPTY=\n  # indented comment\nQUOTED="kept"\n';
  assert.deepEqual(parseEnvFile(text, none), ["REGISTRY_PASSWORD= pa ss=word#1 ", "EMPTY=", 'QUOTED="kept"']);
});

test("takes a bare VAR from the client's environment, empty when unset", () => {
  const env: Record<string, string> = { TEST_APP_DEST_PORT: "8888" };
  assert.deepEqual(
    parseEnvFile("TEST_APP_DEST_PORT\nUNSET_ONE\n", (name) => env[name]),
    ["TEST_APP_DEST_PORT=8888", "UNSET_ONE="],
  );
});

test("ignores leading whitespace, a UTF-8 BOM, CRLF line ends and a last line without newline", () => {
  assert.deepEqual(parseEnvFile("\uFEFFA=1\r\n   B=2\nC=3", none), ["A=1", "B=2", "C=3"]);
});

test("refuses a variable name with white space, as Docker does", () => {
  assert.throws(
    () => parseEnvFile("MY VAR=1\n", none),
    (error: unknown) =>
      error instanceof EnvFileError &&
      error.message === "poorly formatted environment: variable 'MY VAR' has white spaces",
  );
});

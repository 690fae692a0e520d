import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  BackendMissingError,
  chooseBackend,
  fileBackendDir,
  currentLogin,
  redactedText,
  redactedUrl,
  secretsNeed,
} from "../../../toolchain/backend";
import { ENGINE_GOGC, isLocalStack, LOCAL_PASSPHRASE, PassphraseMissingError, pulumiEnv } from "../../../toolchain/env";
import type { Toolchain } from "../../../toolchain/setup";

const toolchain: Toolchain = {
  pulumi: "/opt/pulumi/bin/pulumi",
  binDir: "/opt/pulumi/bin",
  version: "3.259.0",
  source: "path",
};

describe("the Pulumi environment of a stack", () => {
  it("puts the CLI's directory first on PATH and switches off update checks and plugin downloads", () => {
    const env = pulumiEnv(toolchain, "local", { PATH: "/usr/bin" });
    assert.ok(env.PATH.startsWith("/opt/pulumi/bin:"));
    assert.ok(env.PATH.endsWith(":/usr/bin"));
    assert.equal(env.PULUMI_SKIP_UPDATE_CHECK, "true");
    assert.equal(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
    assert.match(env.PULUMI_BACKEND_URL, /^file:\/\/.*\.work\/state\?metadata=skip$/);
    assert.match(env.PULUMI_HOME, /\.work\/pulumi-home$/);
  });

  it("lets the engine's heap grow to five times what is live before collecting, up to a ceiling, unless the operator chose", () => {
    assert.equal(pulumiEnv(toolchain, "local", { PATH: "/usr/bin" }).GOGC, ENGINE_GOGC);
    assert.equal(ENGINE_GOGC, "400");
    assert.equal(pulumiEnv(toolchain, "local", { PATH: "/usr/bin", GOGC: "150" }).GOGC, "150");
    assert.equal(pulumiEnv(toolchain, "local", { PATH: "/usr/bin" }).GOMEMLIMIT, "2GiB", "a ceiling on that growth");
    assert.equal(pulumiEnv(toolchain, "local", { PATH: "/usr/bin", GOMEMLIMIT: "512MiB" }).GOMEMLIMIT, "512MiB");
    assert.equal(
      pulumiEnv(toolchain, "prod", { PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: "x" }, { login: "s3://state" }).GOGC,
      ENGINE_GOGC,
    );
  });

  it("has the dynamic provider's Node keep its compiled modules in Node's compile cache, unless the operator chose", () => {
    assert.equal(
      pulumiEnv(toolchain, "local", { PATH: "/usr/bin" }).NODE_COMPILE_CACHE,
      path.join(os.tmpdir(), "node-compile-cache"),
    );
    assert.equal(
      pulumiEnv(toolchain, "local", { PATH: "/usr/bin", NODE_COMPILE_CACHE: "/var/cache/node" }).NODE_COMPILE_CACHE,
      "/var/cache/node",
    );
    assert.equal(
      pulumiEnv(toolchain, "prod", { PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: "x" }, { login: "s3://state" })
        .NODE_COMPILE_CACHE,
      path.join(os.tmpdir(), "node-compile-cache"),
    );
  });

  it("gives only local and scratch stacks the built-in passphrase", () => {
    assert.ok(isLocalStack("local") && isLocalStack("scratch-engine"));
    assert.ok(!isLocalStack("prod") && !isLocalStack("test"));
    assert.equal(pulumiEnv(toolchain, "local", {}).PULUMI_CONFIG_PASSPHRASE, LOCAL_PASSPHRASE);
    assert.equal(
      pulumiEnv(toolchain, "prod", { PULUMI_CONFIG_PASSPHRASE: "s3cret" }, { login: "s3://state" })
        .PULUMI_CONFIG_PASSPHRASE,
      "s3cret",
      "the operator's own",
    );
  });

  it("refuses a real stack on a passphrase backend without the operator's passphrase, naming the variable and the backend", () => {
    assert.throws(
      () => pulumiEnv(toolchain, "prod", {}, { login: "postgres://pulumi:hunter2@db/state" }),
      (error: unknown) => {
        assert.ok(error instanceof PassphraseMissingError);
        assert.match(
          error.message,
          /stack "prod" is a real environment whose secrets .* on its backend postgres:\/\/pulumi:\*\*\*\*@db\/state: set PULUMI_CONFIG_PASSPHRASE/,
        );
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });

  it("needs no passphrase for a real stack on Pulumi Cloud or with its own secrets provider", () => {
    assert.doesNotThrow(() => pulumiEnv(toolchain, "prod", {}, { login: "https://api.pulumi.com" }));
    assert.doesNotThrow(() =>
      pulumiEnv(toolchain, "prod", {}, { login: "s3://state", secretsProvider: "awskms://alias/pulumi" }),
    );
    assert.deepEqual(secretsNeed("s3://state", undefined), { kind: "passphrase" });
    assert.deepEqual(secretsNeed("https://api.pulumi.com", "passphrase"), { kind: "passphrase" });
    assert.deepEqual(secretsNeed("https://api.pulumi.com", undefined), { kind: "service" });
  });

  it("keeps a real stack on the backend the operator logged in to, with their own PULUMI_HOME", () => {
    const env = pulumiEnv(toolchain, "prod", { PULUMI_CONFIG_PASSPHRASE: "s3cret" }, { login: "s3://team-state" });
    assert.equal(env.PULUMI_BACKEND_URL, undefined, "the CLI reads the login itself");
    assert.equal(env.PULUMI_HOME, undefined, "the CLI's own ~/.pulumi");
    assert.deepEqual(chooseBackend("prod", {}, "/repo/.work/state", "s3://team-state"), {
      kind: "login",
      url: "s3://team-state",
    });
  });

  it("keeps local stacks in the work area without fileblob's MD5 sidecar per save, and reads the directory back", () => {
    const choice = chooseBackend("local", {}, "/repo/.work/state", undefined);
    assert.deepEqual(choice, { kind: "work-area", url: "file:///repo/.work/state?metadata=skip" });
    assert.equal(fileBackendDir(choice.url), "/repo/.work/state");
    assert.equal(fileBackendDir("file:///srv/state"), "/srv/state");
    assert.equal(fileBackendDir("s3://team-state?region=eu-west-1"), undefined);
  });

  it("uses PULUMI_BACKEND_URL when set, for real and local stacks alike", () => {
    assert.equal(
      pulumiEnv(toolchain, "local", { PULUMI_BACKEND_URL: "file:///srv/state" }).PULUMI_BACKEND_URL,
      "file:///srv/state",
    );
    const env = pulumiEnv(
      toolchain,
      "dev",
      { PULUMI_BACKEND_URL: "postgres://db/state", PULUMI_CONFIG_PASSPHRASE: "x" },
      { login: "s3://other" },
    );
    assert.equal(env.PULUMI_BACKEND_URL, "postgres://db/state");
  });

  it("refuses a real stack with no login and no PULUMI_BACKEND_URL instead of using the checkout's files", () => {
    assert.throws(
      () => pulumiEnv(toolchain, "prod", { PULUMI_CONFIG_PASSPHRASE: "x" }, { login: undefined }),
      (error: unknown) => {
        assert.ok(error instanceof BackendMissingError);
        assert.match(
          error.message,
          /stack "prod" is a real environment and no Pulumi backend is chosen: .*`pulumi login <url>`.* or set PULUMI_BACKEND_URL/,
        );
        return true;
      },
    );
    assert.deepEqual(chooseBackend("prod", { PULUMI_ACCESS_TOKEN: "pul-x" }, "/w", undefined), {
      kind: "login",
      url: "https://api.pulumi.com",
    });
  });

  it("reads the current login from the CLI's credentials in PULUMI_HOME", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
    try {
      assert.equal(currentLogin({ PULUMI_HOME: home }), undefined);
      fs.writeFileSync(
        path.join(home, "credentials.json"),
        JSON.stringify({ current: "s3://team-state", accessTokens: {} }),
      );
      assert.equal(currentLogin({ PULUMI_HOME: home }), "s3://team-state");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("hides a backend URL's password", () => {
    assert.equal(
      redactedUrl("postgres://u:p%40ss@h:5432/db?sslmode=disable"),
      "postgres://u:****@h:5432/db?sslmode=disable",
    );
    assert.equal(redactedUrl("s3://bucket?region=eu"), "s3://bucket?region=eu");
    assert.equal(
      redactedText('error: unable to open "postgres://u:s3cret@db:5432/x": refused'),
      'error: unable to open "postgres://u:****@db:5432/x": refused',
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PlanInputError } from "../../../planner";
import { inStackTerms, planProblemLines } from "../../../stacks/planProblems";
import { addressProblem, isPort, privateKeyProblem, userProblem } from "../../../stacks/syntax";

describe("the syntax of how a stack reaches its hosts", () => {
  it("accepts IPv4, IPv6 and host names, and says what is wrong with anything else", () => {
    for (const good of [
      "10.0.0.1",
      "127.0.10.11",
      "::1",
      "fd00::4",
      "m1",
      "agent-5.prod.example.com",
      "1password.example",
    ]) {
      assert.equal(addressProblem(good), undefined, good);
    }
    assert.match(addressProblem("10.0.0") ?? "", /is not an IPv4 address/);
    assert.match(addressProblem("10.0.0.1:22") ?? "", /put an SSH port in sshPort/);
    assert.match(addressProblem("-m1") ?? "", /label "-m1"/);
    assert.match(addressProblem("m1..example") ?? "", /an empty label/);
    assert.match(addressProblem("m1 m2") ?? "", /label "m1 m2"/);
  });

  it("takes ports from 1 to 65535", () => {
    assert.deepEqual([0, 1, 22, 65535, 65536, 2.5].map(isPort), [false, true, true, true, false, false]);
  });

  it("takes login names that cannot be read as ssh options", () => {
    assert.equal(userProblem("root"), undefined);
    assert.equal(userProblem("deploy.ops_1"), undefined);
    assert.match(userProblem("-oProxyCommand=x") ?? "", /not starting with "-"/);
    assert.match(userProblem("a b") ?? "", /is not a login name/);
    assert.match(userProblem("x".repeat(33)) ?? "", /32 characters/);
  });

  it("says how to set a missing or wrong SSH private key", () => {
    assert.equal(
      privateKeyProblem("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"),
      undefined,
    );
    assert.equal(
      privateKeyProblem(undefined),
      "is not set; set it with `pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519` (the operator's key, OpenSSH or PEM), or log in through your SSH agent: set ssh.agent: true (SSH_AUTH_SOCK where `pulumi` runs)",
    );
    assert.match(
      privateKeyProblem("", false, "prod") ?? "",
      /^is not set; set it with `pulumi config set --secret sshPrivateKey --stack prod < ~\/\.ssh\/id_ed25519`/,
    );
    assert.equal(privateKeyProblem("", true), undefined, "with ssh.agent the key stays in the agent");
    assert.match(privateKeyProblem("ssh-ed25519 AAAA", true) ?? "", /is not a private key/);
    assert.match(
      privateKeyProblem("ssh-ed25519 AAAA… me@host") ?? "",
      /is not a private key[\s\S]*pulumi config set --secret sshPrivateKey </,
    );
  });
});

describe("the planner's problems in the stack's words", () => {
  it("names targets.* instead of the planner's desired.*, and a host's running version as what it runs", () => {
    assert.equal(
      inStackTerms(
        'desired.mesos must be a known Mesos release (0.22.0 to 1.1.3), got "0.29.0"; did you mean "0.28.3"?',
      ),
      'targets.mesos must be a known Mesos release (0.22.0 to 1.1.3), got "0.29.0"; did you mean "0.28.3"?',
    );
    assert.equal(
      inStackTerms("hosts[2].versions.mesos-slave must be no newer than desired.mesos"),
      "the mesos-slave running on hosts[2] must be no newer than targets.mesos",
    );
  });

  it("lists every problem of a plan input, not the first and a count", () => {
    const error = new PlanInputError([
      { field: "desired.mesos", value: "0.29.0", message: 'desired.mesos must be a known Mesos release, got "0.29.0"' },
      { field: "desired.marathon", value: "9", message: 'desired.marathon must be a known Marathon release, got "9"' },
    ]);
    assert.match(error.message, /and 1 more problem/);
    assert.deepEqual(planProblemLines(error), [
      'targets.mesos must be a known Mesos release, got "0.29.0"',
      'targets.marathon must be a known Marathon release, got "9"',
    ]);
  });
});

// The sudo check against a real SSH connection: a server whose sudo asks for a password (as Ubuntu's does for a
// user without a NOPASSWD rule: "sudo: a password is required") refuses the run before any command runs.
// The server is ssh2's, answering only what this test needs; the client is the project's one SSH client.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Server, utils, type Connection } from "ssh2";
import { SudoPasswordError } from "../../../remote/errors";
import { generateKeyPair } from "../../../sim/keys";
import { closeAllConnections, fingerprintOf, sshShell, type SshTarget } from "../../../remote/ssh";

const ADDRESS = "127.0.132.1";
const PORT = 2222;

describe("sudo that needs a password", () => {
  const hostKey = generateKeyPair();
  const userKey = generateKeyPair();
  const commands: string[] = [];
  let server: Server;
  let passwordless = false;
  const connections: Connection[] = [];

  before(async () => {
    server = new Server({ hostKeys: [hostKey.private] }, (client: Connection) => {
      connections.push(client);
      client.on("authentication", (ctx) => (ctx.method === "publickey" ? ctx.accept() : ctx.reject(["publickey"])));
      client.on("ready", () => {
        client.on("session", (accept) => {
          accept().on("exec", (acceptExec, _reject, info) => {
            const channel = acceptExec();
            commands.push(info.command);
            if (info.command === "sudo -n true" && !passwordless) {
              channel.stderr.write("sudo: a password is required\n");
              channel.exit(1);
            } else {
              channel.write("ok\n");
              channel.exit(0);
            }
            channel.end();
          });
        });
      });
      client.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(PORT, ADDRESS, resolve));
  });
  after(async () => {
    await closeAllConnections();
    for (const connection of connections) connection.end();
    await new Promise((resolve) => server.close(resolve));
  });

  const parsed = utils.parseKey(hostKey.public);
  const target: SshTarget = {
    name: "h1",
    address: ADDRESS,
    port: PORT,
    user: "ops",
    sudo: true,
    privateKey: userKey.private,
    hostKeyFingerprint: fingerprintOf(
      (Array.isArray(parsed) ? parsed[0] : (parsed as Exclude<typeof parsed, Error>)).getPublicSSH(),
    ),
  };

  it("refuses with the fix before running the command, and names the host and user", async () => {
    const refused = await sshShell(target)
      .run(["docker", "version"])
      .then(
        () => undefined,
        (error: Error) => error,
      );
    assert.ok(refused instanceof SudoPasswordError);
    assert.match(
      refused.message,
      /^h1 \(127\.0\.132\.1:2222\): `sudo -n true` failed for user "ops" \(sudo: a password is required\): sudo needs a password, and commands run without a terminal\. Give ops a NOPASSWD sudo rule .* or log in as root \(ssh\.user: root, ssh\.sudo: false\)$/,
    );
    assert.deepEqual(commands, ["sudo -n true"]);
    assert.doesNotMatch(refused.message, /PRIVATE KEY/);
  });

  it("runs commands through sudo -n once sudo needs no password", async () => {
    passwordless = true;
    commands.length = 0;
    assert.equal((await sshShell(target).run(["docker", "version"])).stdout, "ok\n");
    assert.deepEqual(commands, ["sudo -n true", "sudo -n -- docker version"]);
  });
});

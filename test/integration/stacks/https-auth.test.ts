// Mesos and Marathon over HTTPS with HTTP authentication, as a hardened prod cluster runs them: libprocess SSL with
// certificates of a CA this test makes (openssl), Mesos' --authenticate_http_readonly/--authenticate_http_readwrite
// with --http_credentials, Marathon's HTTPS connector (a PKCS#12 keystore) with --http_credentials. The stack reaches
// them through SSH with its CA (or pinned fingerprints) and its credentials as secrets; wrong credentials are refused
// before anything is touched, naming the key to fix, and no secret shows in any output.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as YAML from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { bootstrapCommands, startCluster, type Cluster, type SimHost } from "../../../sim";
import { paths } from "../../../sim/layout";
import { HttpRefusedError } from "../../../remote/errors";
import { agentState, leaderState, marathonInfo, masterState } from "../../../observe/services";
import { clearHttpRouting, DEFAULT_HTTP_ROUTING, useHttpRouting, type HttpRouting } from "../../../remote/routes";
import { closeAllConnections, sshShell, type SshTarget } from "../../../remote/ssh";
import { clusterProgram } from "../../../stacks/program";
import { repoRoot } from "../../../toolchain/paths";
import { openStack } from "../../../toolchain/workspace";
import { SEED_AGENT_SETTINGS } from "../../support/scratch-stack";

const NETWORK = "127.0.133";
const STACK = "scratch-https-auth";
const MESOS = { user: "ops", password: "mesos-secret-7f3a" };
const MARATHON = { user: "admin", password: "marathon-secret-91c2" };
const KEYSTORE_PASSWORD = "keystore-secret-5d0e";
const SECRETS = [MESOS.password, MARATHON.password, KEYSTORE_PASSWORD, "wrong-password-0b9d"];

/** Runs openssl in `dir`. */
const openssl = (dir: string, ...args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });

/** A CA, and for each host a key and a certificate naming the host's address, signed by that CA. */
function makeCertificates(dir: string, hosts: readonly SimHost[]): { ca: string } {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    dir,
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=mesos-upgrade test CA",
  );
  for (const host of hosts) {
    openssl(
      dir,
      "req",
      "-new",
      ...ec,
      "-keyout",
      `${host.name}.key`,
      "-out",
      `${host.name}.csr`,
      "-subj",
      `/CN=${host.name}`,
    );
    fs.writeFileSync(path.join(dir, `${host.name}.ext`), `subjectAltName=IP:${host.address},DNS:${host.name}\n`);
    openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${host.name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${host.name}.pem`,
      "-days",
      "2",
      "-extfile",
      `${host.name}.ext`,
    );
  }
  return { ca: fs.readFileSync(path.join(dir, "ca.pem"), "utf8") };
}

/** A GET from this process, with or without the CA and credentials: resolves with the status and the challenge. */
function get(
  url: string,
  options: { ca?: string; auth?: string } = {},
): Promise<{ status: number; challenge?: string }> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith("https:") ? https : http;
    const req = client.get(
      url,
      { timeout: 5000, ...(options.ca ? { ca: options.ca } : {}), ...(options.auth ? { auth: options.auth } : {}) },
      (res) => {
        res.resume();
        resolve({
          status: res.statusCode ?? 0,
          ...(res.headers["www-authenticate"] ? { challenge: String(res.headers["www-authenticate"]) } : {}),
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}

describe("Mesos and Marathon over HTTPS with HTTP authentication", () => {
  let dir: string;
  let cluster: Cluster;
  let stack: Stack;
  let m1: SimHost, a1: SimHost;
  let ca: string;
  let targets: SshTarget[];
  let mesosTarget = "1.0.0";

  const stackConfig = (http: Record<string, unknown>) => ({
    "mesos-upgrade:environment": "test",
    "mesos-upgrade:hosts": [
      {
        name: "m1",
        address: m1.address,
        roles: ["mesos-master", "marathon"],
        hostKeyFingerprint: m1.hostKeyFingerprint,
      },
      { name: "a1", address: a1.address, roles: ["mesos-slave"], hostKeyFingerprint: a1.hostKeyFingerprint },
    ],
    "mesos-upgrade:ssh": { user: cluster.userKey.user, port: m1.sshPort },
    "mesos-upgrade:http": http,
    "mesos-upgrade:targets": { docker: "1.11.2", mesos: mesosTarget, marathon: "1.3.13" },
    "mesos-upgrade:rollout": { gateTimeoutSeconds: 60 },
    "mesos-upgrade:zookeeper": {
      hosts: [cluster.file.zk.dataHost ?? "m1"],
      dataDir: cluster.file.zk.dataDir ?? "/var/lib/zookeeper",
    },
    "mesos-upgrade:mesosSlave": SEED_AGENT_SETTINGS,
  });
  /** Writes the stack's settings into its file, keeping what Pulumi keeps there (secrets, encryption salt). */
  const writeStackFile = (httpSettings: Record<string, unknown>) => {
    const file = path.join(dir, `Pulumi.${STACK}.yaml`);
    const current = (fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, "utf8")) : undefined) as
      { config?: Record<string, unknown> } | undefined;
    fs.writeFileSync(
      file,
      YAML.stringify({ ...current, config: { ...current?.config, ...stackConfig(httpSettings) } }, { lineWidth: 0 }),
    );
  };
  const secured = { scheme: "https", mesosUser: MESOS.user, marathonUser: MARATHON.user } as const;
  const touches = () =>
    cluster
      .ledger()
      .filter((e) => e.kind === "container.stop" || e.kind === "engine.stop" || e.kind === "package.install").length;
  const withSecrets = (text: string) => SECRETS.filter((secret) => text.includes(secret));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "https-auth-"));
    process.env.MESOS_UPGRADE_WORK = dir;
    const stateDir = path.join(dir, "sim");
    cluster = await startCluster("m1:master+marathon;a1:agent", {
      stateDir,
      network: NETWORK,
      apps: [],
      versions: { docker: "1.11.2", mesos: "1.0.0", marathon: "1.3.13" },
    });
    [m1, a1] = ["m1", "a1"].map((name) => cluster.hosts.find((h) => h.name === name) as SimHost);
    const tlsDir = path.join(dir, "tls");
    fs.mkdirSync(tlsDir);
    ({ ca } = makeCertificates(tlsDir, [m1, a1]));
    openssl(
      tlsDir,
      "pkcs12",
      "-export",
      "-in",
      "m1.pem",
      "-inkey",
      "m1.key",
      "-out",
      "m1.p12",
      "-passout",
      `pass:${KEYSTORE_PASSWORD}`,
    );
    const credentials = JSON.stringify({ credentials: [{ principal: MESOS.user, secret: MESOS.password }] });
    // The operator's configuration management puts each host's certificate, key and credentials in place.
    const place = (host: string, dirOnHost: string, files: Record<string, string | Buffer>) => {
      const target = path.join(paths.root(stateDir, host), dirOnHost);
      fs.mkdirSync(target, { recursive: true });
      for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(target, name), content, { mode: 0o600 });
      }
    };
    const read = (name: string) => fs.readFileSync(path.join(tlsDir, name));
    place("m1", "/var/lib/mesos/tls", {
      "m1.pem": read("m1.pem"),
      "m1.key": read("m1.key"),
      "m1.p12": read("m1.p12"),
      "credentials.json": credentials,
    });
    place("a1", "/data/mesos/tls", {
      "a1.pem": read("a1.pem"),
      "a1.key": read("a1.key"),
      "credentials.json": credentials,
    });

    // Then restarts Mesos with libprocess SSL and HTTP authentication, and Marathon with HTTPS only and credentials.
    const mesosOptions = (tls: string, host: string) => [
      "-e LIBPROCESS_SSL_ENABLED=true",
      "-e LIBPROCESS_SSL_SUPPORT_DOWNGRADE=true",
      `-e LIBPROCESS_SSL_CERT_FILE=${tls}/${host}.pem`,
      `-e LIBPROCESS_SSL_KEY_FILE=${tls}/${host}.key`,
      "-e MESOS_AUTHENTICATE_HTTP_READONLY=true",
      "-e MESOS_AUTHENTICATE_HTTP_READWRITE=true",
      // The master authenticates HTTP requests with the principals of --credentials; the agent has --http_credentials.
      `-e MESOS_${host === "m1" ? "" : "HTTP_"}CREDENTIALS=${tls}/credentials.json`,
    ];
    const insertBeforeImage = (command: string, options: readonly string[]) =>
      command.replace(/ (mesosphere\/\S+)/, ` ${options.join(" ")} $1`);
    const shellOf = (host: SimHost): SshTarget => ({
      name: host.name,
      address: host.address,
      port: host.sshPort,
      user: cluster.userKey.user,
      hostKeyFingerprint: host.hostKeyFingerprint,
      privateKey: cluster.userKey.privateKey,
    });
    targets = [shellOf(m1), shellOf(a1)];
    const [masterRun, marathonRun] = bootstrapCommands(
      cluster.file,
      cluster.file.hosts.find((h) => h.name === "m1")!,
    );
    const [agentRun] = bootstrapCommands(
      cluster.file,
      cluster.file.hosts.find((h) => h.name === "a1")!,
    );
    const marathonOptions = [
      "-v /var/lib/mesos/tls:/etc/marathon/tls",
      `-e MARATHON_SSL_KEYSTORE_PASSWORD=${KEYSTORE_PASSWORD}`,
      `-e MARATHON_HTTP_CREDENTIALS=${MARATHON.user}:${MARATHON.password}`,
    ];
    const steps: Array<[SshTarget, string]> = [
      [
        targets[0]!,
        `docker rm -f mesos_master && docker rm -f marathon && ${insertBeforeImage(masterRun!, mesosOptions("/var/lib/mesos/tls", "m1"))}`,
      ],
      [
        targets[0]!,
        `${insertBeforeImage(marathonRun!.replace(/--http_port \d+/, ""), marathonOptions)} --disable_http --https_port 8080 --ssl_keystore_path /etc/marathon/tls/m1.p12`,
      ],
      [
        targets[1]!,
        `docker rm -f mesos_slave && ${insertBeforeImage(agentRun!, mesosOptions("/data/mesos/tls", "a1"))}`,
      ],
    ];
    for (const [target, command] of steps) {
      const result = await sshShell(target).run(["sh", "-c", command]);
      assert.equal(result.code, 0, `${target.name}: ${command}: ${result.stderr}`);
    }
    // Up again: the master leads with its agent registered, and Marathon answers, all over HTTPS with credentials.
    useHttpRouting({ ...DEFAULT_HTTP_ROUTING, ...secured, ca }, targets, {
      mesosPassword: MESOS.password,
      marathonPassword: MARATHON.password,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const leader = await leaderState([m1.address]).catch(() => undefined);
      const master = await masterState(m1.address).catch((error: Error) => ({ unavailable: error.message }));
      const marathon = await marathonInfo(m1.address).catch(() => undefined);
      if (leader?.slaves.length === 1 && marathon?.elected) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${JSON.stringify(await sshShell(targets[0]!).run(["sh", "-c", "docker ps -a; docker logs mesos_master 2>&1 | tail -20"])).slice(-2500)} the secured cluster did not come up: leader ${JSON.stringify(leader?.slaves)}, master ${"unavailable" in master ? master.unavailable : master.slaves.length}, marathon ${JSON.stringify(marathon)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    clearHttpRouting();
    await closeAllConnections();

    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8").replace(/^main: .*$/m, `main: ${repoRoot}`),
    );
    writeStackFile({ ...secured, ca });
    stack = await openStack({ stack: STACK, program: clusterProgram, projectDir: dir });
    await stack.setConfig("sshPrivateKey", { value: cluster.userKey.privateKey, secret: true });
    await stack.setConfig("mesosHttpPassword", { value: MESOS.password, secret: true });
    await stack.setConfig("marathonHttpPassword", { value: MARATHON.password, secret: true });
  });
  after(async () => {
    clearHttpRouting();
    await closeAllConnections();
    await cluster?.stop();
    delete process.env.MESOS_UPGRADE_WORK;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves Mesos over TLS (and plain HTTP, downgrade on) asking for credentials in Mesos' realms; /health stays open", async () => {
    const auth = `${MESOS.user}:${MESOS.password}`;
    assert.deepEqual(await get(`https://${m1.address}:5050/master/state.json`, { ca }), {
      status: 401,
      challenge: 'Basic realm="mesos-master-readonly"',
    });
    assert.deepEqual(await get(`https://${a1.address}:5051/state.json`, { ca }), {
      status: 401,
      challenge: 'Basic realm="mesos-agent-readonly"',
    });
    assert.equal((await get(`https://${m1.address}:5050/master/state.json`, { ca, auth })).status, 200);
    assert.equal(
      (await get(`https://${m1.address}:5050/master/state.json`, { ca, auth: `${MESOS.user}:wrong` })).status,
      401,
    );
    assert.equal((await get(`https://${m1.address}:5050/master/health`, { ca })).status, 200);
    assert.equal((await get(`http://${m1.address}:5050/metrics/snapshot`, { auth })).status, 200);
    // A certificate of another CA is refused by the client: the host's certificate is the test CA's.
    await assert.rejects(
      get(`https://${m1.address}:5050/master/health`),
      /self-signed certificate in certificate chain|unable to verify/,
    );
  });

  it("serves Marathon over HTTPS only, every endpoint behind its credentials", async () => {
    assert.deepEqual(await get(`https://${m1.address}:8080/ping`, { ca }), {
      status: 401,
      challenge: 'Basic realm="Mesosphere"',
    });
    assert.equal(
      (await get(`https://${m1.address}:8080/v2/info`, { ca, auth: `${MARATHON.user}:${MARATHON.password}` })).status,
      200,
    );
    await assert.rejects(get(`http://${m1.address}:8080/ping`));
  });

  it("runs the gates' reads through SSH over HTTPS, trusting the stack's CA or its pinned certificate fingerprints", async () => {
    const passwords = { mesosPassword: MESOS.password, marathonPassword: MARATHON.password };
    const route = (extra: Partial<HttpRouting>) =>
      useHttpRouting({ ...DEFAULT_HTTP_ROUTING, ...secured, ...extra }, targets, passwords);
    route({ ca });
    assert.equal((await leaderState([m1.address]))?.slaves[0]?.hostname, a1.address);
    assert.equal((await agentState(a1.address))?.version, "1.0.0");
    assert.equal((await marathonInfo(m1.address))?.version, "1.3.13");
    const m1Fingerprint = new X509Certificate(fs.readFileSync(path.join(dir, "tls", "m1.pem"))).fingerprint256;
    route({ certificateFingerprints: [m1Fingerprint.toLowerCase()] });
    assert.equal((await marathonInfo(m1.address))?.version, "1.3.13");
    // a1's certificate is not pinned, and without a CA nothing is trusted: each names the key to set.
    await assert.rejects(
      agentState(a1.address),
      (error: Error) =>
        error instanceof HttpRefusedError &&
        /a1 \([\d.]+:5051\) serves a certificate the stack does not trust \(its SHA-256 fingerprint [0-9A-F:]+ is not pinned\): set http\.ca .* http\.certificateFingerprints/.test(
          error.message,
        ),
    );
    route({});
    await assert.rejects(
      masterState(m1.address).then((state) => {
        if ("unavailable" in state) throw new Error(state.unavailable);
      }),
      /m1 \([\d.]+:5050\) serves a certificate the stack does not trust \(unable to verify the first certificate\): set http\.ca/,
    );
    clearHttpRouting();
    await closeAllConnections();
  });

  it("refuses the run before anything is touched when Mesos refuses the stack's credentials, naming the key and the fix", async () => {
    const before = touches();
    await stack.setConfig("mesosHttpPassword", { value: "wrong-password-0b9d", secret: true });
    const refused = await stack.preview().then(
      () => "(preview passed)",
      (error: Error) => error.message,
    );
    await stack.setConfig("mesosHttpPassword", { value: MESOS.password, secret: true });
    assert.match(
      refused,
      /Mesos on m1 \([\d.]+:5050\) answered 401 Unauthorized \(realm mesos-master-readonly\) to the credentials of http\.mesosUser "ops": set http\.mesosUser to a user of the --http_credentials of the masters and agents and its password with `pulumi config set --secret mesosHttpPassword`/,
    );
    assert.deepEqual(withSecrets(refused), []);
    assert.equal(touches(), before);
  });

  it("refuses the run when Marathon refuses the stack's credentials (none set), naming its keys", async () => {
    writeStackFile({ scheme: "https", mesosUser: MESOS.user, ca });
    const refused = await stack.preview().then(
      () => "(preview passed)",
      (error: Error) => error.message,
    );
    writeStackFile({ ...secured, ca });
    assert.match(
      refused,
      /Marathon on m1 \([\d.]+:8080\) answered 401 Unauthorized \(realm Mesosphere\) to no credentials \(http\.marathonUser is not set\): set http\.marathonUser to a user of Marathon's --http_credentials and its password with `pulumi config set --secret marathonHttpPassword`/,
    );
    assert.deepEqual(withSecrets(refused), []);
  });

  it("previews with the right CA and credentials, and no secret shows in its output", async () => {
    const result = await stack.preview();
    assert.match(result.stdout, /pulumi:pulumi:Stack/);
    assert.deepEqual(withSecrets(`${result.stdout}\n${result.stderr}`), []);
  });

  it("converges the master's and the agent's hops with every gate over HTTPS with credentials, which the hops keep", async () => {
    mesosTarget = "1.0.1";
    writeStackFile({ ...secured, ca });
    const outputs: string[] = [];
    let phase = "";
    let hostVersions: Record<string, Record<string, string>> = {};
    for (let run = 0; run < 6 && phase !== "converged"; run++) {
      const result = await stack.up();
      outputs.push(result.stdout, result.stderr, JSON.stringify(result.outputs));
      phase = result.outputs.phase.value as string;
      hostVersions = result.outputs.hostVersions.value as typeof hostVersions;
    }
    assert.equal(phase, "converged");
    assert.deepEqual([hostVersions.m1?.["mesos-master"], hostVersions.a1?.["mesos-slave"]], ["1.0.1", "1.0.1"]);
    // The gates passed through the hops' restarts, and the restarted master and agent still serve TLS and ask for
    // credentials.
    assert.deepEqual(await get(`https://${m1.address}:5050/master/state.json`, { ca }), {
      status: 401,
      challenge: 'Basic realm="mesos-master-readonly"',
    });
    assert.deepEqual(await get(`https://${a1.address}:5051/state.json`, { ca }), {
      status: 401,
      challenge: 'Basic realm="mesos-agent-readonly"',
    });
    assert.deepEqual(withSecrets(outputs.join("\n")), []);
  });
});

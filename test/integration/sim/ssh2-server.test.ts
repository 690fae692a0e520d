// The ssh2-based host SSH server, proven with real SSH clients.
import { describe } from "node:test";
import { useCluster } from "./helpers";
import { sshScenarios } from "./ssh-scenarios";

describe("hosts with the ssh2 server", () => {
  sshScenarios(useCluster("h1,h2:none", { network: "127.0.31", bootstrap: false, sshServer: "ssh2" }));
});

// The same SSH scenarios with Debian's OpenSSH sshd as the hosts' server.
import { describe } from "node:test";
import { sshdAvailable } from "../../../sim/host/openssh";
import { useCluster } from "./helpers";
import { sshScenarios } from "./ssh-scenarios";

describe(
  "hosts with OpenSSH sshd",
  { skip: sshdAvailable() ? false : "sshd is not installed (apt-get install -y openssh-server)" },
  () => {
    sshScenarios(useCluster("h1,h2:none", { network: "127.0.32", bootstrap: false, sshServer: "openssh" }));
  },
);

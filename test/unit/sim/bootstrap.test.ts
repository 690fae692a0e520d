// The exact `docker run` lines `up` runs: the contract the providers adopt (brownfield) and later rewrite.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrapCommands, quorumOf } from "../../../sim/bootstrap";
import type { ClusterFile } from "../../../sim/layout";
import { FAST } from "../../../sim/time";

const file = {
  zk: { address: "127.0.10.2", port: 2181 },
  versions: { docker: "1.7.1", mesos: "0.22.1", marathon: "0.9.1" },
  profile: FAST,
  hosts: [
    {
      name: "m1",
      address: "127.0.10.11",
      sshPort: 2222,
      roles: ["master", "marathon"],
      hostKeyFingerprint: "",
      hostKeyPublic: "",
    },
    {
      name: "m2",
      address: "127.0.10.12",
      sshPort: 2222,
      roles: ["master", "marathon"],
      hostKeyFingerprint: "",
      hostKeyPublic: "",
    },
    {
      name: "m3",
      address: "127.0.10.13",
      sshPort: 2222,
      roles: ["master", "marathon"],
      hostKeyFingerprint: "",
      hostKeyPublic: "",
    },
    { name: "a1", address: "127.0.10.14", sshPort: 2222, roles: ["agent"], hostKeyFingerprint: "", hostKeyPublic: "" },
  ],
} as unknown as ClusterFile;

test("starts masters with a quorum of 2, Marathon, and agents with the seed's settings", () => {
  assert.equal(quorumOf(file), 2);
  assert.deepEqual(bootstrapCommands(file, file.hosts[0]!), [
    "docker run -d --name mesos_master --net host --restart=always -v /var/lib/mesos:/var/lib/mesos -e MESOS_ZK=zk://127.0.10.2:2181/mesos -e MESOS_QUORUM=2 -e MESOS_WORK_DIR=/var/lib/mesos -e MESOS_IP=127.0.10.11 -e MESOS_HOSTNAME=127.0.10.11 -e MESOS_PORT=5050 mesosphere/mesos-master:0.22.1-1.0.ubuntu1404",
    "docker run -d --name marathon --net host --restart=always mesosphere/marathon:v0.9.1 --master zk://127.0.10.2:2181/mesos --zk zk://127.0.10.2:2181/marathon --hostname 127.0.10.11 --http_port 8080",
  ]);
  assert.deepEqual(bootstrapCommands(file, file.hosts[3]!), [
    "docker run -d --name mesos_slave --net host --pid host --privileged --restart=always -v /data/mesos:/data/mesos -v /var/run/docker.sock:/var/run/docker.sock -v /sys:/sys -e MESOS_MASTER=zk://127.0.10.2:2181/mesos -e MESOS_WORK_DIR=/data/mesos -e MESOS_CONTAINERIZERS=docker,mesos -e MESOS_CGROUPS_LIMIT_SWAP=true -e MESOS_EXECUTOR_REGISTRATION_TIMEOUT=5mins -e MESOS_IP=127.0.10.14 -e MESOS_HOSTNAME=127.0.10.14 mesosphere/mesos-slave:0.22.1-1.0.ubuntu1404",
  ]);
});

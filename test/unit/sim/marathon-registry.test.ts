// How Marathon stores an app: defaults, service ports from the local port range, the port index rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { storedApp } from "../../../sim/marathon/registry";
import { newState, type AppDefinition, type MarathonNode } from "../../../sim/marathon/state";

const node = (): MarathonNode => ({ state: newState("127.0.0.1") }) as unknown as MarathonNode;
const docker = (containerPort: number): AppDefinition["container"] => ({
  type: "DOCKER",
  docker: { image: "redis:3.0.7", network: "BRIDGE", portMappings: [{ containerPort }] },
});

describe("storing an app", () => {
  test("assigns service ports from 10000, skipping those other apps hold, and fills in the port mappings", () => {
    const n = node();
    const first = storedApp(n, "/a", { container: docker(6379) }, undefined, "v1");
    assert.ok("app" in first);
    n.state.apps.set("/a", first.app);
    const second = storedApp(n, "/b", { ports: [0, 0] }, undefined, "v1");
    assert.ok("app" in second);
    assert.deepEqual([first.app.ports, second.app.ports], [[10000], [10001, 10002]]);
    assert.deepEqual(first.app.container?.docker?.portMappings, [
      { containerPort: 6379, hostPort: 0, servicePort: 10000, protocol: "tcp" },
    ]);
    assert.deepEqual(
      [first.app.instances, first.app.cpus, first.app.mem, first.app.backoffFactor, first.app.upgradeStrategy],
      [1, 1, 128, 1.15, { minimumHealthCapacity: 1, maximumOverCapacity: 1 }],
    );
  });

  test("keeps an app's own service ports on update", () => {
    const n = node();
    const created = storedApp(n, "/a", { ports: [0] }, undefined, "v1");
    assert.ok("app" in created);
    n.state.apps.set("/a", created.app);
    const updated = storedApp(n, "/a", { instances: 3, ports: [0] }, created.app, "v2");
    assert.ok("app" in updated);
    assert.deepEqual([updated.app.ports, updated.app.instances, updated.app.version], [[10000], 3, "v2"]);
  });

  test("refuses a health check whose port index is past the app's ports (422), but not a COMMAND check", () => {
    assert.deepEqual(
      storedApp(node(), "/a", { ports: [0], healthChecks: [{ protocol: "HTTP", portIndex: 1 }] }, undefined, "v1"),
      {
        status: 422,
        message:
          "assertion failed: Health check port indices must address an element of the ports array or container port mappings.",
      },
    );
    assert.ok(
      "app" in
        storedApp(
          node(),
          "/a",
          { ports: [], healthChecks: [{ protocol: "COMMAND", command: { value: "true" } }] },
          undefined,
          "v1",
        ),
    );
  });
});

// The apps the default cluster runs on Marathon: the seed's services, some with several instances, some single.
import type { AppDefinition } from "./marathon/marathon";

/**
 * The health check an operator of 2015 gave a service: HTTP on its web port where it has one, TCP otherwise.
 * Not COMMAND: on Mesos 0.22 a COMMAND check of a Docker task never reports (the app would stay deploying,
 * d2iq-archive/marathon#2140; see sim/mesos/command-health.ts). Timings are the docs' example
 * (docs/docs/health-checks.md: grace 300 s, every 60 s, timeout 20 s, 3 failures). The seed itself names COMMAND
 * checks as a reason to reach Mesos 0.24.2 (§2.1–2.2), the first release where they work with the agent in Docker.
 */
function check(protocol: "HTTP" | "TCP", path?: string): NonNullable<AppDefinition["healthChecks"]>[number] {
  return {
    protocol,
    ...(path ? { path } : {}),
    portIndex: 0,
    gracePeriodSeconds: 300,
    intervalSeconds: 60,
    timeoutSeconds: 20,
    maxConsecutiveFailures: 3,
  };
}

function app(
  id: string,
  image: string,
  instances: number,
  port: number,
  healthCheck: ReturnType<typeof check>,
  extra: Partial<AppDefinition> = {},
): AppDefinition {
  return {
    id,
    instances,
    cpus: 0.25,
    mem: 256,
    container: {
      type: "DOCKER",
      docker: { image, network: "BRIDGE", portMappings: [{ containerPort: port, hostPort: 0 }] },
    },
    healthChecks: [healthCheck],
    ...extra,
  };
}

/**
 * The seed's services: redis and rabbitmq run several instances (behind a VIP, one per host), harbor, drone, alert
 * and influxdb run one instance each (the seed lists them as not supporting several, or not yet converted).
 */
export const DEFAULT_APPS: readonly AppDefinition[] = [
  app("/redis", "redis:3.0.7", 3, 6379, check("TCP"), { constraints: [["hostname", "UNIQUE"]] }),
  app("/rabbitmq", "rabbitmq:3.6.1-management", 2, 5672, check("TCP"), { constraints: [["hostname", "UNIQUE"]] }),
  app("/harbor", "vmware/harbor-ui:0.3.0", 1, 80, check("HTTP", "/")),
  app("/drone", "drone/drone:0.4", 1, 8000, check("HTTP", "/")),
  app("/alert", "prom/alertmanager:0.1.1", 1, 9093, check("HTTP", "/")),
  app("/influxdb", "tutum/influxdb:0.13", 1, 8086, check("HTTP", "/ping")),
];

/**
 * The seed's dev machine (开发环境): one host that is master, agent and Marathon at once, where every service runs a
 * single instance (a UNIQUE hostname constraint cannot place a second one).
 */
export const DEV_APPS: readonly AppDefinition[] = DEFAULT_APPS.map((a) => ({ ...a, instances: 1 }));

/** The app sets a cluster can start with (`npm run sim -- up --apps <name>`). */
export const APP_SETS: Readonly<Record<string, readonly AppDefinition[]>> = { default: DEFAULT_APPS, dev: DEV_APPS };

// The apps the default cluster runs on Marathon: the seed's services, some with several instances, some single.
import type { AppDefinition } from "./marathon/marathon";

function app(id: string, image: string, instances: number, port: number, extra: Partial<AppDefinition> = {}): AppDefinition {
  return {
    id,
    instances,
    cpus: 0.25,
    mem: 256,
    container: { type: "DOCKER", docker: { image, network: "BRIDGE", portMappings: [{ containerPort: port, hostPort: 0 }] } },
    // Marathon's COMMAND health checks run on the agent (Mesos >= 0.20).
    healthChecks: [{ protocol: "COMMAND", command: { value: "true" }, gracePeriodSeconds: 300, intervalSeconds: 60, timeoutSeconds: 20, maxConsecutiveFailures: 3 }],
    ...extra,
  };
}

/**
 * The seed's services: redis and rabbitmq run several instances (behind a VIP, one per host), harbor, drone, alert
 * and influxdb run one instance each (the seed lists them as not supporting several, or not yet converted).
 */
export const DEFAULT_APPS: readonly AppDefinition[] = [
  app("/redis", "redis:3.0.7", 3, 6379, { constraints: [["hostname", "UNIQUE"]] }),
  app("/rabbitmq", "rabbitmq:3.6.1-management", 2, 5672, { constraints: [["hostname", "UNIQUE"]] }),
  app("/harbor", "vmware/harbor-ui:0.3.0", 1, 80),
  app("/drone", "drone/drone:0.4", 1, 8000),
  app("/alert", "prom/alertmanager:0.1.1", 1, 9093),
  app("/influxdb", "tutum/influxdb:0.13", 1, 8086),
];

/**
 * The seed's dev machine (开发环境): one host that is master, agent and Marathon at once, where every service runs a
 * single instance (a UNIQUE hostname constraint cannot place a second one).
 */
export const DEV_APPS: readonly AppDefinition[] = DEFAULT_APPS.map((a) => ({ ...a, instances: 1 }));

/** The app sets a cluster can start with (`npm run sim -- up --apps <name>`). */
export const APP_SETS: Readonly<Record<string, readonly AppDefinition[]>> = { default: DEFAULT_APPS, dev: DEV_APPS };

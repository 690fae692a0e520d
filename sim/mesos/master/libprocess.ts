// The libprocess messages a master answers (POST /master/mesos.internal.<Message>; JSON stand-ins for protobuf),
// each handed to the module that owns its concept.
import type { Reply } from "../../http";
import { isDown } from "../maintenance";
import type { FrameworkInfo, StatusUpdate, TaskInfo } from "../messages";
import { notLeading, registerAgent, registerFramework, type AgentRegistration } from "./registration";
import type { MasterNode } from "./state";
import { killTask, launchTasks, reconcileTasks, statusUpdate, updatesSince, used } from "./tasks";

/** The agents a framework may place tasks on: connected and not down for maintenance, with what they use. */
function offers(node: MasterNode): Reply {
  const { state } = node;
  if (!state.elected) return notLeading();
  return {
    body: {
      agents: [...state.agents.values()]
        .filter((a) => a.connected && !isDown(state.maintenance, a.info))
        .map((a) => ({
          slave_id: a.id,
          hostname: a.info.hostname,
          ip: a.info.ip,
          version: a.version,
          resources: a.info.resources,
          used: used(node, a.id),
          attributes: a.info.attributes,
        })),
    },
  };
}

export async function internalMessage(
  node: MasterNode,
  message: string,
  body: Record<string, unknown>,
): Promise<Reply> {
  const { state } = node;
  switch (message) {
    case "RegisterSlaveMessage":
    case "ReregisterSlaveMessage":
      return registerAgent(node, body as unknown as AgentRegistration);
    case "StatusUpdateMessage":
      return statusUpdate(node, body as unknown as StatusUpdate);
    case "RegisterFrameworkMessage":
    case "ReregisterFrameworkMessage":
      return registerFramework(node, body.framework as FrameworkInfo);
    case "Offers":
      return offers(node);
    case "LaunchTasksMessage":
      if (!state.elected) return notLeading();
      return launchTasks(node, body.tasks as TaskInfo[]);
    case "KillTaskMessage":
      return killTask(node, String(body.task_id));
    case "StatusUpdates":
      if (!state.elected) return notLeading();
      return updatesSince(node, body.framework_id, Number(body.since ?? 0));
    case "ReconcileTasksMessage":
      if (!state.elected) return notLeading();
      return reconcileTasks(
        node,
        String(body.framework_id),
        body.tasks as Array<{ task_id: string; slave_id: string }>,
      );
    default:
      return { status: 404, body: { message: `unknown message ${message}` } };
  }
}

// What each maintenance task does. Runs in the worker only.
import { deleteEndedSessions } from "../auth/sessions";
import { maintenancePayload } from "./maintenance";

export async function runMaintenanceTask(data: unknown): Promise<{ task: string; removed: number }> {
  const payload = maintenancePayload.parse(data);
  switch (payload.task) {
    case "purge-sessions":
      return { task: payload.task, removed: await deleteEndedSessions() };
  }
}

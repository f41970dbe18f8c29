// Background jobs: queue names, payloads and typed enqueue functions. Web code imports only this.
export { enqueueMaintenance, scheduleMaintenance, MAINTENANCE_QUEUE } from "./maintenance";
export { readHeartbeat, type Heartbeat } from "./heartbeat";

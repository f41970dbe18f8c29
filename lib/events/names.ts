// The API's event and source names against the database enums (EventType, EventSource), in one place.
import type { EventSource as DbEventSource, EventType as DbEventType } from "../generated/prisma/enums";
import type { EventSource, EventType } from "./types";

export type { DbEventSource, DbEventType };

const SOURCE_TO_DB: Record<EventSource, DbEventSource> = {
  foryou: "FOR_YOU",
  following: "FOLLOWING",
  profile: "PROFILE",
  search: "SEARCH",
  hashtag: "HASHTAG",
  link: "LINK",
  other: "OTHER",
};
const SOURCE_FROM_DB = Object.fromEntries(Object.entries(SOURCE_TO_DB).map(([api, db]) => [db, api])) as Record<DbEventSource, EventSource>;

export function toDbType(type: EventType): DbEventType {
  return type.toUpperCase() as DbEventType;
}

export function fromDbType(type: DbEventType): EventType {
  return type.toLowerCase() as EventType;
}

export function toDbSource(source: EventSource): DbEventSource {
  return SOURCE_TO_DB[source];
}

export function fromDbSource(source: DbEventSource): EventSource {
  return SOURCE_FROM_DB[source];
}

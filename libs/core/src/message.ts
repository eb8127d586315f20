/**
 * Events and commands are readonly discriminated unions on `type`.
 * Metadata (tenant, actor, time, command id) travels beside the data, never inside it,
 * so that deciders stay pure and the same event shape is stored and replayed.
 */
export type Event<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

export type Command<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

export interface CommandMetadata {
  readonly tenantId: string;
  /** The user id (JWT `sub`) recorded as the actor of every event the command produces. */
  readonly actor: string;
  /** Business "now" as seen by the caller's clock; deciders never read the system clock. */
  readonly now: Date;
  /** Idempotency key: the same command id twice yields the first result. */
  readonly commandId?: string;
  /** Ties together everything one request (or a chain of requests) caused; from the caller. */
  readonly correlationId?: string;
  readonly causationId?: string;
  /** The HTTP request that carried the command (the id in the request's log lines). */
  readonly requestId?: string;
}

/** Metadata stored with each event. */
export interface EventMetadata {
  readonly actor?: string;
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly requestId?: string;
  readonly [key: string]: unknown;
}

/** An event as it was read back from a store. */
export interface RecordedEvent<E extends Event = Event> {
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EventMetadata;
  readonly eventId: string;
  readonly tenantId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  /** PostgreSQL xid8 of the writing transaction, as a decimal string. */
  readonly transactionId: string;
  readonly recordedAt: Date;
}

import { viewerScopeKey, type Viewer } from '@app/auth';
import {
  createSourceEventStream,
  execute,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type Source,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Language } from '../context/api-context';
import type { RetryableSource } from './live-iterator';
import { isSubscribersOwn } from './live-read-failures';

/** Documents remembered by text (dashboards send the same few documents over and over). */
const MAX_DOCUMENTS = 256;
/** Longer documents are parsed each time and never remembered (the map stays small). */
const MAX_DOCUMENT_CHARS = 16 * 1024;

/** Payloads that every subscriber of a union in this process receives as the same object. */
const shareablePayloads = new WeakSet<object>();

/** Marks a payload as shared: subscribers that would execute the same selection on it share one. */
export function shareable<T extends object>(payload: T): T {
  shareablePayloads.add(payload);
  return payload;
}

/** The parts of ApiContext the grouping reads (a subscription's context). */
interface LiveOperationContext {
  language: Language;
  live?: { viewer: Viewer };
}

/**
 * graphql-ws's `parse`, `validate` and `subscribe`, so that N dashboards watching a union cost one
 * execution per change instead of N. The same document text is parsed and validated once and the
 * document object is shared; each subscription still gets its own source stream (its resolver
 * checks its scope when it starts), but a payload marked `shareable` is executed once per group of
 * subscribers with the same document, operation, variables, tenant, roles, unit, member, grants
 * and language (the only inputs a selection's result may depend on), and every member of the group
 * gets that result. Results are keyed by the payload object, so the next change (a new object) is
 * executed anew and the old results go with their payload.
 */
export class SharedExecution {
  private readonly documents = new Map<string, DocumentNode>();
  private readonly validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  private readonly documentIds = new WeakMap<DocumentNode, number>();
  private readonly results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  private nextDocumentId = 1;
  /** Selections executed, and messages that took another subscriber's execution (tests, metrics). */
  readonly counts = { executed: 0, shared: 0 };

  readonly parse = (source: string | Source): DocumentNode => {
    if (typeof source !== 'string' || source.length > MAX_DOCUMENT_CHARS) return parse(source);
    let document = this.documents.get(source);
    if (document) {
      // most recently used last: the oldest is dropped first
      this.documents.delete(source);
    } else {
      document = parse(source);
      if (this.documents.size >= MAX_DOCUMENTS)
        this.documents.delete(this.documents.keys().next().value!);
    }
    this.documents.set(source, document);
    return document;
  };

  readonly validate = (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    let errors = this.validated.get(document);
    if (!errors) this.validated.set(document, (errors = validate(schema, document)));
    return errors;
  };

  readonly subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const group = this.groupOf(args);
    return mapStream(
      stream,
      (payload) => this.executeFor(payload, group, args),
      // a live read's shared payload is read again whole; a stream's page is not re-sent
      (result, payload) => (isShareable(payload) ? failureOf(result) : undefined),
    );
  };

  /** The options to spread into graphql-ws's `useServer` (through @nestjs/graphql). */
  serverOptions(): Pick<ServerOptions, 'parse' | 'validate' | 'subscribe'> {
    return {
      parse: this.parse,
      validate: this.validate,
      subscribe: this.subscribe as ServerOptions['subscribe'],
    };
  }

  private groupOf(args: ExecutionArgs): string | undefined {
    const context = args.contextValue as LiveOperationContext | undefined;
    const viewer = context?.live?.viewer;
    const documentId = this.documentIds.get(args.document) ?? this.idFor(args.document);
    if (!viewer || !context) return undefined;
    return JSON.stringify([
      documentId,
      args.operationName ?? null,
      args.variableValues ?? null,
      viewerScopeKey(viewer),
      context.language,
    ]);
  }

  private idFor(document: DocumentNode): number {
    const id = this.nextDocumentId++;
    this.documentIds.set(document, id);
    return id;
  }

  private executeFor(
    payload: unknown,
    group: string | undefined,
    args: ExecutionArgs,
  ): Promise<ExecutionResult> | ExecutionResult {
    const run = () => {
      this.counts.executed++;
      return execute({ ...args, rootValue: payload });
    };
    if (group === undefined || !isShareable(payload)) return run();
    let byGroup = this.results.get(payload);
    if (!byGroup)
      this.results.set(payload, (byGroup = new Map<string, Promise<ExecutionResult>>()));
    const done = byGroup.get(group);
    if (done) {
      this.counts.shared++;
      return done;
    }
    const result = Promise.resolve(run());
    byGroup.set(group, result);
    // a failed execution is not kept: the retry executes anew on the same payload
    void result.then((r) => {
      if (failureOf(r) !== undefined && byGroup.get(group) === result) byGroup.delete(group);
    });
    return result;
  }
}

/**
 * The error of a result that failed through no fault of the subscriber (a field's read hit a
 * database error): such a result is not sent, the live source reads and executes again later.
 */
function failureOf(result: ExecutionResult): GraphQLError | undefined {
  return result.errors?.find((error) => !isSubscribersOwn(error));
}

function isRetryable(source: unknown): source is RetryableSource {
  return typeof (source as Partial<RetryableSource> | null)?.failed === 'function';
}

function isShareable(payload: unknown): payload is object {
  return typeof payload === 'object' && payload !== null && shareablePayloads.has(payload);
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof (value as AsyncIterable<T> | null)?.[Symbol.asyncIterator] === 'function';
}

/**
 * Maps each value of a source stream; ending the mapped stream ends the source (like graphql's).
 * A mapped value with a `failure` is not passed on when the source can retry: the source is told
 * and the next value (its retry) is awaited instead.
 */
function mapStream<T, U>(
  source: AsyncIterable<T>,
  map: (value: T) => Promise<U> | U,
  failure: (mapped: U, value: T) => unknown,
): AsyncIterableIterator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const retryable = isRetryable(iterator) ? iterator : undefined;
  const end = async (): Promise<IteratorResult<U>> => {
    await iterator.return?.();
    return { done: true, value: undefined };
  };
  return {
    async next(): Promise<IteratorResult<U>> {
      for (;;) {
        const step = await iterator.next();
        if (step.done) return { done: true, value: undefined };
        let value: U;
        try {
          value = await map(step.value);
        } catch (error) {
          await end().catch(() => undefined);
          throw error;
        }
        const failed = retryable ? failure(value, step.value) : undefined;
        if (!retryable || failed === undefined) return { done: false, value };
        retryable.failed(failed);
      }
    },
    return: end,
    async throw(error: unknown): Promise<IteratorResult<U>> {
      if (iterator.throw) {
        const step = await iterator.throw(error);
        if (step.done) return { done: true, value: undefined };
        return { done: false, value: await map(step.value) };
      }
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

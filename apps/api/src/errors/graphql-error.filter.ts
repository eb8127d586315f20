import { Catch, Logger, type ArgumentsHost } from '@nestjs/common';
import { GqlArgumentsHost, type GqlExceptionFilter } from '@nestjs/graphql';
import { AccessError } from '@app/auth';
import { DomainError } from '@app/core';
import { isDatabaseUnavailable } from '@app/database';
import { ConcurrencyError, EventStoreError } from '@app/event-store';
import { ConsistencyTimeoutError } from '@app/read-models';
import { GraphQLError, type GraphQLFormattedError, type GraphQLResolveInfo } from 'graphql';
import type { ApiContext, Language } from '../context/api-context';

export type PublicCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE';

const DOMAIN_CODES: Record<DomainError['kind'], PublicCode> = {
  RULE_VIOLATION: 'BAD_USER_INPUT',
  INVALID_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
};

const logger = new Logger('GraphQL');

/**
 * The one place where failures become GraphQL errors: domain rules keep their stable `rule` code
 * and the article; the message follows Accept-Language. Anything unexpected is logged with a
 * correlation id (class and code only for database errors, which may quote data) and answered
 * with a generic INTERNAL_SERVER_ERROR carrying that id.
 */
export function toGraphQLError(
  error: unknown,
  language: Language,
  correlationId: string,
  /** false for live subscriptions: their failed reads are retried and logged once per burst */
  log = true,
): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof DomainError) {
    return new GraphQLError(error.localised(language), {
      extensions: {
        code: DOMAIN_CODES[error.kind],
        rule: error.code,
        ...(error.article ? { article: error.article.en, articleZh: error.article.zh } : {}),
      },
    });
  }
  if (error instanceof AccessError) {
    return new GraphQLError(error.messages[language], { extensions: { code: error.code } });
  }
  if (error instanceof ConcurrencyError) {
    return new GraphQLError(
      language === 'en'
        ? `Someone changed this record first (now at version ${error.actual}); reload and try again`
        : `该记录已被他人修改（当前版本 ${error.actual}），请刷新后重试`,
      { extensions: { code: 'CONFLICT', rule: error.code, currentVersion: error.actual } },
    );
  }
  if (error instanceof EventStoreError) {
    return new GraphQLError(error.message, {
      extensions: { code: 'BAD_USER_INPUT', rule: error.code },
    });
  }
  if (error instanceof ConsistencyTimeoutError) {
    return new GraphQLError(error.message, { extensions: { code: 'CONFLICT', rule: error.code } });
  }
  if (isDatabaseUnavailable(error)) {
    // the pool reconnects by itself once the server is back; say so instead of "internal error"
    if (log) logger.warn(`${correlationId} database unavailable`);
    return new GraphQLError(
      language === 'en'
        ? 'The database is unavailable; retry shortly'
        : '数据库暂时不可用，请稍后重试',
      { extensions: { code: 'SERVICE_UNAVAILABLE', rule: 'DATABASE_UNAVAILABLE', correlationId } },
    );
  }
  const coded = error as { code?: unknown; name?: string; message?: string };
  if (
    typeof coded.code === 'string' &&
    // WORD_WORD like INVALID_CURSOR; not Node's own codes (ECONNRESET, ERR_INVALID_ARG_TYPE),
    // which are the server's trouble, not the caller's
    /^[A-Z]+_[A-Z_]+$/.test(coded.code) &&
    !coded.code.startsWith('ERR_') &&
    coded.code !== 'INTERNAL_SERVER_ERROR'
  ) {
    // typed input errors of the read side (cursor, page size, consistency position)
    return new GraphQLError(coded.message ?? coded.code, {
      extensions: { code: 'BAD_USER_INPUT', rule: coded.code },
    });
  }
  const isDatabase = typeof coded.code === 'string' && /^[0-9A-Z]{5}$/.test(coded.code);
  if (log)
    logger.error(
      `${correlationId} ${coded.name ?? 'Error'}${isDatabase ? ` (database ${String(coded.code)})` : `: ${coded.message ?? ''}`}`,
    );
  return new GraphQLError(
    language === 'en'
      ? `Internal error; reference ${correlationId}`
      : `内部错误，参考编号 ${correlationId}`,
    { extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId } },
  );
}

@Catch()
export class GraphqlErrorFilter implements GqlExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): GraphQLError {
    const gql = GqlArgumentsHost.create(host);
    const context = gql.getContext<ApiContext | undefined>();
    // a field of a live message: its failure is retried and logged once per burst (LiveReadFailures)
    const liveField =
      context?.live !== undefined && gql.getInfo<GraphQLResolveInfo | undefined>()?.path.prev;
    return toGraphQLError(
      exception,
      context?.language ?? 'zh',
      context?.correlationId ?? 'n/a',
      !liveField,
    );
  }
}

const REQUEST_ERRORS = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
]);

const NAME_OR_PATH = /^\$?[_A-Za-z][\w.[\]!]*$/;

/**
 * graphql-js quotes the offending value in its own messages (`Variable "$input" got invalid value
 * { nationalId: … }`, `String cannot represent a non string value: 110…`, `found String "…"`),
 * and that value may be personal data. Keeps names, types and paths; drops values.
 */
export function redactValues(message: string): string {
  return message
    .replace(/got invalid value [\s\S]*?(?=( at "[^"]*")?; )/, 'got invalid value')
    .replace(/(cannot represent[^:;]*?value)(: [^;]*)?/g, '$1')
    .replace(/, found [\s\S]*$/, ', found another value.')
    .replace(/"([^"\n]*)"/g, (quoted, inner: string) => (NAME_OR_PATH.test(inner) ? quoted : '"…"'))
    .replace(/\d{4,}/g, '…');
}

/**
 * Last pass over every error Apollo sends: malformed queries are bad user input like any other
 * (the original class stays in `rule`), their messages lose the values they quote, and nothing
 * internal (stack traces) leaves the server.
 */
export function publicError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = { ...(formatted.extensions ?? {}) };
  delete extensions.stacktrace;
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  // ours carry `rule`; Apollo's request errors (parse, validation, variable coercion) do not
  const apollos = REQUEST_ERRORS.has(code) || (code === 'BAD_USER_INPUT' && !extensions.rule);
  if (REQUEST_ERRORS.has(code)) {
    extensions.code = 'BAD_USER_INPUT';
    extensions.rule ??= code;
  }
  const message = apollos ? redactValues(formatted.message) : formatted.message;
  return { ...formatted, message, extensions };
}

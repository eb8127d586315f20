import { CustomScalar, Scalar } from '@nestjs/graphql';
import { isIsoDate } from '@app/core';
import { GraphQLError, Kind, type ValueNode } from 'graphql';

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** Stands for the `Date` scalar in field declarations: `@Field(() => CalendarDate)`. */
export class CalendarDate {}

/** Stands for the `JSON` scalar in field declarations. */
export class JsonValue {}

/** A calendar date "YYYY-MM-DD" (business time), never shifted by a time zone. */
@Scalar('Date', () => CalendarDate)
export class DateScalar implements CustomScalar<string, string> {
  description = 'A calendar date, YYYY-MM-DD';
  parseValue(value: unknown): string {
    if (typeof value !== 'string' || !isIsoDate(value))
      throw badInput(`"${String(value)}" is not a date (YYYY-MM-DD)`);
    return value;
  }
  serialize(value: unknown): string {
    return String(value);
  }
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) throw badInput('a Date is written as a string "YYYY-MM-DD"');
    return this.parseValue(ast.value);
  }
}

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.NULL:
      return null;
    default:
      throw badInput('JSON literals cannot use variables inside');
  }
}

/** Event data and aggregate states, as they are stored. */
@Scalar('JSON', () => JsonValue)
export class JsonScalar implements CustomScalar<unknown, unknown> {
  description = 'Any JSON value';
  parseValue(value: unknown): unknown {
    return value;
  }
  serialize(value: unknown): unknown {
    return value;
  }
  parseLiteral(ast: ValueNode): unknown {
    return literalToJson(ast);
  }
}

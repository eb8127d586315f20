import { isPeriod, type Period } from '@app/core';
import { GraphQLError } from 'graphql';
import type { Language } from '../../context/api-context';

interface Problem {
  readonly en: string;
  readonly zh: string;
}

const CONTROL = /\p{Cc}/u;
/** In free text that may run over lines, tab and line breaks are fine; other controls are not. */
const CONTROL_IN_PARAGRAPH = /(?![\t\n\r])\p{Cc}/u;
const ID_MAX = 128;

/**
 * Malformed input, caught at the edge before any command runs: BAD_USER_INPUT naming the field
 * (`input.period`), never echoing the value (it may be personal data).
 */
export function invalidInput(language: Language, field: string, problem: Problem): GraphQLError {
  return new GraphQLError(
    language === 'en' ? `input.${field}: ${problem.en}` : `输入字段 input.${field}：${problem.zh}`,
    { extensions: { code: 'BAD_USER_INPUT', rule: 'INVALID_INPUT', field: `input.${field}` } },
  );
}

/** Field checks in the request's language; each returns the cleaned value or throws. */
export class InputCheck {
  constructor(private readonly language: Language) {}

  fail(field: string, en: string, zh: string): never {
    throw invalidInput(this.language, field, { en, zh });
  }

  id(field: string, value: string): string {
    const id = value.trim();
    if (id === '') this.fail(field, 'must not be empty', '不能为空');
    if (id.length > ID_MAX || CONTROL.test(id))
      this.fail(
        field,
        `must be an id of at most ${ID_MAX} characters`,
        `须为不超过 ${ID_MAX} 个字符的标识`,
      );
    return id;
  }

  optionalId(field: string, value: string | null | undefined): string | undefined {
    return value === null || value === undefined ? undefined : this.id(field, value);
  }

  /** Distinct ids, between `min` and `max` of them. */
  ids(field: string, values: readonly string[], min: number, max: number): string[] {
    if (values.length < min || values.length > max)
      this.fail(field, `must list ${min} to ${max} ids`, `须包含 ${min} 至 ${max} 个标识`);
    const ids = values.map((v, i) => this.id(`${field}[${i}]`, v));
    if (new Set(ids).size !== ids.length) this.fail(field, 'lists an id twice', '存在重复的标识');
    return ids;
  }

  /**
   * Trimmed, non-empty, at most `max` characters, no control characters (escape sequences, NUL
   * and the like corrupt exports and terminals); `multiline` text may hold tabs and line breaks.
   */
  text(field: string, value: string, max: number, multiline = false): string {
    const text = value.trim();
    if (text === '') this.fail(field, 'must not be empty', '不能为空');
    if (text.length > max)
      this.fail(field, `must be at most ${max} characters`, `不能超过 ${max} 个字符`);
    if ((multiline ? CONTROL_IN_PARAGRAPH : CONTROL).test(text))
      this.fail(field, 'must not contain control characters', '不能包含控制字符');
    return text;
  }

  optionalText(
    field: string,
    value: string | null | undefined,
    max: number,
    multiline = false,
  ): string | undefined {
    if (value === null || value === undefined || value.trim() === '') return undefined;
    return this.text(field, value, max, multiline);
  }

  /** Digits and letters only (a national id, an employee or card number), no value in the error. */
  optionalCode(field: string, value: string | null | undefined, pattern: RegExp, max: number) {
    const text = this.optionalText(field, value, max);
    if (text !== undefined && !pattern.test(text))
      this.fail(field, 'is not in the expected format', '格式不正确');
    return text;
  }

  period(field: string, value: string): Period {
    const period = value.trim();
    if (!isPeriod(period)) this.fail(field, 'must be a month "YYYY-MM"', '须为月份 "YYYY-MM"');
    return period;
  }

  int(field: string, value: number, min: number, max: number): number {
    if (!Number.isSafeInteger(value) || value < min || value > max)
      this.fail(
        field,
        `must be an integer from ${min} to ${max}`,
        `须为 ${min} 至 ${max} 之间的整数`,
      );
    return value;
  }

  optionalInt(field: string, value: number | null | undefined, min: number, max: number) {
    return value === null || value === undefined ? undefined : this.int(field, value, min, max);
  }

  /** A value of a GraphQL enum (already validated by GraphQL), narrowed to its literal type. */
  oneOf<T extends string>(field: string, value: string, values: { readonly [K in T]: K }): T {
    const allowed: readonly string[] = Object.values(values);
    const isAllowed = (v: string): v is T => allowed.includes(v);
    if (!isAllowed(value)) this.fail(field, 'is not one of the allowed values', '不是允许的取值');
    return value;
  }
}

const CHINESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 19 -> 十九, 36 -> 三十六, 8 -> 八 (articles run 1..36). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`unsupported number ${n}`);
  if (n < 10) return CHINESE_DIGITS[n] ?? '';
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : (CHINESE_DIGITS[tens] ?? '')}十${ones === 0 ? '' : (CHINESE_DIGITS[ones] ?? '')}`;
}

/** A reference to an article of the regulation, in both forms: "Art. 19(3)" / "第十九条第（三）项". */
export interface ArticleRef {
  readonly number: number;
  readonly item?: number;
  /** "Art. 19" or "Art. 19(3)" */
  readonly en: string;
  /** "第十九条" */
  readonly zh: string;
}

export function article(number: number, item?: number): ArticleRef {
  const en = item === undefined ? `Art. ${number}` : `Art. ${number}(${item})`;
  const zh =
    item === undefined
      ? `第${chineseNumber(number)}条`
      : `第${chineseNumber(number)}条第（${chineseNumber(item)}）项`;
  return item === undefined ? { number, en, zh } : { number, item, en, zh };
}

export type ErrorKind = 'RULE_VIOLATION' | 'INVALID_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN';

export interface LocalisedMessage {
  readonly en: string;
  readonly zh: string;
}

/**
 * A broken rule. `code` is stable English (COMMITTEE_SIZE_OUT_OF_RANGE), `article` names the
 * regulation, and the message exists in English and Simplified Chinese. Messages must never carry
 * personal data (national id, phone).
 */
export class DomainError extends Error {
  readonly code: string;
  readonly article: ArticleRef | undefined;
  readonly kind: ErrorKind;
  readonly messages: LocalisedMessage;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    messages: LocalisedMessage,
    options: {
      article?: ArticleRef;
      kind?: ErrorKind;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(
      options.article
        ? `${code} (${options.article.en}): ${messages.en}`
        : `${code}: ${messages.en}`,
    );
    this.name = 'DomainError';
    this.code = code;
    this.article = options.article;
    this.kind = options.kind ?? 'RULE_VIOLATION';
    this.messages = messages;
    this.details = options.details ?? {};
  }

  /** The message in the requested language, with the article in that language's form. */
  localised(language: 'en' | 'zh'): string {
    const text = this.messages[language];
    if (!this.article) return text;
    return language === 'zh' ? `${text}（${this.article.zh}）` : `${text} (${this.article.en})`;
  }
}

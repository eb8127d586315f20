import type { IncomingMessage } from 'node:http';
import { json, urlencoded, type NextFunction, type Request, type Response } from 'express';

type Parser = (req: Request, res: Response, next: (error?: unknown) => void) => void;

/**
 * Requests whose JSON body was already read in front of Express (the response cache's fast path,
 * with the same parser and limit), with the parser's error if it failed: answered here exactly as
 * if this middleware's own parser had failed.
 */
const readEarly = new WeakMap<IncomingMessage, { error?: unknown }>();

export function bodyReadEarly(req: IncomingMessage, error: unknown): void {
  readEarly.set(req, error === undefined ? {} : { error });
}

/** The JSON body parser with the configured limit (`verify` sees the raw bytes). */
export const jsonBodyParser = (
  limitBytes: number,
  verify?: (req: IncomingMessage, res: unknown, raw: Buffer) => void,
) => json({ limit: limitBytes, ...(verify ? { verify } : {}) }) as unknown as Parser;

/**
 * The body parsers with the configured limit; a body over it is answered 413 with a JSON error
 * that names the limit (instead of Express's HTML page), before GraphQL sees the request.
 */
export function bodyLimitMiddleware(limitBytes: number) {
  const parsers: Parser[] = [
    jsonBodyParser(limitBytes),
    urlencoded({ extended: false, limit: limitBytes }),
  ];
  return (req: Request, res: Response, next: NextFunction): void => {
    const parsed = (error?: unknown, then?: () => void) => {
      const type = (error as { type?: string } | undefined)?.type;
      if (type === 'entity.too.large') {
        res.status(413).json({
          errors: [
            {
              message: `The request body is larger than the limit of ${limitBytes} bytes`,
              extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes },
            },
          ],
        });
        return;
      }
      if (error) return next(error);
      if (then) then();
      else next();
    };
    const run = (index: number): void => {
      const parser = parsers[index];
      if (!parser) return next();
      parser(req, res, (error?: unknown) => parsed(error, () => run(index + 1)));
    };
    const early = readEarly.get(req);
    // a body read early: its parse error as if it were ours; without one, the parsers see a
    // finished request and leave the body as it is
    if (early?.error !== undefined) return parsed(early.error);
    run(0);
  };
}

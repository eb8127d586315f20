import { json, urlencoded, type NextFunction, type Request, type Response } from 'express';

type Parser = (req: Request, res: Response, next: (error?: unknown) => void) => void;

/**
 * The body parsers with the configured limit; a body over it is answered 413 with a JSON error
 * that names the limit (instead of Express's HTML page), before GraphQL sees the request.
 */
export function bodyLimitMiddleware(limitBytes: number) {
  const parsers: Parser[] = [
    json({ limit: limitBytes }),
    urlencoded({ extended: false, limit: limitBytes }),
  ];
  return (req: Request, res: Response, next: NextFunction): void => {
    const run = (index: number): void => {
      const parser = parsers[index];
      if (!parser) return next();
      parser(req, res, (error?: unknown) => {
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
        run(index + 1);
      });
    };
    run(0);
  };
}

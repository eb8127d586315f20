import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '@app/database';
import { Logger, PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import { accessLog } from './access-log';
import { loggerParams, rootLogger } from './logger.options';
import { requestLogging } from './request-logging.module';

/** Log lines as objects, written synchronously by pino to this stream. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

function request(method: string, url: string, headers: Record<string, string> = {}) {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  req.headers = headers;
  const res = new ServerResponse(req);
  return { req, res };
}

describe('request logging (one access line per request; request-scoped lines carry the ids)', () => {
  const config = loadConfig({ LOG_LEVEL: 'info' });
  const setup = () => {
    const { lines, stream } = capture();
    const middleware = requestLogging(rootLogger(config, stream), accessLog(config, stream));
    return { lines, middleware };
  };

  it('logs lines written while the request runs with its ids, and one access line at the end', () => {
    const { lines, middleware } = setup();
    const { req, res } = request('POST', '/graphql?x=1', {
      'x-request-id': 'req-1',
      'x-correlation-id': 'corr-1',
    });
    middleware(req, res, () => {
      storage.getStore()?.logger.warn({ nationalId: '110101199001011234' }, 'inside');
    });
    expect(res.getHeader('x-request-id')).toBe('req-1');
    res.statusCode = 201;
    res.emit('finish');
    res.emit('close'); // both events come: still one line
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'inside',
      req: { id: 'req-1', method: 'POST', path: '/graphql' },
      correlationId: 'corr-1',
      nationalId: '[redacted]',
    });
    expect(lines[1]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'req-1', method: 'POST', path: '/graphql' },
      correlationId: 'corr-1',
      res: { statusCode: 201 },
    });
    expect(typeof lines[1]!.responseTime).toBe('number');
  });

  it("gives Nest's logger (nestjs-pino, as the app uses it) the request's ids inside the request only", () => {
    const { lines, stream } = capture();
    const root = rootLogger(config, stream);
    const middleware = requestLogging(root, accessLog(config, stream));
    const nest = new Logger(new PinoLogger(loggerParams(root)), {});
    const { req, res } = request('POST', '/graphql', { 'x-request-id': 'req-2' });
    middleware(req, res, () => nest.warn('inside the request', 'Probe'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'inside the request',
      context: 'Probe',
      req: { id: 'req-2', path: '/graphql' },
      correlationId: 'req-2',
    });
    res.emit('finish');
    expect(lines[1]).toMatchObject({ msg: 'request completed', req: { id: 'req-2' } });
    nest.warn('after the request', 'Probe');
    expect(lines[2]).toMatchObject({ msg: 'after the request', context: 'Probe' });
    expect(lines[2]).not.toHaveProperty('req');
  });

  it('logs a 5xx answer as an error, masks personal data in the path and skips probes', () => {
    const { lines, middleware } = setup();
    const failed = request('GET', '/members/13912345678');
    middleware(failed.req, failed.res, () => undefined);
    failed.res.statusCode = 503;
    failed.res.emit('close');
    const probe = request('GET', '/health/ready');
    middleware(probe.req, probe.res, () => undefined);
    probe.res.emit('finish');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: 'request errored',
      req: { method: 'GET', path: '/members/[phone]' },
      res: { statusCode: 503 },
    });
    expect(JSON.stringify(lines)).not.toContain('13912345678');
  });

  it('at LOG_LEVEL=warn logs the 5xx answers only', () => {
    const { lines, stream } = capture();
    const quiet = loadConfig({ LOG_LEVEL: 'warn' });
    const middleware = requestLogging(rootLogger(quiet, stream), accessLog(quiet, stream));
    for (const status of [200, 404, 500]) {
      const { req, res } = request('POST', '/graphql');
      middleware(req, res, () => undefined);
      res.statusCode = status;
      res.emit('finish');
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, res: { statusCode: 500 } });
  });
});

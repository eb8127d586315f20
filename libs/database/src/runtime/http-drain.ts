import type { Server } from 'node:http';

/**
 * Graceful end of an HTTP server: stop listening at once (new connections are refused), close
 * idle keep-alive connections as soon as they are idle, let requests in flight finish, and after
 * `timeoutMs` cut whatever is still open.
 */
export function drainHttpServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

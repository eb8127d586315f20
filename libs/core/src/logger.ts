/** The logging surface libraries need; NestJS's Logger satisfies it. Never log personal data. */
export interface LogSink {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLog: LogSink = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const consoleLog: LogSink = {
  log: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

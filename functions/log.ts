/** Log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const isLogLevel = (s: string): s is LogLevel => (LOG_LEVELS as readonly string[]).includes(s);

/** A log record: one line of JSON, `level` and `msg` first. */
export type LogRecord = { level: LogLevel; msg: string } & Record<string, unknown>;

export interface Logger {
  /** Writes the record if its level is at or above the configured one; stamps `time` if missing. */
  write(record: LogRecord): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Structured JSON logs, one record per line, filtered by `LOG_LEVEL`: the shape CloudWatch Logs
 * Insights queries field by field. A record of an unknown level is written (never lost).
 */
export function createLogger(level: LogLevel, sink: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const write = (record: LogRecord) => {
    const rank = LOG_LEVELS.indexOf(record.level);
    if (rank !== -1 && rank < min) return;
    sink(JSON.stringify('time' in record ? record : { time: now().toISOString(), ...record }));
  };
  // level and msg first in the line, and never overridden by a field of the same name.
  const at = (l: LogLevel) => (msg: string, fields: Record<string, unknown> = {}) => write(Object.assign({ level: l, msg }, fields, { level: l, msg }));
  return { write, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

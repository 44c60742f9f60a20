import { redact } from './redact.js';
import { redactText, type RedactTextOptions } from './redact-text.js';

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof levels)[number];

type LogMethod = (objOrMsg: unknown, ...rest: unknown[]) => void;

/** The pino-shaped logger we wrap: level methods taking `(obj, msg?)` or `(msg)`, and `child`. */
export type LoggerLike = { [L in LogLevel]?: LogMethod } & { child?: (bindings: Record<string, unknown>) => LoggerLike };

export type RedactingLogger = { [L in LogLevel]: LogMethod } & { child(bindings: Record<string, unknown>): RedactingLogger };

function redactArgument(value: unknown, options: RedactTextOptions): unknown {
  if (typeof value === 'string') return redactText(value, options);
  // Errors keep their class (pino's serialiser wants it) but lose personal data in message and stack.
  if (value instanceof Error) {
    const copy = new Error(redactText(value.message, options));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactText(value.stack, options);
    return copy;
  }
  return redact(value, options);
}

/**
 * Wraps a pino-compatible logger (or `console`-like object) so that every message, bound field and
 * object passes through the redactor first. Levels the target lacks are dropped, not thrown on.
 *
 * @example const log = createRedactingLogger(pino()); log.info({ clientEmail: 'a@b.co' }, 'hold placed');
 */
export function createRedactingLogger(target: LoggerLike, options: RedactTextOptions = {}): RedactingLogger {
  const logger = {} as RedactingLogger;
  for (const level of levels) {
    logger[level] = (objOrMsg, ...rest) => {
      const method = target[level];
      if (!method) return;
      method.call(target, redactArgument(objOrMsg, options), ...rest.map((item) => redactArgument(item, options)));
    };
  }
  logger.child = (bindings) => {
    const safe = redact(bindings, options) as Record<string, unknown>;
    return createRedactingLogger(target.child ? target.child(safe) : target, options);
  };
  return logger;
}

import pino, { type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they sit in an object. */
const REDACT = [
  'password',
  'pass',
  'secret',
  'token',
  'authorization',
  'cookie',
  '*.password',
  '*.pass',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.cookie',
  'auth.pass',
  '*.auth.pass',
  'headers.cookie',
  'headers.authorization',
];

/**
 * The one root logger: JSON lines by default (for journald/Docker), pretty when a person watches a TTY.
 * Stages take a child: `rootLogger().child({ stage: 'mail', uid })`.
 */
let root: Logger | null = null;

export function createLogger(
  options: { level?: string; pretty?: boolean; destination?: number } = {},
): Logger {
  const pretty = options.pretty ?? (process.stderr.isTTY === true && process.env.LOG_FORMAT !== 'json');
  const base = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { app: 'ballot-inbox' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Logs go to stderr so that stdout stays clean for --json output.
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:standard' } },
    });
  }
  return pino(base, pino.destination({ dest: options.destination ?? 2, sync: true }));
}

export function rootLogger(): Logger {
  root ??= createLogger();
  return root;
}

export function setRootLogger(logger: Logger): void {
  root = logger;
}

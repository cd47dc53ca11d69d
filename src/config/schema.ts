import { z } from 'zod';

/**
 * The service settings: where mail comes from, where data goes, limits, ports.
 * Every key has a default except the election file, so a minimal config is
 * `{ "election": "election-2023.json" }`. Paths are relative to the config file's folder.
 */
const mailAction = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('flag'), keyword: z.string().min(1) }),
  z.strictObject({ action: z.literal('seen') }),
  z.strictObject({ action: z.literal('move'), folder: z.string().min(1) }),
  z.strictObject({ action: z.literal('none') }),
]);

export const folderSourceSchema = z.strictObject({
  type: z.literal('folder'),
  /** Folder watched for .eml files. */
  path: z.string().min(1).default('../var/inbox'),
  pollSeconds: z.number().positive().default(5),
});

export const imapSourceSchema = z.strictObject({
  type: z.literal('imap'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(993),
  /** Implicit TLS (993). With false, STARTTLS is still used when the server offers it. */
  tls: z.boolean().default(true),
  /** Accept self-signed certificates only for a test server on loopback. */
  rejectUnauthorized: z.boolean().default(true),
  user: z.string().min(1),
  /** Name of the environment variable holding the password or authorization code (授权码). */
  secretEnv: z.string().min(1).optional(),
  /** File holding the password or authorization code (e.g. a Docker secret). */
  secretFile: z.string().min(1).optional(),
  mailbox: z.string().min(1).default('INBOX'),
  /** Sent with the IMAP ID command; 163/126/yeah.net refuse SELECT ("Unsafe Login") without it. */
  clientInfo: z
    .record(z.string(), z.string())
    .default({ name: 'ballot-inbox', version: '0.1.0', vendor: 'ballot-inbox' }),
  /** Use IDLE when the server offers it; otherwise (or when false) poll. */
  idle: z.boolean().default(true),
  pollSeconds: z.number().positive().default(60),
  onStored: mailAction.default({ action: 'flag', keyword: '$BallotInboxStored' }),
  onFailed: mailAction.default({ action: 'flag', keyword: '$BallotInboxFailed' }),
  reconnect: z
    .strictObject({
      minSeconds: z.number().positive().default(1),
      maxSeconds: z.number().positive().default(300),
    })
    .default({ minSeconds: 1, maxSeconds: 300 }),
});

export const limitsSchema = z.strictObject({
  maxMailBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  maxAttachmentBytes: z
    .number()
    .int()
    .positive()
    .default(40 * 1024 * 1024),
  maxAttachments: z.number().int().positive().default(200),
  maxPagesPerAttachment: z.number().int().positive().default(100),
  maxImagePixels: z.number().int().positive().default(120_000_000),
  maxArchiveEntries: z.number().int().positive().default(500),
  maxArchiveExpandedBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  maxArchiveRatio: z.number().positive().default(200),
  maxNestingDepth: z.number().int().positive().default(5),
  maxAttempts: z.number().int().positive().default(3),
  pageTimeoutSeconds: z.number().positive().default(120),
});

export const appConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  /** Election definition file (relative to this config file). */
  election: z.string().min(1),
  /** Data folder: database, stored originals, page images, reports. */
  dataDir: z.string().min(1).default('../var'),
  /** Database file; defaults to <dataDir>/ballot-inbox.db. */
  db: z.string().min(1).optional(),
  source: z.discriminatedUnion('type', [folderSourceSchema, imapSourceSchema]).default({
    type: 'folder',
    path: '../var/inbox',
    pollSeconds: 5,
  }),
  limits: limitsSchema.default(limitsSchema.parse({})),
  recognizer: z
    .strictObject({
      /** Worker threads reading pages; 0 means one per core. */
      workers: z.number().int().min(0).default(0),
    })
    .default({ workers: 0 }),
  http: z
    .strictObject({
      /** The review site, /healthz and /metrics. Loopback by default: put a TLS proxy in front to expose it. */
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      enabled: z.boolean().default(true),
      /** Mark the session cookie Secure (set when served over HTTPS). */
      secureCookies: z.boolean().default(false),
    })
    .default({ host: '127.0.0.1', port: 8080, enabled: true, secureCookies: false }),
  report: z
    .strictObject({
      /** Cron expression in the election's time zone. */
      cron: z.string().default('0 2 * * *'),
      dir: z.string().optional(),
      smtp: z
        .strictObject({
          host: z.string().min(1),
          port: z.number().int().default(465),
          secure: z.boolean().default(true),
          user: z.string().optional(),
          secretEnv: z.string().optional(),
          secretFile: z.string().optional(),
          from: z.string().min(1),
          to: z.array(z.string().min(1)).min(1),
          rejectUnauthorized: z.boolean().default(true),
        })
        .optional(),
    })
    .default({ cron: '0 2 * * *' }),
  log: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') })
    .default({ level: 'info' }),
});

export type AppConfigFile = z.infer<typeof appConfigSchema>;
export type ImapSourceConfig = z.infer<typeof imapSourceSchema>;
export type FolderSourceConfig = z.infer<typeof folderSourceSchema>;
export type Limits = z.infer<typeof limitsSchema>;
export type MailAction = z.infer<typeof mailAction>;

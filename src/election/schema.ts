import { z } from 'zod';
import { isValidTimeZone } from './zoned-time.js';

/**
 * The election file's shape. Objects are strict so that a typo in a key
 * ("maxMark") is an error naming that key instead of a silently ignored setting.
 */
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

export const itemSchema = z.strictObject({
  number: z.number().int().positive(),
  name: z.string().min(1),
  provincial: z.boolean().optional(),
});

export const seedFileSchema = z.strictObject({
  source: z.string().optional(),
  items: z.array(itemSchema).min(1),
});

export const ballotKindSchema = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case letters, digits, - or _'),
  title: z.string().min(1),
  label: bilingual,
  /** Path to a seed file (relative to the election file) or the items inline. */
  items: z.union([z.string().min(1), z.array(itemSchema).min(1)]),
  itemLabel: bilingual,
  markedLabel: z.string().min(1).default('投票'),
  maxMarks: z.number().int().min(1, 'must be at least 1'),
  rules: z
    .strictObject({
      underLimit: z.enum(['valid', 'invalid']).default('valid'),
      blank: z.enum(['invalid', 'valid']).default('invalid'),
      overLimit: z.literal('invalid').default('invalid'),
    })
    .default({ underLimit: 'valid', blank: 'invalid', overLimit: 'invalid' }),
  highlightTop: z.number().int().min(0).optional(),
});

export const electionSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  organizer: z.string().optional(),
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone such as Asia/Shanghai'),
  closesAt: z.string().min(1),
  mailbox: z.string().optional(),
  ballots: z.array(ballotKindSchema).min(1),
});

export const electionFileSchema = z.strictObject({
  $comment: z.string().optional(),
  election: electionSchema,
});

export type ElectionFile = z.infer<typeof electionFileSchema>;

/** "election.ballots[1].maxMarks: must be at least 1" — one line per problem, naming the key. */
export function formatZodError(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      let path = prefix;
      for (const seg of issue.path) {
        path += typeof seg === 'number' ? `[${seg}]` : path ? `.${String(seg)}` : String(seg);
      }
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys: string[] }).keys;
        return keys.map((k) => `${path ? `${path}.` : ''}${k}: unknown key (misspelt?)`).join('\n');
      }
      return `${path || '(top level)'}: ${issue.message}`;
    })
    .join('\n');
}

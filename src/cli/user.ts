import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../review/password.js';
import { createUser, disableUser, isRole, listUsers } from '../store/users.js';
import { contextFor, printJson } from './context.js';
import { UsageError } from './tally.js';

/** Who ran the command, for the audit trail: accounts are made by whoever holds the server. */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Read one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // The first line only: `echo pw | …` and here-strings add a newline that is not part of the password.
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage staff accounts for the review site');

  user
    .command('add <name>')
    .description('Create a staff account; the password is asked on the terminal (not echoed)')
    .requiredOption('--role <role>', 'reviewer or admin')
    .option('--password-stdin', 'read the password from the first line of standard input (for scripts)')
    .action(async (name: string, opts: { role: string; passwordStdin?: boolean }, cmd: Command) => {
      if (!isRole(opts.role)) throw new UsageError(`--role must be reviewer or admin, not "${opts.role}"`);
      let password: string;
      if (opts.passwordStdin) password = await readStdin();
      else {
        if (!process.stdin.isTTY)
          throw new UsageError('no terminal to ask the password on: use --password-stdin');
        password = await promptHidden(`Password for ${name}: `);
        const again = await promptHidden('Again: ');
        if (again !== password) throw new UsageError('the two passwords differ; nothing was changed');
      }
      if ([...password].length < MIN_PASSWORD_LENGTH)
        throw new UsageError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
      const ctx = contextFor(cmd);
      const db = ctx.openDb();
      try {
        const result = createUser(db, {
          name,
          role: opts.role,
          passwordHash: await hashPassword(password),
          actor: cliActor(),
        });
        if (!result.ok)
          throw new UsageError(
            result.error === 'exists'
              ? `a user named "${name}" already exists`
              : `"${name}" is not a usable name (letters, digits, . _ -; at most 64)`,
          );
        process.stdout.write(`created ${result.user.role} ${result.user.name}\n`);
      } finally {
        db.close();
      }
    });

  user
    .command('list')
    .description('List staff accounts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const db = ctx.openDb();
      const users = listUsers(db);
      db.close();
      if (opts.json) return printJson(users);
      if (users.length === 0) process.stdout.write('no users yet: ballot-inbox user add NAME --role admin\n');
      for (const u of users)
        process.stdout.write(
          `${u.name.padEnd(20)} ${u.role.padEnd(9)} ${u.disabled ? 'disabled' : 'active  '} created ${u.createdAt}\n`,
        );
    });

  user
    .command('disable <name>')
    .description('Disable an account and end its sessions (the account stays: audit entries name it)')
    .action((name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const db = ctx.openDb();
      try {
        const r = disableUser(db, name, cliActor());
        if (!r.ok)
          throw new UsageError(
            r.error === 'not_found' ? `no user named "${name}"` : `${name} is already disabled`,
          );
        process.stdout.write(`disabled ${name}; ended ${r.sessionsEnded} session(s)\n`);
      } finally {
        db.close();
      }
    });
}

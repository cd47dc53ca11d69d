import { readFileSync } from 'node:fs';
import type { ImapSourceConfig } from '../config/schema.js';

export type SecretResult =
  { readonly ok: true; readonly secret: string } | { readonly ok: false; readonly error: string };

/**
 * The password or authorization code (授权码) for the IMAP login, from the named environment
 * variable or else the file. Read at every connect so a rotated Docker secret is picked up.
 * Error texts name where we looked, never what was found.
 */
export function readImapSecret(
  config: Pick<ImapSourceConfig, 'secretEnv' | 'secretFile'>,
  env: NodeJS.ProcessEnv = process.env,
): SecretResult {
  if (config.secretEnv !== undefined) {
    const value = env[config.secretEnv];
    if (value !== undefined && value !== '') return { ok: true, secret: value };
    if (config.secretFile === undefined)
      return { ok: false, error: `environment variable ${config.secretEnv} is not set or empty` };
  }
  if (config.secretFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(config.secretFile, 'utf8');
    } catch (err) {
      return {
        ok: false,
        error: `secret file ${config.secretFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      };
    }
    // Files written by editors or `echo` end with a newline that is not part of the code.
    const secret = text.replace(/\r?\n$/, '');
    if (secret === '') return { ok: false, error: `secret file ${config.secretFile} is empty` };
    return { ok: true, secret };
  }
  return {
    ok: false,
    error: 'the IMAP source needs secretEnv or secretFile for the password or authorization code',
  };
}

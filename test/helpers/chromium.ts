import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (installed by scripts/install-system-deps.sh); a browser is never downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests run wherever Chromium is installed and must run under CI (where a missing browser is a failure). */
export const browserTestsSkipped = !existsSync(CHROMIUM) && process.env.CI !== 'true';

/**
 * Headless Chromium with a fresh profile. The background-networking flags matter: on a machine
 * without internet, Chromium's own connections are refused many at a time and slow every test.
 */
export async function launchChromium(options: {
  viewport: { width: number; height: number };
  locale?: string;
  profilePrefix?: string;
}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), options.profilePrefix ?? 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: options.viewport,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  context.on('close', () => {
    // Best effort: Chromium's helpers may still be writing into the profile as it closes.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* a leftover temp profile is harmless */
    }
  });
  return context;
}

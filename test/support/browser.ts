import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { tempDir } from './ports';

/** Where screenshots are kept (gitignored). */
export const SCREENSHOT_DIR = join(process.cwd(), '.artifacts', 'screenshots');

/** A headless Debian Chromium with a fresh profile. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Save a full-page PNG as `.artifacts/screenshots/<name>.png`; returns its path. */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

/** Launch `/usr/bin/chromium`; `extraArgs` e.g. `--host-resolver-rules=MAP *.bking.com 127.0.0.1`. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  const profile = await tempDir('chromium');
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async screenshot(name, p = page) {
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await p.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

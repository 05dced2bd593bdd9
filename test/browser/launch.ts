/**
 * The browser tests' one way to start Chromium: the system browser (never a download), the project's
 * offline flags, a throwaway profile folder that `close()` removes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../../src/plot/export';

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchTestBrowser(): Promise<TestBrowser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      'No Chromium found (set CHROMIUM_PATH, or apt-get install chromium). The browser test needs one; it never downloads a browser.',
    );
  }
  const { chromium } = await import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-browser-test-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

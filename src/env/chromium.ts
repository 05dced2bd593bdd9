/**
 * Finding a system Chromium for static figure export and the browser test. We never download a
 * browser: CHROMIUM_PATH, then the usual Debian/Ubuntu/macOS locations; `ensureChromium()` installs
 * Debian's `chromium` package when running as root, else says exactly what to run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Flags for a quiet, sandbox-free, offline headless Chromium (CI containers run as root). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // 3-D surfaces need WebGL; on a GPU-less machine that is SwiftShader, whose automatic fallback
  // Chromium is phasing out (deprecated in M137). Opting in keeps surfaces exportable there.
  '--enable-unsafe-swiftshader',
];

/** The Chromium to use: $CHROMIUM_PATH (which must exist), else the usual install locations, else undefined. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (p: string) => boolean = fs.existsSync,
): string | undefined {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!exists(fromEnv)) {
      throw new Error(
        `CHROMIUM_PATH is set to ${fromEnv}, but no file exists there. Unset it or point it at a Chromium binary.`,
      );
    }
    return fromEnv;
  }
  return CHROMIUM_CANDIDATES.find((p) => exists(p));
}

export const CHROMIUM_MANUAL_STEPS =
  'Install a Chromium: Debian `sudo apt-get install -y chromium`, Ubuntu `sudo apt-get install -y chromium-browser`, ' +
  'or point CHROMIUM_PATH at an existing Chromium/Chrome binary.';

/** Returns the Chromium path, installing Debian's package when root; throws with manual steps otherwise. */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (isRoot && hasApt) {
    process.stdout.write("setup: Chromium not found; installing Debian's chromium package\n");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    const now = findChromium();
    if (now) return now;
  }
  throw new Error(`No Chromium found. ${CHROMIUM_MANUAL_STEPS}`);
}

// Test-only (not exported): whether this machine can run the native tests. The addon
// needs a C compiler and OpenBLAS (scripts/system-deps.sh installs both as root). Where
// they are missing the native suites are skipped with the reason; where they are present
// the addon must have been built, so a broken build fails the tests instead of skipping them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { nativeStatus } from './addon';

function toolchainMissing(): string | null {
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'no C compiler (cc)';
  }
  const headers = ['/usr/include/cblas.h', '/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/aarch64-linux-gnu/cblas.h'];
  return headers.some((h) => existsSync(h)) ? null : 'no OpenBLAS headers (libopenblas-dev)';
}

const status = nativeStatus();
const missing = status.available ? null : toolchainMissing();
if (missing) console.warn(`@ihc/native tests skipped: ${missing}; install build-essential and libopenblas-dev, then build.`);

/** `describe`, or `describe.skip` where the toolchain to build the addon is missing. */
export const describeNative: jest.Describe = missing ? describe.skip : describe;

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NATIVE_ADDON_ENV_VAR } from './addon';

describe('nativeStatus / loadNativeAddon', () => {
  afterEach(() => {
    delete process.env[NATIVE_ADDON_ENV_VAR];
  });

  it('reports a missing addon with the path and how to build it, and loadNativeAddon throws NATIVE_UNAVAILABLE', () => {
    process.env[NATIVE_ADDON_ENV_VAR] = '/nonexistent/ihc_native.node';
    jest.isolateModules(() => {
      // a fresh module: the load result is cached per process
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./addon') as typeof import('./addon');
      const status = fresh.nativeStatus();
      expect(status).toEqual({
        available: false,
        reason: expect.stringContaining('/nonexistent/ihc_native.node is missing: build it with `npm run build -w @ihc/native`'),
        blas: null,
        threads: null,
      });
      expect(() => fresh.loadNativeAddon()).toThrow(expect.objectContaining({ code: 'NATIVE_UNAVAILABLE' }));
    });
  });

  it('reports a file that is not an addon as failing to load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ihc-addon-'));
    const fake = path.join(dir, 'ihc_native.node');
    fs.writeFileSync(fake, 'not a shared library');
    process.env[NATIVE_ADDON_ENV_VAR] = fake;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./addon') as typeof import('./addon');
      expect(fresh.nativeStatus().reason).toMatch(/ihc_native\.node failed to load/);
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

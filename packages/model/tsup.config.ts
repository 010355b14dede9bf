import { defineConfig } from 'tsup';

// The browser bundle's files; the Node build's clean step leaves them alone (the two
// builds run at the same time).
const BROWSER_FILES = ['!browser.js', '!browser.js.map'];

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    // types of both entries come from here (tsup's dts step cleans every .d.ts first)
    dts: { entry: { index: 'src/index.ts', browser: 'src/browser.ts' } },
    sourcemap: true,
    clean: BROWSER_FILES,
    target: 'node20',
    treeshake: true,
    // tfjs-core's gradient registrations ship only as extensionless ESM that Node cannot
    // load; bundle them (they register into tfjs-core's global registry).
    noExternal: [/^@tensorflow\/tfjs-core\/dist\/register_all_gradients/],
  },
  {
    // dist/browser.js: one self-contained ES module for pages (tfjs-core, the webgpu,
    // wasm and cpu backends and @ihc/copy-task bundled in; see src/browser.ts).
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    treeshake: true,
    noExternal: [/.*/],
    // backend.ts imports node:* only behind a Node check, dynamically; never run in a page
    external: [/^node:/],
  },
]);

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {"index":"src/index.ts","node":"src/node.ts","web":"src/web.ts"},
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  splitting: true,
});

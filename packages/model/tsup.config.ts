import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {"index":"src/index.ts"},
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  // tfjs-core's gradient registrations ship only as extensionless ESM that Node cannot
  // load; bundle them (they register into tfjs-core's global registry).
  noExternal: [/^@tensorflow\/tfjs-core\/dist\/register_all_gradients/],
});

// One-off scaffolding of package manifests (kept for adding new packages consistently).
import { writeFileSync, existsSync, mkdirSync } from 'node:fs';
const pkgs = {
  'copy-task': { desc: 'Seeded copy-task dataset for induction-head studies: sentences, typed-array batches, repeated random tokens. Zero dependencies.', entries: { '.': 'index' } },
  'induction-score': { desc: 'Induction, previous-token and duplicate-token head scores on any attention tensor. Zero dependencies.', entries: { '.': 'index' } },
  'bitlinear': { desc: 'BitNet 1-bit and b1.58 BitLinear for TensorFlow.js: quantisers with straight-through gradients, a Layers API layer, bit packing and a packed matmul.', entries: { '.': 'index', './layer': 'layer' } },
  'model': { desc: 'Two-layer attention-only transformer (FP or BitLinear Q/K/V/O) with trainer, checkpoints and backend selection, on TensorFlow.js.', entries: { '.': 'index' } },
  'plot': { desc: 'Figures for induction-head studies: heatmap grids, attention patterns, training curves as SVG/PNG, and an HTML report.', entries: { '.': 'index' } },
  'onnx': { desc: 'Export trained @ihc models to ONNX with bit-packed 1-bit weights; sessions on onnxruntime-node and onnxruntime-web.', entries: { '.': 'index', './node': 'node', './web': 'web' } },
  'cli': { desc: 'The `ihc` command: dataset, score, train, sweep, plot, report, export, infer, reproduce.', entries: { '.': 'index' }, bin: { ihc: './dist/bin.js' } },
};
for (const [name, p] of Object.entries(pkgs)) {
  const dir = `packages/${name}`;
  mkdirSync(`${dir}/src`, { recursive: true });
  const exportsMap = { };
  for (const [sub, file] of Object.entries(p.entries)) {
    exportsMap[sub] = {
      import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` },
      require: { types: `./dist/${file}.d.cts`, default: `./dist/${file}.cjs` },
    };
  }
  exportsMap['./package.json'] = './package.json';
  const manifest = {
    name: `@ihc/${name}`,
    version: '0.1.0',
    description: p.desc,
    license: 'MIT',
    type: 'module',
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    exports: exportsMap,
    ...(p.bin ? { bin: p.bin } : {}),
    files: ['dist', 'README.md'],
    sideEffects: false,
    engines: { node: '>=20' },
    publishConfig: { access: 'public' },
    repository: { type: 'git', url: 'git+https://github.com/ihc-study/ihc.git', directory: dir },
    scripts: {
      build: 'tsup',
      test: 'node ../../scripts/jest.mjs',
      lint: 'publint --strict && attw --pack . --profile node16',
      typecheck: 'tsc --noEmit -p tsconfig.json',
    },
  };
  if (!existsSync(`${dir}/package.json`)) writeFileSync(`${dir}/package.json`, JSON.stringify(manifest, null, 2) + '\n');
  const entry = Object.fromEntries(Object.values(p.entries).map((f) => [f, `src/${f}.ts`]));
  if (p.bin) entry.bin = 'src/bin.ts';
  if (!existsSync(`${dir}/tsup.config.ts`)) writeFileSync(`${dir}/tsup.config.ts`, `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ${JSON.stringify(entry)},
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
});
`);
  if (!existsSync(`${dir}/tsconfig.json`)) writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }, null, 2) + '\n');
  if (!existsSync(`${dir}/jest.config.cjs`)) writeFileSync(`${dir}/jest.config.cjs`, `module.exports = require('../../jest.preset.cjs');\n`);
}

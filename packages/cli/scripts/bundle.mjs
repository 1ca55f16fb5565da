// Bundles the `tenet` command: `dist/main.js`, one ES module, and `dist/chunks/`, the code each command loads when
// it runs. Run after `tsc -b` (the root `build` script does both): tsc type-checks `src/` and builds every package's
// `dist/`, which esbuild then bundles (Chevrotain and its lodash-es too), replacing tsc's `dist/main.js`; the rest
// of tsc's `dist/` stays, as the package's library entry. A process then loads about ten files, not seven hundred.
// No source maps: the CLI never shows a stack trace, and maps pointing at `src/` would point at files not shipped.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(cli, 'dist/chunks'), { recursive: true, force: true });
// tsc's map of its own `main.js`, which no longer describes the file.
rmSync(path.join(cli, 'dist/main.js.map'), { force: true });

const { metafile } = await build({
  absWorkingDir: cli,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  // Each `import()` stays one: `cli.ts` loads a command when it runs, and `load.ts` the language and the compiler
  // only for a `.policy`, so deciding from an artifact loads the runtime alone.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The board document's Graphviz (wasm) and headless-browser driver, loaded only by `tenet render`, as packages.
  external: ['@viz-js/viz', 'playwright-core'],
  metafile: true,
  logLevel: 'warning',
});

// INVARIANT: deciding from an artifact never loads the language or the compiler. What the `decide` command's
// chunk imports, directly or through other chunks, is checked here, where a change to the imports would break it.
const outputs = Object.entries(metafile.outputs);
const decide = outputs.find(([, output]) => output.entryPoint === 'src/commands/decide.ts');
if (!decide) throw new Error('bundle: no chunk for `src/commands/decide.ts`');
const loaded = new Set(['dist/main.js', decide[0]]);
for (const file of loaded) {
  for (const imported of metafile.outputs[file]?.imports ?? []) {
    if (imported.kind === 'import-statement' && !imported.external) loaded.add(imported.path);
  }
}
const heavy = [...loaded].flatMap((file) =>
  Object.keys(metafile.outputs[file]?.inputs ?? {}).filter((input) =>
    /(^|\/)(language|compiler|render)\/(src|dist)\/|\/node_modules\/(chevrotain|lodash-es)\//.test(input),
  ),
);
if (heavy.length > 0)
  throw new Error(`bundle: deciding from an artifact would load ${heavy.slice(0, 3).join(', ')}…`);

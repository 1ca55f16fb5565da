// The packages as people outside the repository get them: each packed by pnpm as `pnpm publish` would, its tarball
// checked (no `workspace:` range left, the licence, the README, every source map's sources shipped), then all five
// installed by npm into a fresh folder, where the `tenet` command checks and compiles the Wethersfield policy and a
// plain ES module script decides a query with `@tenet/runtime`. Also: the language, the compiler and the runtime
// import nothing of Node, so they run in a browser. Run after the build (`pnpm test` builds first).
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const PUBLISHED = ['language', 'compiler', 'runtime', 'render', 'cli'] as const;
const PNPM = 'pnpm@12.4.2';

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a command run as a user would: without what pnpm and vitest set for the repository. */
const userEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|PNPM_|VITEST|NODE_OPTIONS$)/i.test(key)),
);

/** Runs a command to its end, asynchronously (so that several can run at once), and collects what it printed. */
function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...userEnvironment, npm_config_update_notifier: 'false', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs a command that must succeed; its output, or an error that shows what it printed. */
async function succeed(command: string, args: string[], cwd: string): Promise<string> {
  const ran = await run(command, args, cwd);
  if (ran.status !== 0)
    throw new Error(`\`${command} ${args.join(' ')}\` exited ${ran.status}:\n${ran.stdout}\n${ran.stderr}`);
  return ran.stdout;
}

/** Every file under `dir`, relative to it, with `/` between folders. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The modules a built file imports: static imports and exports, dynamic imports and requires, as tsc reads them. */
const importsOf = (code: string): string[] =>
  ts.preProcessFile(code, true, true).importedFiles.map((file) => file.fileName);

const packageName = (specifier: string) =>
  specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : (specifier.split('/')[0] as string);

describe('the language, the compiler and the runtime', () => {
  it.each(['language', 'compiler', 'runtime'])(
    '@tenet/%s imports nothing of Node, and no package it does not declare',
    (name) => {
      const dir = path.join(root, 'packages', name);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const declared = new Set(Object.keys(manifest.dependencies ?? {}));
      const files = filesUnder(path.join(dir, 'dist')).filter((file) => file.endsWith('.js'));
      expect(files).toContain('index.js');
      const builtins = new Set(builtinModules);
      const wrong = files.flatMap((file) =>
        importsOf(readFileSync(path.join(dir, 'dist', file), 'utf8'))
          .filter((specifier) => !specifier.startsWith('.'))
          .filter(
            (specifier) =>
              specifier.startsWith('node:') ||
              builtins.has(specifier) ||
              !declared.has(packageName(specifier)),
          )
          .map((specifier) => `dist/${file} imports \`${specifier}\``),
      );
      expect(wrong).toEqual([]);
    },
  );
});

describe('the published packages', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'tenet-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('pack with the licence, the README and the sources of their maps, install with npm, and run', async () => {
    const tarballs = path.join(work, 'tarballs');
    // pnpm pack names the tarball it wrote on its last line of output.
    const packed = await Promise.all(
      PUBLISHED.map(async (name) => {
        const out = await succeed(
          'npx',
          ['-y', PNPM, 'pack', '--pack-destination', tarballs],
          path.join(root, 'packages', name),
        );
        return out.trim().split('\n').at(-1) as string;
      }),
    );
    expect(packed.map((file) => path.basename(file))).toEqual(
      PUBLISHED.map((name) => `tenet-${name}-0.1.0.tgz`),
    );

    const license = readFileSync(path.join(root, 'LICENSE'), 'utf8');
    for (const [i, name] of PUBLISHED.entries()) {
      const unpacked = path.join(work, 'unpacked', name);
      mkdirSync(unpacked, { recursive: true });
      await succeed('tar', ['-xzf', packed[i] as string, '-C', unpacked], work);
      const dir = path.join(unpacked, 'package');
      const files = filesUnder(dir);
      const manifestText = readFileSync(path.join(dir, 'package.json'), 'utf8');
      expect(manifestText, name).not.toContain('workspace:');
      const manifest = JSON.parse(manifestText) as {
        license: string;
        dependencies?: Record<string, string>;
      };
      expect(manifest.license).toBe('Apache-2.0');
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
        if (dependency.startsWith('@tenet/')) expect(range, `${name} → ${dependency}`).toBe('0.1.0');
      expect(readFileSync(path.join(dir, 'LICENSE'), 'utf8'), name).toBe(license);
      expect(files, name).toContain('README.md');
      expect(files, name).toContain('dist/index.js');
      expect(files, name).toContain('dist/index.d.ts');
      expect(files, name).toContain('src/index.ts');
      // Every map points at sources in the tarball: so stack traces and go-to-definition reach real files.
      const maps = files.filter((file) => file.endsWith('.map'));
      expect(maps, name).toContain('dist/index.js.map');
      expect(maps, name).toContain('dist/index.d.ts.map');
      const missing = maps.flatMap((map) => {
        const { sources, sourceRoot = '' } = JSON.parse(readFileSync(path.join(dir, map), 'utf8')) as {
          sources: string[];
          sourceRoot?: string;
        };
        return sources
          .map((source) => path.resolve(path.dirname(path.join(dir, map)), sourceRoot, source))
          .filter((source) => !existsSync(source))
          .map((source) => `${map} → ${path.relative(dir, source)}`);
      });
      expect(missing, name).toEqual([]);
    }

    // A project of someone outside the repository: the five tarballs from npm's point of view, and two policies.
    const app = path.join(work, 'app');
    mkdirSync(app);
    await succeed('npm', ['init', '-y'], app);
    await succeed('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed], app);
    // The Wethersfield policy imports the Connecticut authorities from `../connecticut`, and compares itself with
    // the statute there: both folders, side by side, under the folder the command runs in (its root).
    for (const folder of ['wethersfield', 'connecticut'])
      cpSync(path.join(root, 'policies', folder), path.join(app, 'policies', folder), { recursive: true });

    const policy = 'policies/wethersfield/confidentiality.policy';
    const inRepository = await run(
      process.execPath,
      [path.join(root, 'packages/cli/dist/main.js'), 'check', policy],
      root,
    );
    const installed = await run('npx', ['--no', 'tenet', 'check', policy], app);
    expect(installed.stderr).toBe('');
    expect(installed.status).toBe(0);
    expect(installed.stdout).toMatch(
      /^policies\/wethersfield\/confidentiality\.policy: ok \(3 files, .*\)\n$/,
    );
    expect(installed.stdout).toBe(inRepository.stdout);

    const compiled = await run('npx', ['--no', 'tenet', 'compile', policy, '-o', 'wethersfield.json'], app);
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toMatch(/^wethersfield\.json: 12 rules, /);

    writeFileSync(
      path.join(app, 'decide.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { createEngine, parseJson } from '@tenet/runtime';",
        "const parsed = parseJson(readFileSync('wethersfield.json'));",
        'if (!parsed.ok) throw new Error(parsed.error.message);',
        'const engine = createEngine(parsed.value);',
        "const query = JSON.parse(readFileSync('policies/wethersfield/queries/subpoena-without-good-cause.json', 'utf8'));",
        'const d = engine.decide(query);',
        'console.log(d.decision, d.reasons.map((r) => r.rule).join(), d.obligations.map((o) => o.id).join());',
        '',
      ].join('\n'),
    );
    const decided = await run(process.execPath, ['decide.mjs'], app);
    expect(decided.stderr).toBe('');
    expect(decided.stdout).toBe('deny subpoena-releases-nothing notify_director,consult_counsel\n');
  }, 240_000);
});

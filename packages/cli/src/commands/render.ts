import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Context, ExitStatus } from '../context.js';
import { ioReason, options, UsageError } from '../context.js';
import { type LoadedPolicy, loadPolicy } from '../load.js';

/** A policy loaded from source, as the board document needs it. */
function rendered(file: string, loaded: LoadedPolicy | undefined) {
  if (!loaded?.checked) return undefined;
  return { file, checked: loaded.checked, artifact: loaded.artifact, diagnostics: loaded.diagnostics ?? [] };
}

/**
 * `tenet render <policy> -o <dir> [--compare <other.policy>] [--no-pdf] [--root <dir>]`: the board document,
 * `index.html` (self-contained) and the PDF printed from it by headless Chromium on Letter and on A4
 * (`policy-letter.pdf`, `policy-a4.pdf`). With `--compare`, the document says where the policy is looser or
 * stricter than the other (the statute in force, or an earlier version).
 */
export async function renderCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    {
      output: { type: 'string', short: 'o' },
      compare: { type: 'string' },
      'no-pdf': { type: 'boolean' },
      root: { type: 'string' },
    },
    1,
  );
  if (!values.output) throw new UsageError('name the folder to write the document in with `-o <dir>`');
  const file = positionals[0] as string;
  if (file.endsWith('.json') || values.compare?.endsWith('.json'))
    throw new UsageError('render the `.policy` source, not its artifact: the document quotes the source');
  const started = performance.now();
  const policy = rendered(file, await loadPolicy(ctx, file, { root: values.root }));
  if (!policy) return 1;
  const other = values.compare
    ? rendered(values.compare, await loadPolicy(ctx, values.compare, { root: values.root }))
    : undefined;
  if (values.compare && !other) return 1;
  const { renderBoard, printPdf } = await import('@tenet/render');
  const page = await renderBoard({ ...policy, ...(other ? { compare: other } : {}), renderedAt: new Date() });
  const written: string[] = [];
  const write = (name: string, content: string | Uint8Array) => {
    const target = path.join(values.output as string, name);
    writeFileSync(target, content);
    written.push(target);
  };
  try {
    mkdirSync(values.output, { recursive: true });
    write('index.html', page);
  } catch (error) {
    ctx.io.stderr(`tenet render: cannot write in \`${values.output}\`: ${ioReason(error)}\n`);
    return 1;
  }
  if (!values['no-pdf']) {
    for (const paper of ['Letter', 'A4'] as const) {
      let pdf: Uint8Array;
      try {
        ctx.io.progress?.(`${file}: printing the PDF on ${paper}…`);
        pdf = await printPdf(page, { title: policy.artifact.policy.title, paper });
      } catch (error) {
        ctx.io.progress?.('');
        const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
        ctx.io.stderr(
          `tenet render: cannot print the PDF with headless Chromium (install Debian's \`chromium\`, or name another with TENET_CHROMIUM; \`--no-pdf\` writes the HTML alone): ${reason}\n`,
        );
        return 1;
      }
      write(`policy-${paper.toLowerCase()}.pdf`, pdf);
    }
    ctx.io.progress?.('');
  }
  const ms = performance.now() - started;
  ctx.io.stdout(`${written.join(', ')}: the board document, rendered in ${(ms / 1000).toFixed(1)} s\n`);
  return 0;
}

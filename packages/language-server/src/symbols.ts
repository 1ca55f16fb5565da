/**
 * Names and what they name, for go to definition, find references, rename, the outline and folding: every
 * declaration's id and every use the checker resolved (`CheckedPolicy.uses`), indexed by where they are written.
 */
import {
  type AttributeDeclaration,
  type CheckedPolicy,
  type Declaration,
  keywords,
  type Name,
  type SourceFile,
  sectionsOf,
} from '@tenet/language';
import { type DocumentSymbol, type FoldingRange, SymbolKind } from 'vscode-languageserver';
import { rangeOf } from './convert.js';

/** What a name can name: a declaration, or an attribute of an entity. */
export type Target = Declaration | AttributeDeclaration;

/** A name as written, and what it names; `declares` when it is the name of the declaration itself. */
export interface Occurrence {
  name: Name;
  target: Target;
  declares: boolean;
}

/** The declarations that have an id of their own, as written. */
function idOf(declaration: Declaration): Name | undefined {
  switch (declaration.kind) {
    case 'import':
    case 'require':
    case 'example':
    case 'policy':
      return undefined;
    default:
      return declaration.id;
  }
}

/** Every occurrence of every name in the policy's files, declarations first. */
export function occurrencesOf(checked: CheckedPolicy): Occurrence[] {
  const found: Occurrence[] = [];
  for (const file of checked.program.files) {
    for (const declaration of file.declarations) {
      const id = idOf(declaration);
      if (id) found.push({ name: id, target: declaration, declares: true });
      if (declaration.kind === 'entity') {
        for (const attribute of declaration.attributes)
          found.push({ name: attribute.name, target: attribute, declares: true });
      }
    }
  }
  for (const [name, resolution] of checked.uses) {
    const target =
      resolution.kind === 'declaration' ? resolution.declaration : resolution.attribute.declaration;
    found.push({ name, target, declares: false });
  }
  return found;
}

/** The occurrence written at `offset` of `file` (touching either end of the name counts). */
export function occurrenceAt(checked: CheckedPolicy, file: string, offset: number): Occurrence | undefined {
  return occurrencesOf(checked).find(
    (o) =>
      o.name.span.file === file && o.name.span.start.offset <= offset && offset <= o.name.span.end.offset,
  );
}

/** Every occurrence of what `target` names, its declaration first. */
export function occurrencesOfTarget(checked: CheckedPolicy, target: Target): Occurrence[] {
  return occurrencesOf(checked).filter((o) => o.target === target);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

/**
 * Why `newName` cannot replace what `target` is called, or undefined when it can: not a name, a keyword, or the
 * name of another declaration that the same names could then mean.
 */
export function renameProblem(checked: CheckedPolicy, target: Target, newName: string): string | undefined {
  if (!IDENTIFIER.test(newName)) return 'it is not a name: names are letters, digits, `_` and inner `-`';
  if (keywords.includes(newName)) return 'it is a keyword of the language';
  if (['__proto__', 'constructor', 'prototype'].includes(newName))
    return 'it means something else to every JavaScript object';
  const taken = (names: Iterable<string>) => [...names].includes(newName);
  const clash = (() => {
    if (!('kind' in target)) {
      const entity = [...checked.entities.values()].find((e) => e.attributes.includes(target));
      return taken(entity?.attributes.map((a) => a.name.text) ?? []);
    }
    switch (target.kind) {
      case 'entity':
        return checked.entities.has(newName);
      case 'authority':
      case 'section':
      case 'interpretation':
        return (
          checked.authorities.has(newName) ||
          checked.sections.has(newName) ||
          taken(checked.interpretations.map((i) => i.id.text))
        );
      case 'condition':
        return checked.conditions.has(newName);
      case 'rule':
        return taken(checked.rules.map((r) => r.id.text));
      case 'obligation':
        return checked.obligations.has(newName);
      case 'assert':
        return taken(checked.assertions.map((a) => a.id.text));
      default:
        return false;
    }
  })();
  return clash
    ? 'it already names another declaration, and the policy would then mean something else'
    : undefined;
}

const SYMBOL_KIND: Partial<Record<Declaration['kind'], SymbolKind>> = {
  entity: SymbolKind.Class,
  authority: SymbolKind.Constant,
  condition: SymbolKind.Boolean,
  rule: SymbolKind.Function,
  obligation: SymbolKind.Event,
  assert: SymbolKind.Property,
  interpretation: SymbolKind.Interface,
};

/** The outline of a file: its sections, each holding the declarations written under it, and the rest. */
export function documentSymbols(file: SourceFile): DocumentSymbol[] {
  const owner = sectionsOf(file);
  const top: DocumentSymbol[] = [];
  const children = new Map<Declaration, DocumentSymbol[]>();
  for (const declaration of file.declarations) {
    const symbol = symbolOf(declaration);
    if (!symbol) continue;
    if (declaration.kind === 'section') {
      symbol.children = [];
      children.set(declaration, symbol.children);
    }
    const section = owner.get(declaration);
    (section ? (children.get(section) ?? top) : top).push(symbol);
  }
  return top;
}

function symbolOf(declaration: Declaration): DocumentSymbol | undefined {
  const range = rangeOf(declaration.span);
  const named = (
    name: string,
    kind: SymbolKind,
    selection: Name | undefined,
    detail?: string,
  ): DocumentSymbol => ({
    name,
    kind,
    range,
    selectionRange: selection ? rangeOf(selection.span) : range,
    ...(detail && { detail }),
  });
  switch (declaration.kind) {
    case 'import':
    case 'require':
      return undefined;
    case 'policy':
      return named(declaration.id.text, SymbolKind.Module, declaration.id, declaration.title?.value);
    case 'section':
      return named(
        declaration.title.value || declaration.id.text,
        SymbolKind.Namespace,
        declaration.id,
        declaration.id.text,
      );
    case 'example':
      return named(declaration.description.value || 'example', SymbolKind.Event, undefined, 'example');
    case 'entity':
      return {
        ...named(declaration.id.text, SymbolKind.Class, declaration.id),
        children: declaration.attributes.map((a) => ({
          name: a.name.text,
          kind: SymbolKind.Field,
          range: rangeOf(a.span),
          selectionRange: rangeOf(a.name.span),
        })),
      };
    case 'rule':
      return named(declaration.id.text, SymbolKind.Function, declaration.id, declaration.effect);
    default:
      return named(
        declaration.id.text,
        SYMBOL_KIND[declaration.kind] ?? SymbolKind.Object,
        declaration.id,
        declaration.kind,
      );
  }
}

/** The regions an editor can fold: each declaration of more than one line, and each section with what is under it. */
export function foldingRanges(file: SourceFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const fold = (startLine: number, endLine: number) => {
    if (endLine > startLine) ranges.push({ startLine: startLine - 1, endLine: endLine - 1 });
  };
  const declarations = file.declarations;
  declarations.forEach((declaration, i) => {
    if (declaration.kind !== 'section') {
      fold(declaration.span.start.line, declaration.span.end.line);
      return;
    }
    const next = declarations.slice(i + 1).find((d) => d.kind === 'section');
    const last = declarations[(next ? declarations.indexOf(next) : declarations.length) - 1] ?? declaration;
    fold(declaration.span.start.line, last.span.end.line);
  });
  for (const comment of file.comments) fold(comment.span.start.line, comment.span.end.line);
  return ranges;
}

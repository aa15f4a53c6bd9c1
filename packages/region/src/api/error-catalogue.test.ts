import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');

// Codes are thrown with `new AppError('CODE'`, `new ExternalError('CODE'`, or through the region's
// small constructors that take the code first (notFound, badRequest, unauthorized, validationError).
const THROWN =
  /(?:new\s+(?:AppError|ExternalError)|\bnotFound|\bbadRequest|\bunauthorized)\(\s*'([A-Z][A-Z0-9_]*)'/g;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function thrownCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'packages'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(THROWN)) codes.add(match[1] ?? '');
  }
  return codes;
}

function documentedCodes(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  const codes = new Map<string, string>();
  for (const match of text.matchAll(
    /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(\d{3}|varies)\s*\|\s*(.+?)\s*\|$/gm,
  )) {
    codes.set(match[1] ?? '', match[3] ?? '');
  }
  return codes;
}

describe('docs/errors.md', () => {
  it('lists every error code thrown under packages/', () => {
    const documented = documentedCodes();
    expect([...thrownCodes()].filter((code) => !documented.has(code)).sort()).toEqual([]);
  });

  it('lists no code that is no longer thrown', () => {
    const thrown = thrownCodes();
    expect([...documentedCodes().keys()].filter((code) => !thrown.has(code)).sort()).toEqual([]);
  });

  it('gives every code a meaning', () => {
    for (const [code, meaning] of documentedCodes())
      expect(meaning.trim().length, code).toBeGreaterThan(10);
  });
});

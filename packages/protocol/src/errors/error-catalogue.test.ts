import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_GROUPS, ERROR_REGISTRY, type ErrorSpec } from './index.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const REGISTRY_DIR = resolve(import.meta.dirname);

interface DocumentedCode {
  readonly status: number | 'varies';
  readonly meaning: string;
}

function documentedCodes(): Map<string, DocumentedCode> {
  const text = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  const codes = new Map<string, DocumentedCode>();
  for (const match of text.matchAll(
    /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(\d{3}|varies)\s*\|\s*(.+?)\s*\|$/gm,
  )) {
    const [, code = '', status = '', meaning = ''] = match;
    expect(codes.has(code), `${code} is documented twice`).toBe(false);
    codes.set(code, { status: status === 'varies' ? 'varies' : Number(status), meaning });
  }
  return codes;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== REGISTRY_DIR) sourceFiles(path, out);
    } else if (/\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path)) out.push(path);
  }
  return out;
}

/** Codes named as string literals in source outside the registry: thrown, or passed to a helper that throws. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'packages'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g))
      codes.add(match[1] ?? '');
  }
  return codes;
}

const registry: ReadonlyMap<string, ErrorSpec> = new Map(Object.entries(ERROR_REGISTRY));

describe('the error registry', () => {
  it('registers each code once', () => {
    const all = ERROR_GROUPS.flatMap((group) => Object.keys(group));
    expect(all.filter((code, index) => all.indexOf(code) !== index)).toEqual([]);
    expect(all.length).toBe(registry.size);
  });

  it('gives every code an error status and a meaning', () => {
    for (const [code, spec] of registry) {
      if (spec.status !== 'varies') expect(spec.status, code).toBeGreaterThanOrEqual(400);
      if (spec.status !== 'varies') expect(spec.status, code).toBeLessThan(600);
      expect(spec.meaning.trim().length, code).toBeGreaterThan(10);
    }
  });

  it('names no code that no source under packages/ uses', () => {
    const used = codesInSource();
    expect([...registry.keys()].filter((code) => !used.has(code)).sort()).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('lists every registered code with its status and meaning', () => {
    const documented = documentedCodes();
    const wrong = [...registry].flatMap(([code, spec]) => {
      const row = documented.get(code);
      if (row === undefined) return [`${code}: not documented`];
      if (row.status !== spec.status) return [`${code}: status ${row.status} != ${spec.status}`];
      if (row.meaning !== spec.meaning) return [`${code}: meaning differs`];
      return [];
    });
    expect(wrong).toEqual([]);
  });

  it('lists no code the registry lacks', () => {
    expect([...documentedCodes().keys()].filter((code) => !registry.has(code)).sort()).toEqual([]);
  });
});

describe('docs/simplestreams.md', () => {
  it('names only registered codes, and every STREAM_ code', () => {
    const text = readFileSync(join(ROOT, 'docs/simplestreams.md'), 'utf8');
    const named = new Set([...text.matchAll(/`((?:STREAM|HTTP)_[A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect([...named].filter((code) => code !== undefined && !registry.has(code))).toEqual([]);
    const streamCodes = [...registry.keys()].filter((code) => code.startsWith('STREAM_'));
    expect(streamCodes.length).toBe(18);
    expect(streamCodes.filter((code) => !named.has(code))).toEqual([]);
  });
});

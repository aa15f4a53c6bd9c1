import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../errors/index.js';
import { parseSettingValue } from './parse-value.js';
import { SETTINGS, type KilnConfig, type SettingDeclaration, type SettingKey } from './settings.js';

export interface LoadConfigOptions {
  /** Values from command-line flags, keyed by setting key (commander's camelCase names). */
  readonly flags?: Readonly<Partial<Record<SettingKey, unknown>>>;
  /** Environment to read KILN_* from; pass process.env at the edge, a literal in tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** YAML file path; when absent, KILN_CONFIG from env is used. */
  readonly configFile?: string | undefined;
}

type Source = { origin: string; value: unknown } | null;

function readYaml(path: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`config file ${path}: cannot be read (${(error as Error).message})`);
    return {};
  }
  try {
    const doc: unknown = parseYaml(text);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`config file ${path}: must be a YAML mapping of setting names to values`);
      return {};
    }
    const known = new Set(Object.values(SETTINGS).map((d) => d.name));
    for (const key of Object.keys(doc)) {
      if (!known.has(key)) problems.push(`config file ${path}: unknown setting "${key}"`);
    }
    return doc as Record<string, unknown>;
  } catch (error) {
    problems.push(`config file ${path}: invalid YAML (${(error as Error).message})`);
    return {};
  }
}

function pickSource(
  key: SettingKey,
  declaration: SettingDeclaration,
  options: LoadConfigOptions,
  file: Record<string, unknown>,
  filePath: string | null,
): Source {
  const flag = options.flags?.[key];
  if (flag !== undefined) return { origin: `${declaration.flag} flag`, value: flag };
  for (const name of [declaration.env, ...(declaration.envAliases ?? [])]) {
    const value = options.env?.[name];
    if (value !== undefined && value !== '') return { origin: name, value };
  }
  if (filePath !== null && file[declaration.name] !== undefined) {
    return { origin: `${declaration.name} in ${filePath}`, value: file[declaration.name] };
  }
  return null;
}

/**
 * Resolves every setting from flags > KILN_* environment > YAML file > defaults and validates
 * them all, reporting every problem at once so an operator fixes them in one go.
 */
export function loadConfig(options: LoadConfigOptions = {}): KilnConfig {
  const problems: string[] = [];
  const filePath = options.configFile ?? options.env?.KILN_CONFIG ?? null;
  const file = filePath === null ? {} : readYaml(filePath, problems);
  const resolved: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries(SETTINGS) as [SettingKey, SettingDeclaration][]) {
    const source = pickSource(key, declaration, options, file, filePath);
    if (source === null) {
      const fallback = declaration.default;
      const value: unknown = typeof fallback === 'function' ? fallback(resolved) : fallback;
      resolved[key] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
      continue;
    }
    const parsed = parseSettingValue(declaration, source.value);
    if (parsed.ok) {
      resolved[key] = parsed.value;
    } else {
      const shown = declaration.secret === true ? '<hidden>' : JSON.stringify(source.value);
      problems.push(`${declaration.name} (${source.origin}) ${parsed.problem}; got ${shown}`);
    }
  }
  const databaseUrl = resolved.databaseUrl;
  if (
    typeof databaseUrl === 'string' &&
    !/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)
  ) {
    problems.push('database_url must start with sqlite: or postgres://');
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  resolved.configFile = filePath;
  return Object.freeze(resolved) as unknown as KilnConfig;
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/index.js';
import { loadConfig, renderConfigDocs } from './index.js';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (isAppError(error) && error.code === 'CONFIG_INVALID')
      return error.details?.problems as string[];
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('loadConfig', () => {
  it('uses the declared defaults when nothing is set', () => {
    const config = loadConfig({ env: {} });
    expect(config.dataDir).toBe('./kiln-data');
    expect(config.databaseUrl).toBe(`sqlite:${join('./kiln-data', 'kiln.db')}`);
    expect(config.regionPort).toBe(5240);
    expect(config.rackHttpPort).toBe(5248);
    expect(config.tftpPort).toBe(69);
    expect(config.rackCacheSize).toBe(4 * 1024 ** 3);
    expect(config.importIntervalMinutes).toBe(60);
    expect(config.bootSourceUrl).toBe('http://images.maas.io/ephemeral-v3/stable/');
    expect(config.regionUrls).toEqual(['http://127.0.0.1:5240/MAAS/']);
    expect(config.rackSecret).toBeNull();
    expect(config.configFile).toBeNull();
  });

  it('applies flags over environment over file over defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-config-'));
    const file = join(dir, 'kiln.yaml');
    writeFileSync(
      file,
      'region_port: 7000\nrack_http_port: 7001\ntftp_port: 7002\ndata_dir: /srv/kiln\n',
    );
    const config = loadConfig({
      configFile: file,
      env: { KILN_REGION_PORT: '8000', KILN_RACK_HTTP_PORT: '8001' },
      flags: { regionPort: '9000' },
    });
    expect(config.regionPort).toBe(9000);
    expect(config.rackHttpPort).toBe(8001);
    expect(config.tftpPort).toBe(7002);
    expect(config.databaseUrl).toBe('sqlite:/srv/kiln/kiln.db');
    expect(config.configFile).toBe(file);
  });

  it('reads the file named by KILN_CONFIG and parses sizes and URL lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-config-'));
    const file = join(dir, 'kiln.yaml');
    writeFileSync(
      file,
      'rack_cache_size: 512M\nregion_urls: [http://a:5240/MAAS/, http://b:5240/MAAS/]\n',
    );
    const config = loadConfig({ env: { KILN_CONFIG: file, KILN_REGION_URL: '' } });
    expect(config.rackCacheSize).toBe(512 * 1024 ** 2);
    expect(config.regionUrls).toEqual(['http://a:5240/MAAS/', 'http://b:5240/MAAS/']);
    expect(
      loadConfig({ env: { KILN_REGION_URL: 'http://x/MAAS/,http://y/MAAS/' } }).regionUrls,
    ).toHaveLength(2);
  });

  it('reports every bad setting by name at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          KILN_REGION_PORT: '70000',
          KILN_LOG_LEVEL: 'loud',
          KILN_RACK_CACHE_SIZE: 'big',
          KILN_DATABASE_URL: 'mysql://x',
        },
        flags: { importIntervalMinutes: '0' },
      }),
    );
    expect(problems.join('\n')).toMatch(/region_port \(KILN_REGION_PORT\) must be a port number/);
    expect(problems.join('\n')).toMatch(/log_level \(KILN_LOG_LEVEL\) must be one of/);
    expect(problems.join('\n')).toMatch(/rack_cache_size/);
    expect(problems.join('\n')).toMatch(
      /import_interval_minutes \(--import-interval-minutes flag\) must be at least 1/,
    );
    expect(problems.join('\n')).toMatch(/database_url must start with sqlite: or postgres:\/\//);
    expect(problems).toHaveLength(5);
  });

  it('rejects unknown keys and unreadable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-config-'));
    const file = join(dir, 'kiln.yaml');
    writeFileSync(file, 'region_prot: 1\n');
    expect(problemsOf(() => loadConfig({ configFile: file, env: {} }))[0]).toMatch(
      /unknown setting "region_prot"/,
    );
    expect(
      problemsOf(() => loadConfig({ configFile: join(dir, 'missing.yaml'), env: {} }))[0],
    ).toMatch(/cannot be read/);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.regionUrls)).toBe(true);
  });

  it('keeps docs/configuration.md in step with the declarations (run npm run docs:config)', () => {
    const docs = readFileSync(
      resolve(import.meta.dirname, '../../../../docs/configuration.md'),
      'utf8',
    );
    expect(docs).toBe(renderConfigDocs());
  });
});

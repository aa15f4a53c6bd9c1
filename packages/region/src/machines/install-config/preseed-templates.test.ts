import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderPreseedCommands,
  resolvePreseedTemplate,
  templateCandidates,
} from './preseed-templates.js';
import { renderTemplate, shellQuote } from './template-engine.js';
import { sampleMachine } from './test-support/sample-machine.js';

describe('pre-seed templates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-templates-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lookup order: most specific first, as MAAS', () => {
    expect(templateCandidates(sampleMachine())).toEqual([
      'curtin_userdata_ubuntu_amd64_generic_noble_node1',
      'curtin_userdata_ubuntu_amd64_generic_noble',
      'curtin_userdata_ubuntu_amd64_generic',
      'curtin_userdata_ubuntu_amd64',
      'curtin_userdata_ubuntu',
      'curtin_userdata',
    ]);
  });

  it('names with a path separator are never looked up', () => {
    expect(templateCandidates(sampleMachine({ hostname: '../../x' }))).not.toContain(
      'curtin_userdata_ubuntu_amd64_generic_noble_../../x',
    );
    expect(templateCandidates(sampleMachine({ hostname: '../../x' }))[0]).toBe(
      'curtin_userdata_ubuntu_amd64_generic_noble',
    );
  });

  it('the most specific existing file wins; the built-in generic when none exists', async () => {
    expect((await resolvePreseedTemplate(sampleMachine(), dir)).name).toBe('generic');
    await writeFile(join(dir, 'curtin_userdata'), 'late_commands: {}\n');
    expect((await resolvePreseedTemplate(sampleMachine(), dir)).name).toBe('curtin_userdata');
    await writeFile(join(dir, 'curtin_userdata_ubuntu_amd64'), 'late_commands: {a: "true"}\n');
    const resolved = await resolvePreseedTemplate(sampleMachine(), dir);
    expect(resolved).toEqual({
      name: 'curtin_userdata_ubuntu_amd64',
      text: 'late_commands: {a: "true"}\n',
    });
    expect((await resolvePreseedTemplate(sampleMachine({ osystem: 'centos' }), dir)).name).toBe(
      'curtin_userdata',
    );
  });

  it('renders variables and filters; maps run in key order, argv lists are quoted', () => {
    const commands = renderPreseedCommands(
      {
        name: 't',
        text: [
          'early_commands:',
          '  - echo early {{ node.hostname }}',
          'late_commands:',
          '  20_second: ["sh", "-c", "echo {{ node.system_id }} it\'s"]',
          '  10_first: curl -X POST {{ status_url | shell }}',
          '  15_json: echo {{ node.fqdn | json }}',
        ].join('\n'),
      },
      {
        node: { hostname: 'node1', system_id: 'x7k2pq', fqdn: 'node1.maas' },
        status_url: "http://r/it's",
      },
    );
    expect(commands.early_commands).toEqual([{ name: '00', command: 'echo early node1' }]);
    expect(commands.late_commands).toEqual([
      { name: '10_first', command: `curl -X POST 'http://r/it'\\''s'` },
      { name: '15_json', command: 'echo "node1.maas"' },
      { name: '20_second', command: `'sh' '-c' 'echo x7k2pq it'\\''s'` },
    ]);
  });

  it.each([
    [
      'unknown variable',
      'late_commands: {a: "{{ nope }}"}',
      "Template t: unknown variable 'nope'.",
    ],
    ['object variable', 'late_commands: {a: "{{ node }}"}', "Template t: unknown variable 'node'."],
    [
      'unknown filter',
      'late_commands: {a: "{{ node.hostname | upper }}"}',
      "Template t: unknown filter 'upper'.",
    ],
    [
      'unsupported keys',
      'storage: {}\nlate_commands: {}',
      'Template t: unsupported keys: storage (Kiln reads early_commands and late_commands).',
    ],
    ['not YAML', 'late_commands: [unclosed', 'Template t: rendered text is not YAML'],
    [
      'a scalar command list',
      'late_commands: 5',
      'Template t: late_commands must be a map or a list.',
    ],
    [
      'an empty command',
      'late_commands: {a: ""}',
      'Template t: late_commands.a must be a command string or a list of arguments.',
    ],
  ])('%s → MACHINE_PRESEED_TEMPLATE_INVALID', (_name, text, message) => {
    expect(() => renderPreseedCommands({ name: 't', text }, { node: { hostname: 'n' } })).toThrow(
      expect.objectContaining({
        code: 'MACHINE_PRESEED_TEMPLATE_INVALID',
        message: expect.stringContaining(message) as unknown,
      }),
    );
  });

  it('shellQuote survives a real shell', () => {
    expect(renderTemplate('t', '{{ a | shell }}', { a: "a'b c$d" })).toBe(shellQuote("a'b c$d"));
    const nasty = 'a\'b c$d `x` \\ "q"';
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(nasty)}`], { encoding: 'utf8' })).toBe(
      nasty,
    );
  });
});

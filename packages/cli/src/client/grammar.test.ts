import { describe, expect, it } from 'vitest';
import {
  actionCommandName,
  buildGrammar,
  documentsParams,
  handlerCommandName,
  parseDocstring,
} from './grammar.js';
import { parseDescribeDocument } from './describe.js';
import { describeFixture } from './test-support/describe-fixture.js';

describe('handlerCommandName', () => {
  it.each([
    ['BootSourceSelectionsHandler', 'boot-source-selections'],
    ['BootSourceSelectionHandler', 'boot-source-selection'],
    ['BootResourcesHandler', 'boot-resources'],
    ['AnonBootResourcesHandler', 'anon-boot-resources'],
    ['VersionHandler', 'version'],
    ['MaasHandler', 'maas'],
    // The MAAS CLI's word split glues a leading acronym to the next word: these are the
    // command names real `maas` users type.
    ['IPAddressesHandler', 'ipaddresses'],
    ['DNSResourceRecordsHandler', 'dnsresource-records'],
    ['SSHKeysHandler', 'sshkeys'],
    ['NodeScriptResultsHandler', 'node-script-results'],
  ])('%s → %s', (handler, command) => {
    expect(handlerCommandName(handler)).toBe(command);
  });
});

describe('actionCommandName', () => {
  it('turns underscores into hyphens like the MAAS CLI', () => {
    expect(actionCommandName('is_importing')).toBe('is-importing');
    expect(actionCommandName('list_authorisation_tokens')).toBe('list-authorisation-tokens');
    expect(actionCommandName('read')).toBe('read');
    expect(actionCommandName('set_config')).toBe('set-config');
  });
});

describe('parseDocstring', () => {
  it('joins the first paragraph into one title line and keeps the body', () => {
    const doc = 'Create a boot\n    source.\n\n    :param url: Required.\n    :type url: String\n';
    expect(parseDocstring(doc)).toEqual({
      title: 'Create a boot source.',
      body: ':param url: Required.\n:type url: String',
    });
  });
  it('handles missing docs', () => {
    expect(parseDocstring(null)).toEqual({ title: '', body: '' });
  });
});

describe('buildGrammar', () => {
  const doc = parseDescribeDocument(describeFixture());

  it('names resources from handlers and keeps positional params', () => {
    const grammar = buildGrammar(doc, false);
    expect(grammar.map((resource) => resource.command)).toEqual([
      'boot-resources',
      'boot-source-selections',
      'boot-sources',
      'users',
      'version',
    ]);
    const selections = grammar.find((resource) => resource.command === 'boot-source-selections');
    expect(selections?.handler.params).toEqual(['boot_source_id']);
    expect(selections?.actions.map((action) => action.command)).toEqual(['create', 'read']);
  });

  it('prefers the authenticated handler and adds anonymous-only actions', () => {
    const grammar = buildGrammar(doc, false);
    const resources = grammar.find((resource) => resource.command === 'boot-resources');
    expect(resources?.actions.map((action) => [action.command, action.handler.name])).toEqual([
      ['create', 'BootResourcesHandler'],
      ['is-importing', 'BootResourcesHandler'],
    ]);
  });

  it('gives anonymous profiles only anonymous handlers', () => {
    const grammar = buildGrammar(doc, true);
    expect(grammar.map((resource) => resource.command)).toEqual(['boot-resources', 'version']);
    const resources = grammar.find((resource) => resource.command === 'boot-resources');
    expect(resources?.actions.map((action) => action.handler.name)).toEqual([
      'AnonBootResourcesHandler',
    ]);
  });

  it('keeps one command when two server names map to the same command name', () => {
    const clash = parseDescribeDocument({
      resources: [
        {
          name: 'ZonesHandler',
          anon: null,
          auth: { ...doc.resources[0]!.anon!, name: 'ZonesHandler' },
        },
        { name: 'Zones', anon: null, auth: { ...doc.resources[0]!.anon!, name: 'Zones' } },
      ],
    });
    const withDuplicateAction = {
      ...clash,
      resources: [
        {
          ...clash.resources[0]!,
          auth: {
            ...clash.resources[0]!.auth!,
            actions: [
              { method: 'GET', name: 'list_all', op: 'list_all', doc: 'first' },
              { method: 'POST', name: 'list-all', op: 'list-all', doc: 'second' },
            ],
          },
        },
      ],
    };
    expect(buildGrammar(clash, false).map((resource) => resource.command)).toEqual(['zones']);
    const [zones] = buildGrammar(withDuplicateAction, false);
    expect(zones?.actions.map((action) => action.action.doc)).toEqual(['first']);
  });

  it('knows which actions document keyword arguments', () => {
    const grammar = buildGrammar(doc, false);
    const sources = grammar.find((resource) => resource.command === 'boot-sources');
    expect(sources?.actions.map((action) => documentsParams(action.action))).toEqual([true, false]);
  });
});

describe('parseDescribeDocument', () => {
  it('names what is wrong with a malformed document', () => {
    expect(() =>
      parseDescribeDocument({ resources: [{ name: 'X', anon: null, auth: { name: 'X' } }] }),
    ).toThrow(/resources\.0\.auth\.params/);
  });
});

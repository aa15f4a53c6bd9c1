import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppError } from '@kiln/node-kit';
import type { InstallCommand } from './install-config-schema.js';
import type { InstallMachine } from './machine-input.js';
import { renderTemplate, shellQuote, type TemplateContext } from './template-engine.js';

/**
 * User pre-seed snippets (`curtin_userdata` in MAAS's vocabulary). The most specific template
 * file wins, in MAAS's order: `<prefix>_<osystem>_<arch>_<subarch>_<release>_<node>`, then without
 * the node, without the release, without the subarch, without the arch, then `<prefix>` alone.
 * When none exists the built-in generic template is used.
 */

export const PRESEED_PREFIX = 'curtin_userdata';
export const GENERIC_TEMPLATE_NAME = 'generic';
/** Generic: no extra commands. netboot_off and reporting are built into kiln-install. */
export const GENERIC_TEMPLATE =
  '# Kiln generic pre-seed: add early_commands / late_commands here.\nlate_commands: {}\n';

const SAFE = /^[A-Za-z0-9._-]+$/;

export function templateCandidates(machine: InstallMachine, prefix = PRESEED_PREFIX): string[] {
  const [arch = '', subarch = 'generic'] = machine.architecture.split('/');
  const parts = [machine.osystem, arch, subarch, machine.distro_series, machine.hostname];
  const names: string[] = [];
  for (let n = parts.length; n >= 1; n -= 1) names.push([prefix, ...parts.slice(0, n)].join('_'));
  names.push(prefix);
  // A component that could walk out of the templates folder disqualifies the names that use it.
  return names.filter((name) => SAFE.test(name));
}

export interface ResolvedTemplate {
  readonly name: string;
  readonly text: string;
}

export async function resolvePreseedTemplate(
  machine: InstallMachine,
  templatesDir: string | undefined,
): Promise<ResolvedTemplate> {
  if (templatesDir !== undefined) {
    for (const name of templateCandidates(machine)) {
      try {
        return { name, text: await readFile(join(templatesDir, name), 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  return { name: GENERIC_TEMPLATE_NAME, text: GENERIC_TEMPLATE };
}

export interface PreseedCommands {
  readonly early_commands: InstallCommand[];
  readonly late_commands: InstallCommand[];
}

function invalid(template: string, message: string): AppError {
  return new AppError('MACHINE_PRESEED_TEMPLATE_INVALID', `Template ${template}: ${message}`, {
    details: { template },
  });
}

/** Commands may be a map (run in key order, as curtin does) or a list; argv lists are sh-quoted. */
function commandList(template: string, key: string, value: unknown): InstallCommand[] {
  if (value === undefined || value === null) return [];
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i).padStart(2, '0'), v])
    : typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))
      : [];
  if (entries.length === 0 && typeof value !== 'object')
    throw invalid(template, `${key} must be a map or a list.`);
  return entries.map(([name, command]) => {
    if (typeof command === 'string' && command.trim() !== '') return { name, command };
    if (
      Array.isArray(command) &&
      command.length > 0 &&
      command.every((c) => typeof c === 'string')
    ) {
      return { name, command: command.map(shellQuote).join(' ') };
    }
    throw invalid(template, `${key}.${name} must be a command string or a list of arguments.`);
  });
}

export function renderPreseedCommands(
  template: ResolvedTemplate,
  context: TemplateContext,
): PreseedCommands {
  const rendered = renderTemplate(template.name, template.text, context);
  let doc: unknown;
  try {
    doc = parse(rendered);
  } catch (error) {
    throw invalid(template.name, `rendered text is not YAML (${(error as Error).message}).`);
  }
  if (doc === null || doc === undefined) return { early_commands: [], late_commands: [] };
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw invalid(template.name, 'must render to a YAML mapping.');
  const unknown = Object.keys(doc).filter((k) => k !== 'early_commands' && k !== 'late_commands');
  if (unknown.length > 0) {
    throw invalid(
      template.name,
      `unsupported keys: ${unknown.join(', ')} (Kiln reads early_commands and late_commands).`,
    );
  }
  const record = doc as Record<string, unknown>;
  return {
    early_commands: commandList(template.name, 'early_commands', record.early_commands),
    late_commands: commandList(template.name, 'late_commands', record.late_commands),
  };
}

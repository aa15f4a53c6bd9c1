import { AppError } from '@kiln/node-kit';

/**
 * The substitution language of pre-seed templates: `{{ path.to.value }}` inserts a value,
 * `{{ path | shell }}` inserts it single-quoted for sh, `{{ path | json }}` as a JSON/YAML scalar.
 * Deliberately logic-free: templates are operator input, and a template that can branch or loop
 * can also hang or leak; anything conditional belongs in a more specific template file.
 */

export type TemplateContext = Readonly<Record<string, unknown>>;

const TAG = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\|\s*([a-z]+)\s*)?\}\}/g;

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function lookup(context: TemplateContext, path: string): unknown {
  let current: unknown = context;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function renderTemplate(name: string, text: string, context: TemplateContext): string {
  return text.replace(TAG, (_match, path: string, filter: string | undefined) => {
    const value = lookup(context, path);
    if (value === undefined || (typeof value === 'object' && value !== null)) {
      throw new AppError(
        'MACHINE_PRESEED_TEMPLATE_INVALID',
        `Template ${name}: unknown variable '${path}'.`,
        {
          details: { template: name, variable: path },
        },
      );
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    switch (filter) {
      case undefined:
        return text;
      case 'shell':
        return shellQuote(text);
      case 'json':
        return JSON.stringify(value);
      default:
        throw new AppError(
          'MACHINE_PRESEED_TEMPLATE_INVALID',
          `Template ${name}: unknown filter '${filter}'.`,
          {
            details: { template: name, filter },
          },
        );
    }
  });
}

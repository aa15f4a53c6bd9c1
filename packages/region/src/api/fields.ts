import { validationError } from '../domain-errors.js';
import { parseBoolean } from '../form-values.js';
import { isFormFile, type Form, type FormValue } from './form.js';

export type FieldKind = 'string' | 'int' | 'bool' | 'list' | 'file';

/**
 * One parameter of an action. The same declaration renders the `:param`/`:type` lines of the
 * action doc in describe/ and validates the request, so the two cannot disagree.
 */
export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly doc: string;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  readonly min?: number;
}

const TYPE_LABEL: Readonly<Record<FieldKind, string>> = {
  string: 'String',
  int: 'Int',
  bool: 'Boolean',
  list: 'String',
  file: 'String',
};

export function renderParamDocs(fields: readonly FieldSpec[]): string {
  return fields
    .map((f) => {
      const repeat = f.kind === 'list' ? ' Repeat the parameter to give several values.' : '';
      return `:param ${f.name}: ${f.required === true ? 'Required' : 'Optional'}. ${f.doc}${repeat}\n:type ${f.name}: ${TYPE_LABEL[f.kind]}`;
    })
    .join('\n');
}

/** Validated request parameters; only declared, present fields are set. */
export interface ValidatedForm {
  has(name: string): boolean;
  string(name: string): string | undefined;
  int(name: string): number | undefined;
  bool(name: string): boolean | undefined;
  list(name: string): string[] | undefined;
  file(name: string): Buffer | undefined;
}

export { parseBoolean };

const INT_LIMIT = 2_147_483_647;

function textOf(value: FormValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.data.toString('utf8');
}

function checkField(spec: FieldSpec, form: Form, out: Map<string, unknown>): string | null {
  const values = form.all(spec.name);
  const last = values[values.length - 1];
  const text = textOf(last);
  if (
    last === undefined ||
    (spec.kind !== 'list' && spec.kind !== 'file' && text === '' && spec.required === true)
  ) {
    return spec.required === true ? 'This field is required.' : null;
  }
  switch (spec.kind) {
    case 'string':
      if (spec.choices !== undefined && !spec.choices.includes(text)) {
        return `Select a valid choice. ${text} is not one of the available choices.`;
      }
      out.set(spec.name, text);
      return null;
    case 'int': {
      if (!/^\s*-?\d+\s*$/.test(text)) return 'Enter a whole number.';
      const value = Number(text);
      if (spec.min !== undefined && value < spec.min)
        return `Ensure this value is greater than or equal to ${spec.min}.`;
      // Integer columns are 32-bit on PostgreSQL: larger numbers must be refused here, not by SQL.
      if (Math.abs(value) > INT_LIMIT)
        return `Ensure this value is less than or equal to ${INT_LIMIT}.`;
      out.set(spec.name, value);
      return null;
    }
    case 'bool': {
      const value = parseBoolean(text);
      if (value === null) return `'${text}' value must be either True or False.`;
      out.set(spec.name, value);
      return null;
    }
    case 'list': {
      const items = values.map(textOf).filter((v) => v !== '');
      if (items.length === 0 && spec.required === true) return 'This field is required.';
      out.set(spec.name, items);
      return null;
    }
    case 'file': {
      if (isFormFile(last)) {
        out.set(spec.name, last.data);
        return null;
      }
      // Form-encoded clients cannot send file parts; they send the bytes base64-encoded.
      const compact = last.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
        return 'Upload a file, or send the data base64-encoded.';
      }
      out.set(spec.name, Buffer.from(compact, 'base64'));
      return null;
    }
  }
}

/** Validates `form` against `fields`, throwing MAAS's 400 {field: [messages]} on any problem. */
export function validateForm(fields: readonly FieldSpec[], form: Form): ValidatedForm {
  const out = new Map<string, unknown>();
  const problems: Record<string, string[]> = {};
  for (const spec of fields) {
    const problem = checkField(spec, form, out);
    if (problem !== null) problems[spec.name] = [problem];
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
  return {
    has: (name) => out.has(name),
    string: (name) => out.get(name) as string | undefined,
    int: (name) => out.get(name) as number | undefined,
    bool: (name) => out.get(name) as boolean | undefined,
    list: (name) => out.get(name) as string[] | undefined,
    file: (name) => out.get(name) as Buffer | undefined,
  };
}

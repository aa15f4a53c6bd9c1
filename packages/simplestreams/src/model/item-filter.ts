import { inputFault } from '../stream-error.js';
import type { FlatItem } from './flatten.js';

/** A sstream-query style condition on a flattened item: `key=value`, `key!=value`, `key~regex`, `key!~regex`. */
export interface ItemFilter {
  readonly key: string;
  readonly op: '=' | '!=' | '~' | '!~';
  readonly value: string;
  readonly regex?: RegExp;
}

export function parseItemFilter(text: string): ItemFilter {
  const match = /^([A-Za-z0-9_.-]+)(!=|!~|=|~)(.*)$/s.exec(text);
  if (match === null) {
    throw inputFault(
      'STREAM_FILTER_INVALID',
      `Filter ${JSON.stringify(text)} is not key=value, key!=value, key~regex or key!~regex`,
    );
  }
  const [, key = '', op = '=', value = ''] = match;
  if (op === '~' || op === '!~') {
    try {
      return { key, op, value, regex: new RegExp(value) };
    } catch (error) {
      throw inputFault('STREAM_FILTER_INVALID', `Filter ${text}: ${(error as Error).message}`);
    }
  }
  return { key, op: op as '=' | '!=', value };
}

export function itemMatches(item: FlatItem, filters: readonly ItemFilter[]): boolean {
  return filters.every((filter) => {
    const actual = item[filter.key];
    switch (filter.op) {
      case '=':
        return actual === filter.value;
      case '!=':
        return actual !== filter.value;
      case '~':
        return actual !== undefined && filter.regex?.test(actual) === true;
      case '!~':
        return actual === undefined || filter.regex?.test(actual) !== true;
    }
  });
}

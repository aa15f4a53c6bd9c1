import { readFile } from 'node:fs/promises';
import { AppError } from '@kiln/node-kit';

/** `key=value`, or `key@=FILE` whose content is read when the request is built. */
export type DataArgument =
  | { readonly kind: 'value'; readonly name: string; readonly value: string }
  | { readonly kind: 'file'; readonly name: string; readonly path: string };

/** Splits at the first `=` or `@=`, whichever comes first, like the MAAS CLI. */
export function parseDataArgument(text: string): DataArgument {
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '=') {
      return { kind: 'value', name: text.slice(0, index), value: text.slice(index + 1) };
    }
    if (char === '@' && text[index + 1] === '=') {
      return { kind: 'file', name: text.slice(0, index), path: text.slice(index + 2) };
    }
  }
  throw new AppError('CLI_BAD_ARGUMENT', `'${text}' is not a name=value or name@=filename pair`);
}

/** A data argument whose file, if any, has been read. */
export interface ResolvedArgument {
  readonly name: string;
  readonly value: string | Buffer;
  readonly isFile: boolean;
}

export async function readDataFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new AppError('CLI_FILE_UNREADABLE', `Cannot read '${path}': ${reason}`, {
      cause,
    });
  }
}

export async function resolveArguments(args: readonly DataArgument[]): Promise<ResolvedArgument[]> {
  const resolved: ResolvedArgument[] = [];
  for (const arg of args) {
    resolved.push(
      arg.kind === 'value'
        ? { name: arg.name, value: arg.value, isFile: false }
        : { name: arg.name, value: await readDataFile(arg.path), isFile: true },
    );
  }
  return resolved;
}

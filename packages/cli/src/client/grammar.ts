import type { DescribeAction, DescribeDocument, DescribeHandler } from './describe.js';

// A CamelCase word: an optional run of capitals followed by lower-case letters or digits, or
// a run of capitals standing alone (an acronym) - the same word split the MAAS CLI uses.
const CAMEL_WORD = /([A-Z]*[a-z0-9]+|[A-Z]+)(?=[^a-z0-9]|$)/g;

function camelWords(text: string): string[] {
  return text.match(CAMEL_WORD) ?? [];
}

/** `BootSourceSelectionsHandler` → `boot-source-selections`. */
export function handlerCommandName(handlerName: string): string {
  return camelWords(handlerName)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== 'handler')
    .join('-');
}

/** `is_importing` → `is-importing`; case is kept as the server wrote it. */
export function actionCommandName(actionName: string): string {
  return camelWords(actionName).join('-');
}

export interface Docstring {
  readonly title: string;
  readonly body: string;
}

/** Splits API docs into the first paragraph (one line) and the rest, as Python docstrings. */
export function parseDocstring(doc: string | null | undefined): Docstring {
  const text = dedent(doc ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();
  const split = /\n{2,}/.exec(text);
  const titlePart = split === null ? text : text.slice(0, split.index);
  const body = split === null ? '' : text.slice(split.index + split[0].length);
  const title = titlePart
    .split('\n')
    .map((line) => line.trim())
    .join(' ');
  return { title, body };
}

// Python's cleandoc: the first line is left alone, the common indent of the rest removed.
function dedent(text: string): string {
  const lines = text.split('\n');
  const rest = lines.slice(1).filter((line) => line.trim().length > 0);
  const indent = Math.min(...rest.map((line) => /^\s*/.exec(line)?.[0].length ?? 0));
  if (!Number.isFinite(indent) || indent === 0) return text;
  return [lines[0] ?? '', ...lines.slice(1).map((line) => line.slice(indent))].join('\n');
}

export interface GrammarAction {
  readonly command: string;
  readonly action: DescribeAction;
  /** The handler the action belongs to (anon or auth); its `uri`/`path` is where to send it. */
  readonly handler: DescribeHandler;
}

export interface GrammarResource {
  readonly command: string;
  /** The handler that represents the resource in help (auth preferred, as MAAS does). */
  readonly handler: DescribeHandler;
  readonly actions: readonly GrammarAction[];
}

/**
 * Turns a describe document into the `RESOURCE ACTION` command tree. Profiles without
 * credentials only see anonymous handlers; others see the authenticated handler's actions
 * first and the anonymous handler's extra actions after them, which is the MAAS CLI's merge.
 * Resources with no usable action are left out.
 */
export function buildGrammar(doc: DescribeDocument, anonymous: boolean): GrammarResource[] {
  const resources: GrammarResource[] = [];
  const seen = new Set<string>();
  const sorted = [...doc.resources].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const resource of sorted) {
    const handlers = (anonymous ? [resource.anon] : [resource.auth, resource.anon]).filter(
      (handler): handler is DescribeHandler => handler !== null,
    );
    const byName = new Map<string, GrammarAction>();
    for (const handler of handlers) {
      for (const action of handler.actions) {
        // Keyed by command name: two server names that map to one command would otherwise
        // make the whole profile unusable; the first (authenticated) one wins.
        const command = actionCommandName(action.name);
        if (!byName.has(command)) byName.set(command, { command, action, handler });
      }
    }
    const representative = resource.auth ?? resource.anon;
    const command = handlerCommandName(resource.name);
    if (byName.size === 0 || representative === null || seen.has(command)) continue;
    seen.add(command);
    resources.push({
      command,
      handler: representative,
      actions: [...byName.values()],
    });
  }
  return resources;
}

/** MAAS only explains key=value arguments for actions whose docs list `:param` lines. */
export function documentsParams(action: DescribeAction): boolean {
  return (action.doc ?? '').includes(':param ');
}

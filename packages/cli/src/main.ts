// Development entry: `npx tsx packages/cli/src/main.ts ...`. Workspace packages resolve to
// their TypeScript sources only under the "source" export condition, which plain tsx does not
// set, so a resolve hook adds it before the program (and its imports) are loaded.
import { register } from 'node:module';

const addSourceCondition = `export async function resolve(specifier, context, next) {
  const conditions = [...new Set([...(context.conditions ?? []), 'source'])];
  return next(specifier, { ...context, conditions });
}`;
register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);

const { runCli } = await import('./index.js');
process.exitCode = await runCli(process.argv);

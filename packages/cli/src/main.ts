// Development entry: `npx tsx packages/cli/src/main.ts ...`. Workspace packages resolve to
// their TypeScript sources only under the "source" export condition, which plain tsx does not
// set, so a resolve hook adds it before the program (and its imports) are loaded.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = [...new Set([...context.conditions, 'source'])];
    return nextResolve(specifier, { ...context, conditions });
  },
});

const { runCli } = await import('./index.js');
process.exitCode = await runCli(process.argv);

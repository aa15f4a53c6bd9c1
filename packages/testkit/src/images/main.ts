// Process entry of bin/kiln-testkit.js (which runs it through tsx with the "source" condition).
import { runTestkitCli } from './cli.js';

process.exitCode = await runTestkitCli(process.argv.slice(2));

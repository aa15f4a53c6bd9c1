#!/usr/bin/env node
// The published entry point runs the compiled CLI; `npm run build` produces dist/.
import { runCli } from '../dist/index.js';

process.exitCode = await runCli(process.argv);

import type { Command } from 'commander';
import { createPrinter, processIo, type CliIo } from '../../output/index.js';
import { registerVerifyCommand } from './verify-command.js';
import { registerWatchCommand } from './watch-command.js';

/** Registers `kiln images verify|watch`: region-side image store tools working on the data directory. */
export function registerImagesCommands(program: Command, io: CliIo = processIo()): void {
  const printer = createPrinter(io);
  const images = program.command('images').description('check and watch the region image store');
  registerVerifyCommand(images, printer, io.env);
  registerWatchCommand(images, printer, io.env);
}

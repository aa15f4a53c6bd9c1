import type { Command } from 'commander';
import { createPrinter, processIo, type CliIo } from '../../output/index.js';
import { registerMigrateCommand } from './migrate-command.js';

/** Registers `kiln migrate-from-maas`. */
export function registerMigrateCommands(program: Command, io: CliIo = processIo()): void {
  registerMigrateCommand(program, createPrinter(io), io);
}

import { Option, type Command } from 'commander';
import {
  SETTINGS,
  loadConfig,
  type KilnConfig,
  type SettingDeclaration,
  type SettingKey,
} from '@kiln/node-kit';

/** Adds `--config` and one flag per declared setting (the same table that documents them). */
export function addConfigOptions(command: Command): Command {
  command.option('--config <file>', 'YAML configuration file (also KILN_CONFIG)');
  for (const declaration of Object.values(SETTINGS) as SettingDeclaration[]) {
    command.addOption(
      new Option(`${declaration.flag} <value>`, `${declaration.description} [${declaration.env}]`),
    );
  }
  return command;
}

/** Resolves flags > KILN_* environment > YAML file > defaults; throws CONFIG_INVALID naming every bad setting. */
export function configFromOptions(
  command: Command,
  env: Readonly<Record<string, string | undefined>>,
): KilnConfig {
  const options = command.opts<Record<string, unknown>>();
  const flags: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, declaration] of Object.entries(SETTINGS) as [SettingKey, SettingDeclaration][]) {
    const attribute = new Option(`${declaration.flag} <value>`).attributeName();
    if (options[attribute] !== undefined) flags[key] = options[attribute];
  }
  const file = options.config;
  return loadConfig({ flags, env, ...(typeof file === 'string' ? { configFile: file } : {}) });
}

import { randomInt } from 'node:crypto';

/** Unambiguous characters (no 0/o, 1/l/i), as MAAS avoids them in system ids. */
const SYSTEM_ID_ALPHABET = 'abcdefghjkmnpqrstuvwxy3456789';
export const SYSTEM_ID_PATTERN = /^[a-z0-9]{6}$/;

export function generateSystemId(): string {
  let out = '';
  for (let i = 0; i < 6; i += 1)
    out += SYSTEM_ID_ALPHABET.charAt(randomInt(SYSTEM_ID_ALPHABET.length));
  return out;
}

const ADJECTIVES = [
  'able',
  'bold',
  'brave',
  'calm',
  'clean',
  'cool',
  'eager',
  'fair',
  'fine',
  'glad',
  'good',
  'happy',
  'keen',
  'kind',
  'lucky',
  'merry',
  'neat',
  'noble',
  'proud',
  'quick',
  'quiet',
  'rapid',
  'sharp',
  'smart',
  'solid',
  'steady',
  'sunny',
  'swift',
  'tidy',
  'vital',
  'warm',
  'wise',
];
const NOUNS = [
  'badger',
  'bison',
  'crane',
  'eagle',
  'falcon',
  'ferret',
  'gecko',
  'heron',
  'ibis',
  'koala',
  'lemur',
  'lynx',
  'marten',
  'moose',
  'newt',
  'otter',
  'panda',
  'quail',
  'raven',
  'robin',
  'seal',
  'shrew',
  'stork',
  'tapir',
  'toad',
  'trout',
  'viper',
  'walrus',
  'wombat',
  'yak',
  'zebra',
  'mole',
];

/** MAAS-style "adjective-noun" hostname for machines created without one. */
export function generateHostname(): string {
  const pick = (list: readonly string[]) => list[randomInt(list.length)] ?? 'node';
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}`;
}

const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A single DNS label (Kiln keeps the domain separately, as MAAS does). */
export function isValidHostname(name: string): boolean {
  return HOSTNAME_LABEL.test(name);
}

export { normaliseMac } from '../../mac-address.js';

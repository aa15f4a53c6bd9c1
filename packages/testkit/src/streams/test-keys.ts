import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSigningKey, loadSigningKey, type GeneratedKey } from '@kiln/simplestreams';
import type { PrivateKey } from 'openpgp';

const run = promisify(execFile);

export interface TestKey extends GeneratedKey {
  readonly signingKey: PrivateKey;
}

/** A throwaway Ed25519 key made with openpgp.js. */
export async function makeOpenpgpTestKey(name = 'Kiln Test Signing'): Promise<TestKey> {
  const key = await generateSigningKey({ name, email: 'test-signing@kiln.invalid' });
  return { ...key, signingKey: await loadSigningKey(Buffer.from(key.privateKeyArmored)) };
}

export interface GpgTestKey {
  /** Temporary GNUPGHOME holding the secret key. */
  readonly gnupgHome: string;
  readonly fingerprint: string;
  /** `gpg --export` output (binary keyring) written to a file. */
  readonly keyringPath: string;
  /** `gpg --armor --export-secret-keys`, usable as `--sign-key`. */
  readonly secretKeyArmored: string;
  /** Signs text with `gpg --clearsign`. */
  clearsign(text: string): Promise<string>;
  /** Runs gpg with this GNUPGHOME. */
  gpg(args: readonly string[], input?: string): Promise<{ stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

function gpgRunner(home: string) {
  return (args: readonly string[], input?: string): Promise<{ stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = execFile(
        'gpg',
        ['--homedir', home, '--batch', '--no-tty', '--quiet', ...args],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error === null) resolve({ stdout, stderr });
          else reject(new Error(`gpg ${args.join(' ')} failed: ${stderr}`, { cause: error }));
        },
      );
      child.stdin?.end(input ?? '');
    });
}

/** A throwaway key made by real GnuPG (`gpg --batch --quick-gen-key`) in a temporary GNUPGHOME. */
export async function makeGpgTestKey(): Promise<GpgTestKey> {
  const home = await mkdtemp(join(tmpdir(), 'kiln-gnupg-'));
  const gpg = gpgRunner(home);
  await gpg([
    '--passphrase',
    '',
    '--quick-gen-key',
    'Kiln GPG Test <gpg-test@kiln.invalid>',
    'ed25519',
    'sign',
    'never',
  ]);
  const { stdout: listing } = await gpg(['--with-colons', '--list-secret-keys']);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1];
  if (fingerprint === undefined) throw new Error(`gpg made no key: ${listing}`);
  const keyringPath = join(home, 'exported-keyring.gpg');
  await gpg(['--output', keyringPath, '--export', fingerprint]);
  const { stdout: secretKeyArmored } = await gpg([
    '--armor',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--export-secret-keys',
    fingerprint,
  ]);
  return {
    gnupgHome: home,
    fingerprint,
    keyringPath,
    secretKeyArmored,
    clearsign: async (text) =>
      (await gpg(['--clearsign', '--local-user', fingerprint, '--output', '-'], text)).stdout,
    gpg,
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

/** Runs real `gpgv --keyring <keyring>` on a signed file; resolves to its exit code and output. */
export async function gpgvVerify(
  keyringPath: string,
  signedFile: string,
): Promise<{ code: number; output: string }> {
  try {
    const { stderr } = await run('gpgv', ['--keyring', keyringPath, signedFile], {
      encoding: 'utf8',
    });
    return { code: 0, output: stderr };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: e.stderr ?? String(error) };
  }
}

/** Writes text to a file in a temp dir (for handing key material to a CLI under test). */
export async function writeTempFile(name: string, content: string | Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-keyfile-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

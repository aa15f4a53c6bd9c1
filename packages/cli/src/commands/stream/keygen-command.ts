import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { writeSigningKeyFiles } from '@kiln/simplestreams';
import type { StreamCommandIo } from './stream-io.js';

export function registerKeygen(stream: Command, out: StreamCommandIo): void {
  stream
    .command('keygen')
    .description(
      'create a stream signing key: secret key, binary keyring (for gpgv and boot sources) and armored public key',
    )
    .requiredOption(
      '--out <dir>',
      'folder to write signing-key.asc, keyring.gpg and public-key.asc into',
    )
    .option('--name <name>', 'user id name', 'Kiln stream signing key')
    .option('--email <email>', 'user id email', 'stream-signing@kiln.invalid')
    .action(async (opts: { out: string; name: string; email: string }) => {
      await mkdir(opts.out, { recursive: true });
      const key = await writeSigningKeyFiles(opts.out, { name: opts.name, email: opts.email });
      out.printer.line(`fingerprint: ${key.fingerprint}`);
      out.printer.line(`secret key:  ${key.secretKeyPath}  (for --sign-key; keep it private)`);
      out.printer.line(`keyring:     ${key.keyringPath}  (for --keyring and gpgv --keyring)`);
      out.printer.line(`public key:  ${key.publicKeyPath}`);
    });
}

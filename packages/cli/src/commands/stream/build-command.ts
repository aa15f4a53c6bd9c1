import type { Command } from 'commander';
import { buildStream, signTree } from '@kiln/simplestreams';
import type { StreamCommandIo } from './stream-io.js';

export function registerBuildAndSign(stream: Command, out: StreamCommandIo): void {
  stream
    .command('build')
    .description('build a stream tree (index, products documents and files) from a YAML manifest')
    .requiredOption('--manifest <file>', 'YAML manifest listing products, versions and local files')
    .requiredOption('--out <dir>', 'mirror root to write')
    .option(
      '--sign-key <file>',
      'secret key (armored or binary) to also write signed .sjson documents',
    )
    .action(async (opts: { manifest: string; out: string; signKey?: string }) => {
      const result = await buildStream({
        manifest: opts.manifest,
        outDir: opts.out,
        signKey: opts.signKey,
      });
      out.printer.line(
        `built ${opts.out}: ${result.files} files, ${result.bytes} bytes, ${result.documents.length} documents`,
      );
      out.printer.line(`index: ${result.indexPath}`);
    });

  stream
    .command('sign')
    .description('(re)sign every document of a stream tree in place')
    .argument('<dir>', 'mirror root')
    .requiredOption('--key <file>', 'secret key (armored or binary)')
    .action(async (dir: string, opts: { key: string }) => {
      const written = await signTree(dir, opts.key);
      for (const path of written) out.printer.line(path);
    });
}

import type { Command } from 'commander';
import { mirrorStream, type MirrorProgress } from '@kiln/simplestreams';
import { createByteProgress, formatBytes, type ByteProgress } from '../../output/index.js';
import { positiveInt, type StreamCommandIo } from './stream-io.js';

interface MirrorOpts {
  keyring?: string;
  maxVersions?: number;
  signKey?: string;
  keepOldFiles?: boolean;
}

export function registerMirror(stream: Command, out: StreamCommandIo): void {
  stream
    .command('mirror')
    .description(
      'make or update a local mirror: verify, download missing files with sha256 checks and resume, trim to filters',
    )
    .argument('<url>', 'upstream mirror root or index URL')
    .argument('<dir>', 'local mirror root (serve it with any web server)')
    .argument('[filters...]', 'item filters (key=value, key!=value, key~regex, key!~regex)')
    .option('--keyring <file>', 'keyring that verifies the upstream stream')
    .option('--max-versions <n>', 'keep only the newest N versions of each product', positiveInt)
    .option('--sign-key <file>', 're-sign documents that the filters changed with this secret key')
    .option(
      '--keep-old-files',
      'do not delete files that the previous mirror listed and this one no longer does',
    )
    .action(async (url: string, dir: string, filters: string[], opts: MirrorOpts) => {
      let bar: ByteProgress | undefined;
      const onProgress = (p: MirrorProgress): void => {
        bar ??= createByteProgress(out.io, `mirror ${p.filesTotal} files`, p.bytesTotal);
        bar.update(p.bytesDone);
      };
      let result;
      try {
        result = await mirrorStream(url, dir, {
          keyring: opts.keyring,
          filters,
          maxVersions: opts.maxVersions,
          signKey: opts.signKey,
          onProgress,
          prune: opts.keepOldFiles !== true,
        });
      } finally {
        bar?.stop();
      }
      const f = result.files;
      out.printer.line(
        `${dir}: ${f.total} files (${f.downloaded} downloaded, ${f.resumed} resumed, ${f.present} already present, ${formatBytes(f.bytes)} fetched, ${f.pruned} old files pruned)`,
      );
      out.printer.line(
        `boot source URL: ${dir.replace(/\/$/, '')}/${result.indexPath} (served by a web server: <base URL>/${result.indexPath})`,
      );
      const resigned = result.documents.filter((d) => d.signing === 'resigned');
      if (result.signing === 'unsigned' && opts.keyring !== undefined) {
        out.printer.warning(
          'the filters changed documents and no --sign-key was given: the mirror was written UNSIGNED (.json); boot sources must use its index.json URL',
        );
      }
      if (resigned.length > 0) {
        out.printer.warning(
          `re-signed ${resigned.length} changed document(s) with --sign-key; unchanged ones keep the upstream signature, so consumers need a keyring holding both keys`,
        );
      }
    });
}

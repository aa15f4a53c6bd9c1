import type { Command } from 'commander';
import {
  allItems,
  DEFAULT_ITEM_FORMAT,
  formatItem,
  queryStream,
  readStream,
} from '@kiln/simplestreams';
import { positiveInt, type StreamCommandIo } from './stream-io.js';

export function registerVerifyAndQuery(stream: Command, out: StreamCommandIo): void {
  stream
    .command('verify')
    .description(
      'read a whole stream and check every signature; exit 0 with a summary, or 1 and the reason',
    )
    .argument('<url>', 'mirror root or index URL (http, https, file, or a local path)')
    .option('--keyring <file>', 'keyring (binary as gpg --export writes it, or armored)')
    .action(async (url: string, opts: { keyring?: string }) => {
      const stream = await readStream(url, { keyring: opts.keyring });
      const items = allItems(stream);
      const products = new Set(items.map((i) => `${i.content_id ?? ''} ${i.product_name}`));
      const signers = new Set(
        [stream.indexDocument, ...stream.products.map((p) => p.document)].flatMap(
          (d) => d.keyId ?? [],
        ),
      );
      out.printer.line(
        stream.signed
          ? `OK: ${stream.root.href}${stream.indexPath} and ${stream.products.length} products documents verified (keys ${[...signers].join(', ')})`
          : `OK (unsigned .json stream, signatures not checked): ${stream.root.href}${stream.indexPath}`,
      );
      out.printer.line(`${products.size} products, ${items.length} items`);
    });

  stream
    .command('query')
    .description(
      'print one line per item that matches all filters (key=value, key!=value, key~regex, key!~regex)',
    )
    .argument('<url>', 'mirror root or index URL')
    .argument('[filters...]', 'filters on flattened item fields')
    .option('--keyring <file>', 'keyring for a signed stream')
    .option('--max-versions <n>', 'only the newest N versions of each product', positiveInt)
    .option(
      '--output-format <fmt>',
      'line template with %(field)s placeholders',
      DEFAULT_ITEM_FORMAT,
    )
    .option('--json', 'print the items as a JSON array instead')
    .action(
      async (
        url: string,
        filters: string[],
        opts: { keyring?: string; maxVersions?: number; outputFormat: string; json?: boolean },
      ) => {
        const items = await queryStream(url, {
          keyring: opts.keyring,
          filters,
          maxVersions: opts.maxVersions,
        });
        if (opts.json === true) out.printer.json(items);
        else for (const item of items) out.printer.line(formatItem(item, opts.outputFormat));
      },
    );
}

import type { HandlerDeclaration } from '../../api/handler-types.js';
import { json } from '../../api/responses.js';
import {
  cachedSourceOffer,
  fetchSourceOffer,
  FETCH_TIMEOUT_SECONDS,
} from '../cache/fetch-offer.js';

/** The longest an operator may ask `fetch` to wait. */
const MAX_TIMEOUT_SECONDS = 600;

/**
 * Kiln extension: what a boot source offers. MAAS 3.6 has no REST call for this (its UI uses the
 * websocket `bootresource.fetch`); Kiln's UI uses the same API as the CLI, so it is a resource
 * under the boot source: GET answers from the cache the last import or fetch filled, `fetch` reads
 * the signed stream now.
 */
export const bootSourceAvailableImagesHandler: HandlerDeclaration = {
  name: 'BootSourceAvailableImagesHandler',
  doc: 'Images a boot source offers (Kiln extension).',
  path: 'boot-sources/{boot_source_id}/available-images/',
  access: 'auth',
  admin: true,
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read what a boot source offers\n\nThe releases (with titles, arches, subarches and labels) and bootloaders the boot source offered when it was last read by an import or a fetch; updated is null if it never was.',
      run: async ({ request, region }) =>
        json(await cachedSourceOffer(region, Number(request.params.boot_source_id))),
    },
    {
      method: 'POST',
      op: 'fetch',
      doc: 'Fetch what a boot source offers\n\nReads the boot source now (index and products documents, each verified against the source keyring as the import does), refreshes the cache that selections are validated against, and returns the offer. Given url, keyring_filename or keyring_data, reads that candidate instead (the saved source supplies what is not given) and changes nothing: neither the source nor its cache is saved, so a URL or keyring can be tried before it is saved. Answers 502 when the source cannot be read or a signature does not verify, 504 when it does not answer in time.',
      fields: [
        {
          name: 'timeout',
          kind: 'int',
          min: 1,
          doc: `Seconds to wait for the source (default ${String(FETCH_TIMEOUT_SECONDS)}, at most ${String(MAX_TIMEOUT_SECONDS)}).`,
        },
        { name: 'url', kind: 'string', doc: 'A URL to read instead of the saved one (not saved).' },
        {
          name: 'keyring_filename',
          kind: 'string',
          doc: 'A keyring file to verify with instead of the saved keyring (not saved).',
        },
        {
          name: 'keyring_data',
          kind: 'file',
          doc: 'A keyring to verify with instead of the saved keyring, as a file upload or base64 (not saved).',
        },
      ],
      run: async ({ request, input, region }) => {
        const url = input.string('url');
        const keyringFilename = input.string('keyring_filename');
        const keyringData = input.file('keyring_data');
        const tried =
          url !== undefined || keyringFilename !== undefined || keyringData !== undefined;
        return json(
          await fetchSourceOffer(
            region,
            Number(request.params.boot_source_id),
            request.log,
            Math.min(input.int('timeout') ?? FETCH_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS),
            tried ? { url, keyringFilename, keyringData } : undefined,
          ),
        );
      },
    },
  ],
};

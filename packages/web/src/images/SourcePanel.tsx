import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { post, put } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import { offerKey } from './image-queries.js';
import { DEFAULT_SOURCE_URL, type BootSource, type BootSourceOffer } from './image-types.js';

const DEFAULT_KEYRING = '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg';

interface Props {
  readonly source: BootSource;
  readonly readOnly: boolean;
  readonly busy: boolean;
}

/** The source in use and the "Choose source" form (maas.io or a custom mirror with its keyring). */
export function SourcePanel({ source, readOnly, busy }: Props) {
  const client = useQueryClient();
  const isDefault = source.url === DEFAULT_SOURCE_URL;
  const [kind, setKind] = useState<'maas.io' | 'custom'>(isDefault ? 'maas.io' : 'custom');
  const [url, setUrl] = useState(isDefault ? '' : source.url);
  const [advanced, setAdvanced] = useState(false);
  const [keyringFilename, setKeyringFilename] = useState(source.keyring_filename);
  const [keyringData, setKeyringData] = useState('');
  // Connect saves the source, then has the region read its signed stream now (verified with the
  // keyring just saved) and list what it offers; the matrix below shows that list.
  const connect = useMutation({
    mutationFn: async () => {
      const custom = kind === 'custom';
      const target = custom ? (url.endsWith('/') ? url : `${url}/`) : DEFAULT_SOURCE_URL;
      const data = custom ? keyringData.trim() : '';
      const saved = await put<BootSource>(`boot-sources/${String(source.id)}/`, {
        url: target,
        ...(data !== ''
          ? { keyring_data: data, keyring_filename: '' }
          : {
              keyring_filename:
                custom && keyringFilename !== '' ? keyringFilename : DEFAULT_KEYRING,
              keyring_data: '',
            }),
      });
      await client.invalidateQueries({ queryKey: ['boot-sources'] });
      return post<BootSourceOffer>(`boot-sources/${String(saved.id)}/available-images/?op=fetch`);
    },
    onSuccess: (offer) => {
      client.setQueryData(offerKey(offer.boot_source_id), offer);
    },
    // The source may have been saved before the read failed: what was cached for it is stale.
    onError: () => client.invalidateQueries({ queryKey: offerKey(source.id) }),
  });
  const offered = connect.data?.releases.filter((r) => r.os === 'ubuntu').length ?? 0;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  const disabled = readOnly || busy;
  return (
    <section className="card" aria-labelledby="source-title">
      <h2 id="source-title">Boot source</h2>
      <p>
        Showing images synced from <strong>{isDefault ? 'maas.io' : 'a custom source'}</strong>:{' '}
        <code>{source.url}</code>
        {source.keyring_filename !== '' ? (
          <>
            {' '}
            (keyring <code>{source.keyring_filename}</code>)
          </>
        ) : (
          ' (keyring data)'
        )}
      </p>
      <form onSubmit={submit}>
        <fieldset disabled={disabled}>
          <legend>Choose source</legend>
          <label className="inline">
            <input
              type="radio"
              name="source-kind"
              checked={kind === 'maas.io'}
              onChange={() => {
                setKind('maas.io');
              }}
            />
            maas.io
          </label>
          <label className="inline">
            <input
              type="radio"
              name="source-kind"
              checked={kind === 'custom'}
              onChange={() => {
                setKind('custom');
              }}
            />
            Custom
          </label>
          {kind === 'custom' ? (
            <>
              <label>
                URL
                <input
                  type="url"
                  required
                  placeholder="e.g. http:// or https://"
                  value={url}
                  onChange={(e) => {
                    setUrl(e.target.value);
                  }}
                />
              </label>
              <button
                type="button"
                className="link"
                aria-expanded={advanced}
                onClick={() => {
                  setAdvanced(!advanced);
                }}
              >
                {advanced ? 'Hide advanced options' : 'Show advanced options'}
              </button>
              {advanced ? (
                <>
                  <label>
                    Keyring filename
                    <input
                      placeholder={DEFAULT_KEYRING}
                      value={keyringFilename}
                      onChange={(e) => {
                        setKeyringFilename(e.target.value);
                      }}
                    />
                  </label>
                  <label>
                    Keyring data
                    <textarea
                      rows={3}
                      placeholder="Contents of GPG key (base64 encoded)"
                      value={keyringData}
                      onChange={(e) => {
                        setKeyringData(e.target.value);
                      }}
                    />
                  </label>
                </>
              ) : null}
            </>
          ) : null}
          <button
            type="submit"
            className="primary"
            disabled={connect.isPending}
            aria-busy={connect.isPending}
          >
            Connect
          </button>
          {busy ? (
            <span className="hint"> Change source is disabled while images are downloading.</span>
          ) : null}
        </fieldset>
      </form>
      <p role="status">
        {connect.isPending ? 'Reading what the source offers…' : null}
        {connect.isSuccess
          ? offered === 0
            ? `Connected to ${connect.data.url}. The mirror provides no Ubuntu images.`
            : `Connected to ${connect.data.url}: ${String(offered)} Ubuntu release${offered === 1 ? '' : 's'} offered; choose below.`
          : null}
      </p>
      <ErrorText error={connect.error} />
    </section>
  );
}

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
  /**
   * What the form says, as the region's fields. A keyring the operator did not touch is left out,
   * so the saved one stays (a source's keyring data is never swapped for a file behind its back);
   * choosing maas.io over a custom source brings back the default keyring.
   */
  const typed = (): Record<string, string> => {
    const custom = kind === 'custom';
    const target = custom ? (url.endsWith('/') ? url : `${url}/`) : DEFAULT_SOURCE_URL;
    const fields: Record<string, string> = { url: target };
    const data = custom ? keyringData.trim() : '';
    if (data !== '') fields.keyring_data = data;
    else if (custom && keyringFilename !== '' && keyringFilename !== source.keyring_filename)
      fields.keyring_filename = keyringFilename;
    else if (!custom && !isDefault) fields.keyring_filename = DEFAULT_KEYRING;
    return fields;
  };
  // Connect reads what is typed, verified with the typed (or saved) keyring, and saves nothing:
  // a mistyped URL or a wrong keyring costs nothing, and the selection grid keeps the saved offer.
  const connect = useMutation({
    mutationFn: async (fields: Record<string, string>) => ({
      fields,
      offer: await post<BootSourceOffer>(
        `boot-sources/${String(source.id)}/available-images/?op=fetch`,
        fields,
      ),
    }),
  });
  // Save stores exactly what Connect read, then reads the saved source so its offer (which the
  // selections are validated against) is current.
  const save = useMutation({
    mutationFn: async (fields: Record<string, string>) => {
      const saved = await put<BootSource>(`boot-sources/${String(source.id)}/`, fields);
      await client.invalidateQueries({ queryKey: ['boot-sources'] });
      return post<BootSourceOffer>(`boot-sources/${String(saved.id)}/available-images/?op=fetch`);
    },
    onSuccess: (offer) => {
      client.setQueryData(offerKey(offer.boot_source_id), offer);
      connect.reset();
    },
    onError: () => client.invalidateQueries({ queryKey: offerKey(source.id) }),
  });
  const offered = connect.data?.offer.releases.filter((r) => r.os === 'ubuntu').length ?? 0;
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.reset();
    connect.mutate(typed());
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
          {connect.isSuccess ? (
            <button
              type="button"
              className="primary"
              disabled={save.isPending}
              aria-busy={save.isPending}
              onClick={() => {
                save.mutate(connect.data.fields);
              }}
            >
              Save source
            </button>
          ) : null}
          {busy ? (
            <span className="hint"> Change source is disabled while images are downloading.</span>
          ) : null}
        </fieldset>
      </form>
      <p role="status">
        {connect.isPending ? 'Reading what the source offers…' : null}
        {connect.isSuccess
          ? offered === 0
            ? `Read ${connect.data.offer.url}: the mirror provides no Ubuntu images. Nothing is saved yet.`
            : `Read ${connect.data.offer.url}: ${String(offered)} Ubuntu release${offered === 1 ? '' : 's'} offered (${connect.data.offer.releases
                .filter((r) => r.os === 'ubuntu')
                .map((r) => r.release)
                .join(', ')}). Nothing is saved yet: Save source to use it.`
          : null}
        {save.isPending ? 'Saving the source…' : null}
        {save.isSuccess ? `Saved. Connected to ${save.data.url}; choose images below.` : null}
      </p>
      <ErrorText error={save.error} />
      <ErrorText error={connect.error} />
    </section>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { put } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import { DEFAULT_SOURCE_URL, type BootSource } from './image-types.js';

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
  const connect = useMutation({
    mutationFn: () => {
      const custom = kind === 'custom';
      const target = custom ? (url.endsWith('/') ? url : `${url}/`) : DEFAULT_SOURCE_URL;
      const data = custom ? keyringData.trim() : '';
      return put<BootSource>(`boot-sources/${String(source.id)}/`, {
        url: target,
        ...(data !== ''
          ? { keyring_data: data, keyring_filename: '' }
          : {
              keyring_filename:
                custom && keyringFilename !== '' ? keyringFilename : DEFAULT_KEYRING,
              keyring_data: '',
            }),
      });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['boot-sources'] }),
  });
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
          <button type="submit" className="primary" disabled={connect.isPending}>
            Connect
          </button>
          {busy ? (
            <span className="hint"> Change source is disabled while images are downloading.</span>
          ) : null}
        </fieldset>
      </form>
      {connect.isSuccess ? (
        <p role="status">
          Connected to {connect.data.url}. The region reads what it offers at the next import;
          choose releases below.
        </p>
      ) : null}
      <ErrorText error={connect.error} />
    </section>
  );
}

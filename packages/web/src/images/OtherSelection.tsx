import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { post } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import type { BootSourceOffer } from './image-types.js';

/**
 * Selects a non-Ubuntu image the source provides (e.g. centos/centos70) and imports it; the
 * images the source offers are suggested as the operator types.
 */
export function OtherSelection({
  sourceId,
  offer,
}: {
  sourceId: number;
  offer: BootSourceOffer | undefined;
}) {
  const others = (offer?.releases ?? []).filter((r) => r.os !== 'ubuntu');
  const client = useQueryClient();
  const [image, setImage] = useState('');
  const [arch, setArch] = useState('amd64');
  const select = useMutation({
    mutationFn: async () => {
      const [os = '', release = ''] = image.trim().split('/');
      await post(`boot-sources/${String(sourceId)}/selections/`, {
        os,
        release,
        arches: [arch],
        subarches: ['*'],
        labels: ['*'],
      });
      await post('boot-resources/?op=import');
    },
    onSuccess: () => {
      setImage('');
      void client.invalidateQueries({ queryKey: ['selections'] });
    },
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    select.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Select another image">
      <label>
        Image (os/release)
        <input
          required
          pattern="[a-z0-9.-]+/[a-z0-9.-]+"
          placeholder="centos/centos70"
          list="other-offered-images"
          value={image}
          onChange={(e) => {
            setImage(e.target.value);
          }}
        />
      </label>
      <datalist id="other-offered-images">
        {others.map((r) => (
          <option key={`${r.os}/${r.release}`} value={`${r.os}/${r.release}`}>
            {`${r.release_title === '' ? r.release : r.release_title} (${r.arches.join(', ')})`}
          </option>
        ))}
      </datalist>
      <label>
        Architecture
        <input
          required
          value={arch}
          onChange={(e) => {
            setArch(e.target.value);
          }}
        />
      </label>
      <button type="submit" disabled={select.isPending}>
        Select and import
      </button>
      <ErrorText error={select.error} />
    </form>
  );
}

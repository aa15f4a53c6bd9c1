import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { post } from '../shared/api-client.js';
import { ErrorText } from '../shared/Banner.js';
import { useConfig, useImportProgress } from './image-queries.js';

const KEY = ['config', 'boot_images_auto_import'];

export function ImagesHeader({ isAdmin }: { isAdmin: boolean }) {
  const client = useQueryClient();
  const autoImport = useConfig<boolean>('boot_images_auto_import');
  const progress = useImportProgress();
  // The switch moves at once (a controlled input would snap back until the region answers).
  const [pending, setPending] = useState<boolean | null>(null);
  const toggle = useMutation({
    mutationFn: (value: boolean) =>
      post('maas/?op=set_config', {
        name: 'boot_images_auto_import',
        value: value ? 'true' : 'false',
      }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: KEY });
      setPending(null);
    },
  });
  const stop = useMutation({
    mutationFn: () => post('boot-resources/?op=stop_import'),
    onSuccess: () => client.invalidateQueries({ queryKey: ['image-import-progress'] }),
  });
  const importing = progress.data?.importing === true;
  return (
    <div className="page-header">
      <h1>Images</h1>
      <div className="page-header-actions">
        {importing ? (
          <span role="status" className="import-phase">
            Importing
            {progress.data?.phase === null || progress.data?.phase === undefined
              ? ''
              : `: ${progress.data.phase}`}{' '}
            ({progress.data?.percent.toFixed(1)}%)
          </span>
        ) : null}
        {isAdmin ? (
          <button
            type="button"
            disabled={!importing || stop.isPending}
            onClick={() => {
              stop.mutate();
            }}
          >
            Stop import
          </button>
        ) : null}
        <label
          className="toggle"
          title="Enables hourly image updates (sync) from the source configured below."
        >
          <input
            type="checkbox"
            role="switch"
            checked={pending ?? autoImport.data === true}
            disabled={!isAdmin || autoImport.isPending}
            onChange={(e) => {
              setPending(e.target.checked);
              toggle.mutate(e.target.checked);
            }}
          />
          Automatically sync images
        </label>
      </div>
      <ErrorText error={toggle.error ?? stop.error} />
    </div>
  );
}

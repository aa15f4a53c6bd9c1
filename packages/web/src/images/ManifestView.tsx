import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ErrorText } from '../shared/Banner.js';

/** The squashfs.manifest (package and version per line) of an image, from the region's store. */
export function ManifestView({
  title,
  sha256,
  onClose,
}: {
  title: string;
  sha256: string;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const manifest = useQuery({
    queryKey: ['manifest', sha256],
    queryFn: async () => {
      const response = await fetch(`/MAAS/boot-resources/${sha256}/`, {
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(`Manifest not available (${String(response.status)}).`);
      return response.text();
    },
    staleTime: Infinity,
  });
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="card manifest" role="region" aria-labelledby="manifest-title">
      <div className="row">
        <h3 id="manifest-title" tabIndex={-1} ref={heading}>
          squashfs.manifest of {title}
        </h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorText error={manifest.error} />
      {manifest.data === undefined ? <p role="status">Loading…</p> : <pre>{manifest.data}</pre>}
    </section>
  );
}

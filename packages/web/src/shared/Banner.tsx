import type { ReactNode } from 'react';

export type BannerKind = 'error' | 'warning' | 'info' | 'success';

/** Errors and warnings are alerts (announced at once); info is a polite status. */
export function Banner({
  kind,
  title,
  children,
}: {
  kind: BannerKind;
  title?: string;
  children: ReactNode;
}) {
  const role = kind === 'error' || kind === 'warning' ? 'alert' : 'status';
  return (
    <div className={`banner banner-${kind}`} role={role}>
      {title === undefined ? null : <strong>{title}: </strong>}
      {children}
    </div>
  );
}

export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <Banner kind="error">
      {error instanceof Error
        ? error.message
        : typeof error === 'string'
          ? error
          : 'Unexpected error.'}
    </Banner>
  );
}

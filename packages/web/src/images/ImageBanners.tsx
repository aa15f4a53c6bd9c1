import { Banner } from '../shared/Banner.js';
import { currentImportErrors } from './image-status.js';
import { useConfig, useImportEvents, useNotifications } from './image-queries.js';

export const MULTIPLE_SOURCES_TEXT =
  'More than one image source exists. The UI does not support updating synced images when more than one source has been defined. Use the API to adjust your sources.';

/** Server-owned conditions, shown in one place at the top of the page. */
export function ImageBanners({ sourceCount }: { sourceCount: number }) {
  const notifications = useNotifications();
  const events = useImportEvents();
  const autoImport = useConfig<boolean>('boot_images_auto_import');
  const errors = currentImportErrors(events.data ?? []);
  const shown = (notifications.data ?? []).filter((n) => n.ident !== 'multiple_boot_sources');
  return (
    <div className="banners">
      {shown.map((n) => (
        <Banner key={n.id} kind={n.category === 'success' ? 'success' : n.category}>
          {n.message}
        </Banner>
      ))}
      {sourceCount > 1 ? <Banner kind="warning">{MULTIPLE_SOURCES_TEXT}</Banner> : null}
      {autoImport.data === false ? (
        <Banner kind="info">
          Automatic image updates are disabled. This may mean that images won't be automatically
          updated and receive the latest package versions and security fixes.
        </Banner>
      ) : null}
      {errors.length > 0 && !shown.some((n) => errors[0]?.description === n.message) ? (
        <Banner kind="error" title="Image import failed">
          {errors[0]?.description}
          {errors.length > 1
            ? ` (and ${String(errors.length - 1)} more errors in the event log)`
            : ''}
        </Banner>
      ) : null}
    </div>
  );
}

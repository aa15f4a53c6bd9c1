import { useQueries, useQuery } from '@tanstack/react-query';
import { ApiError, get } from '../shared/api-client.js';
import { POLLED } from '../shared/polling.js';
import type {
  BootSource,
  BootSourceOffer,
  ImportProgress,
  KilnEvent,
  Notification,
  ResourceDetail,
  ResourceSummary,
  Selection,
} from './image-types.js';

const FAST = 2000;

export function useBootSources(enabled: boolean) {
  return useQuery({
    queryKey: ['boot-sources'],
    queryFn: () => get<BootSource[]>('boot-sources/'),
    enabled,
    ...POLLED,
    refetchInterval: 10_000,
  });
}

export function useSelections(sourceId: number | undefined) {
  return useQuery({
    queryKey: ['selections', sourceId],
    queryFn: () => get<Selection[]>(`boot-sources/${String(sourceId)}/selections/`),
    enabled: sourceId !== undefined,
    ...POLLED,
  });
}

/** Where the cached offer of a source lives; Connect writes the freshly fetched one here. */
export const offerKey = (sourceId: number | undefined) => ['source-offer', sourceId] as const;

/** What the source offered when last read (by an import or Connect); no network read. */
export function useSourceOffer(sourceId: number | undefined) {
  return useQuery({
    queryKey: offerKey(sourceId),
    queryFn: () => get<BootSourceOffer>(`boot-sources/${String(sourceId)}/available-images/`),
    enabled: sourceId !== undefined,
    ...POLLED,
    // Imports refresh the cache too; a slow poll picks that up without flashing anything.
    refetchInterval: 30_000,
  });
}

export function useBootResources() {
  return useQuery({
    queryKey: ['boot-resources'],
    queryFn: () => get<ResourceSummary[]>('boot-resources/'),
    ...POLLED,
    refetchInterval: FAST,
  });
}

/** Details carry each set's completeness and progress; polled while anything is incomplete. */
export function useResourceDetails(ids: readonly number[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['boot-resource', id],
      queryFn: () => get<ResourceDetail>(`boot-resources/${String(id)}/`),
      ...POLLED,
      refetchInterval: FAST,
    })),
  });
}

export function useImportProgress() {
  return useQuery({
    queryKey: ['image-import-progress'],
    queryFn: async (): Promise<ImportProgress | null> => {
      try {
        return await get<ImportProgress>('image-import-progress/');
      } catch (error) {
        // A region without the import API answers 404: no progress to show.
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    ...POLLED,
    refetchInterval: FAST,
  });
}

export function useImportEvents() {
  return useQuery({
    queryKey: ['events', 'images'],
    queryFn: () => get<{ events: KilnEvent[] }>('events/?op=query&level=INFO&limit=100'),
    ...POLLED,
    refetchInterval: FAST,
    select: (data) => data.events.filter((e) => e.type.startsWith('Image import')),
  });
}

export function useNotifications() {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: () => get<Notification[]>('notifications/'),
    ...POLLED,
    refetchInterval: FAST,
  });
}

export function useConfig<T = unknown>(name: string) {
  return useQuery({
    queryKey: ['config', name],
    queryFn: () => get<T>(`maas/?op=get_config&name=${encodeURIComponent(name)}`),
  });
}

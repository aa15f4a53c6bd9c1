import { keepPreviousData } from '@tanstack/react-query';

/**
 * Options every polled list shares: previous data stays on screen while a refetch runs and
 * TanStack's structural sharing keeps unchanged rows identical, so nothing flashes or remounts.
 */
export const POLLED = {
  placeholderData: keepPreviousData,
  refetchIntervalInBackground: false,
} as const;

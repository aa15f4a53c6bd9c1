import type { ErrorSpec } from './error-spec.js';

/** docs/errors.md, "Region controllers". */
export const REGION_ERRORS = {
  REGION_NOT_FOUND: { status: 404, meaning: 'No RegionController matches the given query.' },
  REGION_STILL_RUNNING: {
    status: 400,
    meaning:
      'Region controller … is still running (it beat within three periods, or it is the one answering).',
  },
} as const satisfies Record<string, ErrorSpec>;

import type { RegionModule } from '../api/index.js';
import { bootSourceHandler, bootSourcesHandler } from './boot-sources-handlers.js';
import type { SelectionChanges } from './selection-changes.js';
import type { SelectionValidator } from './selection-validator.js';
import { bootSourceSelectionHandler, bootSourceSelectionsHandler } from './selections-handlers.js';

export interface BootSourcesDeps {
  /** Checks a selection against what the source offers (the image cache supplies the real one). */
  readonly selectionValidator: SelectionValidator;
  /** Told after every committed change of the selections. */
  readonly selectionChanges: SelectionChanges;
}

/** Boot sources and their selections under /MAAS/api/2.0/boot-sources/. */
export function createBootSourcesModule(deps: BootSourcesDeps): RegionModule {
  const selectionDeps = { validator: deps.selectionValidator, changes: deps.selectionChanges };
  return {
    name: 'boot-sources',
    handlers: [
      bootSourcesHandler,
      bootSourceHandler,
      bootSourceSelectionsHandler(selectionDeps),
      bootSourceSelectionHandler(selectionDeps),
    ],
  };
}

/**
 * Raised after a boot source selection was created, changed or deleted (the change is
 * committed). MAAS imports after every "save" of the selections; the image importer listens here
 * instead of watching the API's responses.
 */
export interface SelectionChanges {
  changed(): void;
  /** Returns the function that stops listening. */
  listen(listener: () => void): () => void;
}

export function createSelectionChanges(): SelectionChanges {
  const listeners = new Set<() => void>();
  return {
    changed: () => {
      for (const listener of listeners) listener();
    },
    listen: (listener) => {
      const own = (): void => listener();
      listeners.add(own);
      return () => listeners.delete(own);
    },
  };
}

/**
 * One registered error code: the HTTP status the region or rack answers with when the error
 * reaches an HTTP boundary, and what it means (the row of docs/errors.md). `'varies'` is for a
 * code that relays another server's status.
 */
export interface ErrorSpec {
  readonly status: number | 'varies';
  readonly meaning: string;
}

/**
 * What a reader follows while a file's bytes become servable: a region fetch writing it
 * (`Flight`) or a re-hash of a cached file not yet known good (`VerifyPass`). In both, the last
 * byte is only released once the whole file has hashed to its name.
 */
export interface FollowedFile {
  readonly state: 'fetching' | 'complete' | 'failed' | 'uncacheable';
  readonly total: number | undefined;
  readonly written: number;
  readonly error: Error | undefined;
  readonly partialPath: string;
  readonly finalPath: string;
  available(): number;
  waitFor(position: number, needTotal?: boolean): Promise<void>;
}

/** Why one content could not be taken; the run reports it and goes on with the rest. */
export type BlobProblemKind =
  'permission' | 'missing' | 'short' | 'too-long' | 'digest' | 'unavailable';

export class BlobProblem extends Error {
  readonly kind: BlobProblemKind;
  readonly sha256: string;

  constructor(kind: BlobProblemKind, sha256: string, message: string) {
    super(message);
    this.name = 'BlobProblem';
    this.kind = kind;
    this.sha256 = sha256;
  }
}

export function isBlobProblem(error: unknown): error is BlobProblem {
  return error instanceof BlobProblem;
}

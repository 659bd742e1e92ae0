import type { IDelegatedBucket } from '../delegated-bucket';
import { Boundary } from './boundary';

/** What the access points of an app need to check their grants: the boundaries of the bucket's owner. */
export interface BoundarySource {
  _boundariesFor(account: string): Boundary[] | undefined;
}

/** The bucket's boundaries, if it knows them: a `DelegatedBucket`, or one imported with the owner's delegations. */
export function boundarySource(bucket: IDelegatedBucket): BoundarySource | undefined {
  const candidate = bucket as Partial<BoundarySource>;
  return typeof candidate._boundariesFor === 'function' ? (candidate as BoundarySource) : undefined;
}

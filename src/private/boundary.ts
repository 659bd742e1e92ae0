import { Token } from 'aws-cdk-lib';
import { NetworkOrigin } from '../network-origin';
import { Conditions, ScopeArns, StatementParts, isTaggable, mergeConditions, scopeStatements } from './s3-actions';

/*
 * A delegation as the bucket policy encodes it, and the two ways the library reads it: as
 * bucket-policy statements (owner) and as the boundary a consumer's grants must fit (coverage).
 */

/** A delegation after validation and normalisation: what the bucket policy encodes for one account. */
export interface Boundary {
  /** Where the delegation was made, for messages: `delegations[0]`, `delegateTo() call 2`. */
  readonly source: string;
  readonly account: string;
  readonly actions: string[];
  /** Normalised prefixes, each ending in "/" (tokens as given); empty for the whole bucket. */
  readonly prefixes: string[];
  /** Empty for any access point of the account. */
  readonly accessPointNames: string[];
  /** Undefined for either origin. */
  readonly networkOrigin?: NetworkOrigin;
  /** Tags the objects must carry; empty for any. */
  readonly objectTags: Record<string, string>;
}

/** Boundaries with the same key differ only in their account (or access points): they share statements. */
export function statementKey(b: Boundary): string {
  return JSON.stringify([
    [...b.actions].sort(),
    [...b.prefixes].sort(),
    b.networkOrigin ?? null,
    b.accessPointNames.length > 0,
    Object.entries(b.objectTags).sort(),
  ]);
}

/**
 * The bucket-policy statements of a boundary, for the trusted parties in `members`: accounts
 * (`s3:DataAccessPointAccount`) or, when the boundary names access points, their ARNs
 * (`s3:DataAccessPointArn`). `members` may grow after the statements are made (a lazy list).
 */
export function boundaryStatements(b: Boundary, members: string[], arns: ScopeArns): StatementParts[] {
  const trusted: Conditions = {
    StringEquals: {
      [b.accessPointNames.length > 0 ? 's3:DataAccessPointArn' : 's3:DataAccessPointAccount']: members,
      ...(b.networkOrigin ? { 's3:AccessPointNetworkOrigin': b.networkOrigin } : {}),
    },
  };
  return scopeStatements(b.actions, b.prefixes, b.objectTags, arns)
    .map((s) => ({ ...s, conditions: mergeConditions(trusted, s.conditions) }));
}

/** One request shape a consumer grant allows: an action on a prefix through an access point. */
export interface GrantedAccess {
  readonly account: string;
  readonly action: string;
  /** A normalised prefix, or '' for the whole bucket. */
  readonly prefix: string;
  readonly objectTags: Record<string, string>;
  readonly accessPointName: string;
  readonly networkOrigin: NetworkOrigin;
}

/**
 * Why the owner's boundaries do not cover a granted access, or undefined when one of them does.
 * AWS would deny such requests at the bucket layer, so the library reports them at synth.
 */
export function whyNotCovered(boundaries: Boundary[], access: GrantedAccess): string | undefined {
  if (Token.isUnresolved(access.account) || Token.isUnresolved(access.prefix) || Token.isUnresolved(access.accessPointName)) {
    return undefined;
  }
  const candidates = boundaries.filter((b) => b.account === access.account || Token.isUnresolved(b.account));
  if (candidates.length === 0) {
    return `the bucket owner delegates nothing to account ${access.account}`;
  }
  // Each step keeps the boundaries that pass it; the first step that leaves none gives the reason.
  const steps: Array<[(b: Boundary) => boolean, (left: Boundary[]) => string]> = [
    [(b) => b.actions.includes(access.action), () => `the owner does not delegate ${access.action} to account ${access.account}`],
    [
      (b) => prefixCovered(b.prefixes, access.prefix),
      () => `${access.prefix === '' ? 'the whole bucket' : `prefix "${access.prefix}"`} is outside the prefixes delegated to account ${access.account}`,
    ],
    [
      (b) => tagsCovered(b, access),
      (left) => `the owner delegates ${access.action} only on objects tagged ${describeTags(left[0].objectTags)}, and the grant does not require those tags`,
    ],
    [
      (b) => b.accessPointNames.length === 0 || b.accessPointNames.some((n) => Token.isUnresolved(n) || n === access.accessPointName),
      () => `access point "${access.accessPointName}" is not among the access points the owner names for account ${access.account}`,
    ],
    [
      (b) => b.networkOrigin === undefined || b.networkOrigin === access.networkOrigin,
      (left) => `the owner requires ${left[0].networkOrigin}-origin access points, and this access point has ${access.networkOrigin} origin`,
    ],
  ];
  let remaining = candidates;
  for (const [test, reason] of steps) {
    const passing = remaining.filter(test);
    if (passing.length === 0) {
      return reason(remaining);
    }
    remaining = passing;
  }
  return undefined;
}

function prefixCovered(delegated: string[], prefix: string): boolean {
  return delegated.length === 0 || delegated.some((d) => Token.isUnresolved(d) || (prefix !== '' && prefix.startsWith(d)));
}

/** A tag the owner requires on an action must be required, with the same value, by the grant. */
function tagsCovered(b: Boundary, access: GrantedAccess): boolean {
  if (!isTaggable(access.action)) {
    return true;
  }
  return Object.entries(b.objectTags).every(([key, value]) => Token.isUnresolved(value) || access.objectTags[key] === value);
}

export function describeTags(tags: Record<string, string>): string {
  return Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * The problem when `added` overlaps an earlier delegation to the same account with a different
 * restriction: a bucket policy is a union, so the looser one would void the stricter one where they overlap.
 */
export function overlapProblem(earlier: Boundary[], added: Boundary): string | undefined {
  for (const other of earlier) {
    if (Token.isUnresolved(other.account) || other.account !== added.account) {
      continue;
    }
    const common = added.actions.filter((a) => other.actions.includes(a));
    const where = overlappingPrefix(other.prefixes, added.prefixes);
    if (common.length === 0 || where === undefined) {
      continue;
    }
    const differences = [
      restrictionDifference('requires', other, added, (b) => (b.networkOrigin ? `${b.networkOrigin}-origin access points` : undefined)),
      restrictionDifference('names', other, added, (b) => (b.accessPointNames.length > 0 ? `access points ${b.accessPointNames.join(', ')}` : undefined)),
      restrictionDifference('requires', other, added, (b) => (Object.keys(b.objectTags).length > 0 ? `objects tagged ${describeTags(b.objectTags)}` : undefined)),
    ].filter((d): d is string => d !== undefined);
    if (differences.length > 0) {
      return `overlaps ${other.source} (both delegate ${common.join(', ')} on ${where}) with a different restriction: ${differences.join('; ')}. ` +
        'A bucket policy is a union, so the looser delegation would void the stricter one there: make them disjoint, or give them the same restrictions';
    }
  }
  return undefined;
}

function restrictionDifference(verb: string, a: Boundary, b: Boundary, restriction: (b: Boundary) => string | undefined): string | undefined {
  const [ra, rb] = [restriction(a), restriction(b)];
  if ((ra === undefined) === (rb === undefined)) {
    return undefined;
  }
  const [strict, loose] = ra !== undefined ? [a, b] : [b, a];
  return `${strict.source} ${verb} ${ra ?? rb}, ${loose.source} does not`;
}

/** Where two sets of prefixes share keys, as words, or undefined when they share none. */
function overlappingPrefix(a: string[], b: string[]): string | undefined {
  if (a.length === 0 || b.length === 0) {
    const other = a.length === 0 ? b : a;
    return other.length === 0 ? 'the whole bucket' : `"${other[0]}"`;
  }
  for (const x of a) {
    for (const y of b) {
      if (Token.isUnresolved(x) || Token.isUnresolved(y)) {
        continue;
      }
      if (x.startsWith(y) || y.startsWith(x)) {
        return `"${x.length >= y.length ? x : y}"`;
      }
    }
  }
  return undefined;
}

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
      () => `${access.prefix === '' ? 'the whole bucket' : `prefix "${access.prefix}"`} is outside the prefixes delegated to account ${access.account} for ${access.action}`,
    ],
    [
      (b) => tagsCovered(b, access),
      (left) => `the owner delegates ${access.action} only on objects tagged ${describeTags(left[0].objectTags)}, and the grant ` +
        (Object.keys(access.objectTags).length > 0 ? `requires ${describeTags(access.objectTags)}` : 'does not require those tags'),
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

/**
 * A tag the owner requires on an action must be required, with the same value, by the grant. IAM
 * compares condition key names, and so the tag keys in them, without regard to case.
 */
function tagsCovered(b: Boundary, access: GrantedAccess): boolean {
  if (!isTaggable(access.action)) {
    return true;
  }
  const granted = new Map(Object.entries(access.objectTags).map(([key, value]) => [key.toLowerCase(), value]));
  return Object.entries(b.objectTags).every(([key, value]) => Token.isUnresolved(value) || granted.get(key.toLowerCase()) === value);
}

export function describeTags(tags: Record<string, string>): string {
  return Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * The problem when `added` overlaps an earlier delegation to the same account (a common action on
 * overlapping prefixes) and one of the two is at least as loose as the other in every restriction
 * (network origin, named access points, object tags) and looser in one: a bucket policy is a union,
 * so there the looser delegation voids the stricter one. Delegations whose restrictions exclude each
 * other (VPC and Internet origin, different access points, different tags) each keep their own.
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
    const voided = voidedRestrictions(other, added) ?? voidedRestrictions(added, other);
    if (voided) {
      return `overlaps ${other.source} (both delegate ${common.join(', ')} on ${where}) with a different restriction: ${voided}. ` +
        'A bucket policy is a union, so the looser delegation would void the stricter one there: make them disjoint, or give them the same restrictions';
    }
  }
  return undefined;
}

/** How `loose` voids the restrictions of `strict`, or undefined when it does not. */
function voidedRestrictions(strict: Boundary, loose: Boundary): string | undefined {
  const names = new Set(loose.accessPointNames);
  const strictTags = new Map(Object.entries(strict.objectTags).map(([k, v]) => [k.toLowerCase(), v]));
  const dimensions = [
    {
      asLoose: loose.networkOrigin === undefined || loose.networkOrigin === strict.networkOrigin,
      looser: strict.networkOrigin !== undefined && loose.networkOrigin === undefined,
      what: `${strict.networkOrigin}-origin access points`,
      verb: 'requires',
    },
    {
      asLoose: names.size === 0 || (strict.accessPointNames.length > 0 && strict.accessPointNames.every((n) => names.has(n))),
      looser: strict.accessPointNames.length > 0 && (names.size === 0 || names.size > new Set(strict.accessPointNames).size),
      what: `access points ${strict.accessPointNames.join(', ')}`,
      verb: 'names',
    },
    {
      asLoose: Object.entries(loose.objectTags).every(([k, v]) => strictTags.get(k.toLowerCase()) === v),
      looser: Object.keys(strict.objectTags).length > Object.keys(loose.objectTags).length,
      what: `objects tagged ${describeTags(strict.objectTags)}`,
      verb: 'requires',
    },
  ];
  if (!dimensions.every((d) => d.asLoose)) {
    return undefined;
  }
  const stricter = dimensions.filter((d) => d.looser);
  if (stricter.length === 0) {
    return undefined;
  }
  return stricter.map((d) => `${strict.source} ${d.verb} ${d.what}, ${loose.source} does not`).join('; ');
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

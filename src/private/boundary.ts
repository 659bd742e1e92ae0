import { Token } from 'aws-cdk-lib';
import { NetworkOrigin } from '../network-origin';
import { Conditions, LIST_ACTIONS, ScopeArns, StatementParts, isTaggable, mergeConditions, scopeStatements } from './s3-actions';

/*
 * A delegation as the bucket policy encodes it, and the two ways the library reads it: as
 * bucket-policy statements (owner) and as the boundary a consumer's grants must fit (coverage).
 */

/** A delegation after validation and normalisation: what the bucket policy encodes for one account. */
export interface Boundary {
  /** Where the delegation was made, for messages: `delegations[0]`, `delegateTo() call 2`. */
  readonly source: string;
  /** The trusted account; for an organization's boundary, the organization ID. */
  readonly account: string;
  /** For a delegation to an organization: its OU paths, empty for the whole organization. */
  readonly organizationalUnitPaths?: string[];
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
function statementKey(b: Boundary): string {
  return JSON.stringify([
    b.organizationalUnitPaths ? b.account : null,
    b.organizationalUnitPaths ?? null,
    [...b.actions].sort(),
    [...b.prefixes].sort(),
    b.networkOrigin ?? null,
    b.accessPointNames.length > 0,
    Object.entries(b.objectTags).sort(),
  ]);
}

/** Where delegation statements point, and how a named access point's ARN is written. */
export interface DelegationArns extends ScopeArns {
  /** Any access point in the bucket's Region, whoever owns it: `arn:PARTITION:s3:REGION:*:accesspoint/*`. */
  readonly anyAccessPoint: string;
  accessPoint(account: string, name: string): string;
}

/** Whether the boundary trusts an organization rather than an account. */
export function isOrganization(b: Boundary): boolean {
  return b.organizationalUnitPaths !== undefined;
}

/**
 * The bucket-policy statements of all delegations, made once when the app is synthesized.
 *
 * Boundaries that differ only in their account (or named access points) share statements, so the
 * policy grows by an account ID per account:
 * - the whole bucket: one statement, objects and listing together;
 * - under prefixes: one statement too, with listing narrowed by `StringLikeIfExists s3:prefix`
 *   (object requests carry no `s3:prefix`). A list request without a `prefix` parameter has no
 *   `s3:prefix` either, so a guard denies such requests through access points of every account
 *   that is not delegated listing of the whole bucket (`Null s3:prefix`). An account that is
 *   delegated listing of the whole bucket under some restriction, and the owner's own account, keep
 *   the exact form (an object statement and a list statement with `StringLike s3:prefix`) for
 *   their prefix boundaries, and are exempt from the guard.
 * - with object tags: a statement per set of tag conditions, the list actions with the untagged ones.
 */
export function delegationStatements(boundaries: Boundary[], arns: DelegationArns, ownerAccount: string): StatementParts[] {
  const wholeBucketListing = boundaries.filter((b) => b.prefixes.length === 0 && b.actions.some((a) => LIST_ACTIONS.has(a)));
  // The owner's own access points are the owner's business, whatever it delegates: exempt from the guard.
  const listsWholeBucket = new Set([ownerAccount, ...wholeBucketListing.filter((b) => !isOrganization(b)).map((b) => b.account)]);
  // The guard can exempt accounts, not organizations: with an organization that may list the whole
  // bucket, every boundary keeps the exact form and there is no guard.
  // An exempt account known only at deploy time might be any account: no compact form then either.
  const compactable = !wholeBucketListing.some(isOrganization) && ![...listsWholeBucket].some((a) => Token.isUnresolved(a));
  const groups = new Map<string, { boundary: Boundary; compact: string[]; exact: string[] }>();
  for (const b of boundaries) {
    const key = statementKey(b);
    const group = groups.get(key) ?? { boundary: b, compact: [], exact: [] };
    groups.set(key, group);
    const members = b.accessPointNames.length > 0 ? b.accessPointNames.map((n) => arns.accessPoint(b.account, n)) : [b.account];
    const exact = b.prefixes.length > 0 && (!compactable || isOrganization(b) || listsWholeBucket.has(b.account) || Token.isUnresolved(b.account));
    const list = exact ? group.exact : group.compact;
    for (const member of members) {
      if (!list.includes(member)) {
        list.push(member);
      }
    }
  }

  const statements: StatementParts[] = [];
  const guarded = new Set<string>();
  for (const { boundary, compact, exact } of groups.values()) {
    if (compact.length > 0) {
      const parts = compactStatements(scopeStatements(boundary.actions, boundary.prefixes, boundary.objectTags, arns), boundary.prefixes.length > 0);
      statements.push(...withTrust(boundary, compact, parts, arns));
      if (boundary.prefixes.length > 0) {
        parts.filter((p) => p.conditions?.StringLikeIfExists)
          .flatMap((p) => p.actions.filter((a) => LIST_ACTIONS.has(a)))
          .forEach((a) => guarded.add(a));
      }
    }
    if (exact.length > 0) {
      statements.push(...withTrust(boundary, exact, scopeStatements(boundary.actions, boundary.prefixes, boundary.objectTags, arns), arns));
    }
  }
  if (guarded.size > 0) {
    // The exempt accounts always include the owner's.
    statements.push({
      effect: 'Deny',
      actions: [...guarded],
      resources: [arns.list],
      conditions: {
        Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' },
        StringNotEquals: { 's3:DataAccessPointAccount': [...listsWholeBucket] },
      },
    });
  }
  return statements;
}

/**
 * The boundary's trust condition on each statement: the members (accounts or access point ARNs),
 * or for an organization its principals through any access point in the bucket's Region; and the
 * network origin.
 */
function withTrust(b: Boundary, members: string[], parts: StatementParts[], arns: DelegationArns): StatementParts[] {
  const origin = b.networkOrigin ? { 's3:AccessPointNetworkOrigin': b.networkOrigin } : {};
  const trusted: Conditions = isOrganization(b)
    ? {
      StringEquals: { 'aws:PrincipalOrgID': b.account, ...origin },
      StringLike: { 's3:DataAccessPointArn': arns.anyAccessPoint },
      ...(b.organizationalUnitPaths!.length > 0 ? { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': b.organizationalUnitPaths!.map((p) => `${p}*`) } } : {}),
    }
    : { StringEquals: { [b.accessPointNames.length > 0 ? 's3:DataAccessPointArn' : 's3:DataAccessPointAccount']: members, ...origin } };
  return parts.map((s) => ({ ...s, conditions: mergeConditions(trusted, s.conditions) }));
}

/**
 * The list statement folded into the object statement without tag conditions, when there is one:
 * the account is then listed once. Under prefixes, listing is narrowed with
 * `StringLikeIfExists s3:prefix` (and needs the guard).
 */
function compactStatements(parts: StatementParts[], underPrefixes: boolean): StatementParts[] {
  const list = parts.find((p) => p.actions.every((a) => LIST_ACTIONS.has(a)));
  const objects = parts.find((p) => p !== list && p.conditions === undefined);
  if (!list || !objects) {
    return parts;
  }
  const merged: StatementParts = {
    actions: [...objects.actions, ...list.actions],
    resources: [...objects.resources, ...list.resources],
    conditions: underPrefixes ? { StringLikeIfExists: list.conditions!.StringLike } : undefined,
  };
  return [merged, ...parts.filter((p) => p !== list && p !== objects)];
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
  // Membership of an organization is not known at synth: its boundaries may cover any account.
  const candidates = boundaries.filter((b) => b.account === access.account || Token.isUnresolved(b.account) || isOrganization(b));
  if (candidates.length === 0) {
    return `the bucket owner delegates nothing to account ${access.account}`;
  }
  const whom = candidates.some(isOrganization) ? `account ${access.account} (or to an organization it may belong to)` : `account ${access.account}`;
  // Each step keeps the boundaries that pass it; the first step that leaves none gives the reason.
  const steps: Array<[(b: Boundary) => boolean, (left: Boundary[]) => string]> = [
    [(b) => b.actions.includes(access.action), () => `the owner does not delegate ${access.action} to ${whom}`],
    [
      (b) => prefixCovered(b.prefixes, access.prefix),
      () => `${access.prefix === '' ? 'the whole bucket' : `prefix "${access.prefix}"`} is outside the prefixes delegated to ${whom} for ${access.action}`,
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
    const sameTrustee = other.account === added.account && !Token.isUnresolved(other.account) && unitsOverlap(other, added);
    // An account may belong to an organization delegated to: compare the two as if it did.
    const member = isOrganization(other) !== isOrganization(added);
    if (!sameTrustee && !member) {
      continue;
    }
    const common = added.actions.filter((a) => other.actions.includes(a));
    const where = overlappingPrefix(other.prefixes, added.prefixes);
    if (common.length === 0 || where === undefined) {
      continue;
    }
    // Tags cannot limit some actions (listing, DeleteObject, ...): for those, only the other restrictions count.
    const byTags = common.some(isTaggable);
    const byOthers = common.some((a) => !isTaggable(a));
    const voided = (byTags ? voidedRestrictions(other, added, true) ?? voidedRestrictions(added, other, true) : undefined)
      ?? (byOthers ? voidedRestrictions(other, added, false) ?? voidedRestrictions(added, other, false) : undefined);
    if (voided) {
      const membership = member ? ` if account ${isOrganization(added) ? other.account : added.account} belongs to organization ${isOrganization(added) ? added.account : other.account}` : '';
      return `overlaps ${other.source}${membership} (both delegate ${common.join(', ')} on ${where}) with a different restriction: ${voided}. ` +
        'A bucket policy is a union, so the looser delegation would void the stricter one there: make them disjoint, or give them the same restrictions';
    }
  }
  return undefined;
}

/**
 * Whether two boundaries of one organization can hold the same principals: always, unless both are
 * limited to organizational units and no unit of one is in (or above) a unit of the other.
 */
function unitsOverlap(a: Boundary, b: Boundary): boolean {
  const [pa, pb] = [a.organizationalUnitPaths ?? [], b.organizationalUnitPaths ?? []];
  if (!isOrganization(a) || pa.length === 0 || pb.length === 0) {
    return true;
  }
  return pa.some((x) => pb.some((y) => x.startsWith(y) || y.startsWith(x)));
}

/**
 * How `loose` voids the restrictions of `strict`, or undefined when it does not. `withTags` says
 * whether object tags restrict the actions in question.
 */
function voidedRestrictions(strict: Boundary, loose: Boundary, withTags: boolean): string | undefined {
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
      asLoose: !withTags || Object.entries(loose.objectTags).every(([k, v]) => strictTags.get(k.toLowerCase()) === v),
      looser: withTags && Object.keys(strict.objectTags).length > Object.keys(loose.objectTags).length,
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

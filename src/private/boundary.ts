import { Token } from 'aws-cdk-lib';

/** A delegation after validation and normalisation: what the bucket policy encodes for one account. */
export interface Boundary {
  readonly account: string;
  readonly actions: string[];
  /** Normalised prefixes, each ending in "/"; empty for the whole bucket. */
  readonly prefixes: string[];
  /** Empty for any access point of the account. */
  readonly accessPointNames: string[];
  readonly requireVpcOrigin: boolean;
}

/** One request shape a consumer grant allows: an action on a prefix through an access point. */
export interface GrantedAccess {
  readonly account: string;
  readonly action: string;
  /** A normalised prefix, or '' for the whole bucket. */
  readonly prefix: string;
  readonly accessPointName: string;
  readonly vpcOrigin: boolean;
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
  const steps: Array<[string, (b: Boundary) => boolean]> = [
    [`the owner does not delegate ${access.action} to account ${access.account}`, (b) => b.actions.includes(access.action)],
    [
      `${access.prefix === '' ? 'the whole bucket' : `prefix "${access.prefix}"`} is outside the prefixes delegated to account ${access.account}`,
      (b) => prefixCovered(b.prefixes, access.prefix),
    ],
    [
      `access point "${access.accessPointName}" is not among the access points the owner names for account ${access.account}`,
      (b) => b.accessPointNames.length === 0 || b.accessPointNames.some((n) => Token.isUnresolved(n) || n === access.accessPointName),
    ],
    ['the owner requires VPC-origin access points, and this access point has Internet origin', (b) => !b.requireVpcOrigin || access.vpcOrigin],
  ];
  let remaining = candidates;
  for (const [reason, test] of steps) {
    remaining = remaining.filter(test);
    if (remaining.length === 0) {
      return reason;
    }
  }
  return undefined;
}

function prefixCovered(delegated: string[], prefix: string): boolean {
  return delegated.length === 0 || delegated.some((d) => Token.isUnresolved(d) || (prefix !== '' && prefix.startsWith(d)));
}

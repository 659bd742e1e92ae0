import { Verdict, asList, isUnboundedWildcardAllow, statementsOf } from '../../nag/policy-statements';
import { LIST_ACTIONS, OBJECT_ACTIONS } from '../s3-actions';
import { AssemblyStack, UNKNOWN, partition, plain, readAssembly, resourcesOf } from './assembly';
import { Request, accountOf, evaluate, wildcard } from './evaluate';

/*
 * Who can reach what, from a synthesized cloud assembly: the delegating buckets and their
 * delegations, the access points on them and their grants, the access each principal has through
 * both layers (computed by evaluating the access point policy and the bucket policy on probe
 * requests, not copied from either side), and the findings a security reviewer wants to see.
 */

type Json = any;

export interface ReportDelegation {
  /** The trusted account, or the organization. */
  readonly trustee: string;
  readonly kind: 'account' | 'organization';
  readonly actions: string[];
  /** Key prefixes; `''` for the whole bucket. */
  readonly prefixes: string[];
  readonly objectTags: Record<string, string>;
  /** Other restrictions, in words: network origin, named access points, organizational units. */
  readonly conditions: string[];
}

export interface ReportBucket {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly stack: string;
  readonly encryption: string;
  readonly delegations: ReportDelegation[];
}

export interface ReportGrant {
  readonly principals: string[];
  readonly actions: string[];
  readonly prefixes: string[];
  readonly conditions: string[];
}

export interface ReportAccessPoint {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly stack: string;
  readonly bucketName: string;
  readonly bucketAccount: string;
  readonly networkOrigin: 'VPC' | 'Internet';
  /** `all on`, or the settings that are off. */
  readonly blockPublicAccess: string;
  readonly grants: ReportGrant[];
}

export interface EffectiveAccess {
  readonly principal: string;
  readonly accessPoint: string;
  readonly bucket: string;
  /** Key prefix; `''` for the whole bucket. */
  readonly prefix: string;
  readonly actions: string[];
  /** Tags the objects must carry (and writes must set), when access depends on them. */
  readonly objectTags?: Record<string, string>;
  /** The organization the principal's account must belong to, when access depends on it. */
  readonly organization?: string;
}

export type FindingKind =
  | 'grant-beyond-delegation'
  | 'key-denies'
  | 'unused-delegation'
  | 'public-access-point-policy'
  | 'block-public-access-off'
  | 'bucket-not-in-assembly';

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: 'high' | 'medium' | 'info';
  readonly message: string;
}

export interface AccessReport {
  readonly source: string;
  readonly buckets: ReportBucket[];
  readonly accessPoints: ReportAccessPoint[];
  readonly effectiveAccess: EffectiveAccess[];
  readonly findings: Finding[];
}

/** Actions a wildcard in a policy is checked against. */
const KNOWN_ACTIONS = [...OBJECT_ACTIONS, ...LIST_ACTIONS].sort();
const PROBE = 'report-probe';
const DELEGATION_KEYS = ['s3:DataAccessPointAccount', 's3:DataAccessPointArn', 'aws:PrincipalOrgID'];
const OU_PREFIX = 'organizational units ';
const BLOCK_PUBLIC_ACCESS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

interface OwnedBucket {
  readonly report: ReportBucket;
  readonly policy: Json;
  /** The policy of the bucket's KMS key, when the bucket uses one and the assembly holds it. */
  readonly keyPolicy?: Json;
}

/** The KMS action S3 calls on the bucket's key for an object action, if any. */
const KEY_ACTIONS: Record<string, string> = {
  's3:GetObject': 'kms:Decrypt',
  's3:GetObjectVersion': 'kms:Decrypt',
  's3:PutObject': 'kms:GenerateDataKey',
};

interface AccessPointFound {
  readonly report: ReportAccessPoint;
  readonly policy: Json;
}

/** The access report of the cloud assembly in `directory`. */
export function analyzeAssembly(directory: string): AccessReport {
  return analyzeStacks(directory, readAssembly(directory));
}

export function analyzeStacks(source: string, stacks: AssemblyStack[]): AccessReport {
  const buckets = stacks.flatMap(delegatingBuckets);
  const accessPoints = stacks.flatMap(accessPointsOf);
  const allBuckets = new Set(stacks.flatMap((s) => resourcesOf(s, 'AWS::S3::Bucket').map(([id]) => `${plain({ Ref: id }, s)}@${s.account}`)));
  const effectiveAccess: EffectiveAccess[] = [];
  const findings: Finding[] = [];

  for (const ap of accessPoints) {
    findings.push(...accessPointFindings(ap));
    const bucket = buckets.find((b) => b.report.name === ap.report.bucketName && b.report.account === ap.report.bucketAccount);
    if (!bucket) {
      const known = allBuckets.has(`${ap.report.bucketName}@${ap.report.bucketAccount}`);
      findings.push({
        kind: 'bucket-not-in-assembly',
        severity: 'info',
        message: `Access point ${ap.report.name} (account ${ap.report.account}) is on bucket ${ap.report.bucketName} of account ${ap.report.bucketAccount}, ` +
          `${known ? 'whose policy delegates to no access point' : 'which this assembly does not contain'}: only the access point's own grants are shown, ` +
          'not what the owner allows',
      });
      continue;
    }
    const { effective, beyond } = throughBothLayers(ap, bucket);
    effectiveAccess.push(...effective);
    findings.push(...beyond);
  }
  // What is used, by bucket, trustee (account of the access point, or organization) and action.
  const accountOfAccessPoint = new Map(accessPoints.map((a) => [a.report.arn, a.report.account]));
  const used = new Set(effectiveAccess.flatMap((e) => e.actions.map((action) =>
    JSON.stringify([e.bucket, e.organization ?? accountOfAccessPoint.get(e.accessPoint), action]))));
  for (const bucket of buckets) {
    for (const d of bucket.report.delegations) {
      if (!d.actions.some((action) => used.has(JSON.stringify([bucket.report.name, d.trustee, action])))) {
        findings.push({
          kind: 'unused-delegation',
          severity: 'info',
          message: `Bucket ${bucket.report.name} delegates ${d.actions.join(', ')} ${scopeText(d.prefixes)} to ${d.kind} ${d.trustee}, ` +
            'and no access point in this assembly uses it (consumers in other apps may)',
        });
      }
    }
  }
  return { source, buckets: buckets.map((b) => b.report), accessPoints: accessPoints.map((a) => a.report), effectiveAccess, findings };
}

/** The buckets of a stack whose policy lets requests through access points. */
function delegatingBuckets(stack: AssemblyStack): OwnedBucket[] {
  const found: OwnedBucket[] = [];
  for (const [, policy] of resourcesOf(stack, 'AWS::S3::BucketPolicy')) {
    const document = plain(policy.Properties?.PolicyDocument, stack);
    const statements = asList<Json>(document?.Statement).filter((s) => s.Effect === 'Allow' && conditionKeys(s).some((k) => DELEGATION_KEYS.includes(k)));
    if (statements.length === 0) {
      continue;
    }
    const name = String(plain(policy.Properties.Bucket, stack));
    const bucketResource = resourcesOf(stack, 'AWS::S3::Bucket').find(([id]) => plain({ Ref: id }, stack) === name)?.[1];
    const sse = bucketResource?.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    const usesKey = sse?.SSEAlgorithm === 'aws:kms' || sse?.SSEAlgorithm === 'aws:kms:dsse';
    const keyId = sse?.KMSMasterKeyID?.['Fn::GetAtt']?.[0];
    const key = typeof keyId === 'string' ? stack.template.Resources?.[keyId] : undefined;
    const keyPolicy = key?.Type === 'AWS::KMS::Key' ? plain(key.Properties?.KeyPolicy, stack) : undefined;
    found.push({
      report: {
        name,
        account: stack.account,
        region: stack.region,
        stack: stack.name,
        encryption: !usesKey ? 'SSE-S3'
          : `${sse.SSEAlgorithm} with a customer-managed key${keyPolicy ? '' : ' whose policy is not in this assembly (not evaluated)'}`,
        delegations: mergeDelegations(statements.flatMap((s) => delegationsOf(s))),
      },
      policy: document,
      keyPolicy,
    });
  }
  return found;
}

function delegationsOf(statement: Json): ReportDelegation[] {
  const conditions = statement.Condition ?? {};
  const valuesOf = (key: string) => Object.values<Json>(conditions).flatMap((keys) => asList<Json>(keys[key] ?? []).map(String));
  const organizations = valuesOf('aws:PrincipalOrgID');
  const accounts = organizations.length > 0 ? [] : valuesOf('s3:DataAccessPointAccount');
  const prefixes = [
    ...asList<Json>(statement.Resource).map(String).filter((r) => /^arn:[^:]+:s3:::[^/]+\//.test(r)).map((r) => r.slice(r.indexOf('/') + 1).replace(/\*$/, '')),
    ...valuesOf('s3:prefix').map((p) => p.replace(/\*$/, '')),
  ];
  const restrictions = [
    ...valuesOf('s3:AccessPointNetworkOrigin').map((o) => `network origin ${o}`),
    ...(valuesOf('s3:DataAccessPointArn').some((a) => !a.endsWith('/*')) ? [`access points ${valuesOf('s3:DataAccessPointArn').map(nameOfAccessPoint).join(', ')}`] : []),
    ...(valuesOf('aws:PrincipalOrgPaths').length > 0 ? [`${OU_PREFIX}${valuesOf('aws:PrincipalOrgPaths').join(', ')}`] : []),
  ];
  const trustees: Array<[string, ReportDelegation['kind']]> = [
    ...organizations.map((o): [string, ReportDelegation['kind']] => [o, 'organization']),
    ...accounts.map((a): [string, ReportDelegation['kind']] => [a, 'account']),
  ];
  return trustees.map(([trustee, kind]) => ({
    trustee,
    kind,
    actions: asList<Json>(statement.Action).map(String),
    prefixes: [...new Set(prefixes)],
    objectTags: tagsOf(statement),
    conditions: restrictions,
  }));
}

/**
 * Statements of one trustee with the same scope and restrictions are one row (the exact form
 * splits objects and listing); rows of different scopes stay apart, so no action reads as
 * reaching a prefix it does not.
 */
function mergeDelegations(rows: ReportDelegation[]): ReportDelegation[] {
  const merged = new Map<string, ReportDelegation>();
  for (const row of rows) {
    const key = JSON.stringify([row.trustee, row.kind, row.conditions, row.objectTags, [...row.prefixes].sort()]);
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, actions: [...new Set([...earlier.actions, ...row.actions])] } : row);
  }
  return [...merged.values()];
}

function accessPointsOf(stack: AssemblyStack): AccessPointFound[] {
  return resourcesOf(stack, 'AWS::S3::AccessPoint').map(([, resource]) => {
    const p = plain(resource.Properties ?? {}, stack);
    const name = String(p.Name ?? UNKNOWN);
    const arn = `arn:${partition(stack)}:s3:${stack.region}:${stack.account}:accesspoint/${name}`;
    const policy = p.Policy;
    const blocks = p.PublicAccessBlockConfiguration ?? {};
    const off = BLOCK_PUBLIC_ACCESS.filter((k) => blocks[k] === false);
    return {
      report: {
        name,
        arn,
        account: stack.account,
        region: stack.region,
        stack: stack.name,
        bucketName: String(p.Bucket),
        bucketAccount: String(p.BucketAccountId ?? stack.account),
        networkOrigin: p.VpcConfiguration ? 'VPC' : 'Internet',
        blockPublicAccess: off.length === 0 ? 'all on' : `off: ${off.join(', ')}`,
        grants: asList<Json>(policy?.Statement).filter((s) => s.Effect === 'Allow').map((s) => ({
          principals: principalsOf(s),
          // NotAction grants every action it does not name.
          actions: s.NotAction !== undefined
            ? KNOWN_ACTIONS.filter((k) => !asList<Json>(s.NotAction).some((n) => wildcard(String(n), k, true)))
            : asList<Json>(s.Action).map(String),
          prefixes: [...new Set([
            ...asList<Json>(s.Resource).map(String).filter((r) => r.includes('/object/')).map((r) => r.split('/object/')[1].replace(/\*$/, '')),
            ...Object.values<Json>(s.Condition ?? {}).flatMap((keys) => asList<Json>(keys['s3:prefix'] ?? []).map(String))
              .map((v) => v.replace(/\*$/, '')),
          ])],
          conditions: conditionKeys(s).filter((k) => k !== 's3:prefix'),
        })),
      },
      policy,
    };
  });
}

function accessPointFindings(ap: AccessPointFound): Finding[] {
  const findings: Finding[] = [];
  if (ap.report.blockPublicAccess !== 'all on') {
    findings.push({ kind: 'block-public-access-off', severity: 'medium', message: `Access point ${ap.report.name} (account ${ap.report.account}) has Block Public Access ${ap.report.blockPublicAccess}` });
  }
  // Public as the cdk-nag pack judges it (CAAP-2): an Allow to everyone that no fixed-value key bounds.
  for (const s of statementsOf(ap.policy)) {
    if (isUnboundedWildcardAllow(s) === Verdict.YES) {
      findings.push({
        kind: 'public-access-point-policy',
        severity: 'high',
        message: `Access point ${ap.report.name} (account ${ap.report.account}) allows ${asList<Json>(s.Action).join(', ')} to any principal, with no condition that names an account, organization or principal`,
      });
    }
  }
  return findings;
}

/** What each principal of the access point reaches through both layers, and the grants the bucket policy denies. */
function throughBothLayers(ap: AccessPointFound, bucket: OwnedBucket): { effective: EffectiveAccess[]; beyond: Finding[] } {
  const effective: EffectiveAccess[] = [];
  const beyond: Finding[] = [];
  const delegated = bucket.report.delegations.filter((d) => d.kind === 'organization' || d.trustee === ap.report.account).flatMap((d) => d.prefixes);
  const tags = { ...tagsOfPolicy(bucket.policy), ...tagsOfPolicy(ap.policy) };
  const organizations = bucket.report.delegations.filter((d) => d.kind === 'organization');
  const principals = [...new Set(ap.report.grants.flatMap((g) => g.principals))].filter((p) => p !== '*' && p !== UNKNOWN);

  for (const principal of principals) {
    const granted = ap.report.grants.filter((g) => g.principals.includes(principal));
    const actions = [...new Set(granted.flatMap((g) => g.actions).flatMap((a) => KNOWN_ACTIONS.filter((k) => wildcard(a, k, true))))];
    const grantedPrefixes = new Set(granted.flatMap((g) => g.prefixes));
    const candidates = [...new Set(['', ...grantedPrefixes, ...delegated])];
    // By prefix and by what the access depends on (tags, organization).
    const byPrefix = new Map<string, { prefix: string; actions: string[]; objectTags?: Record<string, string>; organization?: string }>();
    for (const prefix of candidates) {
      for (const action of actions) {
        const requests = probe(ap, bucket, principal, action, prefix);
        const plainly = evaluate(ap.policy, requests.accessPoint) === 'allow';
        if (!plainly && !withTags(ap.policy, requests.accessPoint, tags)) {
          continue;
        }
        const outcome = bucketOutcome(bucket, requests, tags, organizations, !plainly);
        if (outcome !== undefined && !keyAllows(bucket, principal, action, outcome.organization)) {
          if (grantedPrefixes.has(prefix)) {
            beyond.push({
              kind: 'key-denies',
              severity: 'medium',
              message: `Access point ${ap.report.name} (account ${ap.report.account}) lets ${principal} ${action} ${scopeText([prefix])}, ` +
                `and bucket ${bucket.report.name} delegates it, but the bucket's KMS key does not let account ${accountOf(principal)} use it: AWS denies it`,
            });
          }
          continue;
        }
        if (outcome === undefined) {
          if (grantedPrefixes.has(prefix)) {
            beyond.push({
              kind: 'grant-beyond-delegation',
              severity: 'medium',
              message: `Access point ${ap.report.name} (account ${ap.report.account}) lets ${principal} ${action} ${scopeText([prefix])}, ` +
                `which bucket ${bucket.report.name} does not delegate: AWS denies it`,
            });
          }
          continue;
        }
        const key = JSON.stringify([prefix, outcome.objectTags ?? null, outcome.organization ?? null]);
        const entry = byPrefix.get(key) ?? { prefix, ...outcome, actions: [] };
        byPrefix.set(key, { ...entry, actions: [...entry.actions, action] });
      }
    }
    const entries = [...byPrefix.values()];
    for (const entry of entries) {
      // A prefix inside another one with the same access, on the same terms, adds nothing.
      const covered = entries.some((e) => e !== entry && entry.prefix.startsWith(e.prefix) && e.organization === entry.organization
        && JSON.stringify(e.objectTags) === JSON.stringify(entry.objectTags) && entry.actions.every((a) => e.actions.includes(a)));
      if (!covered) {
        effective.push({ principal, accessPoint: ap.report.arn, bucket: bucket.report.name, ...entry });
      }
    }
  }
  return { effective, beyond };
}

/**
 * Whether the bucket's KMS key lets the principal's account use it through S3 for the action, when
 * the bucket uses a key whose policy the assembly holds. Cross-account, the grantee's identity
 * policy must allow too; the library writes it with the grant.
 */
function keyAllows(bucket: OwnedBucket, principal: string, action: string, organization?: string): boolean {
  const keyAction = KEY_ACTIONS[action];
  if (bucket.keyPolicy === undefined || keyAction === undefined) {
    return true;
  }
  const bucketArn = `arn:aws:s3:::${bucket.report.name}`;
  return evaluate(bucket.keyPolicy, {
    principal,
    action: keyAction,
    resource: '*',
    context: {
      'kms:CallerAccount': accountOf(principal) ?? '',
      'kms:ViaService': `s3.${bucket.report.region}.amazonaws.com`,
      'kms:EncryptionContext:aws:s3:arn': bucketArn,
      'aws:PrincipalArn': principal,
      'aws:PrincipalAccount': accountOf(principal) ?? '',
      ...(organization ? { 'aws:PrincipalOrgID': organization } : {}),
    },
  }) === 'allow';
}

interface Probe {
  readonly accessPoint: Request;
  readonly bucket: Request;
}

function probe(ap: AccessPointFound, bucket: OwnedBucket, principal: string, action: string, prefix: string): Probe {
  const isList = LIST_ACTIONS.has(action);
  const key = `${prefix}${PROBE}`;
  const common = {
    'aws:SecureTransport': 'true',
    'aws:PrincipalArn': principal,
    'aws:PrincipalAccount': accountOf(principal) ?? '',
    // Listing the whole bucket is a request without a prefix parameter: no s3:prefix at all.
    ...(isList && prefix !== '' ? { 's3:prefix': prefix } : {}),
  };
  return {
    accessPoint: { principal, action, resource: isList ? ap.report.arn : `${ap.report.arn}/object/${key}`, context: common },
    bucket: {
      principal,
      action,
      resource: isList ? `arn:aws:s3:::${bucket.report.name}` : `arn:aws:s3:::${bucket.report.name}/${key}`,
      context: {
        ...common,
        's3:DataAccessPointAccount': ap.report.account,
        's3:DataAccessPointArn': ap.report.arn,
        's3:AccessPointNetworkOrigin': ap.report.networkOrigin,
      },
    },
  };
}

/**
 * Whether the bucket allows the request: plainly, with the objects' tags, or for members of an
 * organization it trusts. `mustTag` when the access point allows it only with the tags.
 */
function bucketOutcome(
  bucket: OwnedBucket, requests: Probe, tags: Record<string, string>, organizations: ReportDelegation[], mustTag: boolean,
): { objectTags?: Record<string, string>; organization?: string } | undefined {
  if (!mustTag && evaluate(bucket.policy, requests.bucket) === 'allow') {
    return {};
  }
  if (withTags(bucket.policy, requests.bucket, tags)) {
    return { objectTags: tags };
  }
  for (const organization of organizations) {
    const paths = organization.conditions.filter((c) => c.startsWith(OU_PREFIX)).flatMap((c) => c.slice(OU_PREFIX.length).split(', '));
    const member: Request = {
      ...requests.bucket,
      context: { ...requests.bucket.context, 'aws:PrincipalOrgID': organization.trustee, 'aws:PrincipalOrgPaths': paths.map((p) => p.replace(/\*$/, '')) },
    };
    if (!mustTag && evaluate(bucket.policy, member) === 'allow') {
      return { organization: organization.trustee };
    }
    if (withTags(bucket.policy, member, tags)) {
      return { organization: organization.trustee, objectTags: tags };
    }
  }
  return undefined;
}

function withTags(policy: Json, request: Request, tags: Record<string, string>): boolean {
  if (Object.keys(tags).length === 0) {
    return false;
  }
  const context = { ...request.context };
  for (const [key, value] of Object.entries(tags)) {
    context[`s3:ExistingObjectTag/${key}`] = value;
    context[`s3:RequestObjectTag/${key}`] = value;
  }
  return evaluate(policy, { ...request, context }) === 'allow';
}

function tagsOf(statement: Json): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const keys of Object.values<Json>(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries<Json>(keys)) {
      const match = /^s3:(?:Existing|Request)ObjectTag\/(.+)$/.exec(key);
      if (match) {
        tags[match[1]] = String(asList<Json>(value)[0]);
      }
    }
  }
  return tags;
}

function tagsOfPolicy(policy: Json): Record<string, string> {
  return Object.assign({}, ...asList<Json>(policy?.Statement).map(tagsOf));
}

function principalsOf(statement: Json): string[] {
  if (statement.Principal === '*') {
    return ['*'];
  }
  return asList<Json>(statement.Principal?.AWS).map(String);
}

function conditionKeys(statement: Json): string[] {
  return Object.values<Json>(statement.Condition ?? {}).flatMap((keys) => Object.keys(keys));
}

function nameOfAccessPoint(arn: string): string {
  return arn.split(':accesspoint/')[1] ?? arn;
}

/** A scope in words: "under ResearchData/", or "on the whole bucket". */
export function scopeText(prefixes: string[]): string {
  const named = prefixes.filter((p) => p !== '');
  return named.length === 0 || prefixes.includes('') ? 'on the whole bucket' : `under ${named.join(', ')}`;
}

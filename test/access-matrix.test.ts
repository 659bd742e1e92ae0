/**
 * The access matrix: who can reach what, decided by an independent IAM evaluator
 * (@cloud-copilot/iam-simulate) over synthesized templates, through the two-layer access point
 * chain (access point layer in the consumer account, bucket layer in the owner account).
 *
 * The table is printed after the run: a statement, for platform and security teams, of who can
 * reach what. Every row is also a test; a row whose result differs from its expectation fails.
 * Rows that prove one layer on its own also state each layer's verdict, and fail when it differs.
 *
 * Scenarios: the sample app (the AWS Storage Blog's Jane reading ResearchData/), and a data mesh
 * over one SSE-KMS bucket: read-write on a prefix (C1), named access points (C2), VPC origin only
 * (C3), a consumer that narrows a grant by prefix (C3), objects limited by tag (C4, where the owner
 * requires classification=public and C4 adds review=done for one user), the guard against foreign
 * encryption on writes, and the key policy (one statement per KMS action set, by kms:CallerAccount).
 * At scale (test/support/scale-app.ts): accounts sharing a boundary under Shared/ in one compact
 * statement with the guard against listing without a prefix, an account that also lists the whole
 * bucket from its VPC (the exact form, exempt from the guard), and an organizational unit reading Org/,
 * in the bucket and the key policy. Each of these rows is shown able to fail: some mutant of the
 * policies (a statement or a condition dropped, a resource widened) flips it.
 *
 * What the evaluator cannot model, and what is checked instead:
 * - Network origin: S3 decides an access point's origin from its VpcConfiguration and refuses
 *   requests from outside that VPC; the evaluator takes the origin as given. The template check
 *   below proves which access point has which origin; the matrix proves what the owner's policy
 *   does with each origin.
 * - Block Public Access: not evaluated; every access point and bucket here has all four settings on
 *   (checked in the access point and bucket tests).
 * - Organization membership: the evaluator knows no organization. A row of an organization's
 *   principal states the aws:PrincipalOrgID and aws:PrincipalOrgPaths that AWS would set (the paths
 *   as a list: the key is multi-valued, so only a set operator matches it), in both layers and for KMS.
 * - Object tags: the evaluator stores no objects. A row states the tags the object carries
 *   (`s3:ExistingObjectTag/KEY`) and the tags a write sets (`s3:RequestObjectTag/KEY`) as request
 *   context, which both layers see, as S3 sets them for the action. S3 sets no tag key for listing,
 *   DeleteObject or AbortMultipartUpload, so rows of those actions carry none.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CrossAccountAccessPoint } from '../src';
import {
  AccessPointModel, BucketModel, Decision, evaluateDirectToBucket, evaluateKms, evaluateThroughAccessPoint, KmsKeyModel, KmsRequest, RequestContext,
  S3Request,
} from './support/access-evaluator';
import { buildMesh, C1, C2, C3, C4, OWNER, PUBLIC_TAG, REGION, REVIEWED_TAG } from './support/mesh-app';
import {
  buildScale, COMPACT_ACCOUNTS, EXACT_ACCOUNT, MEMBER_ACCOUNT, ORG_BUCKET, ORG_ID, ORG_ROOT, ORG_UNIT_PATH, SCALE_OWNER, SCALE_REGION, SHARED_BUCKET,
} from './support/scale-app';
import { accessPointModels, delegatedBucketModel, identityPoliciesOf, keyModel, synthSample } from './support/template-models';

const OUTSIDER = '444455556666'; // no delegation

/** An identity policy that allows every action: an administrator of their own account. */
const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/**
 * An access point the evaluator sees but the app does not build: one that lets the principals of an
 * account (its own by default) do anything.
 */
function openAccessPoint(account: string, name: string, networkOrigin = 'Internet', principalAccount = account): AccessPointModel {
  const arn = `arn:aws:s3:${REGION}:${account}:accesspoint/${name}`;
  return {
    name,
    account,
    region: REGION,
    networkOrigin,
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${principalAccount}:root` }, Action: 's3:*', Resource: [arn, `${arn}/object/*`] }],
    },
  };
}

const sample = synthSample();
const sampleBucket = delegatedBucketModel(sample.owner);
const [janesAP] = accessPointModels(sample.consumer);

const mesh = buildMesh();
const meshBucket = delegatedBucketModel(mesh.ownerStack);
const byName = (stack: Stack, name: string) => accessPointModels(stack).find((ap) => ap.name === name)!;
const c1Writer = byName(mesh.c1, 'c1-writer');
const c2Reader = byName(mesh.c2, 'c2-reader');
const c3Vpc = byName(mesh.c3, 'c3-vpc');
const c4Tagged = byName(mesh.c4, 'c4-tagged');
const meshKey: KmsKeyModel = keyModel(mesh.bucket.encryptionKey as kms.Key);

const JANE = 'arn:aws:iam::111122223333:user/Jane';
const BOB = 'arn:aws:iam::111122223333:user/Bob';
const CONSUMER_ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const OUTSIDE_ADMIN = `arn:aws:iam::${OUTSIDER}:role/Admin`;
const OWNER_ADMIN = `arn:aws:iam::${OWNER}:role/Admin`;
const WRITER = `arn:aws:iam::${C1}:role/Writer`;
const C1_ADMIN = `arn:aws:iam::${C1}:role/Admin`;
const READER = `arn:aws:iam::${C2}:user/Reader`;
const C2_ADMIN = `arn:aws:iam::${C2}:role/Admin`;
const ANALYST = `arn:aws:iam::${C3}:role/Analyst`;
const writerPolicies = identityPoliciesOf(mesh.writer);
const readerPolicies = identityPoliciesOf(mesh.reader);
const analystPolicies = identityPoliciesOf(mesh.analyst);
const CURATED = `arn:aws:iam::${C4}:role/Curated`;
const REVIEWER = `arn:aws:iam::${C4}:user/Reviewer`;
const C4_ADMIN = `arn:aws:iam::${C4}:role/Admin`;
const curatedPolicies = identityPoliciesOf(mesh.curated);
const reviewerPolicies = identityPoliciesOf(mesh.reviewer);

interface Row {
  readonly scenario: string;
  readonly who: string;
  readonly path: string;
  readonly request: string;
  readonly expected: boolean;
  /** Each layer's expected verdict, as the evaluator explains it, when the row proves a layer on its own. */
  readonly layers?: string;
  readonly decide: () => Decision;
  /** Rows on the scale app: the decision under other bucket and key policies, to show that the row can fail. */
  readonly against?: (policies: ScalePolicies) => Decision;
}

/** The owner's policies in the scale app, as deployed or as a mutant. */
interface ScalePolicies {
  readonly shared: BucketModel;
  readonly sharedKey: KmsKeyModel;
  readonly org: BucketModel;
  readonly orgKey: KmsKeyModel;
}

/** A layer's verdict, as iam-simulate gives it. */
type Verdict = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

const rows: Row[] = [];
function through(scenario: string, who: string, accessPoint: AccessPointModel, bucket: BucketModel, request: S3Request, expected: boolean,
  layers?: { accessPoint: Verdict; bucket: Verdict }, note?: string) {
  const path = `access point ${accessPoint.name} (${accessPoint.account}, ${accessPoint.networkOrigin})`;
  const decide = () => evaluateThroughAccessPoint(request, accessPoint, bucket);
  const expectedLayers = layers && `access point: ${layers.accessPoint}; bucket: ${layers.bucket}`;
  rows.push({ scenario, who, path, request: `${describeRequest(request)}${note ? ` (${note})` : ''}`, expected, layers: expectedLayers, decide });
}
function direct(scenario: string, who: string, bucket: BucketModel, request: S3Request, expected: boolean) {
  rows.push({ scenario, who, path: `bucket ${bucket.name} directly`, request: describeRequest(request), expected, decide: () => evaluateDirectToBucket(request, bucket) });
}
function key(scenario: string, who: string, request: KmsRequest, expected: boolean) {
  rows.push({ scenario, who, ...describeKmsRequest(request), expected, decide: () => evaluateKms(request, meshKey) });
}
function describeKmsRequest(request: KmsRequest): { path: string; request: string } {
  const path = request.viaService ? `KMS key via ${request.viaService}` : 'KMS key directly';
  const encryptionContext = request.context?.['kms:EncryptionContext:aws:s3:arn'];
  const description = `${request.action} ${encryptionContext ? `for ${encryptionContext}` : 'without encryption context'}${describeOrganization(request.context)}`;
  return { path, request: description };
}
function describeRequest(request: S3Request): string {
  const target = request.key !== undefined ? request.key
    : request.prefix === '' ? 'prefix=\'\' (empty)' : request.prefix !== undefined ? `prefix=${request.prefix}` : '(no prefix parameter)';
  return `${request.action} ${target}${describeTags(request)}${describeEncryption(request)}${describeOrganization(request.context)}`
    + `${request.secureTransport === false ? ' over HTTP' : ''}`;
}
/** The encryption a write asks for, when it names one. */
function describeEncryption(request: S3Request): string {
  const context = request.context ?? {};
  const keyId = context['s3:x-amz-server-side-encryption-aws-kms-key-id'];
  return (context['s3:x-amz-server-side-encryption-customer-algorithm'] ? ' [SSE-C]' : '')
    + (keyId ? ` [SSE-KMS, key of account ${String(keyId).split(':')[4]}]` : '');
}
/** The organization the principal belongs to, as AWS would tell the policies. */
function describeOrganization(context: RequestContext = {}): string {
  const org = context['aws:PrincipalOrgID'];
  const paths = context['aws:PrincipalOrgPaths'];
  if (org === undefined) {
    return '';
  }
  return ` [org ${org}${paths === undefined ? '' : `, path ${[paths].flat().join(' ')}`}]`;
}
/** The object tags a request is about, as the table shows them: `[has k=v]` for the object's, `[sets k=v]` for the write's. */
function describeTags(request: S3Request): string {
  const context = Object.entries(request.context ?? {});
  const shown = (condition: string, label: string) => {
    const tags = context.filter(([k]) => k.startsWith(`${condition}/`)).map(([k, v]) => `${k.slice(condition.length + 1)}=${v}`);
    return tags.length > 0 ? ` [${label} ${tags.join(',')}]` : '';
  };
  return shown('s3:ExistingObjectTag', 'has') + shown('s3:RequestObjectTag', 'sets');
}
/** The context of an object that carries these tags. */
const carries = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`s3:ExistingObjectTag/${k}`, v]));
/** The context of a write that sets these tags on the object. */
const sets = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`s3:RequestObjectTag/${k}`, v]));
const get = (principal: string, k: string, extra: Partial<S3Request> = {}): S3Request => ({ principal, action: 's3:GetObject', key: k, ...extra });
const list = (principal: string, prefix?: string, extra: Partial<S3Request> = {}): S3Request => ({ principal, action: 's3:ListBucket', prefix, ...extra });

// The blog scenario (the sample app): Jane reads ResearchData/.
const S = 'sample: read ResearchData/';
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData/x'), true);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData/2024/q1/x'), true);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData/x', { action: 's3:GetObjectVersion' }), true);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData-private/x'), false);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'x'), false);
through(S, 'Jane', janesAP, sampleBucket, list(JANE, 'ResearchData/'), true);
through(S, 'Jane', janesAP, sampleBucket, list(JANE, 'ResearchData/2024/'), true);
through(S, 'Jane', janesAP, sampleBucket, list(JANE, 'Other/'), false);
through(S, 'Jane', janesAP, sampleBucket, list(JANE), false);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData/x', { action: 's3:PutObject' }), false);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData/x', { action: 's3:DeleteObject' }), false);
through(S, 'Jane', janesAP, sampleBucket, get(JANE, 'ResearchData/x', { secureTransport: false }), false);
through(S, 'another user of the consumer', janesAP, sampleBucket, get(BOB, 'ResearchData/x'), false);
through(S, 'consumer admin (s3:*)', janesAP, sampleBucket, get(CONSUMER_ADMIN, 'ResearchData/x', { identityPolicies: [ADMIN_POLICY] }), true);
through(S, 'consumer admin (s3:*)', janesAP, sampleBucket, get(CONSUMER_ADMIN, 'ResearchData/x', { action: 's3:PutObject', identityPolicies: [ADMIN_POLICY] }), false);
through(S, 'consumer admin (s3:*)', janesAP, sampleBucket, get(CONSUMER_ADMIN, 'Other/x', { identityPolicies: [ADMIN_POLICY] }), false);
through(S, 'third-account admin (s3:*)', janesAP, sampleBucket, get(OUTSIDE_ADMIN, 'ResearchData/x', { identityPolicies: [ADMIN_POLICY] }), false);
through(S, 'third-account admin (s3:*)', openAccessPoint(OUTSIDER, 'outsiders-own'), sampleBucket, get(OUTSIDE_ADMIN, 'ResearchData/x', { identityPolicies: [ADMIN_POLICY] }), false);
through(S, 'anonymous', janesAP, sampleBucket, get('anonymous', 'ResearchData/x'), false);
direct(S, 'Jane', sampleBucket, get(JANE, 'ResearchData/x'), false);
direct(S, 'consumer admin (s3:*)', sampleBucket, get(CONSUMER_ADMIN, 'ResearchData/x', { identityPolicies: [ADMIN_POLICY] }), false);
direct(S, 'owner admin (s3:*)', sampleBucket, get(OWNER_ADMIN, 'Other/x', { identityPolicies: [ADMIN_POLICY] }), true);
direct(S, 'owner admin (s3:*)', sampleBucket, get(OWNER_ADMIN, 'Other/x', { identityPolicies: [ADMIN_POLICY], secureTransport: false }), false);

// A data mesh: read-write, named access points, VPC origin, SSE-KMS.
const RW = 'mesh: C1 read-write Shared/';
through(RW, 'C1 writer role', c1Writer, meshBucket, get(WRITER, 'Shared/x', { action: 's3:PutObject', identityPolicies: writerPolicies }), true);
through(RW, 'C1 writer role', c1Writer, meshBucket, get(WRITER, 'Shared/x', { identityPolicies: writerPolicies }), true);
through(RW, 'C1 writer role', c1Writer, meshBucket, get(WRITER, 'Shared/x', { action: 's3:DeleteObject', identityPolicies: writerPolicies }), true);
through(RW, 'C1 writer role', c1Writer, meshBucket, get(WRITER, 'Shared/x', { action: 's3:DeleteObjectVersion', identityPolicies: writerPolicies }), false);
through(RW, 'C1 writer role', c1Writer, meshBucket, list(WRITER, 'Shared/', { identityPolicies: writerPolicies }), true);
through(RW, 'C1 writer role', c1Writer, meshBucket, get(WRITER, 'Public/x', { action: 's3:PutObject', identityPolicies: writerPolicies }), false);
through(RW, 'C1 writer role', c1Writer, meshBucket, get(WRITER, 'Public/x', { identityPolicies: writerPolicies }), false);
through(RW, 'C1 admin (s3:*)', c1Writer, meshBucket, get(C1_ADMIN, 'Public/x', { identityPolicies: [ADMIN_POLICY] }), false);
through(RW, 'C1 admin (s3:*)', c1Writer, meshBucket, get(C1_ADMIN, 'Shared/x', { action: 's3:DeleteObjectVersion', identityPolicies: [ADMIN_POLICY] }), false);
const NAMED = 'mesh: C2 read Public/ via c2-reader only';
through(NAMED, 'C2 reader user', c2Reader, meshBucket, get(READER, 'Public/x', { identityPolicies: readerPolicies }), true);
through(NAMED, 'C2 reader user', c2Reader, meshBucket, get(READER, 'Public/x', { action: 's3:PutObject', identityPolicies: readerPolicies }), false);
through(NAMED, 'C2 reader user', c2Reader, meshBucket, get(READER, 'Shared/x', { identityPolicies: readerPolicies }), false);
through(NAMED, 'C2 admin (s3:*)', openAccessPoint(C2, 'c2-other'), meshBucket, get(C2_ADMIN, 'Public/x', { identityPolicies: [ADMIN_POLICY] }), false);
through(NAMED, 'C2 reader user', c1Writer, meshBucket, get(READER, 'Shared/x', { identityPolicies: readerPolicies }), false);
const VPC = 'mesh: C3 read all, VPC origin only';
through(VPC, 'C3 analyst role', c3Vpc, meshBucket, get(ANALYST, 'Anything/x', { identityPolicies: analystPolicies }), true);
through(VPC, 'C3 analyst role', c3Vpc, meshBucket, list(ANALYST, undefined, { identityPolicies: analystPolicies }), true);
through(VPC, 'C3 analyst role', { ...c3Vpc, name: 'c3-internet', networkOrigin: 'Internet', policy: openAccessPoint(C3, 'c3-internet').policy }, meshBucket,
  get(ANALYST, 'Anything/x', { identityPolicies: [ADMIN_POLICY] }), false);
through(VPC, 'C3 analyst role', c3Vpc, meshBucket, get(ANALYST, 'Anything/x', { action: 's3:PutObject', identityPolicies: analystPolicies }), false);
const NARROWED = 'mesh: C3 narrows its auditor to Reports/';
const AUDITOR = `arn:aws:iam::${C3}:user/Auditor`;
through(NARROWED, 'C3 auditor user', c3Vpc, meshBucket, get(AUDITOR, 'Reports/2024/x'), true);
through(NARROWED, 'C3 auditor user', c3Vpc, meshBucket, list(AUDITOR, 'Reports/'), true);
through(NARROWED, 'C3 auditor user', c3Vpc, meshBucket, get(AUDITOR, 'Other/x'), false);
through(NARROWED, 'C3 auditor user', c3Vpc, meshBucket, list(AUDITOR, 'Other/'), false);
through(NARROWED, 'C3 auditor user', c3Vpc, meshBucket, list(AUDITOR), false);
const GUARD = 'mesh: writes keep the owner\'s encryption';
const writerPuts = (context: Record<string, string>) => get(WRITER, 'Shared/x', { action: 's3:PutObject', identityPolicies: writerPolicies, context });
through(GUARD, 'C1 writer role', c1Writer, meshBucket, writerPuts({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': meshKey.arn }), true);
through(GUARD, 'C1 writer role', c1Writer, meshBucket, writerPuts({ 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' }), false);
through(GUARD, 'C1 writer role', c1Writer, meshBucket,
  writerPuts({ 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${REGION}:${C1}:key/own-key` }), false);
// C4: the owner delegates Curated/ only on objects tagged classification=public. Each layer proves it on its own.
const SECRET_TAG = { classification: 'secret' };
const BOTH = { accessPoint: 'Allowed', bucket: 'Allowed' } as const;
const NEITHER = { accessPoint: 'ImplicitlyDenied', bucket: 'ImplicitlyDenied' } as const;
const BUCKET_DENIES = { accessPoint: 'Allowed', bucket: 'ImplicitlyDenied' } as const;
const ACCESS_POINT_DENIES = { accessPoint: 'ImplicitlyDenied', bucket: 'Allowed' } as const;
const TAGS = 'mesh: C4 read-write Curated/ tagged classification=public';
const curatedDoes = (action: string, k: string, context: Record<string, string> = {}) =>
  get(CURATED, k, { action, identityPolicies: curatedPolicies, context });
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObject', 'Curated/x', carries(PUBLIC_TAG)), true, BOTH);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObjectVersion', 'Curated/x', carries(PUBLIC_TAG)), true, BOTH);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObject', 'Curated/x', carries({ ...PUBLIC_TAG, team: 'sales' })), true, BOTH);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObject', 'Curated/x'), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObject', 'Curated/x', carries(SECRET_TAG)), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObjectVersion', 'Curated/x', carries(SECRET_TAG)), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:GetObject', 'Shared/x', carries(PUBLIC_TAG)), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:PutObject', 'Curated/x', sets(PUBLIC_TAG)), true, BOTH);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:PutObject', 'Curated/x'), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:PutObject', 'Curated/x', sets(SECRET_TAG)), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:PutObject', 'Shared/x', sets(PUBLIC_TAG)), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket,
  curatedDoes('s3:PutObject', 'Curated/x', { ...sets(PUBLIC_TAG), 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' }), false,
  { accessPoint: 'Allowed', bucket: 'ExplicitlyDenied' });
// Listing and DeleteObject have no tag condition key: they reach every key under Curated/ (a delete adds a delete marker).
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, list(CURATED, 'Curated/', { identityPolicies: curatedPolicies }), true, BOTH, 'every key: S3 sets no tag key');
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, list(CURATED, 'Shared/', { identityPolicies: curatedPolicies }), false, NEITHER);
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:DeleteObject', 'Curated/x'), true, BOTH, 'any object: S3 sets no tag key');
through(TAGS, 'C4 curated role', c4Tagged, meshBucket, curatedDoes('s3:PutObjectTagging', 'Curated/x', { ...carries(SECRET_TAG), ...sets(PUBLIC_TAG) }), false, NEITHER);
// The bucket layer alone: C4's admin passes the access point layer by its own identity policy (same account),
// and an access point that lets it do anything changes nothing: only tagged objects are reached.
const OWNER_TAG = 'mesh: the owner\'s tag holds at the bucket alone';
const c4Open = openAccessPoint(C4, 'c4-open');
const c4AdminDoes = (action: string, k: string, context: Record<string, string> = {}) =>
  get(C4_ADMIN, k, { action, identityPolicies: [ADMIN_POLICY], context });
through(OWNER_TAG, 'C4 admin (s3:*)', c4Tagged, meshBucket, c4AdminDoes('s3:GetObject', 'Curated/x', carries(PUBLIC_TAG)), true, BOTH);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Tagged, meshBucket, c4AdminDoes('s3:GetObject', 'Curated/x'), false, BUCKET_DENIES);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:GetObject', 'Curated/x', carries(PUBLIC_TAG)), true, BOTH);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:GetObject', 'Curated/x'), false, BUCKET_DENIES);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:GetObject', 'Curated/x', carries(SECRET_TAG)), false, BUCKET_DENIES);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:GetObjectTagging', 'Curated/x', carries(PUBLIC_TAG)), false, BUCKET_DENIES);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:PutObject', 'Curated/x', sets(PUBLIC_TAG)), true, BOTH);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:PutObject', 'Curated/x'), false, BUCKET_DENIES);
through(OWNER_TAG, 'C4 admin (s3:*)', c4Open, meshBucket, c4AdminDoes('s3:PutObject', 'Curated/x', sets(SECRET_TAG)), false, BUCKET_DENIES);
through(OWNER_TAG, 'C1 admin (s3:*)', openAccessPoint(C1, 'c1-open'), meshBucket,
  get(C1_ADMIN, 'Curated/x', { identityPolicies: [ADMIN_POLICY], context: carries(PUBLIC_TAG) }), false, BUCKET_DENIES);
// The access point layer alone: C4 requires review=done of its reviewer's objects, beyond the owner's tag.
const OWN_TAG = 'mesh: C4 narrows its reviewer to review=done';
const reviewerDoes = (action: string, k: string, context: Record<string, string> = {}) =>
  get(REVIEWER, k, { action, identityPolicies: reviewerPolicies, context });
through(OWN_TAG, 'C4 reviewer user', c4Tagged, meshBucket, reviewerDoes('s3:GetObject', 'Curated/x', carries({ ...PUBLIC_TAG, ...REVIEWED_TAG })), true, BOTH);
through(OWN_TAG, 'C4 reviewer user', c4Tagged, meshBucket, reviewerDoes('s3:GetObject', 'Curated/x', carries(PUBLIC_TAG)), false, ACCESS_POINT_DENIES);
through(OWN_TAG, 'C4 reviewer user', c4Tagged, meshBucket, reviewerDoes('s3:GetObject', 'Curated/x', carries(REVIEWED_TAG)), false, NEITHER);
through(OWN_TAG, 'C4 reviewer user', c4Tagged, meshBucket, reviewerDoes('s3:GetObject', 'Curated/x', carries({ ...SECRET_TAG, ...REVIEWED_TAG })), false, NEITHER);
through(OWN_TAG, 'C4 reviewer user', c4Tagged, meshBucket, list(REVIEWER, 'Curated/', { identityPolicies: reviewerPolicies }), true, BOTH);
through(OWN_TAG, 'C4 reviewer user', c4Tagged, meshBucket, reviewerDoes('s3:PutObject', 'Curated/x', sets({ ...PUBLIC_TAG, ...REVIEWED_TAG })), false, ACCESS_POINT_DENIES);
const KMS = 'mesh: SSE-KMS key';
const S3 = { viaService: `s3.${REGION}.amazonaws.com`, context: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::mesh-data-bucket' } };
key(KMS, 'C1 writer role', { principal: WRITER, identityPolicies: writerPolicies, action: 'kms:Decrypt', ...S3 }, true);
key(KMS, 'C1 writer role', { principal: WRITER, identityPolicies: writerPolicies, action: 'kms:GenerateDataKey', ...S3 }, true);
key(KMS, 'C1 writer role', { principal: WRITER, identityPolicies: writerPolicies, action: 'kms:Decrypt' }, false);
key(KMS, 'C1 writer role', { principal: WRITER, identityPolicies: writerPolicies, action: 'kms:Decrypt', ...S3, viaService: 's3.us-east-1.amazonaws.com' }, false);
key(KMS, 'C1 writer role (another bucket)', {
  principal: WRITER,
  identityPolicies: writerPolicies,
  action: 'kms:Decrypt',
  ...S3,
  context: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::consumers-own-bucket' },
}, false);
key(KMS, 'C2 reader user', { principal: READER, identityPolicies: readerPolicies, action: 'kms:Decrypt', ...S3 }, true);
key(KMS, 'C2 admin (kms:*)', { principal: C2_ADMIN, identityPolicies: [ADMIN_POLICY], action: 'kms:GenerateDataKey', ...S3 }, false);
key(KMS, 'third-account admin (kms:*)', { principal: OUTSIDE_ADMIN, identityPolicies: [ADMIN_POLICY], action: 'kms:Decrypt', ...S3 }, false);
// C4 shares the write set's statement with C1: one statement, two accounts in kms:CallerAccount.
const S3_CURATED = { viaService: S3.viaService, context: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::mesh-data-bucket/Curated/x' } };
key(KMS, 'C4 curated role', { principal: CURATED, identityPolicies: curatedPolicies, action: 'kms:Decrypt', ...S3_CURATED }, true);
key(KMS, 'C4 curated role', { principal: CURATED, identityPolicies: curatedPolicies, action: 'kms:GenerateDataKey', ...S3 }, true);
key(KMS, 'C4 curated role', { principal: CURATED, identityPolicies: curatedPolicies, action: 'kms:Decrypt', context: S3_CURATED.context }, false);
key(KMS, 'C4 curated role', { principal: CURATED, identityPolicies: curatedPolicies, action: 'kms:Decrypt', viaService: S3.viaService }, false);
key(KMS, 'C4 reviewer user', { principal: REVIEWER, identityPolicies: reviewerPolicies, action: 'kms:Decrypt', ...S3_CURATED }, true);
key(KMS, 'C4 admin (kms:*)', { principal: C4_ADMIN, identityPolicies: [ADMIN_POLICY], action: 'kms:Decrypt', ...S3_CURATED }, true);
key(KMS, 'C4 admin (kms:*)', { principal: C4_ADMIN, identityPolicies: [ADMIN_POLICY], action: 'kms:Decrypt', context: S3_CURATED.context }, false);
key(KMS, 'C4 user without a grant', { principal: `arn:aws:iam::${C4}:user/Nobody`, action: 'kms:Decrypt', ...S3_CURATED }, false);
key(KMS, 'third-account role (C4\'s grant copied)', { principal: `arn:aws:iam::${OUTSIDER}:role/Curated`, identityPolicies: curatedPolicies, action: 'kms:Decrypt', ...S3_CURATED }, false);
key(KMS, 'third-account admin (kms:*)', { principal: OUTSIDE_ADMIN, identityPolicies: [ADMIN_POLICY], action: 'kms:GenerateDataKey', ...S3_CURATED }, false);

// At scale (one owner, two buckets): three accounts share READ under Shared/ in one compact statement,
// with the guard against listing without a prefix; an account reads Shared/ from the Internet and the
// whole bucket from its VPC (the exact form, exempt from the guard); on the second bucket, an
// organizational unit reads Org/. Open access points leave the decision to the bucket policy; every
// row states both layers' verdicts.
const scale = buildScale();
const scalePolicies: ScalePolicies = {
  shared: delegatedBucketModel(scale.sharedOwner),
  sharedKey: keyModel(scale.shared.encryptionKey as kms.Key),
  org: delegatedBucketModel(scale.orgOwner),
  orgKey: keyModel(scale.orgShared.encryptionKey as kms.Key),
};
const [A1, , A3] = COMPACT_ACCOUNTS;
const A1_ADMIN = `arn:aws:iam::${A1}:role/Admin`;
const A3_ADMIN = `arn:aws:iam::${A3}:role/Admin`;
const X_ADMIN = `arn:aws:iam::${EXACT_ACCOUNT}:role/Admin`;
const MEMBER_ADMIN = `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`;
const SCALE_OWNER_ADMIN = `arn:aws:iam::${SCALE_OWNER}:role/Admin`;
const COMPACT_READER = `arn:aws:iam::${A1}:role/Reader`;
const EXACT_READER = `arn:aws:iam::${EXACT_ACCOUNT}:role/Reader`;
const MEMBER_READER = `arn:aws:iam::${MEMBER_ACCOUNT}:role/Reader`;
const compactReaderPolicies = identityPoliciesOf(scale.compactReader);
const exactReaderPolicies = identityPoliciesOf(scale.exactReader);
const memberReaderPolicies = identityPoliciesOf(scale.memberReader);
const compactReaderAP = byName(scale.compactStack, 'compact-reader');
const exactVpcAP = byName(scale.exactStack, 'exact-vpc');
const exactInternetAP = byName(scale.exactStack, 'exact-internet');
const memberReaderAP = byName(scale.memberStack, 'member-reader');

/** What AWS tells the policies about a principal in an organization: its ID, and its account's paths (a multi-valued key). */
const orgContext = (org: string, ...paths: string[]): RequestContext => ({ 'aws:PrincipalOrgID': org, 'aws:PrincipalOrgPaths': paths });
const OTHER_ORG = 'o-z9y8x7w6v5';
const IN_OU = orgContext(ORG_ID, ORG_UNIT_PATH);
const BELOW_OU = orgContext(ORG_ID, `${ORG_UNIT_PATH}ou-ab12-33333333/`);
const SIBLING_OU = orgContext(ORG_ID, `${ORG_ROOT}ou-ab12-22222222/`);
const AT_ROOT = orgContext(ORG_ID, ORG_ROOT);
const IN_OTHER_ORG = orgContext(OTHER_ORG, `${OTHER_ORG}/r-zz99/ou-zz99-11111111/`);
// AWS never pairs an organization ID with another organization's path: this isolates aws:PrincipalOrgID.
const OTHER_ORG_WITH_OU_PATH = orgContext(OTHER_ORG, ORG_UNIT_PATH);

type ScaleBucket = 'shared' | 'org';
function throughScale(bucket: ScaleBucket, scenario: string, who: string, accessPoint: AccessPointModel, request: S3Request, expected: boolean,
  layers: { accessPoint: Verdict; bucket: Verdict }, note?: string) {
  const path = `access point ${accessPoint.name} (${accessPoint.account}, ${accessPoint.networkOrigin})`;
  const against = (policies: ScalePolicies) => evaluateThroughAccessPoint(request, accessPoint, policies[bucket]);
  rows.push({
    scenario,
    who,
    path,
    request: `${describeRequest(request)}${note ? ` (${note})` : ''}`,
    expected,
    layers: `access point: ${layers.accessPoint}; bucket: ${layers.bucket}`,
    decide: () => against(scalePolicies),
    against,
  });
}
function directScale(bucket: ScaleBucket, scenario: string, who: string, request: S3Request, expected: boolean, verdict: Verdict) {
  const against = (policies: ScalePolicies) => evaluateDirectToBucket(request, policies[bucket]);
  rows.push({
    scenario,
    who,
    path: `bucket ${scalePolicies[bucket].name} directly`,
    request: describeRequest(request),
    expected,
    layers: `bucket: ${verdict}`,
    decide: () => against(scalePolicies),
    against,
  });
}
function keyScale(bucket: ScaleBucket, scenario: string, who: string, request: KmsRequest, expected: boolean, verdict: Verdict) {
  const against = (policies: ScalePolicies) => evaluateKms(request, bucket === 'shared' ? policies.sharedKey : policies.orgKey);
  rows.push({ scenario, who, ...describeKmsRequest(request), expected, layers: `key: ${verdict}`, decide: () => against(scalePolicies), against });
}
const ALLOWED = { accessPoint: 'Allowed', bucket: 'Allowed' } as const;
const GUARDED = { accessPoint: 'Allowed', bucket: 'ExplicitlyDenied' } as const;
const admin = (principal: string, request: Partial<S3Request>): S3Request =>
  ({ principal, action: 's3:GetObject', identityPolicies: [ADMIN_POLICY], ...request });
const listing = (prefix?: string): Partial<S3Request> => ({ action: 's3:ListBucket', prefix });

const COMPACT = 'scale: 3 accounts read Shared/, listed once';
const compactRow = throughScale.bind(null, 'shared', COMPACT);
const a1Open = openAccessPoint(A1, 'a1-open');
const a1 = (request: Partial<S3Request>) => admin(A1_ADMIN, request);
const A1_WHO = 'compact account admin (s3:*)';
compactRow(A1_WHO, a1Open, a1({ key: 'Shared/x' }), true, ALLOWED);
compactRow(A1_WHO, a1Open, a1({ key: 'Shared/2026/x', action: 's3:GetObjectVersion' }), true, ALLOWED);
compactRow(A1_WHO, a1Open, a1({ key: 'Other/x' }), false, BUCKET_DENIES);
compactRow(A1_WHO, a1Open, a1({ key: 'Shared/x', action: 's3:PutObject' }), false, BUCKET_DENIES);
compactRow(A1_WHO, a1Open, a1(listing('Shared/')), true, ALLOWED);
compactRow(A1_WHO, a1Open, a1(listing('Shared/2026/')), true, ALLOWED);
compactRow(A1_WHO, a1Open, a1(listing('Other/')), false, BUCKET_DENIES);
compactRow(A1_WHO, a1Open, a1(listing('Shared-private/')), false, BUCKET_DENIES);
compactRow(A1_WHO, a1Open, a1(listing('')), false, BUCKET_DENIES);
compactRow(A1_WHO, a1Open, a1(listing()), false, GUARDED, 'the guard');
compactRow(A1_WHO, a1Open, a1({ action: 's3:ListBucketVersions', prefix: 'Shared/' }), false, BUCKET_DENIES);
compactRow('another compact account admin (s3:*)', openAccessPoint(A3, 'a3-open'), admin(A3_ADMIN, { key: 'Shared/x' }), true, ALLOWED);
compactRow('another compact account admin (s3:*)', openAccessPoint(A3, 'a3-open'), admin(A3_ADMIN, listing()), false, GUARDED, 'the guard');
compactRow('third-account admin (s3:*)', openAccessPoint(OUTSIDER, 'outsiders-own'), admin(OUTSIDE_ADMIN, { key: 'Shared/x' }), false, BUCKET_DENIES);
compactRow('third-account admin (s3:*)', openAccessPoint(OUTSIDER, 'outsiders-own'), admin(OUTSIDE_ADMIN, listing('Shared/')), false, BUCKET_DENIES);
directScale('shared', COMPACT, A1_WHO, a1({ key: 'Shared/x' }), false, 'ImplicitlyDenied');
directScale('shared', COMPACT, A1_WHO, a1(listing('Shared/')), false, 'ImplicitlyDenied');
directScale('shared', COMPACT, A1_WHO, a1(listing('Shared/2026/')), false, 'ImplicitlyDenied');
directScale('shared', COMPACT, A1_WHO, a1(listing()), false, 'ImplicitlyDenied');
// The guard applies only to requests through access points: the owner's direct requests are left to its IAM policies.
directScale('shared', COMPACT, 'owner admin (s3:*)', admin(SCALE_OWNER_ADMIN, listing()), true, 'Allowed');
// The owner's own access points are exempt from the guard: the owner lists its bucket through them as it likes.
compactRow('owner admin (s3:*)', openAccessPoint(SCALE_OWNER, 'owners-own'), admin(SCALE_OWNER_ADMIN, listing()), true, ALLOWED, 'owner exempt from the guard');
const compactReader = (request: Partial<S3Request>) => ({ principal: COMPACT_READER, action: 's3:GetObject', identityPolicies: compactReaderPolicies, ...request });
const READER_WHO = 'compact account reader role';
compactRow(READER_WHO, compactReaderAP, compactReader({ key: 'Shared/x' }), true, ALLOWED);
compactRow(READER_WHO, compactReaderAP, compactReader({ key: 'Other/x' }), false, NEITHER);
compactRow(READER_WHO, compactReaderAP, compactReader(listing('Shared/')), true, ALLOWED);
compactRow(READER_WHO, compactReaderAP, compactReader(listing()), false, { accessPoint: 'ImplicitlyDenied', bucket: 'ExplicitlyDenied' }, 'the guard');

const EXACT = 'scale: Shared/ from the Internet, all from a VPC (exact form)';
const exactRow = throughScale.bind(null, 'shared', EXACT);
const xVpcOpen = openAccessPoint(EXACT_ACCOUNT, 'x-open-vpc', 'VPC');
const xInternetOpen = openAccessPoint(EXACT_ACCOUNT, 'x-open');
const x = (request: Partial<S3Request>) => admin(X_ADMIN, request);
const X_WHO = 'exact account admin (s3:*)';
exactRow(X_WHO, xVpcOpen, x(listing()), true, ALLOWED, 'exempt from the guard');
exactRow(X_WHO, xVpcOpen, x({ key: 'Other/x' }), true, ALLOWED);
exactRow(X_WHO, xVpcOpen, x({ key: 'Other/x', action: 's3:PutObject' }), false, BUCKET_DENIES);
exactRow(X_WHO, xInternetOpen, x(listing()), false, BUCKET_DENIES);
exactRow(X_WHO, xInternetOpen, x(listing('')), false, BUCKET_DENIES);
exactRow(X_WHO, xInternetOpen, x(listing('Shared/')), true, ALLOWED);
exactRow(X_WHO, xInternetOpen, x(listing('Other/')), false, BUCKET_DENIES);
exactRow(X_WHO, xInternetOpen, x({ action: 's3:ListBucketVersions', prefix: 'Shared/' }), false, BUCKET_DENIES);
exactRow(X_WHO, xInternetOpen, x({ key: 'Shared/x' }), true, ALLOWED);
exactRow(X_WHO, xInternetOpen, x({ key: 'Other/x' }), false, BUCKET_DENIES);
exactRow(X_WHO, xInternetOpen, x({ key: 'Shared/x', action: 's3:PutObject' }), false, BUCKET_DENIES);
directScale('shared', EXACT, X_WHO, x(listing()), false, 'ImplicitlyDenied');
const outsiderVpcOpen = openAccessPoint(OUTSIDER, 'outsiders-vpc', 'VPC');
exactRow('third-account admin (s3:*)', outsiderVpcOpen, admin(OUTSIDE_ADMIN, { key: 'Other/x' }), false, BUCKET_DENIES);
exactRow('third-account admin (s3:*)', outsiderVpcOpen, admin(OUTSIDE_ADMIN, listing()), false, GUARDED, 'the guard');
const exactReader = (request: Partial<S3Request>) => ({ principal: EXACT_READER, action: 's3:GetObject', identityPolicies: exactReaderPolicies, ...request });
exactRow('exact account reader role', exactVpcAP, exactReader(listing()), true, ALLOWED);
exactRow('exact account reader role', exactInternetAP, exactReader(listing('Shared/')), true, ALLOWED);
exactRow('exact account reader role', exactInternetAP, exactReader(listing()), false, NEITHER);

const ORG = `scale: OU ${ORG_UNIT_PATH.split('/')[2]} of ${ORG_ID} reads Org/`;
const orgRow = throughScale.bind(null, 'org', ORG);
const memberOpen = openAccessPoint(MEMBER_ACCOUNT, 'member-open');
const member = (context: RequestContext, request: Partial<S3Request>) => admin(MEMBER_ADMIN, { context, ...request });
const MEMBER_WHO = 'OU member admin (s3:*)';
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, { key: 'Org/x' }), true, ALLOWED);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, { key: 'Org/2026/x', action: 's3:GetObjectVersion' }), true, ALLOWED);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, { key: 'Other/x' }), false, BUCKET_DENIES);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, { key: 'Org/x', action: 's3:PutObject' }), false, BUCKET_DENIES);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, listing('Org/')), true, ALLOWED);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, listing('Other/')), false, BUCKET_DENIES);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, listing()), false, BUCKET_DENIES);
orgRow(MEMBER_WHO, memberOpen, member(IN_OU, { action: 's3:ListBucketVersions', prefix: 'Org/' }), false, BUCKET_DENIES);
orgRow(MEMBER_WHO, openAccessPoint(MEMBER_ACCOUNT, 'member-open-vpc', 'VPC'), member(IN_OU, { key: 'Org/x' }), true, ALLOWED);
orgRow('member of a child OU, admin (s3:*)', memberOpen, member(BELOW_OU, { key: 'Org/x' }), true, ALLOWED);
orgRow('member outside the OU, admin (s3:*)', memberOpen, member(SIBLING_OU, { key: 'Org/x' }), false, BUCKET_DENIES);
orgRow('member outside the OU, admin (s3:*)', memberOpen, member(SIBLING_OU, listing('Org/')), false, BUCKET_DENIES);
orgRow('member at the root, admin (s3:*)', memberOpen, member(AT_ROOT, { key: 'Org/x' }), false, BUCKET_DENIES);
const outsiderOpen = openAccessPoint(OUTSIDER, 'outsiders-own');
orgRow('non-member admin (s3:*), another org', outsiderOpen, admin(OUTSIDE_ADMIN, { key: 'Org/x', context: IN_OTHER_ORG }), false, BUCKET_DENIES);
orgRow('non-member admin (s3:*), another org', outsiderOpen, admin(OUTSIDE_ADMIN, { ...listing('Org/'), context: IN_OTHER_ORG }), false, BUCKET_DENIES);
orgRow('non-member admin (s3:*), no org', outsiderOpen, admin(OUTSIDE_ADMIN, { key: 'Org/x' }), false, BUCKET_DENIES);
orgRow('non-member admin (s3:*), no org', outsiderOpen, admin(OUTSIDE_ADMIN, listing('Org/')), false, BUCKET_DENIES);
orgRow('non-member admin (s3:*), another org', outsiderOpen, admin(OUTSIDE_ADMIN, { key: 'Org/x', context: OTHER_ORG_WITH_OU_PATH }), false,
  BUCKET_DENIES, 'paths as if in the OU');
orgRow('non-member admin (s3:*), another org', outsiderOpen, admin(OUTSIDE_ADMIN, { ...listing('Org/'), context: OTHER_ORG_WITH_OU_PATH }), false,
  BUCKET_DENIES, 'paths as if in the OU');
// As documented: the organization's principals through any access point in the Region, whoever owns it.
orgRow(MEMBER_WHO, openAccessPoint(OUTSIDER, 'outsiders-for-member', 'Internet', MEMBER_ACCOUNT), member(IN_OU, { key: 'Org/x' }), true,
  ALLOWED, 'a non-member\'s access point');
directScale('org', ORG, MEMBER_WHO, member(IN_OU, { key: 'Org/x' }), false, 'ImplicitlyDenied');
directScale('org', ORG, MEMBER_WHO, member(IN_OU, listing('Org/')), false, 'ImplicitlyDenied');
const memberReader = (request: Partial<S3Request>) =>
  ({ principal: MEMBER_READER, action: 's3:GetObject', identityPolicies: memberReaderPolicies, context: IN_OU, ...request });
orgRow('OU member reader role', memberReaderAP, memberReader({ key: 'Org/x' }), true, ALLOWED);
orgRow('OU member reader role', memberReaderAP, memberReader(listing('Org/')), true, ALLOWED);
orgRow('OU member reader role', memberReaderAP, memberReader({ key: 'Other/x' }), false, NEITHER);

const SCALE_KMS = 'scale: SSE-KMS keys';
const VIA_S3 = `s3.${SCALE_REGION}.amazonaws.com`;
const objectOf = (bucketName: string, k: string) => ({ 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${bucketName}/${k}` });
const decrypt = (principal: string, context: RequestContext, extra: Partial<KmsRequest> = {}): KmsRequest =>
  ({ principal, identityPolicies: [ADMIN_POLICY], action: 'kms:Decrypt', viaService: VIA_S3, context: { ...objectOf(ORG_BUCKET, 'Org/x'), ...context }, ...extra });
const orgKeyRow = keyScale.bind(null, 'org', SCALE_KMS);
orgKeyRow('OU member reader role', decrypt(MEMBER_READER, IN_OU, { identityPolicies: memberReaderPolicies }), true, 'Allowed');
orgKeyRow('OU member admin (kms:*)', decrypt(MEMBER_ADMIN, IN_OU), true, 'Allowed');
orgKeyRow('member of a child OU, admin (kms:*)', decrypt(MEMBER_ADMIN, BELOW_OU), true, 'Allowed');
orgKeyRow('OU member admin (kms:*)', decrypt(MEMBER_ADMIN, IN_OU, { viaService: undefined }), false, 'ImplicitlyDenied');
orgKeyRow('OU member admin (kms:*)', decrypt(MEMBER_ADMIN, IN_OU, { viaService: 's3.us-east-1.amazonaws.com' }), false, 'ImplicitlyDenied');
orgKeyRow('OU member admin (kms:*) (another bucket)', decrypt(MEMBER_ADMIN, { ...IN_OU, ...objectOf('members-own-bucket', 'x') }), false, 'ImplicitlyDenied');
orgKeyRow('OU member admin (kms:*)', decrypt(MEMBER_ADMIN, IN_OU, { action: 'kms:GenerateDataKey' }), false, 'ImplicitlyDenied');
orgKeyRow('member outside the OU, admin (kms:*)', decrypt(MEMBER_ADMIN, SIBLING_OU), false, 'ImplicitlyDenied');
orgKeyRow('non-member admin (kms:*), another org', decrypt(OUTSIDE_ADMIN, IN_OTHER_ORG), false, 'ImplicitlyDenied');
orgKeyRow('non-member admin (kms:*), no org', decrypt(OUTSIDE_ADMIN, {}), false, 'ImplicitlyDenied');
orgKeyRow('non-member admin (kms:*), another org', decrypt(OUTSIDE_ADMIN, OTHER_ORG_WITH_OU_PATH), false, 'ImplicitlyDenied');
const sharedKeyRow = keyScale.bind(null, 'shared', SCALE_KMS);
const sharedObject = objectOf(SHARED_BUCKET, 'Shared/x');
sharedKeyRow('compact account reader role', decrypt(COMPACT_READER, sharedObject, { identityPolicies: compactReaderPolicies }), true, 'Allowed');
sharedKeyRow('exact account reader role', decrypt(EXACT_READER, sharedObject, { identityPolicies: exactReaderPolicies }), true, 'Allowed');
sharedKeyRow('compact account admin (kms:*)', decrypt(A1_ADMIN, sharedObject, { viaService: undefined }), false, 'ImplicitlyDenied');
sharedKeyRow('compact account admin (kms:*) (another bucket)', decrypt(A1_ADMIN, objectOf('consumers-own-bucket', 'x')), false, 'ImplicitlyDenied');
sharedKeyRow('compact account admin (kms:*)', decrypt(A1_ADMIN, sharedObject, { action: 'kms:GenerateDataKey' }), false, 'ImplicitlyDenied');
sharedKeyRow('third-account admin (kms:*)', decrypt(OUTSIDE_ADMIN, sharedObject), false, 'ImplicitlyDenied');

const results = rows.map((row) => ({ row, decision: row.decide() }));
/** Whether a row's result differs from its expectation: the decision, or a layer's verdict when the row states them. */
const isWrong = (row: Row, decision: Decision) =>
  decision.allowed !== row.expected || (row.layers !== undefined && decision.explanation !== row.layers);

/*
 * Mutants of the scale app's policies, to show that each of its rows can fail. Each statement with
 * Principal "*" (the delegations, the guard, the keys' statements for accounts and the organization)
 * is dropped, loses one condition key, allows every action of its service, or has its objects under a
 * prefix widened to the whole bucket; an organization's statement also loses both principal conditions
 * at once. A row is killed by a mutant when its result there (decision, or a layer's verdict) differs
 * from its expectation.
 */
interface Mutant {
  readonly name: string;
  readonly policies: ScalePolicies;
}
interface PolicyStatement {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const statementsOf = (policy: object) => (policy as { Statement: PolicyStatement[] }).Statement;

/** A statement as the mutation report names it: where, effect, actions, and whom it trusts. */
function describeStatement(where: string, s: PolicyStatement): string {
  const actions = [s.Action].flat().map((a) => a.replace(/^(s3|kms):/, '')).join(',');
  const keys = Object.values(s.Condition ?? {}).reduce<Record<string, unknown>>((all, k) => ({ ...all, ...k }), {});
  const trustee = keys['aws:PrincipalOrgID'] ? `org ${keys['aws:PrincipalOrgID']}`
    : [keys['s3:DataAccessPointAccount'] ?? keys['kms:CallerAccount'] ?? []].flat().join(',');
  const origin = keys['s3:AccessPointNetworkOrigin'] ? ` ${keys['s3:AccessPointNetworkOrigin']}` : '';
  return `${where}: ${s.Effect} ${actions}${trustee ? ` [${trustee}${origin}]` : ''}`;
}

function scaleMutants(): Mutant[] {
  const mutants: Mutant[] = [];
  for (const part of ['shared', 'sharedKey', 'org', 'orgKey'] as const) {
    const original = scalePolicies[part].policy!;
    statementsOf(original).forEach((statement, i) => {
      if (statement.Principal !== '*') {
        return;
      }
      const where = part === 'shared' ? SHARED_BUCKET : part === 'org' ? ORG_BUCKET : `key of ${part === 'sharedKey' ? SHARED_BUCKET : ORG_BUCKET}`;
      const label = describeStatement(where, statement);
      /** A copy of the policy, with `change` made to its statement i. */
      const mutate = (what: string, change: (copy: PolicyStatement, statements: PolicyStatement[]) => void) => {
        const policy = JSON.parse(JSON.stringify(original));
        change(statementsOf(policy)[i], statementsOf(policy));
        mutants.push({ name: `${label}: ${what}`, policies: { ...scalePolicies, [part]: { ...scalePolicies[part], policy } } });
      };
      mutate('drop the statement', (_copy, statements) => statements.splice(i, 1));
      for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
        for (const conditionKey of Object.keys(keys)) {
          mutate(`drop ${operator} ${conditionKey}`, (copy) => {
            delete copy.Condition![operator][conditionKey];
            if (Object.keys(copy.Condition![operator]).length === 0) {
              delete copy.Condition![operator];
            }
          });
        }
      }
      if (statement.Effect === 'Allow') {
        const service = [statement.Action].flat()[0].split(':')[0];
        mutate(`allow ${service}:*`, (copy) => { copy.Action = `${service}:*`; });
      }
      // Objects under a prefix: arn:aws:s3:::BUCKET/PREFIX/*
      const underPrefix = [statement.Resource].flat().filter((r) => /^arn:aws:s3:::[^/]+\/[^*]/.test(r));
      if (underPrefix.length > 0) {
        mutate(`widen ${underPrefix.join(', ')} to the whole bucket`, (copy) => {
          copy.Resource = [copy.Resource].flat().map((r) => (underPrefix.includes(r) ? r.replace(/^(arn:aws:s3:::[^/]+)\/.*$/, '$1/*') : r));
        });
      }
      if (statement.Condition?.StringEquals?.['aws:PrincipalOrgID'] !== undefined && statement.Condition['ForAnyValue:StringLike']) {
        mutate('drop aws:PrincipalOrgID and aws:PrincipalOrgPaths', (copy) => {
          delete copy.Condition!.StringEquals['aws:PrincipalOrgID'];
          delete copy.Condition!['ForAnyValue:StringLike'];
        });
      }
    });
  }
  return mutants;
}

/**
 * Mutants that no request can tell from the policy as synthesized, and why. The exact account's
 * Internet-origin statements on Shared/ are covered, from VPC-origin access points, by its statement
 * for the whole bucket: without their network origin condition they allow nothing more.
 */
const EQUIVALENT_MUTANTS: Record<string, string> = {
  [`${SHARED_BUCKET}: Allow GetObject,GetObjectVersion [${EXACT_ACCOUNT} Internet]: drop StringEquals s3:AccessPointNetworkOrigin`]:
    'VPC-origin access points of the account reach Shared/ through its statement for the whole bucket',
  [`${SHARED_BUCKET}: Allow ListBucket [${EXACT_ACCOUNT} Internet]: drop StringEquals s3:AccessPointNetworkOrigin`]:
    'VPC-origin access points of the account list Shared/ through its statement for the whole bucket',
};

const scaleRows = results.filter(({ row }) => row.against !== undefined);
const mutants = scaleMutants();
/** For each mutant, the scale rows it kills (by their number in the table). */
const kills = mutants.map((mutant) => ({
  mutant,
  killed: results.flatMap(({ row }, i) => (row.against && isWrong(row, row.against(mutant.policies)) ? [i + 1] : [])),
}));

describe('access matrix', () => {
  test('has at least 40 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  test.each(results.map(({ row, decision }, i) => [`${i + 1}. ${row.who}: ${row.request} via ${row.path} is ${row.expected ? 'allowed' : 'denied'}`, row, decision] as const))(
    '%s', (_title, row, decision) => {
      // The layers' verdicts are in the failure message, to show which layer decided.
      // Rows that state each layer's verdict are checked on it too.
      expect({ allowed: decision.allowed, layers: decision.explanation })
        .toEqual({ allowed: row.expected, layers: row.layers ?? decision.explanation });
    });

  test('network origin, which the evaluator takes as given, is what the templates configure', () => {
    Template.fromStack(mesh.c3).hasResourceProperties('AWS::S3::AccessPoint', { Name: 'c3-vpc', VpcConfiguration: { VpcId: 'vpc-0123456789abcdef0' } });
    expect([c1Writer, c2Reader, c3Vpc, c4Tagged].map((ap) => ap.networkOrigin)).toEqual(['Internet', 'Internet', 'VPC', 'Internet']);
    Template.fromStack(scale.exactStack).hasResourceProperties('AWS::S3::AccessPoint', { Name: 'exact-vpc', VpcConfiguration: { VpcId: 'vpc-0123456789abcdef0' } });
    expect([compactReaderAP, exactVpcAP, exactInternetAP, memberReaderAP].map((ap) => ap.networkOrigin)).toEqual(['Internet', 'VPC', 'Internet', 'Internet']);
  });

  test('the scale rows exercise the compact statement, the exact form, the guard and the organization\'s statements', () => {
    const delegations = (bucket: BucketModel) => statementsOf(bucket.policy!).filter((s) => s.Principal === '*');
    const sharedArn = `arn:aws:s3:::${SHARED_BUCKET}`;
    const READ = ['s3:GetObject', 's3:GetObjectVersion'];
    const exactTrust = { StringEquals: { 's3:DataAccessPointAccount': [EXACT_ACCOUNT], 's3:AccessPointNetworkOrigin': 'Internet' } };
    expect(delegations(scalePolicies.shared)).toEqual([
      // Compact: the accounts listed once; listing narrowed when a prefix is given.
      {
        Effect: 'Allow',
        Principal: '*',
        Action: [...READ, 's3:ListBucket'],
        Resource: [`${sharedArn}/Shared/*`, sharedArn],
        Condition: { StringEquals: { 's3:DataAccessPointAccount': COMPACT_ACCOUNTS }, StringLikeIfExists: { 's3:prefix': ['Shared/', 'Shared/*'] } },
      },
      // The exact form, for the account that lists the whole bucket from its VPC.
      { Effect: 'Allow', Principal: '*', Action: READ, Resource: `${sharedArn}/Shared/*`, Condition: exactTrust },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: sharedArn,
        Condition: { ...exactTrust, StringLike: { 's3:prefix': ['Shared/', 'Shared/*'] } },
      },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: [...READ, 's3:ListBucket'],
        Resource: [`${sharedArn}/*`, sharedArn],
        Condition: { StringEquals: { 's3:DataAccessPointAccount': [EXACT_ACCOUNT], 's3:AccessPointNetworkOrigin': 'VPC' } },
      },
      // The guard: no listing without a prefix through access points, but for the account that lists everything.
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: sharedArn,
        Condition: { Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' }, StringNotEquals: { 's3:DataAccessPointAccount': [SCALE_OWNER, EXACT_ACCOUNT] } },
      },
    ]);
    const orgArn = `arn:aws:s3:::${ORG_BUCKET}`;
    const orgTrust = {
      'StringEquals': { 'aws:PrincipalOrgID': ORG_ID },
      'StringLike': { 's3:DataAccessPointArn': `arn:aws:s3:${SCALE_REGION}:*:accesspoint/*` },
      'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG_UNIT_PATH}*`] },
    };
    expect(delegations(scalePolicies.org)).toEqual([
      { Effect: 'Allow', Principal: '*', Action: READ, Resource: `${orgArn}/Org/*`, Condition: orgTrust },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: orgArn,
        Condition: { ...orgTrust, StringLike: { ...orgTrust.StringLike, 's3:prefix': ['Org/', 'Org/*'] } },
      },
    ]);
    const forBucket = (arn: string) => ({ 'kms:EncryptionContext:aws:s3:arn': [arn, `${arn}/*`] });
    expect(statementsOf(scalePolicies.sharedKey.policy).filter((s) => s.Principal === '*')).toEqual([{
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA_S3, 'kms:CallerAccount': [...COMPACT_ACCOUNTS, EXACT_ACCOUNT] }, StringLike: forBucket(sharedArn) },
    }]);
    expect(statementsOf(scalePolicies.orgKey.policy).filter((s) => s.Principal === '*')).toEqual([{
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        'StringEquals': { 'kms:ViaService': VIA_S3, 'aws:PrincipalOrgID': ORG_ID },
        'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${ORG_UNIT_PATH}*`] },
        'StringLike': forBucket(orgArn),
      },
    }]);
  });

  test('every scale row can fail: a mutant of the policies flips it', () => {
    const killed = new Set(kills.flatMap((k) => k.killed));
    const survivors = scaleRows.filter(({ row }) => !killed.has(results.findIndex((r) => r.row === row) + 1)).map(({ row }) => `${row.who}: ${row.request} via ${row.path}`);
    expect(survivors).toEqual([]);
  });

  test('every statement and condition key of the scale policies decides some row, but for equivalent mutants', () => {
    const unexercised = kills.filter((k) => k.killed.length === 0).map((k) => k.mutant.name);
    expect(unexercised).toEqual(Object.keys(EQUIVALENT_MUTANTS));
  });

  test('the KMS rows exercise the key policy\'s statements per KMS action set, shared by accounts', () => {
    const shared = (meshKey.policy as { Statement: any[] }).Statement
      .filter((s) => s.Principal === '*')
      .map((s) => [s.Action, s.Condition.StringEquals['kms:CallerAccount']]);
    expect(shared).toEqual([
      [['kms:Decrypt', 'kms:GenerateDataKey'], [C1, C4]],
      ['kms:Decrypt', [C2, C3]],
    ]);
  });

  test('an Internet-origin access point with grants on the VPC-only delegation is rejected at synth', () => {
    const { app, bucket, c3 } = buildMesh();
    new CrossAccountAccessPoint(c3, 'Internet', { bucket, accessPointName: 'c3-internet' }).grantRead(new iam.ArnPrincipal(ANALYST));
    expect(() => app.synth()).toThrow(/the owner requires VPC-origin access points, and this access point has Internet origin/);
  });

  afterAll(() => {
    const wrong = results.filter(({ row, decision }) => isWrong(row, decision)).length;
    const header = ['#', 'scenario', 'who', 'request', 'path', 'expected', 'result', 'layers'];
    const body = results.map(({ row, decision }, i) => [
      String(i + 1), row.scenario, row.who, row.request, row.path, row.expected ? 'allow' : 'deny',
      `${decision.allowed ? 'allow' : 'deny'}${isWrong(row, decision) ? '  <-- WRONG' : ''}`,
      `${decision.explanation}${row.layers !== undefined && row.layers !== decision.explanation ? ` (expected ${row.layers})` : ''}`,
    ]);
    const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
    const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ');
    process.stdout.write(`\nAccess matrix (${results.length} cases, ${wrong} wrong)\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${body.map(line).join('\n')}\n\n`);
    const killedRows = new Set(kills.flatMap((k) => k.killed));
    process.stdout.write(`Mutants of the scale policies (${mutants.length}; ${killedRows.size} of ${scaleRows.length} scale rows killed by at least one)\n`
      + `${kills.map((k) => `${k.mutant.name} -> ${k.killed.length > 0 ? `rows ${k.killed.join(', ')}` : `no row fails (equivalent: ${EQUIVALENT_MUTANTS[k.mutant.name] ?? 'NOT EXPLAINED'})`}`).join('\n')}\n\n`);
  });
});

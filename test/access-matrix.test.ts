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
 *
 * What the evaluator cannot model, and what is checked instead:
 * - Network origin: S3 decides an access point's origin from its VpcConfiguration and refuses
 *   requests from outside that VPC; the evaluator takes the origin as given. The template check
 *   below proves which access point has which origin; the matrix proves what the owner's policy
 *   does with each origin.
 * - Block Public Access: not evaluated; every access point and bucket here has all four settings on
 *   (checked in the access point and bucket tests).
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
  AccessPointModel, BucketModel, Decision, evaluateDirectToBucket, evaluateKms, evaluateThroughAccessPoint, KmsKeyModel, KmsRequest, S3Request,
} from './support/access-evaluator';
import { buildMesh, C1, C2, C3, C4, OWNER, PUBLIC_TAG, REGION, REVIEWED_TAG } from './support/mesh-app';
import { accessPointModels, delegatedBucketModel, identityPoliciesOf, keyModel, synthSample } from './support/template-models';

const OUTSIDER = '444455556666'; // no delegation

/** An identity policy that allows every action: an administrator of their own account. */
const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** An access point the evaluator sees but the app does not build: one that lets its principal do anything. */
function openAccessPoint(account: string, name: string, networkOrigin = 'Internet'): AccessPointModel {
  const arn = `arn:aws:s3:${REGION}:${account}:accesspoint/${name}`;
  return {
    name,
    account,
    region: REGION,
    networkOrigin,
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 's3:*', Resource: [arn, `${arn}/object/*`] }],
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
  const path = request.viaService ? `KMS key via ${request.viaService}` : 'KMS key directly';
  const encryptionContext = request.context?.['kms:EncryptionContext:aws:s3:arn'];
  const description = `${request.action} ${encryptionContext ? `for ${encryptionContext}` : 'without encryption context'}`;
  rows.push({ scenario, who, path, request: description, expected, decide: () => evaluateKms(request, meshKey) });
}
function describeRequest(request: S3Request): string {
  const target = request.key !== undefined ? request.key : request.prefix !== undefined ? `prefix=${request.prefix}` : '(bucket root)';
  return `${request.action} ${target}${describeTags(request)}${describeEncryption(request)}${request.secureTransport === false ? ' over HTTP' : ''}`;
}
/** The encryption a write asks for, when it names one. */
function describeEncryption(request: S3Request): string {
  const context = request.context ?? {};
  const keyId = context['s3:x-amz-server-side-encryption-aws-kms-key-id'];
  return (context['s3:x-amz-server-side-encryption-customer-algorithm'] ? ' [SSE-C]' : '')
    + (keyId ? ` [SSE-KMS, key of account ${keyId.split(':')[4]}]` : '');
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

const results = rows.map((row) => ({ row, decision: row.decide() }));
/** Whether a row's result differs from its expectation: the decision, or a layer's verdict when the row states them. */
const isWrong = (row: Row, decision: Decision) =>
  decision.allowed !== row.expected || (row.layers !== undefined && decision.explanation !== row.layers);

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
  });

  test('the KMS rows exercise the key policy\'s statements per KMS action set, shared by accounts', () => {
    const shared = (meshKey.policy as { Statement: any[] }).Statement
      .filter((s) => s.Principal?.AWS === '*')
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
  });
});

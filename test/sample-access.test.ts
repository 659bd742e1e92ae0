/**
 * Who can reach what in the sample, decided by an independent IAM evaluator
 * (@cloud-copilot/iam-simulate) over the synthesized templates. A request through an access point
 * is allowed only when the access point layer (consumer account) and the bucket layer (owner
 * account) both allow it.
 */
import { AccessPointModel, evaluateDirectToBucket, evaluateThroughAccessPoint, S3Request } from './support/access-evaluator';
import { accessPointModels, delegatedBucketModel, synthSample } from './support/sample-models';

const { owner, consumer } = synthSample();
const bucket = delegatedBucketModel(owner);
const [janesAccessPoint] = accessPointModels(consumer);

const JANE = 'arn:aws:iam::111122223333:user/Jane';
const BOB = 'arn:aws:iam::111122223333:user/Bob';
const MALLORY = 'arn:aws:iam::444455556666:user/Mallory';

/** An identity policy that allows everything: the principal's own account places no limit. */
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Mallory's own access point on the bucket, with a policy that lets her do anything through it. */
const mallorysAccessPoint: AccessPointModel = {
  name: 'mallorys-access-point',
  account: '444455556666',
  region: 'eu-west-3',
  networkOrigin: 'Internet',
  policy: {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { AWS: MALLORY },
      Action: 's3:*',
      Resource: ['arn:aws:s3:eu-west-3:444455556666:accesspoint/mallorys-access-point', 'arn:aws:s3:eu-west-3:444455556666:accesspoint/mallorys-access-point/object/*'],
    }],
  },
};

const get = (principal: string, key: string, extra: Partial<S3Request> = {}): S3Request => ({ principal, action: 's3:GetObject', key, ...extra });

describe('the sample scenario, evaluated', () => {
  test('the synthesized models are the blog ones', () => {
    expect([bucket.name, bucket.account]).toEqual(['test-bucket-1', '123456789010']);
    expect([janesAccessPoint.name, janesAccessPoint.account, janesAccessPoint.networkOrigin])
      .toEqual(['janes-researchdata-access-point', '111122223333', 'Internet']);
  });

  test.each([
    ['Jane reads ResearchData/x through the access point', get(JANE, 'ResearchData/x'), true],
    ['Jane reads a nested key ResearchData/2024/x', get(JANE, 'ResearchData/2024/x'), true],
    ['Jane lists ResearchData/', { principal: JANE, action: 's3:ListBucket', prefix: 'ResearchData/' }, true],
    ['Jane cannot read Other/x', get(JANE, 'Other/x'), false],
    ['Jane cannot read ResearchData-private/x', get(JANE, 'ResearchData-private/x'), false],
    ['Jane cannot read the blog\'s leading-slash key /ResearchData/x', get(JANE, '/ResearchData/x'), false],
    ['Jane cannot list the bucket root', { principal: JANE, action: 's3:ListBucket' }, false],
    ['Jane cannot write', get(JANE, 'ResearchData/x', { action: 's3:PutObject' }), false],
    ['Jane cannot delete', get(JANE, 'ResearchData/x', { action: 's3:DeleteObject' }), false],
    ['Jane cannot read over plain HTTP', get(JANE, 'ResearchData/x', { secureTransport: false }), false],
    ['another user of the consumer account cannot read', get(BOB, 'ResearchData/x'), false],
    ['a consumer admin allowed s3:* by identity reads within the boundary', get(BOB, 'ResearchData/x', { identityPolicies: [ALLOW_ALL] }), true],
    ['a consumer admin allowed s3:* by identity cannot write past the boundary', get(BOB, 'ResearchData/x', { action: 's3:PutObject', identityPolicies: [ALLOW_ALL] }), false],
    ['a consumer admin allowed s3:* by identity cannot read outside the boundary', get(BOB, 'Other/x', { identityPolicies: [ALLOW_ALL] }), false],
    ['a third account cannot read through Jane\'s access point', get(MALLORY, 'ResearchData/x', { identityPolicies: [ALLOW_ALL] }), false],
    ['anonymous cannot read through Jane\'s access point', get('anonymous', 'ResearchData/x'), false],
  ])('%s', (_title, request, allowed) => {
    expect(evaluateThroughAccessPoint(request as S3Request, janesAccessPoint, bucket).allowed).toBe(allowed);
  });

  test('a third account cannot read through an access point of its own: the owner did not delegate to it', () => {
    const decision = evaluateThroughAccessPoint(get(MALLORY, 'ResearchData/x', { identityPolicies: [ALLOW_ALL] }), mallorysAccessPoint, bucket);
    expect(decision).toEqual({ allowed: false, explanation: 'access point: Allowed; bucket: ImplicitlyDenied' });
  });

  test.each([
    ['Jane', JANE, []],
    ['a consumer admin allowed s3:*', BOB, [ALLOW_ALL]],
    ['a third-account admin allowed s3:*', MALLORY, [ALLOW_ALL]],
  ])('%s cannot reach the bucket directly', (_title, principal, identityPolicies) => {
    expect(evaluateDirectToBucket(get(principal as string, 'ResearchData/x', { identityPolicies: identityPolicies as object[] }), bucket).allowed).toBe(false);
    expect(evaluateDirectToBucket({ principal: principal as string, action: 's3:ListBucket', prefix: 'ResearchData/', identityPolicies: identityPolicies as object[] }, bucket).allowed).toBe(false);
  });

  test('the owner keeps control: an owner-account admin reaches the bucket directly', () => {
    const admin = { principal: 'arn:aws:iam::123456789010:role/Admin', identityPolicies: [ALLOW_ALL] };
    expect(evaluateDirectToBucket({ ...admin, action: 's3:GetObject', key: 'Other/x' }, bucket).allowed).toBe(true);
    expect(evaluateDirectToBucket({ ...admin, action: 's3:GetObject', key: 'Other/x', secureTransport: false }, bucket).allowed).toBe(false);
  });
});

// Proves the test evaluator itself with hand-written policies from the AWS Storage Blog scenario,
// so that tests over synthesized templates can trust its verdicts.
import {
  AccessPointModel, BucketModel, evaluateDirectToBucket, evaluateKms, evaluateThroughAccessPoint,
  resolveTemplateValue, S3Request,
} from './support/access-evaluator';

const OWNER = '123456789010';
const CONSUMER = '111122223333';
const THIRD = '444455556666';
const REGION = 'eu-west-3';
const JANE = `arn:aws:iam::${CONSUMER}:user/Jane`;
const AP_NAME = 'janes-researchdata-access-point';
const AP_ARN = `arn:aws:s3:${REGION}:${CONSUMER}:accesspoint/${AP_NAME}`;

/** The owner's delegation: anyone, but only through an access point of the consumer account. */
function bucketPolicy(...extraStatements: object[]): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::test-bucket-1/ResearchData/*',
        Condition: { StringEquals: { 's3:DataAccessPointAccount': CONSUMER } },
      },
      ...extraStatements,
    ],
  };
}

function bucket(policy: object = bucketPolicy()): BucketModel {
  return { name: 'test-bucket-1', account: OWNER, region: REGION, policy };
}

const janesAccessPoint: AccessPointModel = {
  name: AP_NAME,
  account: CONSUMER,
  region: REGION,
  networkOrigin: 'Internet',
  policy: {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { AWS: JANE },
      Action: 's3:GetObject',
      Resource: `${AP_ARN}/object/ResearchData/*`,
    }],
  },
};

const janeGets = (key: string, extra: Partial<S3Request> = {}): S3Request =>
  ({ principal: JANE, action: 's3:GetObject', key, ...extra });

describe('evaluateThroughAccessPoint, blog scenario', () => {
  test('Jane reads ResearchData/ through her access point', () => {
    const decision = evaluateThroughAccessPoint(janeGets('ResearchData/x'), janesAccessPoint, bucket());
    expect(decision).toEqual({ allowed: true, explanation: 'access point: Allowed; bucket: Allowed' });
  });

  test('Jane cannot read outside ResearchData/', () => {
    const decision = evaluateThroughAccessPoint(janeGets('Other/x'), janesAccessPoint, bucket());
    expect(decision).toEqual({ allowed: false, explanation: 'access point: ImplicitlyDenied; bucket: ImplicitlyDenied' });
  });

  test('the leading-slash key of the blog CLI example is a different key and is denied', () => {
    expect(evaluateThroughAccessPoint(janeGets('/ResearchData/x'), janesAccessPoint, bucket()).allowed).toBe(false);
  });

  test('Jane cannot write', () => {
    const decision = evaluateThroughAccessPoint(janeGets('ResearchData/x', { action: 's3:PutObject' }), janesAccessPoint, bucket());
    expect(decision.allowed).toBe(false);
    expect(decision.explanation).toContain('access point: ImplicitlyDenied');
  });

  test('another user of the consumer account is denied at the access point', () => {
    const decision = evaluateThroughAccessPoint(
      janeGets('ResearchData/x', { principal: `arn:aws:iam::${CONSUMER}:user/Bob` }), janesAccessPoint, bucket());
    expect(decision).toEqual({ allowed: false, explanation: 'access point: ImplicitlyDenied; bucket: Allowed' });
  });

  test('a consumer identity policy on the access point ARN grants another user', () => {
    const bob: S3Request = {
      ...janeGets('ResearchData/x'),
      principal: `arn:aws:iam::${CONSUMER}:user/Bob`,
      identityPolicies: [{
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${AP_ARN}/object/ResearchData/*` }],
      }],
    };
    expect(evaluateThroughAccessPoint(bob, janesAccessPoint, bucket()).allowed).toBe(true);
  });

  test('an explicit TLS Deny in the bucket policy denies plain HTTP', () => {
    const tls = bucket(bucketPolicy({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::test-bucket-1', 'arn:aws:s3:::test-bucket-1/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    expect(evaluateThroughAccessPoint(janeGets('ResearchData/x'), janesAccessPoint, tls).allowed).toBe(true);
    const http = evaluateThroughAccessPoint(janeGets('ResearchData/x', { secureTransport: false }), janesAccessPoint, tls);
    expect(http).toEqual({ allowed: false, explanation: 'access point: Allowed; bucket: ExplicitlyDenied' });
  });

  test('a third account going through its own access point is denied at the bucket', () => {
    const mallory = `arn:aws:iam::${THIRD}:user/Mallory`;
    const ownAccessPoint: AccessPointModel = {
      name: 'malloryap',
      account: THIRD,
      region: REGION,
      networkOrigin: 'Internet',
      policy: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: mallory },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:${REGION}:${THIRD}:accesspoint/malloryap/object/*`,
        }],
      },
    };
    const decision = evaluateThroughAccessPoint(janeGets('ResearchData/x', { principal: mallory }), ownAccessPoint, bucket());
    expect(decision).toEqual({ allowed: false, explanation: 'access point: Allowed; bucket: ImplicitlyDenied' });
  });

  test('a bucket policy limited to VPC access points denies an Internet access point', () => {
    const vpcOnly = bucket(bucketPolicy({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::test-bucket-1', 'arn:aws:s3:::test-bucket-1/*'],
      Condition: { StringNotEquals: { 's3:AccessPointNetworkOrigin': 'VPC' } },
    }));
    const internet = evaluateThroughAccessPoint(janeGets('ResearchData/x'), janesAccessPoint, vpcOnly);
    expect(internet).toEqual({ allowed: false, explanation: 'access point: Allowed; bucket: ExplicitlyDenied' });
    const vpc = evaluateThroughAccessPoint(janeGets('ResearchData/x'), { ...janesAccessPoint, networkOrigin: 'VPC' }, vpcOnly);
    expect(vpc.allowed).toBe(true);
  });

  test('an anonymous caller is denied by the access point, and passes the delegation only through a public access point', () => {
    const anonymous: S3Request = { principal: 'anonymous', action: 's3:GetObject', key: 'ResearchData/x' };
    expect(evaluateThroughAccessPoint(anonymous, janesAccessPoint, bucket()))
      .toEqual({ allowed: false, explanation: 'access point: ImplicitlyDenied; bucket: Allowed' });
    const publicAccessPoint: AccessPointModel = {
      ...janesAccessPoint,
      policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${AP_ARN}/object/*` }],
      },
    };
    expect(evaluateThroughAccessPoint(anonymous, publicAccessPoint, bucket()).allowed).toBe(true);
  });

  describe('ListBucket narrowed by s3:prefix', () => {
    const prefixCondition = { StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } };
    const listBucket = bucket(bucketPolicy({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::test-bucket-1',
      Condition: { StringEquals: { 's3:DataAccessPointAccount': CONSUMER }, ...prefixCondition },
    }));
    const listAccessPoint: AccessPointModel = {
      ...janesAccessPoint,
      policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:ListBucket', Resource: AP_ARN, Condition: prefixCondition }],
      },
    };
    const list = (prefix?: string): S3Request => ({ principal: JANE, action: 's3:ListBucket', prefix });

    test('allowed for prefix ResearchData/', () => {
      expect(evaluateThroughAccessPoint(list('ResearchData/'), listAccessPoint, listBucket))
        .toEqual({ allowed: true, explanation: 'access point: Allowed; bucket: Allowed' });
    });
    test('denied for prefix Other/', () => {
      expect(evaluateThroughAccessPoint(list('Other/'), listAccessPoint, listBucket))
        .toEqual({ allowed: false, explanation: 'access point: ImplicitlyDenied; bucket: ImplicitlyDenied' });
    });
    test('denied with no prefix', () => {
      expect(evaluateThroughAccessPoint(list(), listAccessPoint, listBucket))
        .toEqual({ allowed: false, explanation: 'access point: ImplicitlyDenied; bucket: ImplicitlyDenied' });
    });
  });
});

describe('evaluateDirectToBucket', () => {
  test('Jane going straight to the bucket is denied (the delegation needs an access point)', () => {
    const identity = [{
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::test-bucket-1/*' }],
    }];
    expect(evaluateDirectToBucket(janeGets('ResearchData/x', { identityPolicies: identity }), bucket()))
      .toEqual({ allowed: false, explanation: 'bucket: ImplicitlyDenied' });
  });

  test('cross-account needs both identity and bucket policy; same-account either', () => {
    const grantJane = bucket({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::test-bucket-1/*' }],
    });
    const identity = [{
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::test-bucket-1/*' }],
    }];
    expect(evaluateDirectToBucket(janeGets('a'), grantJane).allowed).toBe(false);
    expect(evaluateDirectToBucket(janeGets('a', { identityPolicies: identity }), grantJane).allowed).toBe(true);
    const ownerUser = `arn:aws:iam::${OWNER}:user/Owner`;
    expect(evaluateDirectToBucket(janeGets('a', { principal: ownerUser, identityPolicies: identity }), bucket({
      Version: '2012-10-17', Statement: [],
    })).allowed).toBe(true);
  });

  test('anonymous requests have no identity policies', () => {
    expect(evaluateDirectToBucket({ principal: 'anonymous', action: 's3:GetObject', key: 'ResearchData/x' }, bucket()).allowed).toBe(false);
    expect(() => evaluateDirectToBucket({ principal: 'anonymous', action: 's3:GetObject', key: 'x', identityPolicies: [{}] }, bucket()))
      .toThrow(/anonymous/);
  });

  test('the blog principal ARN without the empty Region field is rejected', () => {
    expect(() => evaluateDirectToBucket(janeGets('x', { principal: `arn:aws:iam:${CONSUMER}:user/Jane` }), bucket()))
      .toThrow(/Not an IAM principal ARN/);
  });

  test('an invalid policy is rejected instead of silently evaluated', () => {
    expect(() => evaluateDirectToBucket(janeGets('x'), bucket({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe' }] })))
      .toThrow(/Invalid bucket policy/);
  });
});

describe('evaluateKms', () => {
  const key = {
    arn: `arn:aws:kms:${REGION}:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    account: OWNER,
    policy: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${CONSUMER}:root` },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
      }],
    },
  };
  const identityPolicies = [{
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.arn }],
  }];

  test('allowed via S3', () => {
    expect(evaluateKms({ principal: JANE, identityPolicies, action: 'kms:Decrypt', viaService: `s3.${REGION}.amazonaws.com` }, key))
      .toEqual({ allowed: true, explanation: 'key: Allowed' });
  });
  test('denied directly', () => {
    expect(evaluateKms({ principal: JANE, identityPolicies, action: 'kms:Decrypt' }, key))
      .toEqual({ allowed: false, explanation: 'key: ImplicitlyDenied' });
  });
  test('denied via S3 without the consumer identity policy (cross-account needs both)', () => {
    expect(evaluateKms({ principal: JANE, action: 'kms:Decrypt', viaService: `s3.${REGION}.amazonaws.com` }, key).allowed).toBe(false);
  });
});

describe('resolveTemplateValue', () => {
  test('resolves Fn::Join with Ref AWS::Partition', () => {
    expect(resolveTemplateValue({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b/*']] }, {})).toBe('arn:aws:s3:::b/*');
  });

  test('resolves nested documents, pseudo parameters, Ref and Fn::GetAtt', () => {
    const template = {
      Resource: [
        { 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '/*']] },
      ],
      Account: { Ref: 'AWS::AccountId' },
      Host: { 'Fn::Join': ['.', ['s3', { Ref: 'AWS::Region' }, { Ref: 'AWS::URLSuffix' }]] },
      Name: { Ref: 'Bucket83908E77' },
    };
    expect(resolveTemplateValue(template, {
      partition: 'aws',
      region: REGION,
      accountId: OWNER,
      refs: { 'Bucket83908E77': 'test-bucket-1', 'Bucket83908E77.Arn': 'arn:aws:s3:::test-bucket-1' },
    })).toEqual({
      Resource: ['arn:aws:s3:::test-bucket-1', 'arn:aws:s3:::test-bucket-1/*'],
      Account: OWNER,
      Host: 's3.eu-west-3.amazonaws.com',
      Name: 'test-bucket-1',
    });
  });

  test('resolves Fn::Select over Fn::Split and string Fn::Sub', () => {
    const options = { region: REGION, accountId: CONSUMER, refs: { 'Ap.Arn': AP_ARN } };
    expect(resolveTemplateValue({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Ap', 'Arn'] }] }] }, options)).toBe(AP_NAME);
    expect(resolveTemplateValue({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:${AWS::Region}:${AWS::AccountId}:x ${Ap.Arn} ${!Literal}' }, options))
      .toBe(`arn:aws:s3:${REGION}:${CONSUMER}:x ${AP_ARN} \${Literal}`);
    expect(() => resolveTemplateValue({ 'Fn::Select': [5, ['a']] }, options)).toThrow(/out of range/);
  });

  test('throws on unmapped or unsupported intrinsics', () => {
    expect(() => resolveTemplateValue({ Ref: 'Missing' }, {})).toThrow(/Ref Missing is not mapped/);
    expect(() => resolveTemplateValue({ 'Fn::GetAtt': ['X', 'Arn'] }, {})).toThrow(/Fn::GetAtt X.Arn/);
    expect(() => resolveTemplateValue({ Ref: 'AWS::Region' }, {})).toThrow(/options.region/);
    expect(() => resolveTemplateValue({ 'Fn::ImportValue': 'x' }, {})).toThrow(/Unsupported intrinsic Fn::ImportValue/);
  });
});

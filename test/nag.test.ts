/**
 * CrossAccountAccessPointsChecks: each rule on small templates, compliant and non-compliant cases side
 * by side, then the whole pack on apps the library builds, which must pass it.
 *
 * The pack runs as users run it, as a validation plugin during synth; findings are read from the
 * validation report.
 */
import * as path from 'path';
import { App, Aws, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CONSUMER_ACCOUNT, CONSUMER_ENV, JANE, KEY_ARN, OTHER_ACCOUNT, OWNER_ACCOUNT, OWNER_ENV, REGION, jane } from './support/fixtures';
import { buildMesh } from './support/mesh-app';
import { buildScale } from './support/scale-app';
import { Violation, findingLines, validationViolations } from './support/validation-report';
import { createSampleApp } from '../sample/sample-app';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions, SharingStages } from '../src';
import { CrossAccountAccessPointsChecks } from '../src/nag/cross-account-access-points-checks';

/** An app with the pack as its validation plugin. */
function nagApp(): App {
  const app = new App();
  Validations.of(app).addPlugins(new CrossAccountAccessPointsChecks(app));
  return app;
}

/** The pack's violations after a synth of `app`, as in the validation report. */
function violations(app: App): Violation[] {
  return validationViolations(app, 'CrossAccountAccessPoints');
}

/**
 * Each finding of the pack as `RULE at CONSTRUCT_PATH`, sorted. A rule that throws is reported by
 * cdk-nag under its own ID: that is a bug of the rule, never a finding, so it fails the test.
 */
function findings(app: App): string[] {
  const found = violations(app);
  const thrown = found.filter((v) => v.description.includes('threw an error'));
  expect(thrown.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  return findingLines(found);
}

/** The construct paths at which `rule` is reported. */
function reported(app: App, rule: string): string[] {
  return findings(app).filter((f) => f.startsWith(`${rule} at `)).map((f) => f.slice(`${rule} at `.length));
}

const ACCESS_POINT_ARN = `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/janes-researchdata-access-point`;

function policy(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

/** An access point of the consumer on the owner's bucket, pinned to the owner's account. */
function accessPoint(stack: Stack, id: string, props: Partial<s3.CfnAccessPointProps> = {}): s3.CfnAccessPoint {
  return new s3.CfnAccessPoint(stack, id, { bucket: 'test-bucket-1', bucketAccountId: OWNER_ACCOUNT, ...props });
}

/** An access point whose policy is the statements. */
function accessPointWith(stack: Stack, id: string, ...statements: object[]): s3.CfnAccessPoint {
  return accessPoint(stack, id, { policy: policy(...statements) });
}

/** A bucket policy of `test-bucket-1` made of the statements. */
function bucketPolicyWith(stack: Stack, id: string, ...statements: object[]): s3.CfnBucketPolicy {
  return new s3.CfnBucketPolicy(stack, id, { bucket: 'test-bucket-1', policyDocument: policy(...statements) });
}

/** The blog's delegation: objects under ResearchData/ through access points of the consumer's account. */
function delegation(account: unknown = CONSUMER_ACCOUNT, actions: unknown = 's3:GetObject'): object {
  return {
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: actions,
    Resource: 'arn:aws:s3:::test-bucket-1/ResearchData/*',
    Condition: { StringEquals: { 's3:DataAccessPointAccount': account } },
  };
}

describe('CAAP-1: access points keep all four Block Public Access settings on', () => {
  const ALL_ON = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

  test('compliant: no configuration (S3 turns all four on), or all four on', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPoint(stack, 'NoConfiguration');
    accessPoint(stack, 'AllOn', { publicAccessBlockConfiguration: ALL_ON });
    expect(reported(app, 'CAAP-1')).toEqual([]);
  });

  test('non-compliant: a setting turned off', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPoint(stack, 'PolicyOff', { publicAccessBlockConfiguration: { ...ALL_ON, blockPublicPolicy: false } });
    expect(reported(app, 'CAAP-1')).toEqual(['Consumer/PolicyOff']);
  });

  test('non-compliant: a configuration that leaves a setting out', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPoint(stack, 'LeftOut', { publicAccessBlockConfiguration: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true } });
    expect(reported(app, 'CAAP-1')).toEqual(['Consumer/LeftOut']);
  });

  test('not judged: a setting known at deploy time only', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const setting = new CfnParameter(stack, 'RestrictPublicBuckets', { type: 'String', allowedValues: ['true', 'false'] });
    accessPoint(stack, 'FromParameter', { publicAccessBlockConfiguration: { ...ALL_ON, restrictPublicBuckets: setting.value } });
    expect(reported(app, 'CAAP-1')).toEqual([]);
  });

  test('a CrossAccountAccessPoint: compliant by default, non-compliant with a setting off', () => {
    const app = nagApp();
    const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const bucket = new DelegatedBucket(owner, 'Data', { bucketName: 'test-bucket-1', delegations: [{ account: CONSUMER_ACCOUNT }] });
    new CrossAccountAccessPoint(consumer, 'Closed', { bucket });
    new CrossAccountAccessPoint(consumer, 'Open', {
      bucket,
      blockPublicAccess: new s3.BlockPublicAccess({ ...ALL_ON, restrictPublicBuckets: false }),
    });
    expect(reported(app, 'CAAP-1')).toEqual(['Consumer/Open/Resource']);
  });

  test('is an error', () => {
    const app = nagApp();
    accessPoint(new Stack(app, 'Consumer'), 'PolicyOff', { publicAccessBlockConfiguration: { ...ALL_ON, blockPublicPolicy: false } });
    expect(violations(app).map((v) => [v.ruleName, v.severity])).toEqual([['CAAP-1', 'error']]);
  });
});

describe('CAAP-2: access point policies are not public', () => {
  const getObjects = { Action: 's3:GetObject', Resource: `${ACCESS_POINT_ARN}/object/ResearchData/*` };

  test('compliant: named principals, wildcard principals bounded by fixed values, Deny', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPointWith(stack, 'Named', { Effect: 'Allow', Principal: { AWS: JANE }, ...getObjects });
    accessPointWith(stack, 'AccountBound', {
      Effect: 'Allow', Principal: { AWS: '*' }, ...getObjects, Condition: { StringEquals: { 'aws:PrincipalAccount': CONSUMER_ACCOUNT } },
    });
    accessPointWith(stack, 'OrganizationBound', {
      Effect: 'Allow', Principal: '*', ...getObjects, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
    accessPointWith(stack, 'ExactArnWithStringLike', {
      Effect: 'Allow', Principal: '*', ...getObjects, Condition: { StringLike: { 'aws:PrincipalArn': JANE } },
    });
    accessPointWith(stack, 'DeployTimeAccount', {
      Effect: 'Allow', Principal: '*', ...getObjects, Condition: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
    });
    accessPointWith(stack, 'DenyEveryone', { Effect: 'Deny', Principal: '*', ...getObjects, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(reported(app, 'CAAP-2')).toEqual([]);
  });

  test('non-compliant: a wildcard principal without a condition, or with conditions that do not bound it', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPointWith(stack, 'Open', { Effect: 'Allow', Principal: '*', ...getObjects });
    accessPointWith(stack, 'InList', { Effect: 'Allow', Principal: { AWS: [JANE, '*'] }, ...getObjects });
    accessPointWith(stack, 'Pattern', {
      Effect: 'Allow', Principal: { AWS: '*' }, ...getObjects, Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Reader' } },
    });
    accessPointWith(stack, 'IfExists', {
      Effect: 'Allow', Principal: '*', ...getObjects, Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': CONSUMER_ACCOUNT } },
    });
    accessPointWith(stack, 'PrefixOnly', {
      Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: ACCESS_POINT_ARN, Condition: { StringLike: { 's3:prefix': 'ResearchData/*' } },
    });
    accessPointWith(stack, 'PolicyVariable', {
      Effect: 'Allow',
      Principal: '*',
      ...getObjects,
      Condition: { StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${CONSUMER_ACCOUNT}:user/\${aws:username}` } },
    });
    accessPointWith(stack, 'NotPrincipal', { Effect: 'Allow', NotPrincipal: { AWS: JANE }, ...getObjects });
    expect(reported(app, 'CAAP-2')).toEqual([
      'Consumer/IfExists', 'Consumer/InList', 'Consumer/NotPrincipal', 'Consumer/Open', 'Consumer/Pattern', 'Consumer/PolicyVariable', 'Consumer/PrefixOnly',
    ]);
  });

  test('not judged: a pattern known at deploy time only', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const arn = new CfnParameter(stack, 'ReaderArn');
    accessPointWith(stack, 'FromParameter', {
      Effect: 'Allow', Principal: '*', ...getObjects, Condition: { ArnLike: { 'aws:PrincipalArn': arn.valueAsString } },
    });
    expect(reported(app, 'CAAP-2')).toEqual([]);
  });
});

describe('CAAP-3: access points on a bucket of another template name its account', () => {
  test('compliant: BucketAccountId given, or a bucket of the same template', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPoint(stack, 'Pinned');
    accessPoint(stack, 'DeployTimeAccount', { bucketAccountId: Aws.ACCOUNT_ID });
    const local = new s3.CfnBucket(stack, 'Local');
    new s3.CfnAccessPoint(stack, 'OnLocalBucket', { bucket: local.ref });
    new s3.CfnBucket(stack, 'Named', { bucketName: 'local-bucket-1' });
    new s3.CfnAccessPoint(stack, 'OnLocalBucketByName', { bucket: 'local-bucket-1' });
    expect(reported(app, 'CAAP-3')).toEqual([]);
  });

  test('non-compliant: a bucket by name, parameter or import, without BucketAccountId', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    new s3.CfnAccessPoint(stack, 'ByName', { bucket: 'test-bucket-1' });
    new s3.CfnAccessPoint(stack, 'FromParameter', { bucket: new CfnParameter(stack, 'BucketName').valueAsString });
    const elsewhere = new s3.Bucket(new Stack(app, 'Elsewhere', { env: CONSUMER_ENV }), 'Data');
    new s3.CfnAccessPoint(stack, 'OnAnotherStack', { bucket: elsewhere.bucketName });
    expect(reported(app, 'CAAP-3')).toEqual(['Consumer/ByName', 'Consumer/FromParameter', 'Consumer/OnAnotherStack']);
  });
});

describe('CAAP-4: access point policies name objects as accesspoint/NAME/object/KEY', () => {
  const allow = { Effect: 'Allow', Principal: { AWS: JANE } };

  test('compliant: objects under /object/, listing on the access point, both in one statement, deploy-time parts', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPointWith(stack, 'Separate',
      { ...allow, Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${ACCESS_POINT_ARN}/object/ResearchData/*` },
      { ...allow, Action: 's3:ListBucket', Resource: ACCESS_POINT_ARN },
    );
    accessPointWith(stack, 'Merged', { ...allow, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [ACCESS_POINT_ARN, `${ACCESS_POINT_ARN}/object/*`] });
    accessPointWith(stack, 'Partition', {
      ...allow, Action: 's3:GetObject', Resource: `arn:${Aws.PARTITION}:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/janes-researchdata-access-point/object/*`,
    });
    const key = new CfnParameter(stack, 'KeyPattern');
    accessPointWith(stack, 'DeployTimeTail', { ...allow, Action: 's3:GetObject', Resource: `${ACCESS_POINT_ARN}/${key.valueAsString}` });
    expect(reported(app, 'CAAP-4')).toEqual([]);
  });

  test('non-compliant: a key without object/, a wildcard after the name, object actions on the access point alone, in Allow or Deny', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    accessPointWith(stack, 'KeyWithoutObject', { ...allow, Action: 's3:GetObject', Resource: `${ACCESS_POINT_ARN}/ResearchData/*` });
    accessPointWith(stack, 'WildcardAfterName', { ...allow, Action: 's3:GetObject', Resource: `${ACCESS_POINT_ARN}/*` });
    accessPointWith(stack, 'ObjectActionOnAccessPoint', { ...allow, Action: ['s3:ListBucket', 's3:GetObject'], Resource: ACCESS_POINT_ARN });
    accessPointWith(stack, 'DenyWithoutObject', {
      Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `${ACCESS_POINT_ARN}/ResearchData/*`,
    });
    expect(reported(app, 'CAAP-4')).toEqual([
      'Consumer/DenyWithoutObject', 'Consumer/KeyWithoutObject', 'Consumer/ObjectActionOnAccessPoint', 'Consumer/WildcardAfterName',
    ]);
  });
});

describe('CAAP-5: bucket policies bound every wildcard-principal Allow by fixed values', () => {
  const objects = { Action: 's3:GetObject', Resource: 'arn:aws:s3:::test-bucket-1/*' };

  test('compliant: delegations to accounts, access points and organizations, Deny, service principals', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    bucketPolicyWith(stack, 'AccountDelegation', delegation());
    bucketPolicyWith(stack, 'DeployTimeAccount', delegation(Aws.ACCOUNT_ID));
    bucketPolicyWith(stack, 'AccessPointDelegation', {
      Effect: 'Allow', Principal: '*', ...objects, Condition: { StringLike: { 's3:DataAccessPointArn': ACCESS_POINT_ARN } },
    });
    bucketPolicyWith(stack, 'OrganizationDelegation', {
      Effect: 'Allow',
      Principal: '*',
      ...objects,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:${REGION}:*:accesspoint/*` } },
    });
    bucketPolicyWith(stack, 'SourceArnAndAccount', {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::test-bucket-1/*',
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' }, StringEquals: { 'aws:SourceAccount': OWNER_ACCOUNT } },
    });
    bucketPolicyWith(stack, 'DenyEveryone', { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    bucketPolicyWith(stack, 'ServicePrincipal', { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, ...objects });
    expect(reported(app, 'CAAP-5')).toEqual([]);
  });

  test('non-compliant: no condition, any access point, IfExists, ForAllValues, aws:SourceArn alone, Null only', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    bucketPolicyWith(stack, 'Open', { Effect: 'Allow', Principal: '*', ...objects });
    bucketPolicyWith(stack, 'AnyAccessPoint', {
      Effect: 'Allow', Principal: '*', ...objects, Condition: { StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:${REGION}:*:accesspoint/*` } },
    });
    bucketPolicyWith(stack, 'IfExists', {
      Effect: 'Allow', Principal: '*', ...objects, Condition: { StringEqualsIfExists: { 's3:DataAccessPointAccount': CONSUMER_ACCOUNT } },
    });
    bucketPolicyWith(stack, 'ForAllValues', {
      Effect: 'Allow', Principal: '*', ...objects, Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/' } },
    });
    bucketPolicyWith(stack, 'SourceArnAlone', {
      Effect: 'Allow', Principal: '*', ...objects, Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' } },
    });
    bucketPolicyWith(stack, 'NullOnly', { Effect: 'Allow', Principal: '*', ...objects, Condition: { Null: { 's3:DataAccessPointAccount': 'false' } } });
    expect(reported(app, 'CAAP-5')).toEqual(['Owner/AnyAccessPoint', 'Owner/ForAllValues', 'Owner/IfExists', 'Owner/NullOnly', 'Owner/Open', 'Owner/SourceArnAlone']);
  });

  test('non-compliant: an s3.Bucket policy statement for any principal', () => {
    const app = nagApp();
    const bucket = new s3.Bucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Bucket');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
    expect(reported(app, 'CAAP-5')).toEqual(['Owner/Bucket/Policy/Resource']);
  });
});

describe('CAAP-6: buckets that delegate to other accounts do not use the aws/s3 key', () => {
  /** A bucket with this default encryption, and a bucket policy of these statements. */
  function encrypted(stack: Stack, id: string, byDefault: s3.CfnBucket.ServerSideEncryptionByDefaultProperty, ...statements: object[]) {
    const bucketEncryption = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: byDefault }] };
    const bucket = new s3.CfnBucket(stack, id, { bucketEncryption });
    new s3.CfnBucketPolicy(stack, `${id}Policy`, { bucket: bucket.ref, policyDocument: policy(...statements) });
  }
  const AWS_MANAGED = { sseAlgorithm: 'aws:kms' };

  test('compliant: a customer-managed key or SSE-S3 with delegations; aws/s3 without delegation to other accounts', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    encrypted(stack, 'CustomerKey', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KEY_ARN }, delegation());
    encrypted(stack, 'CreatedKey', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: new kms.Key(stack, 'Key').keyArn }, delegation());
    encrypted(stack, 'SseS3', { sseAlgorithm: 'AES256' }, delegation());
    encrypted(stack, 'NoDelegation', AWS_MANAGED, { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:GetObject', Resource: '*' });
    encrypted(stack, 'OwnAccessPoints', AWS_MANAGED, delegation(OWNER_ACCOUNT, 's3:*'), delegation(Aws.ACCOUNT_ID));
    encrypted(stack, 'DenyOnly', AWS_MANAGED, { ...delegation(), Effect: 'Deny' });
    encrypted(stack, 'NotThroughAccessPoints', AWS_MANAGED, {
      Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:GetObject', Resource: '*', Condition: { Null: { 's3:DataAccessPointAccount': 'true' } },
    });
    expect(reported(app, 'CAAP-6')).toEqual([]);
  });

  test('non-compliant: aws:kms or aws:kms:dsse without a key, or with the alias aws/s3, and a delegation to another account', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    encrypted(stack, 'NoKey', AWS_MANAGED, delegation());
    encrypted(stack, 'Dsse', { sseAlgorithm: 'aws:kms:dsse' }, delegation([OWNER_ACCOUNT, CONSUMER_ACCOUNT]));
    encrypted(stack, 'Alias', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/aws/s3' }, delegation());
    encrypted(stack, 'AliasArn', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:${REGION}:${OWNER_ACCOUNT}:alias/aws/s3` }, delegation());
    encrypted(stack, 'OtherAccessPoint', AWS_MANAGED, {
      ...delegation(), Condition: { StringEquals: { 's3:DataAccessPointArn': ACCESS_POINT_ARN } },
    });
    encrypted(stack, 'AllButOwner', AWS_MANAGED, {
      ...delegation(), Condition: { StringNotEquals: { 's3:DataAccessPointAccount': OWNER_ACCOUNT } },
    });
    expect(reported(app, 'CAAP-6')).toEqual(['Owner/Alias', 'Owner/AliasArn', 'Owner/AllButOwner', 'Owner/Dsse', 'Owner/NoKey', 'Owner/OtherAccessPoint']);
  });

  test('non-compliant: s3.Bucket with KMS_MANAGED delegating to an organization, by its name', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const bucket = new s3.Bucket(stack, 'KmsManaged', { bucketName: 'kms-managed-1', encryption: s3.BucketEncryption.KMS_MANAGED });
    new s3.CfnBucketPolicy(stack, 'ByName', {
      bucket: 'kms-managed-1',
      policyDocument: policy({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `${bucket.bucketArn}/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:${REGION}:*:accesspoint/*` } },
      }),
    });
    expect(reported(app, 'CAAP-6')).toEqual(['Owner/KmsManaged/Resource']);
  });

  test('in a stack whose own account is known at deploy time only: a literal account is not judged, any account is', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Agnostic');
    encrypted(stack, 'LiteralAccount', AWS_MANAGED, delegation());
    encrypted(stack, 'AnyAccount', AWS_MANAGED, {
      ...delegation(), Condition: { StringLike: { 's3:DataAccessPointArn': `arn:aws:s3:${REGION}:*:accesspoint/*` } },
    });
    expect(reported(app, 'CAAP-6')).toEqual(['Agnostic/AnyAccount']);
  });
});

describe('CAAP-7: delegations do not include s3:DeleteObjectVersion', () => {
  test('compliant: DeleteObject delegated, DeleteObjectVersion denied or allowed to a named principal only', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    bucketPolicyWith(stack, 'DeleteObject', delegation(CONSUMER_ACCOUNT, ['s3:GetObject', 's3:DeleteObject']));
    bucketPolicyWith(stack, 'DenyDeleteVersions', { ...delegation(CONSUMER_ACCOUNT, 's3:DeleteObjectVersion'), Effect: 'Deny' });
    bucketPolicyWith(stack, 'NamedPrincipal', { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:DeleteObjectVersion', Resource: '*' });
    bucketPolicyWith(stack, 'NotThroughAccessPoints', {
      Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:*', Resource: '*', Condition: { Null: { 's3:DataAccessPointAccount': 'true' } },
    });
    expect(reported(app, 'CAAP-7')).toEqual([]);
  });

  test('non-compliant: the action, or s3:*, s3:Delete*, * or NotAction, delegated to access points', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    bucketPolicyWith(stack, 'DeleteVersions', delegation(CONSUMER_ACCOUNT, ['s3:GetObject', 's3:DeleteObjectVersion']));
    bucketPolicyWith(stack, 'AllS3', delegation(CONSUMER_ACCOUNT, 's3:*'));
    bucketPolicyWith(stack, 'DeleteWildcard', delegation(CONSUMER_ACCOUNT, 's3:Delete*'));
    bucketPolicyWith(stack, 'Everything', delegation(CONSUMER_ACCOUNT, '*'));
    const notAction: Record<string, unknown> = { ...delegation(), NotAction: 's3:PutObject' };
    delete notAction.Action;
    bucketPolicyWith(stack, 'NotAction', notAction);
    bucketPolicyWith(stack, 'ThroughAccessPoint', {
      ...delegation(CONSUMER_ACCOUNT, 's3:deleteobjectversion'), Condition: { StringEquals: { 's3:DataAccessPointArn': ACCESS_POINT_ARN } },
    });
    expect(reported(app, 'CAAP-7')).toEqual([
      'Owner/AllS3', 'Owner/DeleteVersions', 'Owner/DeleteWildcard', 'Owner/Everything', 'Owner/NotAction', 'Owner/ThroughAccessPoint',
    ]);
  });

  function deletingVersions(app: App): DelegatedBucket {
    return new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Data', {
      bucketName: 'test-bucket-1',
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:GetObject', 's3:DeleteObjectVersion'), prefixes: ['ResearchData'] }],
    });
  }

  test('a DelegatedBucket that delegates s3:DeleteObjectVersion is reported, as a warning', () => {
    const app = nagApp();
    deletingVersions(app);
    expect(findings(app)).toEqual(['CAAP-7 at Owner/Data/Resource/Policy/Resource']);
    expect(violations(nagAppWith(deletingVersions)).map((v) => v.severity)).toEqual(['warning']);
  });

  test('the finding can be acknowledged on the DelegatedBucket, with a reason', () => {
    const app = nagApp();
    const bucket = deletingVersions(app);
    Validations.of(bucket).acknowledge({ id: 'CAAP-7', reason: 'The consumer runs the retention job that prunes old versions.' });
    expect(findings(app)).toEqual([]);
  });
});

function nagAppWith(build: (app: App) => void): App {
  const app = nagApp();
  build(app);
  return app;
}

/** Apps the library builds, with every kind of delegation and grant: the pack finds nothing in them. */
const LIBRARY_APPS: Record<string, (app: App) => void> = {
  'the sample app': (app) => {
    createSampleApp(app);
  },
  'the KMS data mesh (account, access point, VPC and tag delegations)': (app) => {
    buildMesh(app);
  },
  'the scale app (shared and exact statements, the list guard, an organizational unit)': (app) => {
    buildScale(app);
  },
  'an organization delegation on a KMS-encrypted bucket, and a consumer of each kind of grant': (app) => {
    const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
    const bucket = new DelegatedBucket(owner, 'Catalogue', { bucketName: 'data-catalogue-1', encryption: s3.BucketEncryption.KMS });
    bucket.delegateToOrganization('o-a1b2c3d4e5', {
      actions: S3Actions.READ,
      prefixes: ['Published'],
      organizationalUnitPaths: ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'],
    });
    bucket.delegateTo(CONSUMER_ACCOUNT, {
      actions: S3Actions.READ_WRITE,
      prefixes: ['Uploads'],
      accessPointNames: ['uploads'],
      networkOrigin: NetworkOrigin.VPC,
    });
    bucket.delegateTo(OTHER_ACCOUNT, {
      actions: S3Actions.of('s3:GetObject', 's3:GetObjectTagging'),
      prefixes: ['Curated'],
      objectTags: { classification: 'public' },
    });
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(consumer, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: [`${REGION}a`] });
    const uploads = new CrossAccountAccessPoint(consumer, 'Uploads', { bucket, accessPointName: 'uploads', vpc });
    const uploader = new iam.Role(consumer, 'Uploader', { assumedBy: new iam.AccountRootPrincipal() });
    uploads.grantWrite(uploader, { prefixes: ['Uploads/Team'] });
    uploads.grant(jane(), S3Actions.of('s3:GetObject'), { prefixes: ['Uploads'] });
    uploads.grantRead(jane(), { prefixes: ['Published'] });
    uploads.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [uploads.arnForObjects('Uploads/Shared/*')],
      conditions: { StringEquals: { 'aws:PrincipalAccount': CONSUMER_ACCOUNT } },
    }));
    const other = new Stack(app, 'Other', { env: { account: OTHER_ACCOUNT, region: REGION } });
    new CrossAccountAccessPoint(other, 'Tagged', { bucket })
      .grant(new iam.ArnPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`), S3Actions.of('s3:GetObject'), {
        prefixes: ['Curated'],
        objectTags: { classification: 'public' },
      });
  },
  'Requester Pays and IAM Access Analyzer': (app) => {
    const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
    new DelegatedBucket(owner, 'Marketplace', {
      bucketName: 'marketplace-data-1',
      requesterPays: true,
      accessAnalyzer: true,
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ, prefixes: ['Published'] }],
    });
  },
  'an adopted bucket with its own customer-managed key': (app) => {
    const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
    const research = new s3.Bucket(owner, 'Research', {
      bucketName: 'research-data-1',
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: new kms.Key(owner, 'ResearchKey', { enableKeyRotation: true }),
      enforceSSL: true,
    });
    new DelegatedBucket(owner, 'ResearchSharing', {
      bucket: research,
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ, prefixes: ['ResearchData'] }],
    });
  },
  'an environment-agnostic owner stack': (app) => {
    new DelegatedBucket(new Stack(app, 'Agnostic'), 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }] });
  },
  'a consumer app apart from the owner\'s, on a KMS-encrypted bucket': (app) => {
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const bucket = DelegatedBucket.fromDelegatedBucketAttributes(consumer, 'TestBucket1', {
      bucketName: 'test-bucket-1',
      account: OWNER_ACCOUNT,
      region: REGION,
      encryption: s3.BucketEncryption.KMS,
      encryptionKeyArn: KEY_ARN,
    });
    new CrossAccountAccessPoint(consumer, 'Janes', { bucket, accessPointName: 'janes-researchdata-access-point' })
      .grantRead(jane(), { prefixes: ['ResearchData'] });
  },
  'the sample sharing manifest as CDK Stages': (app) => {
    SharingStages.fromFile(app, 'Sharing', path.join(__dirname, '..', 'sample', 'sharing.json'));
  },
};

describe.each(Object.entries(LIBRARY_APPS))('the pack on %s', (_name, build) => {
  test('finds nothing', () => {
    const app = nagAppWith(build);
    expect(findings(app)).toEqual([]);
    // The pack did look: the app has access points or delegating bucket policies for it to check.
    const checked = app.node.findAll().filter((c) => c instanceof s3.CfnAccessPoint || c instanceof s3.CfnBucketPolicy);
    expect(checked.length).toBeGreaterThan(0);
  });
});

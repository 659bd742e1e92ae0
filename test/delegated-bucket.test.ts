/*
 * The specification of DelegatedBucket: the owner's side of sharing an S3 bucket through
 * cross-account access points (AWS Storage Blog: owner 123456789010 shares ResearchData/ of
 * test-bucket-1 in eu-west-3 with account 111122223333).
 *
 * Read top to bottom: what a bucket is before anything is shared, the options, the shapes that
 * delegations take in the bucket policy and the key policy, the attributes consumers use, every
 * input the construct rejects, and the checks that run when the app is synthesized.
 */
import { App, Aws, CfnElement, CfnOutput, CfnParameter, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { DelegatedActions, DelegatedBucket, DelegatedBucketProps } from '../src';

const OWNER = '123456789010';
const CONSUMER = '111122223333';
const OTHER_CONSUMER = '444455556666';
const REGION = 'eu-west-3';
const KEY_ARN = `arn:aws:kms:${REGION}:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ALL_BLOCK_PUBLIC_ACCESS = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function ownerStack(app: App = new App()): Stack {
  return new Stack(app, 'Owner', { env: { account: OWNER, region: REGION } });
}

function consumerStack(app: App): Stack {
  return new Stack(app, 'Consumer', { env: { account: CONSUMER, region: REGION } });
}

/** GIVEN a DelegatedBucket 'Data' in the owner's stack. */
function givenBucket(props: DelegatedBucketProps = {}): { app: App; stack: Stack; bucket: DelegatedBucket } {
  const app = new App();
  const stack = ownerStack(app);
  const bucket = new DelegatedBucket(stack, 'Data', props);
  return { app, stack, bucket };
}

/** The logical ID of a construct's CloudFormation resource (an L1 itself, or an L2's default child). */
function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId);
}

/** `Fn::GetAtt` of the bucket's ARN, and object ARNs under it, as they appear in the template. */
function arnsOf(bucket: s3.IBucket) {
  const arn = { 'Fn::GetAtt': [logicalIdOf(bucket), 'Arn'] };
  return { arn, objects: (key: string) => ({ 'Fn::Join': ['', [arn, `/${key}`]] }) };
}

interface StatementJson {
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of the policy attached to `bucket`, as synthesized. */
function bucketPolicyOf(bucket: s3.IBucket): StatementJson[] {
  const policies = Object.values(Template.fromStack(Stack.of(bucket)).findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: { Ref: logicalIdOf(bucket) } },
  }));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

/** The Allow statements of the delegated bucket's policy: the delegations. */
function delegationStatements(bucket: DelegatedBucket): StatementJson[] {
  return bucketPolicyOf(bucket.bucket).filter((s) => s.Effect === 'Allow');
}

function actionsOf(statement: StatementJson): string[] {
  return [statement.Action].flat();
}

/** The key patterns of object ARNs `${bucketArn}/KEY` in a statement's Resource. */
function keyPatternsOf(statement: StatementJson): string[] {
  return [statement.Resource].flat().map((resource) => {
    const [, parts] = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return String(parts[parts.length - 1]).replace(/^\//, '');
  });
}

/** IAM wildcard matching: `*` is any run of characters, `?` any one character. */
function iamMatches(pattern: string, value: string): boolean {
  const source = pattern.split('*').map((run) => run.split('?').map(escapeRegExp).join('.')).join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/** The ARN of a consumer access point in the bucket's Region, as it appears in the template. */
function accessPointArn(account: string, name: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:${REGION}:${account}:accesspoint/${name}`]] };
}

function accountRoot(account: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Problem {
  /** The construct path the error starts with. */
  readonly path: string;
  /** The property, for example `delegations[0].account`. */
  readonly property: string;
  /** The start of the rule's wording. */
  readonly rule: string;
  /** The value as the message quotes it: a string is shown JSON-quoted; a RegExp matches the quoted value. */
  readonly value: string | RegExp;
}

/**
 * What an error about an input looks like: `PATH: PROPERTY RULE... (got VALUE)` for one problem,
 * or `PATH:` followed by one `  - PROPERTY RULE... (got VALUE)` line per problem.
 */
function problem({ path, property, rule, value }: Problem): RegExp {
  const got = typeof value === 'string' ? escapeRegExp(JSON.stringify(value)) : value.source;
  return new RegExp(`^${escapeRegExp(path)}:(?: |[\\s\\S]*\\n {2}- )${escapeRegExp(property)} ${escapeRegExp(rule)}[^\\n]*\\(got ${got}\\)$`, 'm');
}

/** Allow s3:GetObject to anyone, with nothing that narrows it: a public statement. */
function publicRead(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
  });
}

/** `n` distinct 12-digit account IDs. */
function accounts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(100_000_000_000 + i));
}

/** The size in bytes that a policy-size message reports. */
function reportedBytes(message: string): number {
  const match = /The bucket policy is ([\d,]+) bytes/.exec(message);
  expect(match).not.toBeNull();
  return Number(match![1].replace(/,/g, ''));
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

describe('DelegatedBucket defaults: secure before anything is shared', () => {
  test('all four Block Public Access settings are on', () => {
    const { stack } = givenBucket();
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(), // the delegated bucket, not its log bucket
      PublicAccessBlockConfiguration: ALL_BLOCK_PUBLIC_ACCESS,
    });
  });

  test('every request without TLS is denied', () => {
    const { bucket } = givenBucket();
    const { arn, objects } = arnsOf(bucket.bucket);
    expect(bucketPolicyOf(bucket.bucket)).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [arn, objects('*')],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  test('ACLs are off (BucketOwnerEnforced): objects written through a consumer access point belong to the owner', () => {
    const { bucket, stack } = givenBucket();
    expect(Template.fromStack(stack).toJSON().Resources[logicalIdOf(bucket.bucket)].Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('versioning is enabled', () => {
    const { bucket, stack } = givenBucket();
    expect(Template.fromStack(stack).toJSON().Resources[logicalIdOf(bucket.bucket)].Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('objects are encrypted with S3-managed keys (SSE-S3), which other accounts can read; no KMS key is made', () => {
    const { bucket, stack } = givenBucket();
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(bucket.encryptionKey).toBeUndefined();
  });

  test('both buckets abort multipart uploads left incomplete for 7 days, and expire nothing else', () => {
    const { bucket, stack } = givenBucket();
    const resources = Template.fromStack(stack).toJSON().Resources;
    for (const b of [bucket.bucket, bucket.serverAccessLogsBucket]) {
      expect(resources[logicalIdOf(b)].Properties.LifecycleConfiguration).toEqual({
        Rules: [{ Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }],
      });
    }
  });

  test('the bucket and its log bucket are retained when removed from the stack or replaced', () => {
    const { bucket, stack } = givenBucket();
    const resources = Template.fromStack(stack).toJSON().Resources;
    for (const b of [bucket.bucket, bucket.serverAccessLogsBucket]) {
      expect(resources[logicalIdOf(b)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('server access logs go to a log bucket that the construct creates', () => {
    const { bucket, stack } = givenBucket();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(template.toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(bucket.serverAccessLogsBucket) },
    });
  });

  test('the created log bucket is itself versioned, private, TLS only and SSE-S3, and does not log into itself', () => {
    const { bucket, stack } = givenBucket();
    const logs = bucket.serverAccessLogsBucket;
    const properties = Template.fromStack(stack).toJSON().Resources[logicalIdOf(logs)].Properties;
    expect(properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: ALL_BLOCK_PUBLIC_ACCESS,
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(properties.LoggingConfiguration).toBeUndefined();
    expect(bucketPolicyOf(logs)).toContainEqual(expect.objectContaining({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
  });

  test('the log bucket policy lets the S3 logging service write the logs of this bucket only (ACLs stay off)', () => {
    const { bucket } = givenBucket();
    const logs = arnsOf(bucket.serverAccessLogsBucket);
    expect(bucketPolicyOf(bucket.serverAccessLogsBucket)).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: logs.objects('*'),
      Condition: {
        ArnLike: { 'aws:SourceArn': arnsOf(bucket.bucket).arn },
        StringEquals: { 'aws:SourceAccount': OWNER },
      },
    });
  });

  test('nothing is shared until a delegation is made: the bucket policy only denies', () => {
    const { bucket } = givenBucket();
    expect(bucketPolicyOf(bucket.bucket).map((s) => s.Effect)).toEqual(['Deny']);
  });

  test('the bucket gets the physical name it is given', () => {
    const { stack } = givenBucket({ bucketName: 'test-bucket-1' });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { BucketName: 'test-bucket-1' });
  });

  test('without a name, the bucket gets a valid name that does not depend on who references it', () => {
    const { bucket, stack } = givenBucket();
    const name = Template.fromStack(stack).toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.BucketName;
    expect(name).toMatch(/^owner-data-[0-9a-f]{12}$/);
    expect(Template.fromStack(givenBucket().stack).toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.BucketName).toBe(name);
  });

  test('without a name, a stack in another account that uses bucketName gets a generated name as a literal', () => {
    // GIVEN an owner bucket without a name, and a consumer stack in another account
    const { app, stack, bucket } = givenBucket();
    const consumer = consumerStack(app);

    // WHEN the consumer refers to the bucket's name
    new CfnOutput(consumer, 'BucketName', { value: bucket.bucketName });

    // THEN the owner's bucket gets a fixed name, and the consumer holds that name as a plain string
    const generated = Template.fromStack(stack).toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.BucketName;
    expect(generated).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
    expect(Template.fromStack(consumer).toJSON().Outputs.BucketName.Value).toBe(generated);
  });

  test("the s3.Bucket is the child 'Resource': node.defaultChild finds it, and its logical ID is the construct's", () => {
    const { bucket } = givenBucket();
    expect(bucket.node.findChild('Resource')).toBe(bucket.bucket);
    expect(bucket.node.defaultChild).toBe(bucket.bucket);
    expect(logicalIdOf(bucket.bucket)).toMatch(/^Data[0-9A-F]{8}$/);
  });

  test('a default bucket synthesizes without warnings', () => {
    const { stack } = givenBucket();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

describe('DelegatedBucket options', () => {
  test('server access logs can go to a given log bucket, under a given prefix; no log bucket is created', () => {
    const app = new App();
    const stack = ownerStack(app);
    const logs = new s3.Bucket(stack, 'Logs');

    const bucket = new DelegatedBucket(stack, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'test-bucket-1/' });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(template.toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(logs) },
      LogFilePrefix: 'test-bucket-1/',
    });
    expect(bucket.serverAccessLogsBucket).toBe(logs);
  });

  test('a given log bucket with ACLs off receives the logs through its bucket policy, as a created one does', () => {
    // GIVEN a log bucket configured like the one the construct would create (ACLs off)
    const app = new App();
    const stack = ownerStack(app);
    const logs = new s3.Bucket(stack, 'Logs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, enforceSSL: true });

    // WHEN it is given as the log bucket
    const bucket = new DelegatedBucket(stack, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'test-bucket-1/' });

    // THEN its policy lets the logging service write under the prefix, and it keeps ACLs off
    expect(bucketPolicyOf(logs)).toContainEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: arnsOf(logs).objects('test-bucket-1/*'),
    }));
    const logsResource = Template.fromStack(stack).toJSON().Resources[logicalIdOf(logs)];
    expect(logsResource.Properties.AccessControl).toBeUndefined();
    expect(logsResource.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.serverAccessLogsBucket).toBe(logs);
  });

  test('removalPolicy applies to the bucket and the created log bucket, never to the created key', () => {
    const { bucket, stack } = givenBucket({ removalPolicy: RemovalPolicy.DESTROY, encryption: s3.BucketEncryption.KMS });
    const resources = Template.fromStack(stack).toJSON().Resources;
    for (const construct of [bucket.bucket, bucket.serverAccessLogsBucket]) {
      expect(resources[logicalIdOf(construct)]).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
    // The key is the only way to read what it encrypted: it outlives any removal policy.
    expect(resources[logicalIdOf(bucket.encryptionKey!)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('encryption KMS creates a retained customer-managed key with rotation, used through an S3 Bucket Key', () => {
    const { bucket, stack } = givenBucket({ encryption: s3.BucketEncryption.KMS });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(bucket.encryptionKey).toBeInstanceOf(kms.Key);
    const keyId = logicalIdOf(bucket.encryptionKey!);
    expect(template.toJSON().Resources[keyId]).toMatchObject({
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(template.toJSON().Resources[logicalIdOf(bucket.bucket)].Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }],
    });
  });

  test('a given encryptionKey implies KMS encryption with that key; no key is created', () => {
    const app = new App();
    const stack = ownerStack(app);
    const key = new kms.Key(stack, 'GivenKey');

    const bucket = new DelegatedBucket(stack, 'Data', { encryptionKey: key });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(bucket.encryptionKey).toBe(key);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] } },
        })],
      },
    });
  });

  test('encryption DSSE uses dual-layer encryption with a created customer-managed key', () => {
    const { bucket, stack } = givenBucket({ encryption: s3.BucketEncryption.DSSE });
    expect(bucket.encryptionKey).toBeInstanceOf(kms.Key);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(bucket.encryptionKey!), 'Arn'] } },
        })],
      },
    });
  });

  test('encryption DSSE does not turn on S3 Bucket Keys, which S3 does not support for DSSE-KMS', () => {
    const { bucket, stack } = givenBucket({ encryption: s3.BucketEncryption.DSSE });
    const [rule] = Template.fromStack(stack).toJSON().Resources[logicalIdOf(bucket.bucket)]
      .Properties.BucketEncryption.ServerSideEncryptionConfiguration;
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms:dsse');
    expect(rule.BucketKeyEnabled).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Delegations in the bucket policy
// ---------------------------------------------------------------------------------------------

describe('delegations in the bucket policy', () => {
  const byAccounts = (...ids: string[]) => ({ StringEquals: { 's3:DataAccessPointAccount': ids } });

  test('a delegation allows any principal, but only through access points of the delegated account', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER }] });
    const statements = delegationStatements(bucket);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Principal).toEqual({ AWS: '*' });
      expect(statement.Condition).toEqual(byAccounts(CONSUMER));
    }
  });

  test('READ, the default, allows GetObject and GetObjectVersion on every key and ListBucket on the bucket', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER }] });
    const { arn, objects } = arnsOf(bucket.bucket);
    expect(delegationStatements(bucket)).toEqual([
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects('*'), Condition: byAccounts(CONSUMER) },
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: arn, Condition: byAccounts(CONSUMER) },
    ]);
  });

  test('the AWS blog delegation: READ of ResearchData/ to 111122223333, as a bucket policy', () => {
    const { stack, bucket } = givenBucket({
      bucketName: 'test-bucket-1',
      delegations: [{ account: CONSUMER, actions: DelegatedActions.READ, prefixes: ['ResearchData/'] }],
    });
    const { arn, objects } = arnsOf(bucket.bucket);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: objects('ResearchData/*'),
            Condition: Match.objectEquals(byAccounts(CONSUMER)),
          },
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:ListBucket',
            Resource: arn,
            Condition: Match.objectEquals({ ...byAccounts(CONSUMER), StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } }),
          },
        ]),
      },
    });
  });

  describe.each(['ResearchData', 'ResearchData/'])('prefix %j', (prefix) => {
    /** The object statement, its key patterns and the listing patterns of a delegation of `prefix`. */
    function delegatedPrefix() {
      const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, prefixes: [prefix] }] });
      const [objectStatement, listStatement] = delegationStatements(bucket);
      return {
        statements: [objectStatement, listStatement],
        keyPatterns: keyPatternsOf(objectStatement),
        listPatterns: listStatement.Condition!.StringLike['s3:prefix'] as string[],
      };
    }

    test('means the folder ResearchData/: objects under ResearchData/*, listing of ResearchData/ and below', () => {
      const { keyPatterns, listPatterns } = delegatedPrefix();
      expect(keyPatterns).toEqual(['ResearchData/*']);
      expect(listPatterns).toEqual(['ResearchData/', 'ResearchData/*']);
    });

    test('never becomes ResearchData*, so ResearchData-private/ stays outside', () => {
      const { statements, keyPatterns: [objectPattern], listPatterns } = delegatedPrefix();
      expect(JSON.stringify(statements)).not.toMatch(/ResearchData\*/);
      expect(iamMatches(objectPattern, 'ResearchData/2024/report.csv')).toBe(true);
      expect(iamMatches(objectPattern, 'ResearchData-private/salaries.csv')).toBe(false);
      expect(listPatterns.some((p) => iamMatches(p, 'ResearchData-private/'))).toBe(false);
    });
  });

  test('both spellings of a prefix are one boundary: two accounts using them share a statement', () => {
    const { bucket } = givenBucket({
      delegations: [
        { account: CONSUMER, prefixes: ['ResearchData'] },
        { account: OTHER_CONSUMER, prefixes: ['ResearchData/', 'ResearchData'] },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    expect(statements.map((s) => s.Condition!.StringEquals)).toEqual([
      { 's3:DataAccessPointAccount': [CONSUMER, OTHER_CONSUMER] },
      { 's3:DataAccessPointAccount': [CONSUMER, OTHER_CONSUMER] },
    ]);
    expect(keyPatternsOf(statements[0])).toEqual(['ResearchData/*']);
  });

  test('several prefixes give one object pattern and two listing patterns each', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, prefixes: ['ResearchData/', 'Reports/2024'] }] });
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(keyPatternsOf(objectStatement)).toEqual(['ResearchData/*', 'Reports/2024/*']);
    expect(listStatement.Condition!.StringLike).toEqual({ 's3:prefix': ['ResearchData/', 'ResearchData/*', 'Reports/2024/', 'Reports/2024/*'] });
  });

  test('READ_WRITE adds PutObject, DeleteObject and AbortMultipartUpload, never DeleteObjectVersion', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, actions: DelegatedActions.READ_WRITE }] });
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(actionsOf(objectStatement)).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload']);
    expect(actionsOf(listStatement)).toEqual(['s3:ListBucket']);
    expect(JSON.stringify(delegationStatements(bucket))).not.toContain('s3:DeleteObjectVersion');
  });

  test('DelegatedActions.of gives exactly the named actions: without a list action there is no ListBucket statement', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, actions: DelegatedActions.of('s3:GetObject'), prefixes: ['ResearchData/'] }] });
    const { objects } = arnsOf(bucket.bucket);
    expect(delegationStatements(bucket)).toEqual([
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: objects('ResearchData/*'), Condition: byAccounts(CONSUMER) },
    ]);
  });

  test('accessPointNames admit only those access points, by ARN in the bucket Region, instead of the whole account', () => {
    const { bucket } = givenBucket({
      delegations: [{ account: CONSUMER, accessPointNames: ['janes-researchdata-access-point'] }],
    });
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({
        StringEquals: { 's3:DataAccessPointArn': [accessPointArn(CONSUMER, 'janes-researchdata-access-point')] },
      });
    }
    expect(JSON.stringify(statements)).not.toContain('s3:DataAccessPointAccount');
  });

  test('requireVpcOrigin admits only access points whose network origin is a VPC', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, requireVpcOrigin: true }] });
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({
        StringEquals: { 's3:DataAccessPointAccount': [CONSUMER], 's3:AccessPointNetworkOrigin': 'VPC' },
      });
    }
  });

  test('accounts with identical boundaries share one statement per resource, listing both accounts', () => {
    const { bucket } = givenBucket({
      delegations: [
        { account: CONSUMER, prefixes: ['ResearchData/'] },
        { account: OTHER_CONSUMER, prefixes: ['ResearchData/'] },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Condition!.StringEquals).toEqual({ 's3:DataAccessPointAccount': [CONSUMER, OTHER_CONSUMER] });
    }
  });

  test('accounts with different boundaries get separate statements', () => {
    const { bucket } = givenBucket({
      delegations: [
        { account: CONSUMER, prefixes: ['ResearchData/'] },
        { account: OTHER_CONSUMER, prefixes: ['Reports/'] },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements.map((s) => [s.Condition!.StringEquals['s3:DataAccessPointAccount'], actionsOf(s)[0]])).toEqual([
      [[CONSUMER], 's3:GetObject'],
      [[CONSUMER], 's3:ListBucket'],
      [[OTHER_CONSUMER], 's3:GetObject'],
      [[OTHER_CONSUMER], 's3:ListBucket'],
    ]);
  });

  test('delegations given in props and made with delegateTo produce the same policy', () => {
    const viaProps = givenBucket({
      delegations: [
        { account: CONSUMER, prefixes: ['ResearchData/'] },
        { account: OTHER_CONSUMER, actions: DelegatedActions.READ_WRITE, accessPointNames: ['ingest'], requireVpcOrigin: true },
      ],
    });
    const viaDelegateTo = givenBucket();
    viaDelegateTo.bucket.delegateTo(CONSUMER, { prefixes: ['ResearchData/'] });
    viaDelegateTo.bucket.delegateTo(OTHER_CONSUMER, { actions: DelegatedActions.READ_WRITE, accessPointNames: ['ingest'], requireVpcOrigin: true });

    expect(delegationStatements(viaProps.bucket)).toHaveLength(4);
    expect(bucketPolicyOf(viaDelegateTo.bucket.bucket)).toEqual(bucketPolicyOf(viaProps.bucket.bucket));
  });

  test('delegateTo after construction joins the statements of an identical boundary already in the policy', () => {
    // GIVEN a bucket that already delegates ResearchData/ to one account
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, prefixes: ['ResearchData/'] }] });

    // WHEN the same boundary is delegated to another account later
    bucket.delegateTo(OTHER_CONSUMER, { prefixes: ['ResearchData'] });

    // THEN the policy still has two statements, each naming both accounts
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    expect(statements.map((s) => s.Condition!.StringEquals['s3:DataAccessPointAccount'])).toEqual([
      [CONSUMER, OTHER_CONSUMER],
      [CONSUMER, OTHER_CONSUMER],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// KMS key policy
// ---------------------------------------------------------------------------------------------

describe('writes through consumers\' access points keep the owner\'s encryption', () => {
  const denies = (bucket: DelegatedBucket) => bucketPolicyOf(bucket.bucket).filter((st) => st.Effect === 'Deny' && st.Action === 's3:PutObject');
  const throughWriters = (...ids: string[]) => ({ 's3:DataAccessPointAccount': ids });

  test('read-only delegations add no write guard', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER }] });
    expect(denies(bucket)).toEqual([]);
  });

  test('with SSE-S3, writers may not bring SSE-C or a KMS key', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, actions: DelegatedActions.READ_WRITE }, { account: OTHER_CONSUMER }] });
    const { objects } = arnsOf(bucket.bucket);
    expect(denies(bucket)).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: objects('*'),
        Condition: { StringEquals: throughWriters(CONSUMER), Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: objects('*'),
        Condition: { StringEquals: { ...throughWriters(CONSUMER), 's3:x-amz-server-side-encryption': ['aws:kms', 'aws:kms:dsse'] } },
      },
    ]);
  });

  test('with SSE-KMS, writers may name no key but the bucket\'s (the deny applies only when a key is named)', () => {
    const readWrite = { account: CONSUMER, actions: DelegatedActions.READ_WRITE };
    const { bucket } = givenBucket({ encryption: s3.BucketEncryption.KMS, delegations: [readWrite] });
    expect(denies(bucket)[1].Condition).toEqual({
      StringEquals: throughWriters(CONSUMER),
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [logicalIdOf(bucket.encryptionKey!), 'Arn'] } },
    });
  });
});

describe('the key policy of a customer-managed key', () => {
  function keyUse(account: string, actions: string | string[]) {
    return {
      Effect: 'Allow',
      Principal: { AWS: accountRoot(account) },
      Action: actions,
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': account },
        // Only for this bucket and its objects (S3 puts their ARN in the encryption context).
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArnOf('owner-data'), bucketArnOf('owner-data', '/*')] },
      },
    };
  }

  /** `arn:${Partition}:s3:::NAME...` for the generated name of the bucket at Owner/Data. */
  function bucketArnOf(prefix: string, suffix = ''): object {
    return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(`^:s3:::${prefix}-[0-9a-f]{12}${suffix.replace('*', '\\*')}$`)]] };
  }

  test('lets a reading account decrypt, and a writing account also generate data keys, only through S3 in the bucket Region', () => {
    const { stack } = givenBucket({
      encryption: s3.BucketEncryption.KMS,
      delegations: [
        { account: CONSUMER, actions: DelegatedActions.READ },
        { account: OTHER_CONSUMER, actions: DelegatedActions.READ_WRITE },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          keyUse(CONSUMER, 'kms:Decrypt'),
          keyUse(OTHER_CONSUMER, ['kms:Decrypt', 'kms:GenerateDataKey']),
        ]),
      },
    });
  });

  test('a given key in the same app gets the same statements', () => {
    const app = new App();
    const stack = ownerStack(app);
    const key = new kms.Key(stack, 'GivenKey');
    const bucket = new DelegatedBucket(stack, 'Data', { encryptionKey: key });

    bucket.delegateTo(CONSUMER);

    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([keyUse(CONSUMER, 'kms:Decrypt')]) },
    });
  });

  test('an imported key cannot be changed: a warning says what the key policy must allow', () => {
    const app = new App();
    const stack = ownerStack(app);

    new DelegatedBucket(stack, 'Data', {
      encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', KEY_ARN),
      delegations: [{ account: CONSUMER, actions: DelegatedActions.READ_WRITE }],
    });

    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    Annotations.fromStack(stack).hasWarning('/Owner/Data', Match.stringLikeRegexp(
      `not managed by this stack: let account ${CONSUMER} use it through S3 \\(kms:Decrypt, kms:GenerateDataKey with kms:ViaService s3\\.${REGION}\\.amazonaws\\.com\\)`,
    ));
  });

  test('SSE-S3 buckets have no key to change and give no warning', () => {
    const { stack } = givenBucket({ delegations: [{ account: CONSUMER }] });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

// ---------------------------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------------------------

describe('attributes', () => {
  test('bucket, bucketName, bucketArn, bucketAccount, bucketRegion and encryptionKey describe the bucket', () => {
    const { stack, bucket } = givenBucket({ encryption: s3.BucketEncryption.KMS });
    const id = logicalIdOf(bucket.bucket);

    expect(bucket.bucket).toBeInstanceOf(s3.Bucket);
    expect(stack.resolve(bucket.bucketName)).toEqual({ Ref: id });
    expect(stack.resolve(bucket.bucketArn)).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(bucket.bucketAccount).toBe(OWNER);
    expect(bucket.bucketRegion).toBe(REGION);
    expect(bucket.encryptionKey).toBe(bucket.bucket.encryptionKey);
  });

  test('owner-side grants work on bucket.bucket as on any bucket', () => {
    const { stack, bucket } = givenBucket();
    const role = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });

    bucket.bucket.grantRead(role);

    const { arn, objects } = arnsOf(bucket.bucket);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(role) }],
      PolicyDocument: {
        Statement: [Match.objectLike({
          Effect: 'Allow',
          Action: Match.arrayWith(['s3:GetObject*', 's3:List*']),
          Resource: [arn, objects('*')],
        })],
      },
    });
  });

  test('isDelegatedBucket tells a DelegatedBucket from other constructs and values', () => {
    const { stack, bucket } = givenBucket();
    const imported = DelegatedBucket.fromDelegatedBucketAttributes(stack, 'Imported', { bucketName: 'test-bucket-1', account: OWNER, region: REGION });

    expect(DelegatedBucket.isDelegatedBucket(bucket)).toBe(true);
    expect(DelegatedBucket.isDelegatedBucket(bucket.bucket)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket(imported)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket(undefined)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket(null)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket('Data')).toBe(false);
  });

  test('fromDelegatedBucketAttributes gives back the attributes, the bucket ARN and the key from its ARN', () => {
    const stack = consumerStack(new App());

    const imported = DelegatedBucket.fromDelegatedBucketAttributes(stack, 'OwnerBucket', {
      bucketName: 'test-bucket-1',
      account: OWNER,
      region: REGION,
      encryptionKeyArn: KEY_ARN,
    });

    expect(imported.bucketName).toBe('test-bucket-1');
    expect(imported.bucketAccount).toBe(OWNER);
    expect(imported.bucketRegion).toBe(REGION);
    expect(stack.resolve(imported.bucketArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::test-bucket-1']] });
    expect(imported.encryptionKey?.keyArn).toBe(KEY_ARN);
  });

  test('fromDelegatedBucketAttributes without a key ARN describes an SSE-S3 bucket', () => {
    const stack = consumerStack(new App());
    const imported = DelegatedBucket.fromDelegatedBucketAttributes(stack, 'OwnerBucket', { bucketName: 'test-bucket-1', account: OWNER, region: REGION });
    expect(imported.encryptionKey).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Validation at construction
// ---------------------------------------------------------------------------------------------

describe('rejected inputs: one Error naming the construct path, the property, the rule and the value', () => {
  const ACCOUNT_RULE = 'must be a 12-digit AWS account ID';
  const badAccounts: Array<[string, string]> = [
    ['11 digits', '12345678901'],
    ['13 digits', '1234567890123'],
    ['letters', '11112222333a'],
    ['a wildcard', '*'],
    ['padded with a space', ' 111122223333'],
  ];

  describe('account IDs', () => {
    test.each(badAccounts)('in props: %s', (_, account) => {
      const stack = ownerStack();
      expect(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account }] }))
        .toThrow(problem({ path: 'Owner/Data', property: 'delegations[0].account', rule: ACCOUNT_RULE, value: account }));
    });

    test.each(badAccounts)('in delegateTo: %s', (_, account) => {
      const { bucket } = givenBucket();
      expect(() => bucket.delegateTo(account))
        .toThrow(problem({ path: 'Owner/Data', property: 'delegateTo.account', rule: ACCOUNT_RULE, value: account }));
    });
  });

  test.each([
    ['a leading slash (the blog CLI example)', '/ResearchData/', 'must not start with "/" (S3 keys have no leading slash: use "ResearchData/")'],
    ['the wildcard *', 'ResearchData/*', 'must not contain the wildcards "*" or "?"'],
    ['the wildcard ?', 'ResearchData/202?/', 'must not contain the wildcards "*" or "?"'],
    ['an empty prefix', '', 'must name a folder (omit the prefix to share the whole bucket)'],
    ['an empty folder name', 'ResearchData//2024/', 'must not contain an empty folder name ("//")'],
  ])('prefixes: %s', (_, prefix, rule) => {
    const stack = ownerStack();
    expect(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER, prefixes: ['Reports/', prefix] }] }))
      .toThrow(problem({ path: 'Owner/Data', property: 'delegations[0].prefixes[1]', rule, value: prefix }));
  });

  test('prefixes in delegateTo are checked the same way', () => {
    const { bucket } = givenBucket();
    expect(() => bucket.delegateTo(CONSUMER, { prefixes: ['/ResearchData/'] }))
      .toThrow(problem({ path: 'Owner/Data', property: 'delegateTo.prefixes[0]', rule: 'must not start with "/"', value: '/ResearchData/' }));
  });

  test.each([
    ['too short', 'ap', 'must be 3 to 50 characters long (it has 2)'],
    ['too long', 'a'.repeat(51), 'must be 3 to 50 characters long (it has 51)'],
    ['upper case', 'Janes-Access-Point', 'may contain only lowercase letters, digits and hyphens'],
    ['an underscore', 'janes_access_point', 'may contain only lowercase letters, digits and hyphens'],
    ['a leading hyphen', '-janes-access-point', 'must start and end with a lowercase letter or digit'],
    ['the alias suffix -s3alias', 'janes-s3alias', 'must not end with "-s3alias" or "-ext-s3alias"'],
    ['the alias suffix -ext-s3alias', 'janes-ext-s3alias', 'must not end with "-s3alias" or "-ext-s3alias"'],
  ])('accessPointNames: %s', (_, name, rule) => {
    const stack = ownerStack();
    expect(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER, accessPointNames: [name] }] }))
      .toThrow(problem({ path: 'Owner/Data', property: 'delegations[0].accessPointNames[0]', rule, value: name }));
  });

  test.each([
    ['a wildcard action', 's3:Get*', 'must name one S3 action, without wildcards'],
    ['all S3 actions', 's3:*', 'must name one S3 action, without wildcards'],
    ['a bucket action access points do not serve', 's3:PutBucketPolicy', 'must be an S3 object or list action that access points serve'],
    ['a misspelt action', 's3:GetObjekt', 'must be an S3 object or list action that access points serve, one of: s3:AbortMultipartUpload'],
  ])('DelegatedActions.of: %s', (_, action, rule) => {
    const stack = ownerStack();
    expect(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER, actions: DelegatedActions.of('s3:GetObject', action) }] }))
      .toThrow(problem({ path: 'Owner/Data', property: 'delegations[0].actions[1]', rule, value: action }));
  });

  test('DelegatedActions.of() with no action', () => {
    const { bucket } = givenBucket();
    expect(() => bucket.delegateTo(CONSUMER, { actions: DelegatedActions.of() }))
      .toThrow(problem({ path: 'Owner/Data', property: 'delegateTo.actions', rule: 'must name at least one action', value: /\[\]/ }));
  });

  test.each([
    [s3.BucketEncryption.KMS_MANAGED, 'must not use the AWS-managed key aws/s3: its key policy cannot let other accounts decrypt'],
    [s3.BucketEncryption.DSSE_MANAGED, 'must not use the AWS-managed key aws/s3: its key policy cannot let other accounts decrypt'],
    [s3.BucketEncryption.UNENCRYPTED, 'must be S3_MANAGED, KMS or DSSE'],
  ])('encryption %s', (encryption, rule) => {
    const stack = ownerStack();
    expect(() => new DelegatedBucket(stack, 'Data', { encryption }))
      .toThrow(problem({ path: 'Owner/Data', property: 'encryption', rule, value: encryption }));
  });

  test('encryptionKey with S3_MANAGED encryption', () => {
    const stack = ownerStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new DelegatedBucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED, encryptionKey: key }))
      .toThrow(problem({ path: 'Owner/Data', property: 'encryption', rule: 'must be KMS or DSSE when an encryptionKey is given', value: s3.BucketEncryption.S3_MANAGED }));
  });

  test('encryptionKey: the AWS-managed aws/s3 key, by its alias', () => {
    const stack = ownerStack();
    const awsManaged = kms.Alias.fromAliasName(stack, 'A', 'alias/aws/s3');
    expect(() => new DelegatedBucket(stack, 'Data', { encryptionKey: awsManaged }))
      .toThrow(problem({ path: 'Owner/Data', property: 'encryptionKey', rule: 'must be a customer-managed key', value: /"[^"]*alias\/aws\/s3"/ }));
  });

  test('encryptionKey: the AWS-managed aws/s3 key, by its alias ARN', () => {
    const stack = ownerStack();
    const awsManaged = kms.Key.fromKeyArn(stack, 'K', `arn:aws:kms:${REGION}:${OWNER}:alias/aws/s3`);
    expect(() => new DelegatedBucket(stack, 'Data', { encryptionKey: awsManaged }))
      .toThrow(problem({ path: 'Owner/Data', property: 'encryptionKey', rule: 'must be a customer-managed key', value: /"[^"]*alias\/aws\/s3"/ }));
  });

  test.each([
    ['too short', 'ab', 'must be 3 to 63 characters long (it has 2)'],
    ['too long', 'b'.repeat(64), 'must be 3 to 63 characters long (it has 64)'],
    ['upper case and underscores', 'Test_Bucket_1', 'may contain only lowercase letters, digits, dots and hyphens'],
    ['a leading hyphen', '-test-bucket-1', 'must start and end with a lowercase letter or digit'],
    ['two adjacent dots', 'test..bucket', 'must not contain two adjacent dots'],
    ['an IP address', '192.168.5.4', 'must not be formatted as an IP address'],
  ])('bucketName: %s', (_, bucketName, rule) => {
    const stack = ownerStack();
    expect(() => new DelegatedBucket(stack, 'Data', { bucketName }))
      .toThrow(problem({ path: 'Owner/Data', property: 'bucketName', rule, value: bucketName }));
  });

  test('bucketName: the prefixes and suffixes that S3 reserves', () => {
    // S3 user guide, "General purpose bucket naming rules".
    const reserved = ['xn--research', 'sthree-research', 'amzn-s3-demo-research', 'research-s3alias', 'research--ol-s3', 'research.mrap', 'research--x-s3'];
    const accepted = reserved.filter((bucketName) => {
      try {
        new DelegatedBucket(ownerStack(), 'Data', { bucketName });
        return true;
      } catch (e) {
        expect((e as Error).message).toMatch(problem({ path: 'Owner/Data', property: 'bucketName', rule: 'must', value: bucketName }));
        return false;
      }
    });
    expect(accepted).toEqual([]);
  });

  describe('fromDelegatedBucketAttributes', () => {
    const valid = { bucketName: 'test-bucket-1', account: OWNER, region: REGION };

    test.each([
      ['account', { account: '12345678901' }, 'must be a 12-digit AWS account ID', '12345678901'],
      ['region', { region: 'Paris' }, 'must be an AWS Region code such as "eu-west-3"', 'Paris'],
      ['bucketName', { bucketName: 'Test_Bucket_1' }, 'may contain only lowercase letters, digits, dots and hyphens', 'Test_Bucket_1'],
      ['encryptionKeyArn', { encryptionKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }, 'must be a KMS key ARN such as', '1234abcd-12ab-34cd-56ef-1234567890ab'],
      ['encryptionKeyArn', { encryptionKeyArn: `arn:aws:kms:${REGION}:${OWNER}:alias/aws/s3` }, 'must be a customer-managed key', `arn:aws:kms:${REGION}:${OWNER}:alias/aws/s3`],
    ])('%s: %j', (property, change, rule, value) => {
      const stack = consumerStack(new App());
      expect(() => DelegatedBucket.fromDelegatedBucketAttributes(stack, 'OwnerBucket', { ...valid, ...change }))
        .toThrow(problem({ path: 'Consumer/OwnerBucket', property, rule, value }));
    });

    test('a rejected import leaves nothing behind', () => {
      const stack = consumerStack(new App());
      expect(() => DelegatedBucket.fromDelegatedBucketAttributes(stack, 'OwnerBucket', { ...valid, account: 'owner', encryptionKeyArn: KEY_ARN }))
        .toThrow(/^Consumer\/OwnerBucket:/);
      expect(stack.node.tryFindChild('OwnerBucket')?.node.children ?? []).toHaveLength(0);
    });
  });

  test('every problem is reported in the one error', () => {
    const stack = ownerStack();
    const build = () => new DelegatedBucket(stack, 'Data', {
      bucketName: 'Test_Bucket_1',
      encryption: s3.BucketEncryption.KMS_MANAGED,
      delegations: [
        { account: CONSUMER },
        { account: '1111-2222-3333', prefixes: ['/ResearchData/'], accessPointNames: ['Janes'], actions: DelegatedActions.of('s3:*') },
      ],
    });

    let message = '';
    try {
      build();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')[0]).toBe('Owner/Data:');
    for (const property of [
      'bucketName', 'encryption', 'delegations[1].account', 'delegations[1].prefixes[0]',
      'delegations[1].accessPointNames[0]', 'delegations[1].actions[0]',
    ]) {
      expect(message).toMatch(new RegExp(`\\n {2}- ${escapeRegExp(property)} `));
    }
    expect(message).not.toMatch(/delegations\[0\]/);
  });

  test('a rejected DelegatedBucket creates nothing, and its id can be used again', () => {
    // GIVEN an owner stack
    const stack = ownerStack();

    // WHEN the construct rejects its props
    expect(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: 'marketing' }] })).toThrow(/Owner\/Data/);

    // THEN it added nothing to the stack, and the id is free
    expect(stack.node.tryFindChild('Data')?.node.children ?? []).toHaveLength(0);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
    expect(() => new DelegatedBucket(stack, 'Data')).not.toThrow();
  });

  test('a rejected delegateTo changes neither the bucket policy nor the key policy', () => {
    const { stack, bucket } = givenBucket({ encryption: s3.BucketEncryption.KMS, delegations: [{ account: CONSUMER }] });
    const policyBefore = JSON.stringify(stack.resolve(bucket.bucket.policy!.document));
    const keyPolicyBefore = JSON.stringify(stack.resolve((bucket.encryptionKey!.node.defaultChild as kms.CfnKey).keyPolicy));

    expect(() => bucket.delegateTo(OTHER_CONSUMER, { prefixes: ['*'] })).toThrow(/delegateTo\.prefixes\[0\]/);

    expect(JSON.stringify(stack.resolve(bucket.bucket.policy!.document))).toBe(policyBefore);
    expect(JSON.stringify(stack.resolve((bucket.encryptionKey!.node.defaultChild as kms.CfnKey).keyPolicy))).toBe(keyPolicyBefore);
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

describe('values known only at deploy time', () => {
  test('a prefix known only at deploy time passes, with a warning that its value must end with "/"', () => {
    const { stack, bucket } = givenBucket();
    bucket.delegateTo(CONSUMER, { prefixes: [new CfnParameter(stack, 'Folder').valueAsString] });
    Annotations.fromStack(stack).hasWarning('/Owner/Data', Match.stringLikeRegexp('known only at deploy time.*must end with "/"'));
  });

  test('a prefix token that resolves at synth gives no such warning', () => {
    const { stack, bucket } = givenBucket();
    bucket.delegateTo(CONSUMER, { prefixes: [Lazy.string({ produce: () => 'ResearchData' })] });
    Annotations.fromStack(stack).hasNoWarning('/Owner/Data', Match.stringLikeRegexp('known only at deploy time'));
  });

  test('token accounts and prefixes pass validation untouched and reach the policy', () => {
    const app = new App();
    const stack = ownerStack(app);
    const consumerAccount = new CfnParameter(stack, 'ConsumerAccount');
    const folder = Lazy.string({ produce: () => 'ResearchData/' });

    const build = () => new DelegatedBucket(stack, 'Data', {
      encryption: s3.BucketEncryption.KMS,
      delegations: [
        { account: consumerAccount.valueAsString, prefixes: [folder] },
        { account: Aws.ACCOUNT_ID },
        { account: Token.asString({ 'Fn::ImportValue': 'PartnerAccountId' }) },
        { account: Lazy.string({ produce: () => OTHER_CONSUMER }) },
      ],
    });

    expect(build).not.toThrow();
    const bucket = stack.node.findChild('Data') as DelegatedBucket;
    const { objects } = arnsOf(bucket.bucket);
    const statements = delegationStatements(bucket);
    expect(statements[0]).toMatchObject({
      Resource: objects('ResearchData/*'),
      Condition: { StringEquals: { 's3:DataAccessPointAccount': [{ Ref: 'ConsumerAccount' }] } },
    });
    expect(statements[2].Condition!.StringEquals['s3:DataAccessPointAccount']).toEqual([
      { Ref: 'AWS::AccountId' },
      { 'Fn::ImportValue': 'PartnerAccountId' },
      OTHER_CONSUMER,
    ]);
  });

  test('a token prefix known at synth time is normalised like a literal one: never ResearchData*', () => {
    const { bucket } = givenBucket({ delegations: [{ account: CONSUMER, prefixes: [Lazy.string({ produce: () => 'ResearchData' })] }] });
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(keyPatternsOf(objectStatement)).toEqual(['ResearchData/*']);
    expect(listStatement.Condition!.StringLike).toEqual({ 's3:prefix': ['ResearchData/', 'ResearchData/*'] });
  });
});

// ---------------------------------------------------------------------------------------------
// Synth-time checks
// ---------------------------------------------------------------------------------------------

describe('checks when the app is synthesized', () => {
  test.each<[string, Record<string, Record<string, string>> | undefined]>([
    ['no condition', undefined],
    ['only a condition on a key that does not name the caller', { StringEquals: { 's3:ExistingObjectTag/classification': 'public' } }],
    ['s3:DataAccessPointAccount matching a wildcard', { StringLike: { 's3:DataAccessPointAccount': '*' } }],
    ['StringEqualsIfExists, which is true when the key is absent', { StringEqualsIfExists: { 's3:DataAccessPointAccount': CONSUMER } }],
  ])('allowing anyone with %s would make the bucket public: synthesis fails', (_, conditions) => {
    // GIVEN a delegated bucket
    const { app, bucket } = givenBucket({ delegations: [{ account: CONSUMER }] });

    // WHEN the owner adds a statement that allows anyone, with no fixed-value condition
    const statement = publicRead(bucket.bucket);
    Object.entries(conditions ?? {}).forEach(([operator, keys]) => statement.addCondition(operator, keys));
    bucket.bucket.addToResourcePolicy(statement);

    // THEN synthesis fails, naming the construct and the statement (after the TLS deny and the two delegation statements)
    expect(() => app.synth()).toThrow(/\[Owner\/Data\] bucket ?policy statement 3 [^\n]*wildcard principal without a fixed-value condition[^\n]*public/i);
  });

  test('the same statement narrowed by a fixed aws:PrincipalOrgID is not public and synthesizes', () => {
    const { app, bucket } = givenBucket();
    const statement = publicRead(bucket.bucket);
    statement.addCondition('StringEquals', { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' });

    bucket.bucket.addToResourcePolicy(statement);

    expect(() => app.synth()).not.toThrow();
    expect(bucketPolicyOf(bucket.bucket)).toContainEqual(expect.objectContaining({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    }));
  });

  test('a bucket policy over 20,480 bytes fails synthesis with its size and the limit', () => {
    // GIVEN 300 delegations, each to a different long prefix (so none can share a statement)
    const { app, bucket } = givenBucket();
    for (let i = 0; i < 300; i++) {
      bucket.delegateTo(CONSUMER, { prefixes: [`ResearchData/project-${i}/a-rather-long-folder-name-for-the-policy-size-test/`] });
    }

    // THEN synthesis fails with the size in bytes, over the limit
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[Owner\/Data\] The bucket policy is [\d,]+ bytes of minified JSON, over S3's limit of 20,480 bytes/);
    expect(reportedBytes(message)).toBeGreaterThan(20_480);
  });

  test('a bucket policy between 90% and 100% of the limit synthesizes with a warning', () => {
    // GIVEN 620 accounts with the same boundary: one pair of statements, 620 account IDs each
    const { stack, bucket } = givenBucket();
    accounts(620).forEach((account) => bucket.delegateTo(account));

    // THEN the app synthesizes, with a warning that gives the size and the limit
    const warnings = Annotations.fromStack(stack).findWarning('/Owner/Data', Match.stringLikeRegexp('near S3\'s limit of 20,480 bytes'));
    expect(warnings).toHaveLength(1);
    const bytes = reportedBytes(String(warnings[0].entry.data));
    expect(bytes).toBeGreaterThan(20_480 * 0.9);
    expect(bytes).toBeLessThanOrEqual(20_480);
  });
});

/*
 * The specification of DelegatedBucket: the owner's side of sharing an S3 bucket through
 * cross-account access points (the AWS Storage Blog scenario: owner 123456789010 shares
 * ResearchData/ of test-bucket-1 in eu-west-3 with account 111122223333).
 *
 * Read top to bottom: what a bucket is before anything is shared, the options, the shapes that
 * delegations take in the bucket policy and the key policy, the attributes consumers use, the
 * inputs the construct rejects, and the checks that run when the app is synthesized.
 *
 * Each input's property is wired to its rule once here; the catalogue of bad values of each rule
 * lives in bad-inputs.test.ts and in the property tests of the rules.
 */
import { App, Aws, CfnElement, Annotations as CoreAnnotations, CfnOutput, CfnParameter, Fn, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { DelegatedBucket, DelegationOptions, NetworkOrigin, S3Actions } from '../src';
import {
  CONSUMER_ACCOUNT, CONSUMER_ENV, KEY_ARN, OWNER_ACCOUNT, OWNER_ENV, REGION,
  accounts, consumerApp, expectProblem, problemPattern, thrownBy, twoAccountApp,
} from './support/fixtures';
import { Warnings } from '../src/private/warnings';

/** A second account the owner trusts. */
const PARTNER_ACCOUNT = '777788889999';
/** An account the owner lets write. */
const WRITER_ACCOUNT = '222233334444';
/** A third account the owner trusts. */
const AUDITOR_ACCOUNT = '555566667777';
const BUCKET_PATH = 'Owner/Data';
const ALL_BLOCK_PUBLIC_ACCESS = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'];
const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];
const ACCOUNT_RULE = 'must be a 12-digit AWS account ID';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** An owner stack without a bucket yet, for buckets built from props that need other constructs or are rejected. */
function ownerStack(): Stack {
  return new Stack(new App(), 'Owner', { env: OWNER_ENV });
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

/** The properties of a construct's CloudFormation resource, as synthesized. */
function propertiesOf(construct: IConstruct): Record<string, any> {
  return Template.fromStack(Stack.of(construct)).toJSON().Resources[logicalIdOf(construct)].Properties;
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

/** The statements of a KMS key's policy, as synthesized. */
function keyPolicyOf(key: kms.IKey): StatementJson[] {
  return propertiesOf(key).KeyPolicy.Statement;
}

function actionsOf(statement: StatementJson): string[] {
  return [statement.Action].flat();
}

/** The accounts a delegation statement trusts. */
function trustedAccountsOf(statement: StatementJson): unknown {
  return statement.Condition!.StringEquals['s3:DataAccessPointAccount'];
}

/** The key patterns of object ARNs `${bucketArn}/KEY` in a statement's Resource. */
function keyPatternsOf(statement: StatementJson): string[] {
  return [statement.Resource].flat().map((resource) => {
    const [, parts] = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return String(parts[parts.length - 1]).replace(/^\//, '');
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/** Allow s3:GetObject to anyone, with nothing that narrows it: a public statement. */
function publicRead(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('*')],
  });
}

/** The size in bytes that a policy-size message reports. */
function reportedBytes(message: string, policy: 'bucket policy' | 'key policy'): number {
  const match = new RegExp(`The ${policy} is ([\\d,]+) bytes`).exec(message);
  expect(match).not.toBeNull();
  return Number(match![1].replace(/,/g, ''));
}

/** The messages of the warnings with the given ID in a stack (aws-cdk ends each with `[ack: ID]`). */
function warningsWithId(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(escapeRegExp(`[ack: ${id}]`)))
    .map((w) => String(w.entry.data));
}

/** GIVEN `n` accounts, each delegated the same boundary on `bucket`. */
function delegateToMany(bucket: DelegatedBucket, n: number, options: DelegationOptions, first?: number): void {
  accounts(n, first).forEach((account) => bucket.delegateTo(account, options));
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

describe('DelegatedBucket defaults: secure before anything is shared', () => {
  test('all four Block Public Access settings are on', () => {
    const { bucket } = twoAccountApp();
    expect(propertiesOf(bucket.bucket).PublicAccessBlockConfiguration).toEqual(ALL_BLOCK_PUBLIC_ACCESS);
  });

  test('every request without TLS is denied', () => {
    const { bucket } = twoAccountApp();
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
    const { bucket } = twoAccountApp();
    expect(propertiesOf(bucket.bucket).OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('versioning is enabled', () => {
    const { bucket } = twoAccountApp();
    expect(propertiesOf(bucket.bucket).VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('objects are encrypted with S3-managed keys (SSE-S3), which other accounts can read; no KMS key is made', () => {
    const { owner, bucket } = twoAccountApp();
    expect(propertiesOf(bucket.bucket).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    Template.fromStack(owner).resourceCountIs('AWS::KMS::Key', 0);
    expect(bucket.encryptionKey).toBeUndefined();
  });

  test('both buckets abort multipart uploads left incomplete for 7 days, and expire nothing else', () => {
    const { bucket } = twoAccountApp();
    for (const b of [bucket.bucket, bucket.serverAccessLogsBucket]) {
      expect(propertiesOf(b).LifecycleConfiguration).toEqual({
        Rules: [{ Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }],
      });
    }
  });

  test('the bucket and its log bucket are retained when removed from the stack or replaced', () => {
    const { owner, bucket } = twoAccountApp();
    const resources = Template.fromStack(owner).toJSON().Resources;
    for (const b of [bucket.bucket, bucket.serverAccessLogsBucket]) {
      expect(resources[logicalIdOf(b)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('server access logs go to a log bucket that the construct creates', () => {
    const { owner, bucket } = twoAccountApp();
    Template.fromStack(owner).resourceCountIs('AWS::S3::Bucket', 2);
    expect(propertiesOf(bucket.bucket).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(bucket.serverAccessLogsBucket) },
    });
  });

  test('the created log bucket is itself versioned, private, TLS only and SSE-S3, and does not log into itself', () => {
    const { bucket } = twoAccountApp();
    const logs = bucket.serverAccessLogsBucket;
    const properties = propertiesOf(logs);
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
    const { bucket } = twoAccountApp();
    const logs = arnsOf(bucket.serverAccessLogsBucket);
    expect(bucketPolicyOf(bucket.serverAccessLogsBucket)).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: logs.objects('*'),
      Condition: {
        ArnLike: { 'aws:SourceArn': arnsOf(bucket.bucket).arn },
        StringEquals: { 'aws:SourceAccount': OWNER_ACCOUNT },
      },
    });
  });

  test('nothing is shared until a delegation is made: the bucket policy only denies', () => {
    const { bucket } = twoAccountApp();
    expect(bucketPolicyOf(bucket.bucket).map((s) => s.Effect)).toEqual(['Deny']);
  });

  test('the bucket gets the physical name it is given', () => {
    const { bucket } = twoAccountApp({ bucketName: 'test-bucket-1' });
    expect(propertiesOf(bucket.bucket).BucketName).toBe('test-bucket-1');
  });

  test('without a name, the bucket gets a valid name that does not depend on who references it', () => {
    const { bucket } = twoAccountApp();
    const name = propertiesOf(bucket.bucket).BucketName;
    expect(name).toMatch(/^owner-data-[0-9a-f]{12}$/);
    expect(propertiesOf(twoAccountApp().bucket.bucket).BucketName).toBe(name);
  });

  test('without a name, a stack in another account that uses bucketName gets a generated name as a literal', () => {
    // GIVEN an owner bucket without a name, and a consumer stack in another account
    const { consumer, bucket } = twoAccountApp();

    // WHEN the consumer refers to the bucket's name
    new CfnOutput(consumer, 'BucketName', { value: bucket.bucketName });

    // THEN the owner's bucket gets a fixed name, and the consumer holds that name as a plain string
    const generated = propertiesOf(bucket.bucket).BucketName;
    expect(generated).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
    expect(Template.fromStack(consumer).toJSON().Outputs.BucketName.Value).toBe(generated);
  });

  test("the s3.Bucket is the child 'Resource': node.defaultChild finds it, and its logical ID is the construct's", () => {
    const { bucket } = twoAccountApp();
    expect(bucket.node.findChild('Resource')).toBe(bucket.bucket);
    expect(bucket.node.defaultChild).toBe(bucket.bucket);
    expect(logicalIdOf(bucket.bucket)).toMatch(/^Data[0-9A-F]{8}$/);
  });

  test('a default bucket synthesizes without warnings', () => {
    const { owner } = twoAccountApp();
    Annotations.fromStack(owner).hasNoWarning('*', Match.anyValue());
  });
});

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

describe('DelegatedBucket options', () => {
  test('server access logs can go to a given log bucket, under a given prefix; no log bucket is created', () => {
    const stack = ownerStack();
    const logs = new s3.Bucket(stack, 'Logs');

    const bucket = new DelegatedBucket(stack, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'test-bucket-1/' });

    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 2);
    expect(propertiesOf(bucket.bucket).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(logs) },
      LogFilePrefix: 'test-bucket-1/',
    });
    expect(bucket.serverAccessLogsBucket).toBe(logs);
  });

  test('a given log bucket with ACLs off receives the logs through its bucket policy, as a created one does', () => {
    // GIVEN a log bucket configured like the one the construct would create (ACLs off)
    const stack = ownerStack();
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
    const properties = propertiesOf(logs);
    expect(properties.AccessControl).toBeUndefined();
    expect(properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.serverAccessLogsBucket).toBe(logs);
  });

  test('removalPolicy applies to the bucket and the created log bucket, never to the created key', () => {
    const { owner, bucket } = twoAccountApp({ removalPolicy: RemovalPolicy.DESTROY, encryption: s3.BucketEncryption.KMS });
    const resources = Template.fromStack(owner).toJSON().Resources;
    for (const construct of [bucket.bucket, bucket.serverAccessLogsBucket]) {
      expect(resources[logicalIdOf(construct)]).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
    // The key is the only way to read what it encrypted: it outlives any removal policy.
    expect(resources[logicalIdOf(bucket.encryptionKey!)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('encryption KMS creates a retained customer-managed key with rotation, used through an S3 Bucket Key', () => {
    const { owner, bucket } = twoAccountApp({ encryption: s3.BucketEncryption.KMS });
    const template = Template.fromStack(owner);

    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(bucket.encryptionKey).toBeInstanceOf(kms.Key);
    const keyId = logicalIdOf(bucket.encryptionKey!);
    expect(template.toJSON().Resources[keyId]).toMatchObject({
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(propertiesOf(bucket.bucket).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }],
    });
  });

  test('a given encryptionKey implies KMS encryption with that key; no key is created', () => {
    const stack = ownerStack();
    const key = new kms.Key(stack, 'GivenKey');

    const bucket = new DelegatedBucket(stack, 'Data', { encryptionKey: key });

    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
    expect(bucket.encryptionKey).toBe(key);
    expect(propertiesOf(bucket.bucket).BucketEncryption.ServerSideEncryptionConfiguration).toEqual([expect.objectContaining({
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] } },
    })]);
  });

  test('encryption DSSE uses dual-layer encryption with a created customer-managed key, without S3 Bucket Keys (S3 does not support them for DSSE-KMS)', () => {
    const { bucket } = twoAccountApp({ encryption: s3.BucketEncryption.DSSE });
    expect(bucket.encryptionKey).toBeInstanceOf(kms.Key);
    expect(propertiesOf(bucket.bucket).BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(bucket.encryptionKey!), 'Arn'] } },
    }]);
  });
});

// ---------------------------------------------------------------------------------------------
// S3Actions
// ---------------------------------------------------------------------------------------------

describe('S3Actions: the actions a delegation allows', () => {
  test('READ reads objects and their versions and lists keys; WRITE writes, deletes and aborts uploads; READ_WRITE is both', () => {
    expect(S3Actions.READ.actions).toEqual(READ_ACTIONS);
    expect(S3Actions.WRITE.actions).toEqual(WRITE_ACTIONS);
    expect(S3Actions.READ_WRITE.actions).toEqual([...READ_ACTIONS, ...WRITE_ACTIONS]);
  });

  test('no preset includes s3:DeleteObjectVersion, which destroys data on a versioned bucket', () => {
    for (const preset of [S3Actions.READ, S3Actions.WRITE, S3Actions.READ_WRITE]) {
      expect(preset.actions).not.toContain('s3:DeleteObjectVersion');
    }
  });

  test('the presets cannot be changed: actions is a copy, so a delegation of READ still only reads', () => {
    // WHEN a caller changes the list that READ gave it
    S3Actions.READ.actions.push('s3:PutObject');

    // THEN READ is unchanged, and so is what a delegation of READ allows
    expect(S3Actions.READ.actions).toEqual(READ_ACTIONS);
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ }] });
    expect(delegationStatements(bucket).flatMap(actionsOf)).toEqual(READ_ACTIONS);
  });

  test('S3Actions.of keeps each action once, in the order given', () => {
    expect(S3Actions.of('s3:GetObject', 's3:ListBucket', 's3:GetObject').actions).toEqual(['s3:GetObject', 's3:ListBucket']);
  });
});

// ---------------------------------------------------------------------------------------------
// Delegations in the bucket policy
// ---------------------------------------------------------------------------------------------

describe('delegations in the bucket policy', () => {
  const byAccounts = (...ids: string[]) => ({ StringEquals: { 's3:DataAccessPointAccount': ids } });
  const allowAnyone = { Effect: 'Allow', Principal: { AWS: '*' } };

  test('a delegation allows any principal, but only through access points of the delegated account', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    const statements = delegationStatements(bucket);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Principal).toEqual({ AWS: '*' });
      expect(statement.Condition).toEqual(byAccounts(CONSUMER_ACCOUNT));
    }
  });

  test('READ, the default, allows GetObject and GetObjectVersion on every key and ListBucket on the bucket', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    const { arn, objects } = arnsOf(bucket.bucket);
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects('*'), Condition: byAccounts(CONSUMER_ACCOUNT) },
      { ...allowAnyone, Action: 's3:ListBucket', Resource: arn, Condition: byAccounts(CONSUMER_ACCOUNT) },
    ]);
  });

  test('the AWS blog delegation: READ of ResearchData/ to 111122223333, as a bucket policy', () => {
    const { bucket } = twoAccountApp({
      bucketName: 'test-bucket-1',
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ, prefixes: ['ResearchData/'] }],
    });
    const { arn, objects } = arnsOf(bucket.bucket);
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects('ResearchData/*'), Condition: byAccounts(CONSUMER_ACCOUNT) },
      {
        ...allowAnyone,
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { ...byAccounts(CONSUMER_ACCOUNT), StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
      },
    ]);
  });

  describe.each(['ResearchData', 'ResearchData/'])('prefix %j', (prefix) => {
    /** The object statement, its key patterns and the listing patterns of a delegation of `prefix`. */
    function delegatedPrefix() {
      const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: [prefix] }] });
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
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] },
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData/', 'ResearchData'] },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements.map(trustedAccountsOf)).toEqual([[CONSUMER_ACCOUNT, PARTNER_ACCOUNT], [CONSUMER_ACCOUNT, PARTNER_ACCOUNT]]);
    expect(keyPatternsOf(statements[0])).toEqual(['ResearchData/*']);
  });

  test('several prefixes give one object pattern and two listing patterns each', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/', 'Reports/2024'] }] });
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(keyPatternsOf(objectStatement)).toEqual(['ResearchData/*', 'Reports/2024/*']);
    expect(listStatement.Condition!.StringLike).toEqual({ 's3:prefix': ['ResearchData/', 'ResearchData/*', 'Reports/2024/', 'Reports/2024/*'] });
  });

  test('WRITE allows PutObject, DeleteObject and AbortMultipartUpload on the objects, and neither reading nor listing', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.WRITE, prefixes: ['Uploads'] }] });
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: WRITE_ACTIONS, Resource: arnsOf(bucket.bucket).objects('Uploads/*'), Condition: byAccounts(CONSUMER_ACCOUNT) },
    ]);
  });

  test('READ_WRITE allows the READ actions and the WRITE actions, never DeleteObjectVersion', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }] });
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(actionsOf(objectStatement)).toEqual(['s3:GetObject', 's3:GetObjectVersion', ...WRITE_ACTIONS]);
    expect(actionsOf(listStatement)).toEqual(['s3:ListBucket']);
    expect(JSON.stringify(delegationStatements(bucket))).not.toContain('s3:DeleteObjectVersion');
  });

  test('S3Actions.of gives exactly the named actions: without a list action there is no ListBucket statement', () => {
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:GetObject'), prefixes: ['ResearchData/'] }],
    });
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: 's3:GetObject', Resource: arnsOf(bucket.bucket).objects('ResearchData/*'), Condition: byAccounts(CONSUMER_ACCOUNT) },
    ]);
  });

  test('delegating s3:DeleteObjectVersion is allowed, with a warning that it destroys data', () => {
    const { owner, bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:DeleteObjectVersion') }] });
    expect(actionsOf(delegationStatements(bucket)[0])).toEqual(['s3:DeleteObjectVersion']);
    expect(warningsWithId(owner, Warnings.DELETE_OBJECT_VERSION_DELEGATED)).toEqual([
      expect.stringContaining(`Account ${CONSUMER_ACCOUNT} may delete object versions (s3:DeleteObjectVersion)`),
    ]);
  });

  test('accessPointNames admit only those access points, by ARN in the bucket Region, instead of the whole account', () => {
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, accessPointNames: ['janes-researchdata-access-point'] }],
    });
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({
        StringEquals: { 's3:DataAccessPointArn': [accessPointArn(CONSUMER_ACCOUNT, 'janes-researchdata-access-point')] },
      });
    }
    expect(JSON.stringify(statements)).not.toContain('s3:DataAccessPointAccount');
  });

  test.each([
    [NetworkOrigin.VPC, 'VPC'],
    [NetworkOrigin.INTERNET, 'Internet'],
  ])('networkOrigin %s admits only access points of that network origin (s3:AccessPointNetworkOrigin = %s)', (networkOrigin, value) => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, networkOrigin }] });
    const statements = delegationStatements(bucket);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({
        StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT], 's3:AccessPointNetworkOrigin': value },
      });
    }
  });

  test('without networkOrigin, access points of either origin are admitted: there is no network origin condition', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    expect(JSON.stringify(delegationStatements(bucket))).not.toContain('s3:AccessPointNetworkOrigin');
  });

  test('accounts with identical boundaries share one statement per resource, listing both accounts', () => {
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] },
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData/'] },
      ],
    });
    expect(delegationStatements(bucket).map(trustedAccountsOf)).toEqual([
      [CONSUMER_ACCOUNT, PARTNER_ACCOUNT],
      [CONSUMER_ACCOUNT, PARTNER_ACCOUNT],
    ]);
  });

  test('accounts with different boundaries get separate statements', () => {
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] },
        { account: PARTNER_ACCOUNT, prefixes: ['Reports/'] },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements.map((s) => [trustedAccountsOf(s), actionsOf(s)[0]])).toEqual([
      [[CONSUMER_ACCOUNT], 's3:GetObject'],
      [[CONSUMER_ACCOUNT], 's3:ListBucket'],
      [[PARTNER_ACCOUNT], 's3:GetObject'],
      [[PARTNER_ACCOUNT], 's3:ListBucket'],
    ]);
  });

  test('delegations given in props and made with delegateTo produce the same policy', () => {
    const partnerOptions: DelegationOptions = {
      actions: S3Actions.READ_WRITE,
      accessPointNames: ['ingest'],
      networkOrigin: NetworkOrigin.VPC,
      objectTags: { classification: 'public' },
    };
    const viaProps = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] },
        { account: PARTNER_ACCOUNT, ...partnerOptions },
      ],
    });
    const viaDelegateTo = twoAccountApp();
    viaDelegateTo.bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData/'] });
    viaDelegateTo.bucket.delegateTo(PARTNER_ACCOUNT, partnerOptions);

    expect(delegationStatements(viaProps.bucket).length).toBeGreaterThan(4);
    expect(bucketPolicyOf(viaDelegateTo.bucket.bucket)).toEqual(bucketPolicyOf(viaProps.bucket.bucket));
  });

  test('delegateTo after construction joins the statements of an identical boundary already in the policy', () => {
    // GIVEN a bucket that already delegates ResearchData/ to one account
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] }] });

    // WHEN the same boundary is delegated to another account later
    bucket.delegateTo(PARTNER_ACCOUNT, { prefixes: ['ResearchData'] });

    // THEN the policy still has two statements, each naming both accounts
    expect(delegationStatements(bucket).map(trustedAccountsOf)).toEqual([
      [CONSUMER_ACCOUNT, PARTNER_ACCOUNT],
      [CONSUMER_ACCOUNT, PARTNER_ACCOUNT],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Object tags
// ---------------------------------------------------------------------------------------------

describe('objectTags: a delegation limited to objects that carry given tags', () => {
  const PUBLIC = { classification: 'public' };
  const allowAnyone = { Effect: 'Allow', Principal: { AWS: '*' } };
  const through = (account: string, tagKeys: Record<string, string> = {}) => ({
    StringEquals: { 's3:DataAccessPointAccount': [account], ...tagKeys },
  });

  test('READ_WRITE: reads need the tag on the object, PutObject must set it, deletes, aborts and listing have no tag condition', () => {
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE, prefixes: ['Curated'], objectTags: PUBLIC }],
    });
    const { arn, objects } = arnsOf(bucket.bucket);
    expect(delegationStatements(bucket)).toEqual([
      {
        ...allowAnyone,
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: objects('Curated/*'),
        Condition: through(CONSUMER_ACCOUNT, { 's3:ExistingObjectTag/classification': 'public' }),
      },
      {
        ...allowAnyone,
        Action: 's3:PutObject',
        Resource: objects('Curated/*'),
        Condition: through(CONSUMER_ACCOUNT, { 's3:RequestObjectTag/classification': 'public' }),
      },
      { ...allowAnyone, Action: ['s3:DeleteObject', 's3:AbortMultipartUpload'], Resource: objects('Curated/*'), Condition: through(CONSUMER_ACCOUNT) },
      {
        ...allowAnyone,
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { ...through(CONSUMER_ACCOUNT), StringLike: { 's3:prefix': ['Curated/', 'Curated/*'] } },
      },
    ]);
  });

  test('PutObjectTagging needs both: the object carries the tags and the request keeps them', () => {
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:GetObjectTagging', 's3:PutObjectTagging'), objectTags: PUBLIC }],
    });
    expect(delegationStatements(bucket).map((s) => [s.Action, s.Condition])).toEqual([
      ['s3:GetObjectTagging', through(CONSUMER_ACCOUNT, { 's3:ExistingObjectTag/classification': 'public' })],
      ['s3:PutObjectTagging', through(CONSUMER_ACCOUNT, {
        's3:ExistingObjectTag/classification': 'public',
        's3:RequestObjectTag/classification': 'public',
      })],
    ]);
  });

  test('every tag is required: two tags give two condition keys', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, objectTags: { ...PUBLIC, team: 'research' } }] });
    expect(delegationStatements(bucket)[0].Condition).toEqual(through(CONSUMER_ACCOUNT, {
      's3:ExistingObjectTag/classification': 'public',
      's3:ExistingObjectTag/team': 'research',
    }));
  });

  test('a warning names the object actions that tags cannot limit, and the delegation', () => {
    const { owner } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE, objectTags: PUBLIC }] });
    const [warning, ...others] = warningsWithId(owner, Warnings.OBJECT_TAGS_NOT_APPLICABLE);
    expect(others).toEqual([]);
    expect(warning).toContain(`delegations[0] (account ${CONSUMER_ACCOUNT}) is limited to objects tagged classification=public`);
    expect(warning).toContain('S3 evaluates no object tag for s3:DeleteObject, s3:AbortMultipartUpload');
    expect(warning).not.toContain('s3:ListBucket');
  });

  test('READ with tags gives no such warning: listing is limited by the prefixes, as it always is', () => {
    const { owner } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, objectTags: PUBLIC }] });
    expect(warningsWithId(owner, Warnings.OBJECT_TAGS_NOT_APPLICABLE)).toEqual([]);
  });

  test('the owner acknowledges the warning by its ID, cdk-cross-account-access-points:objectTagsNotApplicable', () => {
    const { owner, bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.WRITE, objectTags: PUBLIC }] });
    expect(warningsWithId(owner, 'cdk-cross-account-access-points:objectTagsNotApplicable')).toHaveLength(1);

    CoreAnnotations.of(bucket).acknowledgeWarning('cdk-cross-account-access-points:objectTagsNotApplicable', 'uploads are deleted by prefix');

    Annotations.fromStack(owner).hasNoWarning('*', Match.anyValue());
  });

  test('tags are part of the boundary: accounts with the same tags share statements, an account without them gets its own', () => {
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['Curated'], objectTags: PUBLIC },
        { account: AUDITOR_ACCOUNT, prefixes: ['Curated'] },
        { account: PARTNER_ACCOUNT, prefixes: ['Curated'], objectTags: PUBLIC },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements.map((s) => [trustedAccountsOf(s), s.Condition!.StringEquals['s3:ExistingObjectTag/classification']])).toEqual([
      [[CONSUMER_ACCOUNT, PARTNER_ACCOUNT], 'public'],
      [[CONSUMER_ACCOUNT, PARTNER_ACCOUNT], undefined],
      [[AUDITOR_ACCOUNT], undefined],
      [[AUDITOR_ACCOUNT], undefined],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Overlapping delegations to one account
// ---------------------------------------------------------------------------------------------

describe('a delegation that overlaps another to the same account must not void its restrictions', () => {
  const NAME = 'janes-researchdata-access-point';
  const PUBLIC = { classification: 'public' };
  const looserCases: Array<[string, DelegationOptions, DelegationOptions, string]> = [
    ['requires VPC origin, the other any origin', { networkOrigin: NetworkOrigin.VPC }, {}, 'requires VPC-origin access points'],
    ['names an access point, the other any', { accessPointNames: [NAME] }, {}, `names access points ${NAME}`],
    ['names an access point, the other that one and another', { accessPointNames: [NAME] }, { accessPointNames: [NAME, 'partner-ap'] }, `names access points ${NAME}`],
    ['requires a tag, the other none', { objectTags: PUBLIC }, {}, 'requires objects tagged classification=public'],
    ['requires two tags, the other one of them', { objectTags: { ...PUBLIC, team: 'research' } }, { objectTags: PUBLIC },
      'requires objects tagged classification=public, team=research'],
  ];

  test.each(looserCases)('in props: one on ResearchData/ %s on the whole bucket: the looser is rejected, naming both', (_, stricter, looser, words) => {
    // GIVEN two delegations to the consumer: the stricter one on ResearchData/, the looser one on every key
    const stack = ownerStack();
    const build = () => new DelegatedBucket(stack, 'Data', {
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'], ...stricter },
        { account: CONSUMER_ACCOUNT, ...looser },
      ],
    });

    // THEN the second is rejected: in a bucket policy (a union) it would void the first's restriction
    expectProblem(build, {
      path: BUCKET_PATH,
      property: 'delegations[1]',
      rule: new RegExp(
        'overlaps delegations\\[0\\] \\(both delegate s3:GetObject, s3:GetObjectVersion, s3:ListBucket on "ResearchData/"\\) ' +
        `with a different restriction: delegations\\[0\\] ${escapeRegExp(words)}, delegations\\[1\\] does not`,
      ),
      value: CONSUMER_ACCOUNT,
    });
  });

  test('in delegateTo: each call is checked against props and earlier calls, and named by its number', () => {
    // GIVEN a delegation in props that names the consumer's access point, for ResearchData/2024/
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/2024'], accessPointNames: [NAME] }],
    });
    // AND a first delegateTo call limited to tagged objects, on another folder
    bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['Reports'], objectTags: PUBLIC });

    // WHEN later calls cover those folders without those restrictions, THEN each is rejected, naming both delegations
    expectProblem(() => bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData'] }), {
      path: BUCKET_PATH,
      property: 'delegateTo',
      rule: /overlaps delegations\[0\] .*: delegations\[0\] names access points janes-researchdata-access-point, delegateTo\(\) call 2 does not/,
      value: CONSUMER_ACCOUNT,
    });
    expectProblem(() => bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['Reports/2024'] }), {
      path: BUCKET_PATH,
      property: 'delegateTo',
      rule: /overlaps delegateTo\(\) call 1 .*: delegateTo\(\) call 1 requires objects tagged classification=public, delegateTo\(\) call 3 does not/,
      value: CONSUMER_ACCOUNT,
    });
  });

  test.each<[string, DelegationOptions, DelegationOptions]>([
    ['on folders that share no key (ResearchData/ and ResearchData-private/)',
      { prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC }, { prefixes: ['ResearchData-private'] }],
    ['with no action in common', { actions: S3Actions.READ, networkOrigin: NetworkOrigin.VPC }, { actions: S3Actions.WRITE }],
    ['with the same restriction', { prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC }, { networkOrigin: NetworkOrigin.VPC }],
    ['with restrictions that exclude each other (VPC and Internet origin)',
      { prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC }, { networkOrigin: NetworkOrigin.INTERNET }],
    ['with tags that exclude each other',
      { prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC, objectTags: { team: 'research' } }, { networkOrigin: NetworkOrigin.VPC, objectTags: { team: 'sales' } }],
  ])('two delegations to one account %s are accepted, each keeping its restriction', (_, first, second) => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, ...first }] });

    expect(() => bucket.delegateTo(CONSUMER_ACCOUNT, second)).not.toThrow();

    expect(delegationStatements(bucket)[0].Condition!.StringEquals['s3:AccessPointNetworkOrigin']).toBe('VPC');
  });

  // Known gap: the overlap check skips every prefix that is a token, even one that resolves at synth
  // (which the bucket policy now normalises). Remove `.failing` once it compares the resolved values.
  test('a prefix given as a token that resolves at synth is checked for overlaps like a literal one', () => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', {
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: [Lazy.string({ produce: () => 'ResearchData' })], networkOrigin: NetworkOrigin.VPC },
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/2024'] },
      ],
    }), { path: BUCKET_PATH, property: 'delegations[1]', rule: 'overlaps delegations[0]', value: CONSUMER_ACCOUNT });
  });

  test('overlapping delegations to different accounts may have different restrictions', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, networkOrigin: NetworkOrigin.VPC }] });
    expect(() => bucket.delegateTo(PARTNER_ACCOUNT)).not.toThrow();
    expect(delegationStatements(bucket).map(trustedAccountsOf)).toEqual([
      [CONSUMER_ACCOUNT], [CONSUMER_ACCOUNT], [PARTNER_ACCOUNT], [PARTNER_ACCOUNT],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Encryption: the write guard and the KMS key policy
// ---------------------------------------------------------------------------------------------

describe('writes through consumers\' access points keep the owner\'s encryption', () => {
  const denies = (bucket: DelegatedBucket) => bucketPolicyOf(bucket.bucket).filter((st) => st.Effect === 'Deny' && st.Action === 's3:PutObject');
  const throughWriters = (...ids: string[]) => ({ 's3:DataAccessPointAccount': ids });

  test('read-only delegations add no write guard', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    expect(denies(bucket)).toEqual([]);
  });

  test('with SSE-S3, writers may not bring SSE-C or a KMS key', () => {
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE },
        { account: PARTNER_ACCOUNT },
        { account: WRITER_ACCOUNT, actions: S3Actions.WRITE },
      ],
    });
    const { objects } = arnsOf(bucket.bucket);
    expect(denies(bucket)).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: objects('*'),
        Condition: {
          StringEquals: throughWriters(CONSUMER_ACCOUNT, WRITER_ACCOUNT),
          Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
        },
      },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: objects('*'),
        Condition: { StringEquals: { ...throughWriters(CONSUMER_ACCOUNT, WRITER_ACCOUNT), 's3:x-amz-server-side-encryption': ['aws:kms', 'aws:kms:dsse'] } },
      },
    ]);
  });

  test('with SSE-KMS, writers may name no key but the bucket\'s (the deny applies only when a key is named)', () => {
    const { bucket } = twoAccountApp({
      encryption: s3.BucketEncryption.KMS,
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }],
    });
    expect(denies(bucket)[1].Condition).toEqual({
      StringEquals: throughWriters(CONSUMER_ACCOUNT),
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [logicalIdOf(bucket.encryptionKey!), 'Arn'] } },
    });
  });
});

describe('the key policy of a customer-managed key', () => {
  /** The key's own statement: the owner account's IAM policies decide who in it may use the key. */
  const ROOT_STATEMENT = { Effect: 'Allow', Principal: { AWS: accountRoot(OWNER_ACCOUNT) }, Action: 'kms:*', Resource: '*' };

  /** `arn:${Partition}:s3:::NAME` followed by `suffix`, as the template writes it. */
  function bucketArn(name: string, suffix = '') {
    return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${name}${suffix}`]] };
  }

  /** The statement that lets `callers` use the key for `actions`, only through S3 in the bucket Region, for the bucket `name`. */
  function keyUse(name: string, actions: string | string[], callers: string[]) {
    return {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: actions,
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': callers },
        // Only for this bucket and its objects (S3 puts their ARN in the encryption context).
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn(name), bucketArn(name, '/*')] },
      },
    };
  }

  test('two readers and one writer give two statements: one per set of KMS actions, naming the accounts that need it', () => {
    // GIVEN a KMS-encrypted bucket shared with two readers and a writer
    const { bucket } = twoAccountApp({
      encryption: s3.BucketEncryption.KMS,
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: S3Actions.READ },
        { account: WRITER_ACCOUNT, actions: S3Actions.READ_WRITE },
        { account: PARTNER_ACCOUNT, actions: S3Actions.READ, prefixes: ['Reports'] },
      ],
    });

    // THEN the readers may decrypt, the writer may also generate data keys, all only through S3, for this bucket
    const name = propertiesOf(bucket.bucket).BucketName;
    expect(keyPolicyOf(bucket.encryptionKey!)).toEqual([
      ROOT_STATEMENT,
      keyUse(name, 'kms:Decrypt', [CONSUMER_ACCOUNT, PARTNER_ACCOUNT]),
      keyUse(name, ['kms:Decrypt', 'kms:GenerateDataKey'], [WRITER_ACCOUNT]),
    ]);
  });

  test('an account that delegates twice is named once', () => {
    const { bucket } = twoAccountApp({
      bucketName: 'test-bucket-1',
      encryption: s3.BucketEncryption.KMS,
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] }, { account: CONSUMER_ACCOUNT, prefixes: ['Reports'] }],
    });
    expect(keyPolicyOf(bucket.encryptionKey!)).toEqual([ROOT_STATEMENT, keyUse('test-bucket-1', 'kms:Decrypt', [CONSUMER_ACCOUNT])]);
  });

  test("the owner's own account gets no statement: the key's own statement lets its IAM policies decide", () => {
    const { bucket } = twoAccountApp({
      encryption: s3.BucketEncryption.KMS,
      delegations: [{ account: OWNER_ACCOUNT, actions: S3Actions.READ_WRITE }],
    });
    expect(keyPolicyOf(bucket.encryptionKey!)).toEqual([ROOT_STATEMENT]);
  });

  test('a given key in the same app gets the same statements', () => {
    const stack = ownerStack();
    const key = new kms.Key(stack, 'GivenKey');
    const bucket = new DelegatedBucket(stack, 'Data', { bucketName: 'test-bucket-1', encryptionKey: key });

    bucket.delegateTo(CONSUMER_ACCOUNT);

    expect(keyPolicyOf(key)).toEqual([ROOT_STATEMENT, keyUse('test-bucket-1', 'kms:Decrypt', [CONSUMER_ACCOUNT])]);
  });

  test('an imported key cannot be changed: a warning says what the key policy must allow', () => {
    const stack = ownerStack();

    new DelegatedBucket(stack, 'Data', {
      encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', KEY_ARN),
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }],
    });

    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    expect(warningsWithId(stack, Warnings.KEY_POLICY_NOT_MANAGED)).toEqual([expect.stringContaining(
      `not managed by this stack: let account ${CONSUMER_ACCOUNT} use it through S3 (kms:Decrypt, kms:GenerateDataKey with kms:ViaService s3.${REGION}.amazonaws.com)`,
    )]);
  });

  test('SSE-S3 buckets have no key to change and give no warning', () => {
    const { owner } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    Template.fromStack(owner).resourceCountIs('AWS::KMS::Key', 0);
    Annotations.fromStack(owner).hasNoWarning('*', Match.anyValue());
  });
});

// ---------------------------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------------------------

describe('attributes', () => {
  test('bucket, bucketName, bucketArn, bucketAccount, bucketRegion and encryptionKey describe the bucket', () => {
    const { owner, bucket } = twoAccountApp({ encryption: s3.BucketEncryption.KMS });
    const id = logicalIdOf(bucket.bucket);

    expect(bucket.bucket).toBeInstanceOf(s3.Bucket);
    expect(owner.resolve(bucket.bucketName)).toEqual({ Ref: id });
    expect(owner.resolve(bucket.bucketArn)).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(bucket.bucketAccount).toBe(OWNER_ACCOUNT);
    expect(bucket.bucketRegion).toBe(REGION);
    expect(bucket.encryptionKey).toBe(bucket.bucket.encryptionKey);
  });

  test('owner-side grants work on bucket.bucket as on any bucket', () => {
    const { owner, bucket } = twoAccountApp();
    const role = new iam.Role(owner, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });

    bucket.bucket.grantRead(role);

    const { arn, objects } = arnsOf(bucket.bucket);
    Template.fromStack(owner).hasResourceProperties('AWS::IAM::Policy', {
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
    const { owner, bucket } = twoAccountApp();
    const imported = DelegatedBucket.fromDelegatedBucketAttributes(owner, 'Imported', { bucketName: 'test-bucket-1', account: OWNER_ACCOUNT, region: REGION });

    expect(DelegatedBucket.isDelegatedBucket(bucket)).toBe(true);
    expect(DelegatedBucket.isDelegatedBucket(bucket.bucket)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket(imported)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket(undefined)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket(null)).toBe(false);
    expect(DelegatedBucket.isDelegatedBucket('Data')).toBe(false);
  });

  test('fromDelegatedBucketAttributes gives back the attributes, the bucket ARN and the key from its ARN', () => {
    const { consumer, bucket: imported } = consumerApp({ encryptionKeyArn: KEY_ARN });

    expect(imported.bucketName).toBe('test-bucket-1');
    expect(imported.bucketAccount).toBe(OWNER_ACCOUNT);
    expect(imported.bucketRegion).toBe(REGION);
    expect(consumer.resolve(imported.bucketArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::test-bucket-1']] });
    expect(imported.encryptionKey?.keyArn).toBe(KEY_ARN);
  });

  test('fromDelegatedBucketAttributes without a key ARN describes an SSE-S3 bucket', () => {
    const { bucket: imported } = consumerApp();
    expect(imported.encryptionKey).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Validation at construction
// ---------------------------------------------------------------------------------------------

describe('rejected inputs: one Error naming the construct path, the property, the rule and the value', () => {
  test('delegations[].account', () => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT }, { account: '11112222333' }] }),
      { path: BUCKET_PATH, property: 'delegations[1].account', rule: ACCOUNT_RULE, value: '11112222333' });
  });

  test('delegateTo account', () => {
    const { bucket } = twoAccountApp();
    expectProblem(() => bucket.delegateTo('1111-2222-3333'), { path: BUCKET_PATH, property: 'delegateTo.account', rule: ACCOUNT_RULE, value: '1111-2222-3333' });
  });

  test('prefixes with "." or ".." folders, in props and in delegateTo: S3 keys are literal, clients may normalise them', () => {
    const stack = ownerStack();
    const rule = 'must not contain "." or ".." folder names';
    expectProblem(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['Reports/', 'Sales/../Finance'] }] }),
      { path: BUCKET_PATH, property: 'delegations[0].prefixes[1]', rule, value: 'Sales/../Finance' });

    const { bucket } = twoAccountApp();
    expectProblem(() => bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['../x'] }), { path: BUCKET_PATH, property: 'delegateTo.prefixes[0]', rule, value: '../x' });
  });

  test('delegations[].accessPointNames', () => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, accessPointNames: ['Janes-Access-Point'] }] }),
      { path: BUCKET_PATH, property: 'delegations[0].accessPointNames[0]', rule: 'may contain only lowercase letters, digits and hyphens', value: 'Janes-Access-Point' });
  });

  test('delegations[].objectTags', () => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, objectTags: { 'aws:team': 'research' } }] }),
      { path: BUCKET_PATH, property: 'delegations[0].objectTags', rule: 'key must not start with "aws:"', value: 'aws:team' });
  });

  test('S3Actions.of with a wildcard action', () => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:GetObject', 's3:Get*') }] }),
      { path: BUCKET_PATH, property: 'delegations[0].actions[1]', rule: 'must name one S3 action, without wildcards', value: 's3:Get*' });
  });

  test('S3Actions.of() with no action', () => {
    const { bucket } = twoAccountApp();
    expectProblem(() => bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.of() }),
      { path: BUCKET_PATH, property: 'delegateTo.actions', rule: 'must name at least one action', value: /\[\]/ });
  });

  test.each([
    [s3.BucketEncryption.KMS_MANAGED, 'must not use the AWS-managed key aws/s3: its key policy cannot let other accounts decrypt'],
    [s3.BucketEncryption.DSSE_MANAGED, 'must not use the AWS-managed key aws/s3: its key policy cannot let other accounts decrypt'],
    [s3.BucketEncryption.UNENCRYPTED, 'must be S3_MANAGED, KMS or DSSE'],
  ])('encryption %s', (encryption, rule) => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', { encryption }), { path: BUCKET_PATH, property: 'encryption', rule, value: encryption });
  });

  test('encryptionKey with S3_MANAGED encryption', () => {
    const stack = ownerStack();
    const key = new kms.Key(stack, 'Key');
    expectProblem(() => new DelegatedBucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED, encryptionKey: key }),
      { path: BUCKET_PATH, property: 'encryption', rule: 'must be KMS or DSSE when an encryptionKey is given', value: s3.BucketEncryption.S3_MANAGED });
  });

  test('encryptionKey: the AWS-managed aws/s3 key', () => {
    const stack = ownerStack();
    const awsManaged = kms.Alias.fromAliasName(stack, 'A', 'alias/aws/s3');
    expectProblem(() => new DelegatedBucket(stack, 'Data', { encryptionKey: awsManaged }),
      { path: BUCKET_PATH, property: 'encryptionKey', rule: 'must be a customer-managed key', value: /"[^"]*alias\/aws\/s3"/ });
  });

  test('bucketName', () => {
    const stack = ownerStack();
    expectProblem(() => new DelegatedBucket(stack, 'Data', { bucketName: 'Test_Bucket_1' }),
      { path: BUCKET_PATH, property: 'bucketName', rule: 'may contain only lowercase letters, digits, dots and hyphens', value: 'Test_Bucket_1' });
  });

  describe('fromDelegatedBucketAttributes', () => {
    test.each([
      ['account', { account: '12345678901' }, 'must be a 12-digit AWS account ID', '12345678901'],
      ['region', { region: 'Paris' }, 'must be an AWS Region code such as "eu-west-3"', 'Paris'],
      ['bucketName', { bucketName: 'Test_Bucket_1' }, 'may contain only lowercase letters, digits, dots and hyphens', 'Test_Bucket_1'],
      ['encryptionKeyArn', { encryptionKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }, 'must be a KMS key ARN such as', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ])('%s: %j', (property, change, rule, value) => {
      expectProblem(() => consumerApp(change), { path: 'Consumer/TestBucket1', property, rule, value });
    });

    test('a rejected import creates nothing: not even the key its ARN names', () => {
      const app = new App();
      const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
      expect(() => DelegatedBucket.fromDelegatedBucketAttributes(consumer, 'OwnerBucket', {
        bucketName: 'test-bucket-1', account: 'owner', region: REGION, encryptionKeyArn: KEY_ARN,
      })).toThrow(/^Consumer\/OwnerBucket:/);
      expect(consumer.node.findChild('OwnerBucket').node.children).toEqual([]);
    });
  });

  test('every problem is reported in the one error', () => {
    const stack = ownerStack();
    const message = thrownBy(() => new DelegatedBucket(stack, 'Data', {
      bucketName: 'Test_Bucket_1',
      encryption: s3.BucketEncryption.KMS_MANAGED,
      delegations: [
        { account: CONSUMER_ACCOUNT },
        { account: '1111-2222-3333', prefixes: ['/ResearchData/'], accessPointNames: ['Janes'], actions: S3Actions.of('s3:*'), objectTags: { '': 'x' } },
      ],
    }));

    expect(message.split('\n')[0]).toBe('Owner/Data:');
    for (const property of [
      'bucketName', 'encryption', 'delegations[1].account', 'delegations[1].prefixes[0]',
      'delegations[1].accessPointNames[0]', 'delegations[1].actions[0]', 'delegations[1].objectTags',
    ]) {
      expect(message).toMatch(new RegExp(`\\n {2}- ${escapeRegExp(property)} `));
    }
    expect(message).not.toMatch(/delegations\[0\]/);
  });

  test('a rejected DelegatedBucket creates nothing: it stays in the tree, as a failed construct, without children', () => {
    // GIVEN an owner stack
    const stack = ownerStack();

    // WHEN the construct rejects its props, which would otherwise create a key, a log bucket and a bucket
    expect(() => new DelegatedBucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, delegations: [{ account: 'marketing' }] }))
      .toThrow(problemPattern({ path: BUCKET_PATH, property: 'delegations[0].account', rule: ACCOUNT_RULE, value: 'marketing' }));

    // THEN the construct holds nothing, and the stack has no resource
    expect(stack.node.findChild('Data').node.children).toEqual([]);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test('a rejected delegateTo changes neither the bucket policy nor the key policy', () => {
    // GIVEN a KMS-encrypted bucket that delegates ResearchData/ to the consumer through VPC-origin access points only
    const { owner, bucket } = twoAccountApp({
      encryption: s3.BucketEncryption.KMS,
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC }],
    });
    const keyPolicy = (bucket.encryptionKey!.node.defaultChild as kms.CfnKey).keyPolicy;
    const policies = () => JSON.stringify(owner.resolve([bucket.bucket.policy!.document, keyPolicy]));
    const before = policies();

    // WHEN a write delegation to the same account is rejected: it overlaps without the VPC restriction
    expect(() => bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ_WRITE })).toThrow(/^Owner\/Data: delegateTo overlaps delegations\[0\]/);

    // THEN neither policy got a statement or an account, not even the write guard or the key's GenerateDataKey
    expect(policies()).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

describe('values known only at deploy time', () => {
  test('a prefix known only at deploy time passes, with a warning that its value must end with "/"', () => {
    const { owner, bucket } = twoAccountApp();
    bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: [new CfnParameter(owner, 'Folder').valueAsString] });
    expect(warningsWithId(owner, Warnings.DEPLOY_TIME_PREFIX)).toEqual([expect.stringMatching(/known only at deploy time.*must end with "\/"/)]);
  });

  test('a token prefix known at synth is normalised like a literal one: never ResearchData*, and no warning', () => {
    const { owner, bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: [Lazy.string({ produce: () => 'ResearchData' })] }] });
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(keyPatternsOf(objectStatement)).toEqual(['ResearchData/*']);
    expect(listStatement.Condition!.StringLike).toEqual({ 's3:prefix': ['ResearchData/', 'ResearchData/*'] });
    expect(warningsWithId(owner, Warnings.DEPLOY_TIME_PREFIX)).toEqual([]);
  });

  test('token accounts and prefixes pass validation untouched and reach the policy', () => {
    const stack = ownerStack();
    const consumerAccount = new CfnParameter(stack, 'ConsumerAccount');
    const folder = Lazy.string({ produce: () => 'ResearchData/' });

    const bucket = new DelegatedBucket(stack, 'Data', {
      encryption: s3.BucketEncryption.KMS,
      delegations: [
        { account: consumerAccount.valueAsString, prefixes: [folder] },
        { account: Aws.ACCOUNT_ID },
        { account: Token.asString({ 'Fn::ImportValue': 'PartnerAccountId' }) },
        { account: Lazy.string({ produce: () => PARTNER_ACCOUNT }) },
      ],
    });

    const statements = delegationStatements(bucket);
    expect(statements[0]).toMatchObject({
      Resource: arnsOf(bucket.bucket).objects('ResearchData/*'),
      Condition: { StringEquals: { 's3:DataAccessPointAccount': [{ Ref: 'ConsumerAccount' }] } },
    });
    expect(trustedAccountsOf(statements[2])).toEqual([{ Ref: 'AWS::AccountId' }, { 'Fn::ImportValue': 'PartnerAccountId' }, PARTNER_ACCOUNT]);
  });

  test('the literal part of an account known only at deploy time is checked: "1111-2222-" + a parameter is rejected', () => {
    const { owner, bucket } = twoAccountApp();
    const tail = new CfnParameter(owner, 'Tail').valueAsString;

    expect(() => bucket.delegateTo(Fn.join('', ['1111', tail]))).not.toThrow();
    expectProblem(() => bucket.delegateTo(Fn.join('', ['1111-2222-', tail])),
      { path: BUCKET_PATH, property: 'delegateTo.account', rule: ACCOUNT_RULE, value: /"(1111-2222-)?<token>"/ });
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
    ['StringEqualsIfExists, which is true when the key is absent', { StringEqualsIfExists: { 's3:DataAccessPointAccount': CONSUMER_ACCOUNT } }],
  ])('allowing anyone with %s would make the bucket public: synthesis fails', (_, conditions) => {
    // GIVEN a delegated bucket
    const { app, bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });

    // WHEN the owner adds a statement that allows anyone, with no fixed-value condition
    const statement = publicRead(bucket.bucket);
    Object.entries(conditions ?? {}).forEach(([operator, keys]) => statement.addCondition(operator, keys));
    bucket.bucket.addToResourcePolicy(statement);

    // THEN synthesis fails, naming the construct and the statement (after the TLS deny and the two delegation statements)
    expect(() => app.synth()).toThrow(/\[Owner\/Data\] bucket policy statement 3 \(s3:GetObject\) allows a wildcard principal without a fixed-value condition[^\n]*public/);
  });

  test('the same statement narrowed by a fixed aws:PrincipalOrgID is not public and synthesizes', () => {
    const { app, bucket } = twoAccountApp();
    const statement = publicRead(bucket.bucket);
    statement.addCondition('StringEquals', { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' });

    bucket.bucket.addToResourcePolicy(statement);

    expect(() => app.synth()).not.toThrow();
    expect(bucketPolicyOf(bucket.bucket)).toContainEqual(expect.objectContaining({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    }));
  });

  test('a key policy statement that allows anyone without a fixed-value condition fails synthesis: AWS would call the key public', () => {
    // GIVEN a KMS-encrypted bucket shared with the consumer: the key's statements are bounded by kms:CallerAccount
    const { app, bucket } = twoAccountApp({ encryption: s3.BucketEncryption.KMS, delegations: [{ account: CONSUMER_ACCOUNT }] });

    // WHEN the owner adds a statement that lets anyone decrypt through S3, whoever calls
    bucket.encryptionKey!.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
    }));

    // THEN synthesis fails, naming the statement after the root statement and the consumer's
    expect(thrownBy(() => undefined, app)).toMatch(/\[Owner\/Data\] key policy statement 2 \(kms:Decrypt\) allows a wildcard principal without a fixed-value condition; AWS would call the key public/);
  });

  test('a bucket policy over 20,480 bytes fails synthesis with its size and the limit', () => {
    // GIVEN 300 delegations, each to a different long prefix (so none can share a statement)
    const { app, bucket } = twoAccountApp();
    for (let i = 0; i < 300; i++) {
      bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: [`ResearchData/project-${i}/a-rather-long-folder-name-for-the-policy-size-test/`] });
    }

    // THEN synthesis fails with the size in bytes, over the limit
    const message = thrownBy(() => undefined, app);
    expect(message).toMatch(/\[Owner\/Data\] The bucket policy is [\d,]+ bytes of minified JSON, over AWS's limit of 20,480 bytes/);
    expect(reportedBytes(message, 'bucket policy')).toBeGreaterThan(20_480);
  });

  test('a bucket policy between 90% and 100% of the limit synthesizes with a warning', () => {
    // GIVEN 640 accounts with the same boundary: one pair of statements, 640 account IDs each
    const { owner, bucket } = twoAccountApp();
    delegateToMany(bucket, 640, { prefixes: ['ResearchData'] });

    // THEN the app synthesizes, with a warning that gives the size and the limit
    const warnings = warningsWithId(owner, Warnings.BUCKET_POLICY_NEAR_LIMIT);
    expect(warnings).toEqual([expect.stringContaining("near AWS's limit of 20,480 bytes")]);
    const bytes = reportedBytes(warnings[0], 'bucket policy');
    expect(bytes).toBeGreaterThan(20_480 * 0.9);
    expect(bytes).toBeLessThanOrEqual(20_480);
  });

  test('a bucket name known at synth counts at its real length: with "abc", delegations fit that a 63-character name cannot hold', () => {
    // GIVEN the same 657 READ delegations on a bucket named "abc" and on a bucket with a 63-character name
    const build = (bucketName: string) => {
      const built = twoAccountApp({ bucketName });
      delegateToMany(built.bucket, 657, { prefixes: ['ResearchData'] });
      return built;
    };
    const short = build('abc');
    const long = build('b'.repeat(63));

    // THEN the bucket named "abc" synthesizes (near the limit), and the other is over it
    const [nearLimit] = warningsWithId(short.owner, Warnings.BUCKET_POLICY_NEAR_LIMIT);
    const overLimit = thrownBy(() => undefined, long.app);
    expect(overLimit).toMatch(/The bucket policy is [\d,]+ bytes of minified JSON, over AWS's limit of 20,480 bytes/);

    // AND the sizes differ by the 60 characters of each reference to the bucket in the policy
    const document = JSON.stringify(short.owner.resolve(short.bucket.bucket.policy!.document));
    const references = document.split(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(short.bucket.bucket), 'Arn'] })).length - 1;
    expect(references).toBeGreaterThan(0);
    expect(reportedBytes(overLimit, 'bucket policy') - reportedBytes(nearLimit, 'bucket policy')).toBe(60 * references);
  });

  describe('the key policy, limited to 32,768 bytes', () => {
    const GET_OBJECT: DelegationOptions = { actions: S3Actions.of('s3:GetObject'), prefixes: ['ResearchData'] };

    /** GIVEN `buckets` buckets encrypted with one key, each delegating `options` to `perBucket` accounts of its own. */
    function sharedKey(buckets: number, perBucket: number, options: DelegationOptions) {
      const stack = ownerStack();
      const key = new kms.Key(stack, 'SharedKey');
      for (let i = 0; i < buckets; i++) {
        delegateToMany(new DelegatedBucket(stack, `Data${i}`, { encryptionKey: key }), perBucket, options, 100_000_000_000 + i * perBucket);
      }
      return { stack, key };
    }

    test('1,200 reading accounts fit in the key policy (and, reading with s3:GetObject alone, in the bucket policy)', () => {
      const { stack, key } = sharedKey(1, 1_200, GET_OBJECT);

      expect(thrownBy(() => undefined, stack.node.root as App)).toBe('');
      expect(warningsWithId(stack, Warnings.KEY_POLICY_NEAR_LIMIT)).toEqual([]);
      expect(keyPolicyOf(key)[1].Condition!.StringEquals['kms:CallerAccount']).toHaveLength(1_200);
    });

    test('with READ, the bucket policy is the limit reached first: 1,200 accounts are over it, while the key policy holds them', () => {
      const { stack } = sharedKey(1, 1_200, { prefixes: ['ResearchData'] });

      const message = thrownBy(() => undefined, stack.node.root as App);
      expect(message).toMatch(/The bucket policy is [\d,]+ bytes of minified JSON, over AWS's limit of 20,480 bytes/);
      expect(message).not.toMatch(/key policy/);
    });

    test('a key policy between 90% and 100% of the limit synthesizes with a warning', () => {
      // GIVEN two buckets that share a key, each read by 1,000 accounts of its own
      const { stack } = sharedKey(2, 1_000, GET_OBJECT);

      // THEN each bucket warns about the key policy, with its size and the limit
      const warnings = warningsWithId(stack, Warnings.KEY_POLICY_NEAR_LIMIT);
      expect(warnings).toEqual([expect.stringContaining("near AWS's limit of 32,768 bytes"), expect.stringContaining("near AWS's limit of 32,768 bytes")]);
      const bytes = reportedBytes(warnings[0], 'key policy');
      expect(bytes).toBeGreaterThan(32_768 * 0.9);
      expect(bytes).toBeLessThanOrEqual(32_768);
      expect(warningsWithId(stack, Warnings.BUCKET_POLICY_NEAR_LIMIT)).toEqual([]);
    });

    test('a key policy over 32,768 bytes fails synthesis with its size and the limit, while each bucket policy fits', () => {
      // GIVEN two buckets that share a key, each read by 1,100 accounts of its own
      const { stack } = sharedKey(2, 1_100, GET_OBJECT);

      // THEN synthesis fails on the key policy only
      const message = thrownBy(() => undefined, stack.node.root as App);
      expect(message).toMatch(/\[Owner\/Data0\] The key policy is [\d,]+ bytes of minified JSON, over AWS's limit of 32,768 bytes/);
      expect(reportedBytes(message, 'key policy')).toBeGreaterThan(32_768);
      expect(message).not.toMatch(/bucket policy/);
    });
  });
});

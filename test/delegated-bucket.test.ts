/*
 * The specification of DelegatedBucket: the owner's side of sharing an S3 bucket through
 * cross-account access points (the AWS Storage Blog scenario: owner 123456789010 shares
 * ResearchData/ of test-bucket-1 in eu-west-3 with account 111122223333).
 *
 * Read top to bottom: what a bucket is before anything is shared, the options, the shapes that
 * delegations (to accounts and to organizations) take in the bucket policy and the key policy, the attributes consumers use, the
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
import { DelegatedBucket, DelegatedBucketProps, DelegationOptions, NetworkOrigin, OrganizationDelegationOptions, S3Actions } from '../src';
import {
  CONSUMER_ACCOUNT, CONSUMER_ENV, KEY_ARN, OTHER_ACCOUNT, OWNER_ACCOUNT, OWNER_ENV, REGION,
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
/** An AWS Organization the owner trusts, and one of its organizational units. */
const ORGANIZATION = 'o-a1b2c3d4e5';
const RESEARCH_OU = `${ORGANIZATION}/r-ab12/ou-ab12-11111111/`;
/** Any access point in the bucket's Region, whoever owns it: how organization statements admit access points. */
const ANY_ACCESS_POINT = `arn:aws:s3:${REGION}:*:accesspoint/*`;

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

/**
 * The ARN of a delegated bucket whose name and Region are known at synth, and object ARNs under it,
 * as plain strings: the form the delegation statements, the write guard and the list guard take.
 */
function literalArnsOf(bucket: DelegatedBucket) {
  const name = propertiesOf(bucket.bucket).BucketName;
  expect(typeof name).toBe('string');
  const arn = `arn:aws:s3:::${name}`;
  return { arn, objects: (key: string) => `${arn}/${key}` };
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

/**
 * The key patterns of the object ARNs `${bucketArn}/KEY` in a statement's Resource (plain strings, or
 * `Fn::Join` when the bucket's ARN is a reference); the bucket's own ARN is left out.
 */
function keyPatternsOf(statement: StatementJson): string[] {
  return [statement.Resource].flat().flatMap((resource) => {
    if (typeof resource === 'string') {
      const match = /^arn:[^:]+:s3:::[^/]+\/(.*)$/.exec(resource);
      return match ? [match[1]] : [];
    }
    const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    return join ? [String(join[1][join[1].length - 1]).replace(/^\//, '')] : [];
  });
}

/** The deny that guards listing without a prefix parameter (`Null s3:prefix`), if the policy has one. */
function listGuardOf(bucket: DelegatedBucket): StatementJson | undefined {
  const guards = bucketPolicyOf(bucket.bucket).filter((s) => s.Effect === 'Deny' && s.Condition?.Null?.['s3:prefix'] !== undefined);
  expect(guards.length).toBeLessThanOrEqual(1);
  return guards[0];
}

/** The bucket policy as CloudFormation receives it, resolved: the construct's own statements and the delegations. */
function renderedPolicyOf(bucket: DelegatedBucket): unknown {
  return Stack.of(bucket).resolve((bucket.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).policyDocument);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** IAM wildcard matching: `*` is any run of characters, `?` any one character. */
function iamMatches(pattern: string, value: string): boolean {
  const source = pattern.split('*').map((run) => run.split('?').map(escapeRegExp).join('.')).join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/** The ARN of a consumer access point in the bucket's Region, as a bucket in a stack with a known Region writes it. */
function accessPointArn(account: string, name: string): string {
  return `arn:aws:s3:${REGION}:${account}:accesspoint/${name}`;
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
    for (const b of [bucket.bucket, bucket.serverAccessLogsBucket!]) {
      expect(propertiesOf(b).LifecycleConfiguration).toEqual({
        Rules: [{ Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }],
      });
    }
  });

  test('the bucket and its log bucket are retained when removed from the stack or replaced', () => {
    const { owner, bucket } = twoAccountApp();
    const resources = Template.fromStack(owner).toJSON().Resources;
    for (const b of [bucket.bucket, bucket.serverAccessLogsBucket!]) {
      expect(resources[logicalIdOf(b)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('server access logs go to a log bucket that the construct creates', () => {
    const { owner, bucket } = twoAccountApp();
    Template.fromStack(owner).resourceCountIs('AWS::S3::Bucket', 2);
    expect(propertiesOf(bucket.bucket).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(bucket.serverAccessLogsBucket!) },
    });
  });

  test('the created log bucket is itself versioned, private, TLS only and SSE-S3, and does not log into itself', () => {
    const { bucket } = twoAccountApp();
    const logs = bucket.serverAccessLogsBucket!;
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
    const logs = arnsOf(bucket.serverAccessLogsBucket!);
    expect(bucketPolicyOf(bucket.serverAccessLogsBucket!)).toContainEqual({
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
    expect(bucket.serverAccessLogsBucket!).toBe(logs);
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
    expect(bucket.serverAccessLogsBucket!).toBe(logs);
  });

  test('removalPolicy applies to the bucket and the created log bucket, never to the created key', () => {
    const { owner, bucket } = twoAccountApp({ removalPolicy: RemovalPolicy.DESTROY, encryption: s3.BucketEncryption.KMS });
    const resources = Template.fromStack(owner).toJSON().Resources;
    for (const construct of [bucket.bucket, bucket.serverAccessLogsBucket!]) {
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
  const allowAnyone = { Effect: 'Allow', Principal: '*' };
  const RESEARCH_DATA_LISTING = { 's3:prefix': ['ResearchData/', 'ResearchData/*'] };

  test('a delegation allows any principal, but only through access points of the delegated account', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    const statements = delegationStatements(bucket);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Principal).toBe('*');
      expect(statement.Condition).toEqual(byAccounts(CONSUMER_ACCOUNT));
    }
  });

  test('READ, the default, allows GetObject and GetObjectVersion on every key and ListBucket on the bucket', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    const { arn, objects } = literalArnsOf(bucket);
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: READ_ACTIONS, Resource: [objects('*'), arn], Condition: byAccounts(CONSUMER_ACCOUNT) },
    ]);
  });

  test('the AWS blog delegation: READ of ResearchData/ to 111122223333, as a bucket policy', () => {
    // GIVEN the blog's bucket, shared with the consumer under ResearchData/
    const { bucket } = twoAccountApp({
      bucketName: 'test-bucket-1',
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ, prefixes: ['ResearchData/'] }],
    });

    // THEN after the TLS deny come one statement for objects and listing, and the guard of listing without a prefix
    const [tls, ...delegation] = bucketPolicyOf(bucket.bucket);
    expect(tls.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(delegation).toEqual([
      {
        ...allowAnyone,
        Action: READ_ACTIONS,
        Resource: ['arn:aws:s3:::test-bucket-1/ResearchData/*', 'arn:aws:s3:::test-bucket-1'],
        Condition: { ...byAccounts(CONSUMER_ACCOUNT), StringLikeIfExists: RESEARCH_DATA_LISTING },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::test-bucket-1',
        Condition: {
          Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' },
          StringNotEquals: { 's3:DataAccessPointAccount': [OWNER_ACCOUNT] },
        },
      },
    ]);
  });

  describe.each(['ResearchData', 'ResearchData/'])('prefix %j', (prefix) => {
    /** The statements, the key patterns and the listing patterns of a delegation of `prefix`. */
    function delegatedPrefix() {
      const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: [prefix] }] });
      const [statement] = delegationStatements(bucket);
      return {
        statements: bucketPolicyOf(bucket.bucket),
        keyPatterns: keyPatternsOf(statement),
        listPatterns: statement.Condition!.StringLikeIfExists['s3:prefix'] as string[],
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
    expect(statements.map(trustedAccountsOf)).toEqual([[CONSUMER_ACCOUNT, PARTNER_ACCOUNT]]);
    expect(keyPatternsOf(statements[0])).toEqual(['ResearchData/*']);
  });

  test('several prefixes give one object pattern and two listing patterns each', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/', 'Reports/2024'] }] });
    const [statement] = delegationStatements(bucket);
    expect(keyPatternsOf(statement)).toEqual(['ResearchData/*', 'Reports/2024/*']);
    expect(statement.Condition!.StringLikeIfExists).toEqual({ 's3:prefix': ['ResearchData/', 'ResearchData/*', 'Reports/2024/', 'Reports/2024/*'] });
  });

  test('WRITE allows PutObject, DeleteObject and AbortMultipartUpload on the objects, and neither reading nor listing', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.WRITE, prefixes: ['Uploads'] }] });
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: WRITE_ACTIONS, Resource: literalArnsOf(bucket).objects('Uploads/*'), Condition: byAccounts(CONSUMER_ACCOUNT) },
    ]);
    expect(listGuardOf(bucket)).toBeUndefined();
  });

  test('READ_WRITE allows the READ actions and the WRITE actions, never DeleteObjectVersion', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }] });
    const [statement, ...others] = delegationStatements(bucket);
    expect(others).toEqual([]);
    expect(actionsOf(statement)).toEqual(['s3:GetObject', 's3:GetObjectVersion', ...WRITE_ACTIONS, 's3:ListBucket']);
    expect(JSON.stringify(bucketPolicyOf(bucket.bucket))).not.toContain('s3:DeleteObjectVersion');
  });

  test('S3Actions.of gives exactly the named actions: without a list action there is no ListBucket statement', () => {
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:GetObject'), prefixes: ['ResearchData/'] }],
    });
    expect(delegationStatements(bucket)).toEqual([
      { ...allowAnyone, Action: 's3:GetObject', Resource: literalArnsOf(bucket).objects('ResearchData/*'), Condition: byAccounts(CONSUMER_ACCOUNT) },
    ]);
    expect(JSON.stringify(bucketPolicyOf(bucket.bucket))).not.toContain('s3:ListBucket');
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
    expect(statements).toHaveLength(1);
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
    expect(statements).toHaveLength(1);
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

  test('accounts with identical boundaries share one statement, listing both accounts', () => {
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] },
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData/'] },
      ],
    });
    expect(delegationStatements(bucket).map(trustedAccountsOf)).toEqual([[CONSUMER_ACCOUNT, PARTNER_ACCOUNT]]);
  });

  test('accounts with different boundaries get separate statements', () => {
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] },
        { account: PARTNER_ACCOUNT, prefixes: ['Reports/'] },
      ],
    });
    const statements = delegationStatements(bucket);
    expect(statements.map((s) => [trustedAccountsOf(s), keyPatternsOf(s)])).toEqual([
      [[CONSUMER_ACCOUNT], ['ResearchData/*']],
      [[PARTNER_ACCOUNT], ['Reports/*']],
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

    expect(delegationStatements(viaProps.bucket)).toHaveLength(4);
    expect(bucketPolicyOf(viaDelegateTo.bucket.bucket)).toEqual(bucketPolicyOf(viaProps.bucket.bucket));
  });

  test('delegateTo after construction joins the statement of an identical boundary already in the policy', () => {
    // GIVEN a bucket that already delegates ResearchData/ to one account
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData/'] }] });

    // WHEN the same boundary is delegated to another account later
    bucket.delegateTo(PARTNER_ACCOUNT, { prefixes: ['ResearchData'] });

    // THEN the policy still has one statement, naming both accounts
    expect(delegationStatements(bucket).map(trustedAccountsOf)).toEqual([[CONSUMER_ACCOUNT, PARTNER_ACCOUNT]]);
  });

  test('a delegation made after the policy was rendered joins it: the statements are made again', () => {
    // GIVEN a bucket whose policy has already been rendered with one account
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] }] });
    expect(JSON.stringify(renderedPolicyOf(bucket))).not.toContain(PARTNER_ACCOUNT);

    // WHEN another account is delegated the same boundary
    bucket.delegateTo(PARTNER_ACCOUNT, { prefixes: ['ResearchData'] });

    // THEN the rendered policy names both accounts in the one statement
    const statements = (renderedPolicyOf(bucket) as { Statement: StatementJson[] }).Statement.filter((st) => st.Effect === 'Allow');
    expect(statements.map(trustedAccountsOf)).toEqual([[CONSUMER_ACCOUNT, PARTNER_ACCOUNT]]);
  });

  test('the delegations come after the bucket\'s own statements: the TLS deny, the write guard and statements added to bucket.bucket', () => {
    // GIVEN a bucket whose owner adds a statement of their own, then delegates writing
    const { owner, bucket } = twoAccountApp({ bucketName: 'test-bucket-1' });
    const role = new iam.Role(owner, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
    bucket.bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['s3:GetObjectTagging'], resources: [bucket.bucket.arnForObjects('*')] }));

    // WHEN a writer and a reader are delegated prefixes
    bucket.delegateTo(WRITER_ACCOUNT, { actions: S3Actions.WRITE, prefixes: ['Uploads'] });
    bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData'] });

    // THEN the own statements keep their order, and the delegations and the list guard follow them
    expect(bucketPolicyOf(bucket.bucket).map((s) => [s.Effect, actionsOf(s).join()])).toEqual([
      ['Deny', 's3:*'],
      ['Allow', 's3:GetObjectTagging'],
      ['Deny', 's3:PutObject'],
      ['Deny', 's3:PutObject'],
      ['Allow', WRITE_ACTIONS.join()],
      ['Allow', READ_ACTIONS.join()],
      ['Deny', 's3:ListBucket'],
    ]);
  });

  test('in a stack without a concrete account and Region, the statements name the bucket by Fn::GetAtt and access points with the partition reference', () => {
    // GIVEN an environment-agnostic owner stack: CloudFormation names the bucket, and the partition is known only at deploy time
    const stack = new Stack(new App(), 'Owner');
    const bucket = new DelegatedBucket(stack, 'Data', {
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'], accessPointNames: ['janes-researchdata-access-point'] }],
    });

    // THEN the bucket is referenced, not named, and the access point ARN is joined around AWS::Partition and AWS::Region,
    // in the object statement and in the list statement (the exact form: the owner's account is known only at deploy time)
    const { arn, objects } = arnsOf(bucket.bucket);
    const janesAccessPoint = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:', { Ref: 'AWS::Region' }, `:${CONSUMER_ACCOUNT}:accesspoint/janes-researchdata-access-point`]],
    };
    expect(delegationStatements(bucket).map((s) => [s.Resource, s.Condition!.StringEquals['s3:DataAccessPointArn']])).toEqual([
      [objects('ResearchData/*'), [janesAccessPoint]],
      [arn, [janesAccessPoint]],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The compact form: one statement per shared boundary, and the guard of listing
// ---------------------------------------------------------------------------------------------

describe('the compact form: accounts sharing a boundary are listed once', () => {
  const NO_PREFIX_THROUGH_ACCESS_POINTS = { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' };
  /** The guard's exemption: the owner's own access points, and those of the given accounts. */
  const exceptThroughAccessPointsOf = (...ids: string[]) => ({ StringNotEquals: { 's3:DataAccessPointAccount': [OWNER_ACCOUNT, ...ids] } });

  test('under a prefix: one statement for objects and listing, listing narrowed by StringLikeIfExists, and a guard that denies listing without a prefix', () => {
    // GIVEN two accounts with the same READ boundary under ResearchData/
    const { bucket } = twoAccountApp({
      bucketName: 'test-bucket-1',
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] },
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData'] },
      ],
    });

    // THEN the policy holds, after the TLS deny, exactly one Allow naming both accounts once, and the guard
    expect(bucketPolicyOf(bucket.bucket).slice(1)).toEqual([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::test-bucket-1/ResearchData/*', 'arn:aws:s3:::test-bucket-1'],
        Condition: {
          StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT, PARTNER_ACCOUNT] },
          StringLikeIfExists: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] },
        },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::test-bucket-1',
        Condition: { Null: NO_PREFIX_THROUGH_ACCESS_POINTS, ...exceptThroughAccessPointsOf() },
      },
    ]);
  });

  test('the guard is one statement for the whole policy: it lists the list actions of every compact statement and names none of the delegated accounts', () => {
    // GIVEN READ to two accounts under ResearchData/, and ListBucketVersions to a third under Reports/
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] },
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData'] },
        { account: AUDITOR_ACCOUNT, actions: S3Actions.of('s3:GetObjectVersion', 's3:ListBucketVersions'), prefixes: ['Reports'] },
      ],
    });

    // THEN one guard covers both list actions, for every access point but the owner's, naming none of the delegated accounts
    const guard = listGuardOf(bucket)!;
    expect(guard).toEqual({
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:ListBucket', 's3:ListBucketVersions'],
      Resource: literalArnsOf(bucket).arn,
      Condition: { Null: NO_PREFIX_THROUGH_ACCESS_POINTS, ...exceptThroughAccessPointsOf() },
    });
    expect(delegationStatements(bucket)).toHaveLength(2);
  });

  test('an account that may also list the whole bucket keeps the exact form under prefixes, and the guard exempts it', () => {
    // GIVEN the consumer, who may list the whole bucket, and a partner, both reading ResearchData/
    const { bucket } = twoAccountApp({
      bucketName: 'test-bucket-1',
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: S3Actions.of('s3:ListBucket') },
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] },
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData'] },
      ],
    });

    // THEN the partner is in the compact statement; the consumer gets an object statement and a list statement
    // with StringLike s3:prefix; the guard denies listing without a prefix to every account but the owner and the consumer
    const arn = 'arn:aws:s3:::test-bucket-1';
    const researchData = { 's3:prefix': ['ResearchData/', 'ResearchData/*'] };
    expect(bucketPolicyOf(bucket.bucket).slice(1)).toEqual([
      { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: arn, Condition: { StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT] } } },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: READ_ACTIONS,
        Resource: [`${arn}/ResearchData/*`, arn],
        Condition: { StringEquals: { 's3:DataAccessPointAccount': [PARTNER_ACCOUNT] }, StringLikeIfExists: researchData },
      },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: `${arn}/ResearchData/*`,
        Condition: { StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT] } },
      },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT] }, StringLike: researchData },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { Null: NO_PREFIX_THROUGH_ACCESS_POINTS, ...exceptThroughAccessPointsOf(CONSUMER_ACCOUNT) },
      },
    ]);
  });

  test('the owner\'s own access points are exempt from the guard, and a delegation to the owner\'s account keeps the exact form', () => {
    // GIVEN a partner and the owner's own account, both reading ResearchData/
    const { bucket } = twoAccountApp({
      delegations: [
        { account: PARTNER_ACCOUNT, prefixes: ['ResearchData'] },
        { account: OWNER_ACCOUNT, prefixes: ['ResearchData'] },
      ],
    });

    // THEN the partner is in the compact statement, the owner in an object and a list statement with StringLike s3:prefix,
    // and the guard exempts the owner's access points, whatever it delegates
    expect(delegationStatements(bucket).map((s) => [trustedAccountsOf(s), Object.keys(s.Condition!)])).toEqual([
      [[PARTNER_ACCOUNT], ['StringEquals', 'StringLikeIfExists']],
      [[OWNER_ACCOUNT], ['StringEquals']],
      [[OWNER_ACCOUNT], ['StringEquals', 'StringLike']],
    ]);
    expect(listGuardOf(bucket)!.Condition!.StringNotEquals).toEqual({ 's3:DataAccessPointAccount': [OWNER_ACCOUNT] });
  });

  test('in a stack without a concrete account, there is no compact form and no guard: the owner\'s account, which the guard would exempt, might be any account', () => {
    // GIVEN an environment-agnostic owner stack: the owner's account is AWS::AccountId, known only at deploy time
    const stack = new Stack(new App(), 'Owner');

    // WHEN two accounts are delegated ResearchData/
    const bucket = new DelegatedBucket(stack, 'Data', {
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] }, { account: PARTNER_ACCOUNT, prefixes: ['ResearchData'] }],
    });

    // THEN they share the exact form: an object statement and a list statement with StringLike s3:prefix, and nothing guards listing
    // (an exemption by the account reference would exempt a delegated account if the stack were deployed in it)
    const { arn, objects } = arnsOf(bucket.bucket);
    const trusted = { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT, PARTNER_ACCOUNT] };
    expect(bucketPolicyOf(bucket.bucket).slice(1)).toEqual([
      { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects('ResearchData/*'), Condition: { StringEquals: trusted } },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { StringEquals: trusted, StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
      },
    ]);
    expect(listGuardOf(bucket)).toBeUndefined();
  });

  test('an account known only at deploy time keeps the exact form under prefixes', () => {
    // GIVEN a partner account given as a parameter, and the consumer, both reading ResearchData/
    const { owner, bucket } = twoAccountApp();
    bucket.delegateTo(new CfnParameter(owner, 'PartnerAccount').valueAsString, { prefixes: ['ResearchData'] });
    bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData'] });

    // THEN the consumer is in the compact statement, and the parameter in an object and a list statement of its own
    expect(delegationStatements(bucket).map((s) => [trustedAccountsOf(s), Object.keys(s.Condition!)])).toEqual([
      [[CONSUMER_ACCOUNT], ['StringEquals', 'StringLikeIfExists']],
      [[{ Ref: 'PartnerAccount' }], ['StringEquals']],
      [[{ Ref: 'PartnerAccount' }], ['StringEquals', 'StringLike']],
    ]);
  });

  test('an account known only at deploy time that may list the whole bucket leaves no compact form and no guard: it might be any of the accounts under prefixes', () => {
    // GIVEN an auditor account given as a parameter, which may read the whole bucket
    const { owner, bucket } = twoAccountApp({ bucketName: 'test-bucket-1' });
    bucket.delegateTo(new CfnParameter(owner, 'AuditorAccount').valueAsString);

    // WHEN the consumer and a partner are delegated ResearchData/
    bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData'] });
    bucket.delegateTo(PARTNER_ACCOUNT, { prefixes: ['ResearchData'] });

    // THEN the two accounts share the exact form (no StringLikeIfExists), and there is no guard: one that exempts the
    // parameter would exempt the consumer, were it the parameter's value, and let it list the whole bucket through any access point
    const { arn, objects } = literalArnsOf(bucket);
    const trusted = { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT, PARTNER_ACCOUNT] };
    expect(bucketPolicyOf(bucket.bucket).slice(1)).toEqual([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: READ_ACTIONS,
        Resource: [objects('*'), arn],
        Condition: { StringEquals: { 's3:DataAccessPointAccount': [{ Ref: 'AuditorAccount' }] } },
      },
      { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objects('ResearchData/*'), Condition: { StringEquals: trusted } },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: arn,
        Condition: { StringEquals: trusted, StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
      },
    ]);
    expect(listGuardOf(bucket)).toBeUndefined();
  });

  test('the whole bucket is one statement for objects and listing, whatever the actions and however many accounts share it, with no guard', () => {
    // GIVEN three accounts that may read and write the whole bucket
    const { bucket } = twoAccountApp({ bucketName: 'test-bucket-1' });
    for (const account of [CONSUMER_ACCOUNT, PARTNER_ACCOUNT, WRITER_ACCOUNT]) {
      bucket.delegateTo(account, { actions: S3Actions.READ_WRITE });
    }

    // THEN one statement names the three accounts, on every object and on the bucket; nothing guards listing
    expect(delegationStatements(bucket)).toEqual([{
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:GetObjectVersion', ...WRITE_ACTIONS, 's3:ListBucket'],
      Resource: ['arn:aws:s3:::test-bucket-1/*', 'arn:aws:s3:::test-bucket-1'],
      Condition: { StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT, PARTNER_ACCOUNT, WRITER_ACCOUNT] } },
    }]);
    expect(listGuardOf(bucket)).toBeUndefined();
  });

  test('an account is listed once in the policy, however many accounts share its boundary', () => {
    // GIVEN 50 accounts that read ResearchData/
    const { bucket } = twoAccountApp();
    delegateToMany(bucket, 50, { prefixes: ['ResearchData'] });

    // THEN each account ID appears once in the whole policy
    const policy = JSON.stringify(bucketPolicyOf(bucket.bucket));
    for (const account of accounts(50)) {
      expect(policy.split(account).length - 1).toBe(1);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Object tags
// ---------------------------------------------------------------------------------------------

describe('objectTags: a delegation limited to objects that carry given tags', () => {
  const PUBLIC = { classification: 'public' };
  const allowAnyone = { Effect: 'Allow', Principal: '*' };
  const through = (account: string, tagKeys: Record<string, string> = {}) => ({
    StringEquals: { 's3:DataAccessPointAccount': [account], ...tagKeys },
  });

  test('READ_WRITE: reads need the tag on the object, PutObject must set it, deletes, aborts and listing have no tag condition', () => {
    const { bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE, prefixes: ['Curated'], objectTags: PUBLIC }],
    });
    const { arn, objects } = literalArnsOf(bucket);
    expect(delegationStatements(bucket)).toEqual([
      {
        ...allowAnyone,
        Action: ['s3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListBucket'],
        Resource: [objects('Curated/*'), arn],
        Condition: { ...through(CONSUMER_ACCOUNT), StringLikeIfExists: { 's3:prefix': ['Curated/', 'Curated/*'] } },
      },
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
    expect(statements.map((s) => [trustedAccountsOf(s), actionsOf(s), s.Condition!.StringEquals['s3:ExistingObjectTag/classification']])).toEqual([
      [[CONSUMER_ACCOUNT, PARTNER_ACCOUNT], ['s3:GetObject', 's3:GetObjectVersion'], 'public'],
      [[CONSUMER_ACCOUNT, PARTNER_ACCOUNT], ['s3:ListBucket'], undefined],
      [[AUDITOR_ACCOUNT], READ_ACTIONS, undefined],
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

  test('object tags are no restriction on the actions they cannot limit: READ_WRITE on VPC-origin access points, then on tagged objects, is rejected', () => {
    // GIVEN the consumer may read and write ResearchData/ through VPC-origin access points
    const { bucket } = twoAccountApp();
    bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ_WRITE, prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC });

    // WHEN it is also delegated the same on tagged objects, through access points of any origin
    const tagged = () => bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ_WRITE, prefixes: ['ResearchData'], objectTags: PUBLIC });

    // THEN it is rejected: tags cannot limit s3:DeleteObject, s3:AbortMultipartUpload or s3:ListBucket, so Internet-origin
    // access points could delete and list under ResearchData/, voiding the VPC restriction
    expectProblem(tagged, {
      path: BUCKET_PATH,
      property: 'delegateTo',
      rule: /overlaps delegateTo\(\) call 1 \(both delegate [^)]*s3:DeleteObject[^)]*\) with a different restriction: delegateTo\(\) call 1 requires VPC-origin access points, delegateTo\(\) call 2 does not/,
      value: CONSUMER_ACCOUNT,
    });
  });

  test('READ of tagged objects and listing alone, without tags, on the same folder are accepted: tags do not limit listing', () => {
    // GIVEN the consumer may read objects tagged classification=public under ResearchData/
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'], objectTags: PUBLIC }] });

    // WHEN it is also delegated listing of ResearchData/ without tags, THEN it is accepted: the only action the two share
    // is s3:ListBucket, which the first lists without a tag condition as well, so the second voids nothing
    expect(() => bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.of('s3:ListBucket'), prefixes: ['ResearchData'] })).not.toThrow();
  });

  test('READ of objects tagged a=1 and READ of objects tagged b=2, on the same folder, are accepted', () => {
    // GIVEN the consumer may read objects tagged a=1 under ResearchData/
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'], objectTags: { a: '1' } }] });

    // WHEN it is also delegated reads of objects tagged b=2 there, THEN it is accepted. For s3:GetObject and
    // s3:GetObjectVersion, each requires a tag the other does not: neither is looser, each keeps its own. s3:ListBucket,
    // which tags cannot limit, both delegate alike (by prefix only): neither voids a restriction of the other there.
    expect(() => bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData'], objectTags: { b: '2' } })).not.toThrow();

    // AND each read keeps its tag condition, and the listing both delegate is one statement
    const reads = ['s3:GetObject', 's3:GetObjectVersion'];
    expect(delegationStatements(bucket).map((s) => [s.Action, s.Condition!.StringEquals])).toEqual([
      [reads, { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT], 's3:ExistingObjectTag/a': '1' }],
      ['s3:ListBucket', { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT] }],
      [reads, { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT], 's3:ExistingObjectTag/b': '2' }],
    ]);
  });

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
    expect(delegationStatements(bucket).map((s) => [trustedAccountsOf(s), s.Condition!.StringEquals['s3:AccessPointNetworkOrigin']])).toEqual([
      [[CONSUMER_ACCOUNT], 'VPC'],
      [[PARTNER_ACCOUNT], undefined],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Delegation to an organization
// ---------------------------------------------------------------------------------------------

describe('delegateToOrganization: the principals of an organization, through any access point in the bucket Region', () => {
  /** The trust condition of an organization's statements, with extra StringEquals keys. */
  const byOrganization = (equals: Record<string, string> = {}) => ({
    StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION, ...equals },
    StringLike: { 's3:DataAccessPointArn': ANY_ACCESS_POINT },
  });

  test('READ of ResearchData/ for a research OU: an object statement and a list statement, by organization, OU path and any access point', () => {
    // GIVEN the blog's bucket
    const { app, bucket } = twoAccountApp({ bucketName: 'test-bucket-1' });

    // WHEN its owner delegates ResearchData/ to an organizational unit of an organization
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['ResearchData'], organizationalUnitPaths: [RESEARCH_OU] });

    // THEN the exact form follows the TLS deny, with no guard of listing; it is not public, so the app synthesizes
    const inResearchOu = { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${RESEARCH_OU}*`] } };
    expect(bucketPolicyOf(bucket.bucket).slice(1)).toEqual([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: 'arn:aws:s3:::test-bucket-1/ResearchData/*',
        Condition: { ...byOrganization(), ...inResearchOu },
      },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::test-bucket-1',
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION },
          StringLike: { 's3:DataAccessPointArn': ANY_ACCESS_POINT, 's3:prefix': ['ResearchData/', 'ResearchData/*'] },
          ...inResearchOu,
        },
      },
    ]);
    expect(thrownBy(() => undefined, app)).toBe('');
  });

  test('actions: READ by default, on the whole bucket in one statement; exactly the given actions otherwise', () => {
    // GIVEN a bucket
    const { bucket } = twoAccountApp();

    // WHEN one organization is delegated the default, and another only s3:PutObject
    bucket.delegateToOrganization(ORGANIZATION);
    bucket.delegateToOrganization('o-f6g7h8i9j0', { actions: S3Actions.of('s3:PutObject') });

    // THEN the first reads and lists the whole bucket in one statement, the second only puts objects
    const { arn, objects } = literalArnsOf(bucket);
    expect(delegationStatements(bucket)).toEqual([
      { Effect: 'Allow', Principal: '*', Action: READ_ACTIONS, Resource: [objects('*'), arn], Condition: byOrganization() },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects('*'),
        Condition: { ...byOrganization(), StringEquals: { 'aws:PrincipalOrgID': 'o-f6g7h8i9j0' } },
      },
    ]);
  });

  test('prefixes: objects under each folder, listing narrowed by StringLike s3:prefix', () => {
    // GIVEN a bucket
    const { bucket } = twoAccountApp();

    // WHEN an organization is delegated two folders
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['ResearchData', 'Reports/2024/'] });

    // THEN each folder is an object pattern and two listing patterns
    const [objectStatement, listStatement] = delegationStatements(bucket);
    expect(keyPatternsOf(objectStatement)).toEqual(['ResearchData/*', 'Reports/2024/*']);
    expect(listStatement.Condition!.StringLike['s3:prefix']).toEqual(['ResearchData/', 'ResearchData/*', 'Reports/2024/', 'Reports/2024/*']);
  });

  test('objectTags: the tag conditions join the organization condition', () => {
    // GIVEN a bucket
    const { bucket } = twoAccountApp();

    // WHEN an organization may get only objects tagged classification=public
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.of('s3:GetObject'), objectTags: { classification: 'public' } });

    // THEN the statement requires both the organization and the tag
    expect(delegationStatements(bucket).map((st) => st.Condition)).toEqual([
      byOrganization({ 's3:ExistingObjectTag/classification': 'public' }),
    ]);
  });

  test('networkOrigin: only access points of that origin', () => {
    // GIVEN a bucket
    const { bucket } = twoAccountApp();

    // WHEN an organization may use VPC-origin access points only
    bucket.delegateToOrganization(ORGANIZATION, { networkOrigin: NetworkOrigin.VPC });

    // THEN the statement requires that origin
    expect(delegationStatements(bucket).map((st) => st.Condition)).toEqual([byOrganization({ 's3:AccessPointNetworkOrigin': 'VPC' })]);
  });

  test('organizationalUnitPaths: principals of accounts in or below any of the OUs; without them, the whole organization', () => {
    // GIVEN a bucket, and two OUs of the organization (the second nested)
    const OTHER_OU = `${ORGANIZATION}/r-ab12/ou-ab12-22222222/ou-ab12-33333333/`;
    const { bucket } = twoAccountApp();

    // WHEN ResearchData/ is delegated to the two OUs (one given twice), and Public/ to the whole organization
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['ResearchData'], organizationalUnitPaths: [RESEARCH_OU, OTHER_OU, RESEARCH_OU] });
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });

    // THEN the statements of ResearchData/ match each OU path once, and those of Public/ have no path condition
    expect(delegationStatements(bucket).map((st) => st.Condition!['ForAnyValue:StringLike'])).toEqual([
      { 'aws:PrincipalOrgPaths': [`${RESEARCH_OU}*`, `${OTHER_OU}*`] },
      { 'aws:PrincipalOrgPaths': [`${RESEARCH_OU}*`, `${OTHER_OU}*`] },
      undefined,
      undefined,
    ]);
  });

  test('an organization that may list the whole bucket leaves no compact form and no guard: accounts under prefixes get the exact form', () => {
    // GIVEN two accounts that read Reports/, and an organization that may read the whole bucket
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, prefixes: ['Reports'] },
        { account: PARTNER_ACCOUNT, prefixes: ['Reports'] },
      ],
    });
    bucket.delegateToOrganization(ORGANIZATION);

    // THEN the accounts share an object statement and a list statement with StringLike s3:prefix, and nothing guards listing
    expect(delegationStatements(bucket).map((st) => [actionsOf(st), Object.keys(st.Condition!)])).toEqual([
      [['s3:GetObject', 's3:GetObjectVersion'], ['StringEquals']],
      [['s3:ListBucket'], ['StringEquals', 'StringLike']],
      [READ_ACTIONS, ['StringEquals', 'StringLike']],
    ]);
    expect(delegationStatements(bucket)[1].Condition!.StringLike).toEqual({ 's3:prefix': ['Reports/', 'Reports/*'] });
    expect(trustedAccountsOf(delegationStatements(bucket)[1])).toEqual([CONSUMER_ACCOUNT, PARTNER_ACCOUNT]);
    expect(listGuardOf(bucket)).toBeUndefined();
  });

  test('an organization that lists only under prefixes leaves the accounts their compact statement and the guard', () => {
    // GIVEN an account that reads Reports/
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['Reports'] }] });

    // WHEN an organization is delegated Public/ only
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });

    // THEN the account keeps its compact statement, and listing without a prefix stays guarded
    expect(delegationStatements(bucket)[0].Condition!.StringLikeIfExists).toEqual({ 's3:prefix': ['Reports/', 'Reports/*'] });
    expect(listGuardOf(bucket)!.Condition).toEqual({
      Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' },
      StringNotEquals: { 's3:DataAccessPointAccount': [OWNER_ACCOUNT] },
    });
  });

  test('delegating s3:DeleteObjectVersion to an organization is allowed, with a warning that names it', () => {
    // GIVEN a bucket
    const { owner, bucket } = twoAccountApp();

    // WHEN an organization may delete object versions
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.of('s3:DeleteObjectVersion') });

    // THEN a warning names the organization
    expect(warningsWithId(owner, Warnings.DELETE_OBJECT_VERSION_DELEGATED)).toEqual([
      expect.stringContaining(`Organization ${ORGANIZATION} may delete object versions (s3:DeleteObjectVersion)`),
    ]);
  });

  describe('rejected inputs', () => {
    const ORGANIZATION_ID_RULE = 'must be an AWS Organizations ID such as "o-a1b2c3d4e5"';

    test.each(['o-a1b2c3d4e', 'o-A1B2C3D4E5', 'a1b2c3d4e5', `o-${'a'.repeat(33)}`])('organizationId %j', (organizationId) => {
      // GIVEN a bucket, WHEN it is delegated to a malformed organization ID, THEN the ID is rejected
      const { bucket } = twoAccountApp();
      expectProblem(() => bucket.delegateToOrganization(organizationId),
        { path: BUCKET_PATH, property: 'delegateToOrganization.organizationId', rule: ORGANIZATION_ID_RULE, value: organizationId });
    });

    test.each([
      `${ORGANIZATION}/ou-ab12-11111111/`,
      `${ORGANIZATION}/r-ab12/ou-ab12-11111111`,
      `${ORGANIZATION}/r-ab12/`,
    ])('organizationalUnitPaths: %j is not an OU path', (path) => {
      // GIVEN a bucket, WHEN it is delegated to a valid OU path and a malformed one, THEN the second is rejected
      const { bucket } = twoAccountApp();
      expectProblem(() => bucket.delegateToOrganization(ORGANIZATION, { organizationalUnitPaths: [RESEARCH_OU, path] }), {
        path: BUCKET_PATH,
        property: 'delegateToOrganization.organizationalUnitPaths[1]',
        rule: 'must be an organizational unit path such as "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"',
        value: path,
      });
    });

    test('organizationalUnitPaths: an OU of another organization', () => {
      // GIVEN a bucket, WHEN it is delegated to an OU path of another organization, THEN the path is rejected
      const { bucket } = twoAccountApp();
      const elsewhere = 'o-f6g7h8i9j0/r-ab12/ou-ab12-11111111/';
      expectProblem(() => bucket.delegateToOrganization(ORGANIZATION, { organizationalUnitPaths: [elsewhere] }), {
        path: BUCKET_PATH,
        property: 'delegateToOrganization.organizationalUnitPaths[0]',
        rule: `must be in organization "${ORGANIZATION}"`,
        value: elsewhere,
      });
    });

    test('actions, prefixes and objectTags are checked as for an account, under delegateToOrganization', () => {
      // GIVEN a bucket, WHEN an organization is delegated a wildcard action, a ".." folder and an "aws:" tag key
      const { bucket } = twoAccountApp();
      const message = thrownBy(() => bucket.delegateToOrganization(ORGANIZATION, {
        actions: S3Actions.of('s3:Get*'),
        prefixes: ['../x'],
        objectTags: { 'aws:team': 'research' },
      }));

      // THEN one error names each of the three, and not the valid organization ID
      for (const property of ['delegateToOrganization.actions[0]', 'delegateToOrganization.prefixes[0]', 'delegateToOrganization.objectTags']) {
        expect(message).toMatch(new RegExp(`\\n {2}- ${escapeRegExp(property)} `));
      }
      expect(message).not.toMatch(/organizationId/);
    });

    test('a rejected delegateToOrganization changes neither the bucket policy nor the key policy', () => {
      // GIVEN two KMS-encrypted buckets shared with the consumer
      const props = { encryption: s3.BucketEncryption.KMS, delegations: [{ account: CONSUMER_ACCOUNT }] };
      const untouched = twoAccountApp(props);
      const { bucket } = twoAccountApp(props);

      // WHEN, on one of them, a write delegation to an organization is rejected for its OU path
      expect(() => bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.READ_WRITE, organizationalUnitPaths: ['research'] }))
        .toThrow(/^Owner\/Data: delegateToOrganization\.organizationalUnitPaths\[0\]/);

      // THEN neither policy changed: no statement, no write guard, no key statement
      const policies = (b: DelegatedBucket) => [bucketPolicyOf(b.bucket), keyPolicyOf(b.encryptionKey!)];
      expect(policies(bucket)).toEqual(policies(untouched.bucket));
    });
  });

  describe('an account delegation overlapping an organization delegation is checked as if the account were a member', () => {
    const VPC_RESEARCH_DATA: DelegationOptions = { prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC };
    const membership = `if account ${CONSUMER_ACCOUNT} belongs to organization ${ORGANIZATION} ` +
      '(both delegate s3:GetObject, s3:GetObjectVersion, s3:ListBucket on "ResearchData/") with a different restriction: ';

    test('an organization delegation looser than an earlier account delegation is rejected, naming the account and the organization', () => {
      // GIVEN the consumer may read ResearchData/ through VPC-origin access points only
      const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, ...VPC_RESEARCH_DATA }] });

      // WHEN the whole organization is delegated READ through any access point, THEN it is rejected
      expectProblem(() => bucket.delegateToOrganization(ORGANIZATION), {
        path: BUCKET_PATH,
        property: 'delegateToOrganization',
        rule: `overlaps delegations[0] ${membership}delegations[0] requires VPC-origin access points, delegateToOrganization() call 1 does not`,
        value: ORGANIZATION,
      });
    });

    test('an account delegation stricter than an earlier organization delegation is rejected too', () => {
      // GIVEN an organization that may read ResearchData/ through any access point
      const { bucket } = twoAccountApp();
      bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['ResearchData'] });

      // WHEN an account is delegated the same folder through VPC-origin access points only, THEN it is rejected
      expectProblem(() => bucket.delegateTo(CONSUMER_ACCOUNT, VPC_RESEARCH_DATA), {
        path: BUCKET_PATH,
        property: 'delegateTo',
        rule: `overlaps delegateToOrganization() call 1 ${membership}delegateTo() call 1 requires VPC-origin access points, delegateToOrganization() call 1 does not`,
        value: CONSUMER_ACCOUNT,
      });
    });

    test.each<[string, DelegationOptions, OrganizationDelegationOptions]>([
      ['with the same restriction', VPC_RESEARCH_DATA, { networkOrigin: NetworkOrigin.VPC }],
      ['on folders that share no key', VPC_RESEARCH_DATA, { prefixes: ['ResearchData-private'] }],
      ['with no action in common', { ...VPC_RESEARCH_DATA, actions: S3Actions.WRITE }, {}],
    ])('they are accepted %s', (_, account, organization) => {
      // GIVEN a delegation to the consumer
      const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT, ...account }] });

      // WHEN an organization is delegated a boundary that voids none of its restrictions, THEN it is accepted, and both are in the policy
      expect(() => bucket.delegateToOrganization(ORGANIZATION, organization)).not.toThrow();
      expect(delegationStatements(bucket).map((st) => st.Condition!.StringEquals['aws:PrincipalOrgID'] ?? trustedAccountsOf(st))).toEqual(
        expect.arrayContaining([ORGANIZATION, [CONSUMER_ACCOUNT]]),
      );
    });

    test('delegations to two organizations never overlap: an account belongs to one organization', () => {
      // GIVEN an organization that may read ResearchData/ through VPC-origin access points only
      const { bucket } = twoAccountApp();
      bucket.delegateToOrganization(ORGANIZATION, VPC_RESEARCH_DATA);

      // WHEN another organization may read the whole bucket through any access point, THEN it is accepted
      expect(() => bucket.delegateToOrganization('o-f6g7h8i9j0')).not.toThrow();
    });

    test('delegations to separate organizational units of one organization never overlap; to a unit and one below it, they do', () => {
      // GIVEN an OU that may read ResearchData/ through VPC-origin access points only
      const { bucket } = twoAccountApp();
      const unit = (ou: string) => `${ORGANIZATION}/r-ab12/${ou}/`;
      bucket.delegateToOrganization(ORGANIZATION, { ...VPC_RESEARCH_DATA, organizationalUnitPaths: [unit('ou-ab12-11111111')] });

      // WHEN a sibling OU may read it from anywhere, THEN it is accepted: no principal is in both
      expect(() => bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['ResearchData'], organizationalUnitPaths: [unit('ou-ab12-22222222')] }))
        .not.toThrow();
      // WHEN an OU below the first may read it from anywhere, THEN it is rejected: its principals are the first OU's too
      expect(() => bucket.delegateToOrganization(ORGANIZATION, {
        prefixes: ['ResearchData'], organizationalUnitPaths: [`${unit('ou-ab12-11111111')}ou-ab12-33333333/`],
      })).toThrow(/void the stricter one/);
    });
  });

  test('_boundariesFor(account): the account\'s own boundaries, and those that may hold it (organizations, accounts known only at deploy time)', () => {
    // GIVEN delegations to the consumer, a partner, an account given as a parameter and an organization
    const { owner, bucket } = twoAccountApp({
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] }, { account: PARTNER_ACCOUNT, prefixes: ['Reports'] }],
    });
    const parameter = new CfnParameter(owner, 'AuditorAccount').valueAsString;
    bucket.delegateTo(parameter, { prefixes: ['Audit'] });
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });

    // THEN the consumer's access points are checked against its own boundary, the parameter's and the organization's, not the partner's
    expect(bucket._boundariesFor(CONSUMER_ACCOUNT).map((b) => b.prefixes)).toEqual([['ResearchData/'], ['Audit/'], ['Public/']]);
    expect(bucket._boundariesFor(OTHER_ACCOUNT).map((b) => b.account)).toEqual([parameter, ORGANIZATION]);
  });
});

// ---------------------------------------------------------------------------------------------
// Encryption: the write guard and the KMS key policy
// ---------------------------------------------------------------------------------------------

describe('writes through consumers\' access points keep the owner\'s encryption', () => {
  const denies = (bucket: DelegatedBucket) => bucketPolicyOf(bucket.bucket).filter((st) => st.Effect === 'Deny' && st.Action === 's3:PutObject');
  /** Any request through an access point, whoever owns it. */
  const throughAnyAccessPoint = { 's3:DataAccessPointAccount': 'false' };
  const SSE = 's3:x-amz-server-side-encryption';
  const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
  /** A deny of writes to every object of `bucket` through any access point, under `conditions`. */
  const denyWrites = (bucket: DelegatedBucket, conditions: Record<string, Record<string, unknown>>) => ({
    Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: literalArnsOf(bucket).objects('*'), Condition: conditions,
  });
  /** Writes that bring SSE-C. */
  const BRINGS_SSE_C = { Null: { ...throughAnyAccessPoint, 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } };
  /** Writes that name an encryption other than `algorithm` (writes that name none pass). */
  const namesEncryptionOtherThan = (algorithm: string) => ({ Null: { ...throughAnyAccessPoint, [SSE]: 'false' }, StringNotEquals: { [SSE]: algorithm } });

  test('read-only delegations add no write guard', () => {
    const { bucket } = twoAccountApp({ delegations: [{ account: CONSUMER_ACCOUNT }] });
    expect(denies(bucket)).toEqual([]);
  });

  test('with SSE-S3, writers may not bring SSE-C or name an encryption other than AES256 (SSE-S3); writes that name none pass', () => {
    // GIVEN an SSE-S3 bucket with a reader-writer, a reader and a writer
    const { bucket } = twoAccountApp({
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE },
        { account: PARTNER_ACCOUNT },
        { account: WRITER_ACCOUNT, actions: S3Actions.WRITE },
      ],
    });

    // THEN two denies guard writes through any access point: SSE-C, and an x-amz-server-side-encryption other than AES256
    expect(denies(bucket)).toEqual([
      denyWrites(bucket, BRINGS_SSE_C),
      denyWrites(bucket, namesEncryptionOtherThan('AES256')),
    ]);
  });

  test.each([
    [s3.BucketEncryption.KMS, 'aws:kms'],
    [s3.BucketEncryption.DSSE, 'aws:kms:dsse'],
  ])('with %s, writers may not bring SSE-C, name another encryption than %s, name a key but the bucket\'s, or name the algorithm without a key (S3 would use aws/s3)', (encryption, algorithm) => {
    // GIVEN a bucket encrypted with a created key, with a reader-writer
    const { bucket } = twoAccountApp({ encryption, delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }] });

    // THEN four denies guard writes through any access point; each applies only when the writer names what it checks
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(bucket.encryptionKey!), 'Arn'] };
    expect(denies(bucket)).toEqual([
      denyWrites(bucket, BRINGS_SSE_C),
      denyWrites(bucket, namesEncryptionOtherThan(algorithm)),
      denyWrites(bucket, { Null: { ...throughAnyAccessPoint, [KEY_ID]: 'false' }, StringNotEquals: { [KEY_ID]: keyArn } }),
      // The algorithm without a key ID: S3 would encrypt with the AWS-managed aws/s3 key, which no other account can use
      denyWrites(bucket, { Null: { ...throughAnyAccessPoint, [SSE]: 'false', [KEY_ID]: 'true' } }),
    ]);
  });

  test('the guard is made once, by the first delegation that may write, and names no account: it does not grow with the writers', () => {
    // GIVEN a bucket with one writer, and the same bucket with two more writers, on other prefixes and with other actions
    const oneWriter = twoAccountApp({ delegations: [{ account: WRITER_ACCOUNT, actions: S3Actions.WRITE, prefixes: ['Uploads'] }] });
    const threeWriters = twoAccountApp({ delegations: [{ account: WRITER_ACCOUNT, actions: S3Actions.WRITE, prefixes: ['Uploads'] }] });
    threeWriters.bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ_WRITE, prefixes: ['ResearchData'] });
    threeWriters.bucket.delegateTo(PARTNER_ACCOUNT, { actions: S3Actions.of('s3:PutObject') });

    // THEN both have the same two statements, which name none of the writers
    const guard = denies(threeWriters.bucket);
    expect(guard).toHaveLength(2);
    expect(guard).toEqual(denies(oneWriter.bucket));
    for (const account of [WRITER_ACCOUNT, CONSUMER_ACCOUNT, PARTNER_ACCOUNT]) {
      expect(JSON.stringify(guard)).not.toContain(account);
    }
  });

  test('an organization that may write gets the guard too', () => {
    // GIVEN an SSE-S3 bucket
    const { bucket } = twoAccountApp();

    // WHEN an organization may write
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.WRITE });

    // THEN the two denies guard writes through any access point
    expect(denies(bucket)).toEqual([
      denyWrites(bucket, BRINGS_SSE_C),
      denyWrites(bucket, namesEncryptionOtherThan('AES256')),
    ]);
  });
});

describe('the key policy of a customer-managed key', () => {
  /** The key's own statement: the owner account's IAM policies decide who in it may use the key. */
  const ROOT_STATEMENT = { Effect: 'Allow', Principal: { AWS: accountRoot(OWNER_ACCOUNT) }, Action: 'kms:*', Resource: '*' };

  /** `arn:aws:s3:::NAME` followed by `suffix`, as the template writes it in a stack with a known Region. */
  function bucketArn(name: string, suffix = ''): string {
    return `arn:aws:s3:::${name}${suffix}`;
  }

  /** The statement that lets `callers` use the key for `actions`, only through S3 in the bucket Region, for the bucket `name`. */
  function keyUse(name: string, actions: string | string[], callers: string[]) {
    return {
      Effect: 'Allow',
      Principal: '*',
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

  test('an organization gets one statement with aws:PrincipalOrgID, and aws:PrincipalOrgPaths for its organizational units', () => {
    // GIVEN a KMS-encrypted bucket that an organization's research OU may read, and the whole organization write under Uploads/
    const { bucket } = twoAccountApp({ bucketName: 'test-bucket-1', encryption: s3.BucketEncryption.KMS });
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['ResearchData'], organizationalUnitPaths: [RESEARCH_OU] });
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.WRITE, prefixes: ['Uploads'] });

    // THEN each delegation gets a statement for the organization's principals, through S3, for this bucket
    const throughS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'aws:PrincipalOrgID': ORGANIZATION };
    const forThisBucket = { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn('test-bucket-1'), bucketArn('test-bucket-1', '/*')] } };
    expect(keyPolicyOf(bucket.encryptionKey!)).toEqual([
      ROOT_STATEMENT,
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { 'StringEquals': throughS3, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`${RESEARCH_OU}*`] }, ...forThisBucket },
      },
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: throughS3, ...forThisBucket },
      },
    ]);
  });

  test('an imported key cannot be changed: a warning says what the key policy must allow the organization', () => {
    // GIVEN a bucket encrypted with a key of another stack
    const stack = ownerStack();
    const bucket = new DelegatedBucket(stack, 'Data', { encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', KEY_ARN) });

    // WHEN an organization is delegated READ
    bucket.delegateToOrganization(ORGANIZATION);

    // THEN a warning says what the key policy must let the organization's principals do
    expect(warningsWithId(stack, Warnings.KEY_POLICY_NOT_MANAGED)).toEqual([expect.stringContaining(
      `not managed by this stack: let the principals of organization ${ORGANIZATION} use it through S3 (kms:Decrypt with kms:ViaService s3.${REGION}.amazonaws.com)`,
    )]);
  });

  test('in an environment-agnostic stack, a KMS-encrypted bucket that delegates must be given a bucketName: the key policy names the bucket', () => {
    // GIVEN environment-agnostic owner stacks, where CloudFormation would name a bucket only at deploy time
    const agnostic = (props: DelegatedBucketProps) => {
      const app = new App();
      const bucket = new DelegatedBucket(new Stack(app, 'Owner'), 'Data', props);
      return { app, bucket };
    };
    const delegating = { encryption: s3.BucketEncryption.KMS, delegations: [{ account: CONSUMER_ACCOUNT }] };

    // WHEN a KMS-encrypted bucket without a bucketName delegates, THEN synthesis fails, naming the property and why
    const unnamed = agnostic(delegating);
    expect(thrownBy(() => undefined, unnamed.app)).toMatch(new RegExp(escapeRegExp(
      '[Owner/Data] bucketName must be given for a KMS-encrypted bucket in an environment-agnostic stack that delegates: ' +
      'the key policy names the bucket (kms:EncryptionContext:aws:s3:arn)',
    )));

    // WHEN it is given a bucketName, THEN it synthesizes, and the key lets the consumer use it for that bucket only
    const named = agnostic({ ...delegating, bucketName: 'test-bucket-1' });
    expect(thrownBy(() => undefined, named.app)).toBe('');
    const namedArn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::test-bucket-1${suffix}`]] });
    expect(keyPolicyOf(named.bucket.encryptionKey!)[1].Condition!.StringLike).toEqual({ 'kms:EncryptionContext:aws:s3:arn': [namedArn(''), namedArn('/*')] });

    // AND without delegations, or with SSE-S3, no bucket name is needed: the key policy names no bucket
    expect(thrownBy(() => undefined, agnostic({ encryption: s3.BucketEncryption.KMS }).app)).toBe('');
    expect(thrownBy(() => undefined, agnostic({ delegations: delegating.delegations }).app)).toBe('');
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

  test('delegations[].objectTags with a key known only at deploy time: a tag key is part of a condition key name', () => {
    const stack = ownerStack();
    const key = new CfnParameter(stack, 'TagKey').valueAsString;
    expectProblem(() => new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, objectTags: { [key]: 'research' } }] }),
      { path: BUCKET_PATH, property: 'delegations[0].objectTags', rule: 'key must be known at synth', value: '<token>' });
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
    // GIVEN two KMS-encrypted buckets that delegate ResearchData/ to the consumer through VPC-origin access points only
    const props = {
      encryption: s3.BucketEncryption.KMS,
      delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'], networkOrigin: NetworkOrigin.VPC }],
    };
    const untouched = twoAccountApp(props);
    const { bucket } = twoAccountApp(props);

    // WHEN, on one of them, a write delegation to the same account is rejected: it overlaps without the VPC restriction
    expect(() => bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ_WRITE })).toThrow(/^Owner\/Data: delegateTo overlaps delegations\[0\]/);

    // THEN neither policy got a statement or an account, not even the write guard or the key's GenerateDataKey
    const policies = (b: DelegatedBucket) => [bucketPolicyOf(b.bucket), keyPolicyOf(b.encryptionKey!)];
    expect(JSON.stringify(policies(bucket))).toContain(CONSUMER_ACCOUNT);
    expect(policies(bucket)).toEqual(policies(untouched.bucket));
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
    const [statement] = delegationStatements(bucket);
    expect(keyPatternsOf(statement)).toEqual(['ResearchData/*']);
    expect(statement.Condition!.StringLikeIfExists).toEqual({ 's3:prefix': ['ResearchData/', 'ResearchData/*'] });
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
      Resource: literalArnsOf(bucket).objects('ResearchData/*'),
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

    // THEN synthesis fails, naming the construct and the statement (after the TLS deny; the delegations follow the owner's statements)
    expect(() => app.synth()).toThrow(/\[Owner\/Data\] bucket policy statement 1 \(s3:GetObject\) allows a wildcard principal without a fixed-value condition[^\n]*public/);
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

  test('a public statement added after delegations is numbered among the owner\'s statements, which come before the delegations', () => {
    // GIVEN a bucket with a writer and a reader: the TLS deny and the write guard (statements 0 to 2) are the owner's own
    const { app, bucket } = twoAccountApp({
      delegations: [
        { account: WRITER_ACCOUNT, actions: S3Actions.WRITE, prefixes: ['Uploads'] },
        { account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] },
      ],
    });

    // WHEN the owner then adds a public statement
    bucket.bucket.addToResourcePolicy(publicRead(bucket.bucket));

    // THEN synthesis fails, naming statement 3: the delegations are appended after it when the app is synthesized
    expect(thrownBy(() => undefined, app)).toMatch(/\[Owner\/Data\] bucket policy statement 3 \(s3:GetObject\) allows a wildcard principal without a fixed-value condition/);
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

  test('over the limit, the error says how many delegations the policy holds and about how many fit, and points to delegateToOrganization', () => {
    // GIVEN 100 accounts, each delegated a folder of its own (so none can share a statement)
    const { app, bucket } = twoAccountApp({ bucketName: 'test-bucket-1' });
    for (const account of accounts(100)) {
      bucket.delegateTo(account, { prefixes: [`Consumers/${account}`] });
    }

    // THEN the error counts the delegations and says how many fit: that many synthesize, one more does not
    const message = thrownBy(() => undefined, app);
    const fit = Number(/It holds 100 delegation\(s\); about (\d+) fit\. /.exec(message)?.[1]);
    expect(fit).toBeLessThan(100);
    const withFolders = (n: number) => {
      const attempt = twoAccountApp({ bucketName: 'test-bucket-1' });
      accounts(n).forEach((account) => attempt.bucket.delegateTo(account, { prefixes: [`Consumers/${account}`] }));
      return thrownBy(() => undefined, attempt.app);
    };
    expect(withFolders(fit)).toBe('');
    expect(withFolders(fit + 1)).toMatch(/over AWS's limit of 20,480 bytes/);
    expect(message).toMatch(/delegate to an organization or its organizational units \(delegateToOrganization\), whose statement does not grow with the number of accounts/);
    expect(message).toContain('accounts with identical boundaries share a statement and add only their ID');
  });

  test('a bucket policy between 90% and 100% of the limit synthesizes with a warning', () => {
    // GIVEN 1,250 accounts with the same boundary: one statement, 1,250 account IDs
    const { owner, bucket } = twoAccountApp();
    delegateToMany(bucket, 1_250, { prefixes: ['ResearchData'] });

    // THEN the app synthesizes, with a warning that gives the size and the limit
    const warnings = warningsWithId(owner, Warnings.BUCKET_POLICY_NEAR_LIMIT);
    expect(warnings).toEqual([expect.stringContaining("near AWS's limit of 20,480 bytes")]);
    const bytes = reportedBytes(warnings[0], 'bucket policy');
    expect(bytes).toBeGreaterThan(20_480 * 0.9);
    expect(bytes).toBeLessThanOrEqual(20_480);
  });

  test('a bucket name known at synth counts at its real length: with "abc", delegations fit that a 63-character name cannot hold', () => {
    // GIVEN the same 1,310 READ delegations on a bucket named "abc" and on a bucket with a 63-character name
    const build = (bucketName: string) => {
      const built = twoAccountApp({ bucketName });
      delegateToMany(built.bucket, 1_310, { prefixes: ['ResearchData'] });
      return built;
    };
    const short = build('abc');
    const long = build('b'.repeat(63));

    // THEN the bucket named "abc" synthesizes (near the limit), and the other is over it
    const [nearLimit] = warningsWithId(short.owner, Warnings.BUCKET_POLICY_NEAR_LIMIT);
    const overLimit = thrownBy(() => undefined, long.app);
    expect(overLimit).toMatch(/The bucket policy is [\d,]+ bytes of minified JSON, over AWS's limit of 20,480 bytes/);

    // AND the sizes differ by the 60 characters of each mention of the bucket: references in the TLS deny, names in the delegations
    const policy = JSON.stringify(bucketPolicyOf(short.bucket.bucket));
    const references = policy.split(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(short.bucket.bucket), 'Arn'] })).length - 1;
    const names = policy.split('arn:aws:s3:::abc').length - 1;
    expect(references).toBeGreaterThan(0);
    expect(names).toBeGreaterThan(0);
    expect(reportedBytes(overLimit, 'bucket policy') - reportedBytes(nearLimit, 'bucket policy')).toBe(60 * (references + names));
  });

  test.each<[string, s3.BucketEncryption, DelegationOptions]>([
    ['READ under a shared prefix, SSE-S3', s3.BucketEncryption.S3_MANAGED, { prefixes: ['ResearchData'] }],
    ['READ under a shared prefix, SSE-KMS', s3.BucketEncryption.KMS, { prefixes: ['ResearchData'] }],
    ['READ of the whole bucket, SSE-S3', s3.BucketEncryption.S3_MANAGED, {}],
  ])('capacity: 1,200 accounts sharing a boundary (%s) synthesize, each account listed once', (_, encryption, options) => {
    // GIVEN 1,200 accounts with the same READ boundary
    const { app, bucket } = twoAccountApp({ bucketName: 'test-bucket-1', encryption });
    delegateToMany(bucket, 1_200, { actions: S3Actions.READ, ...options });

    // THEN the app synthesizes, and one statement names the 1,200 accounts
    expect(thrownBy(() => undefined, app)).toBe('');
    expect(delegationStatements(bucket).map((st) => (trustedAccountsOf(st) as string[]).length)).toEqual([1_200]);
    // AND with SSE-KMS the key policy names them once as well
    const keyCallers = bucket.encryptionKey && keyPolicyOf(bucket.encryptionKey)[1].Condition!.StringEquals['kms:CallerAccount'];
    expect((keyCallers as string[] | undefined)?.length).toBe(encryption === s3.BucketEncryption.KMS ? 1_200 : undefined);
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

    test('with READ, the bucket policy is the limit reached first: 1,400 accounts are over it, while the key policy holds them', () => {
      const { stack } = sharedKey(1, 1_400, { prefixes: ['ResearchData'] });

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

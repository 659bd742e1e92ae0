/*
 * DelegatedBucket on a bucket the owner already has: the blog's owner keeps the bucket full of data
 * it defined in its app, and delegates on it. The bucket stays where it is and as it is; the
 * delegations join its policy; every check still applies.
 */
import { App, CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DelegatedBucket, DelegationOptions, S3Actions } from '../src';
import { CONSUMER_ACCOUNT, OWNER_ENV, expectProblem } from './support/fixtures';
import { Warnings } from '../src/private/warnings';

const RESEARCH: DelegationOptions = { actions: S3Actions.READ, prefixes: ['ResearchData'] };

/** What a careful owner already has: every protection a DelegatedBucket would give its own bucket. */
const HARDENED: s3.BucketProps = {
  bucketName: 'test-bucket-1',
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  versioned: true,
};

/** The owner's stack with its existing bucket `Existing`. */
function ownerWith(props: s3.BucketProps = HARDENED): { app: App; stack: Stack; existing: s3.Bucket } {
  const app = new App();
  const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
  const existing = new s3.Bucket(stack, 'Existing', props);
  return { app, stack, existing };
}

/** The statements of `bucket`'s policy, as synthesized. */
function bucketPolicyStatements(bucket: s3.IBucket): any[] {
  const stack = Stack.of(bucket);
  const policy = bucket.policy!.node.defaultChild as CfnElement;
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(policy)].Properties.PolicyDocument.Statement;
}

function existingOf(stack: Stack): CfnElement {
  return stack.node.findChild('Existing').node.defaultChild as CfnElement;
}

function warningsOf(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
}

describe('adopting a bucket the owner already has', () => {
  test('the bucket keeps its logical ID and every property: only its policy changes', () => {
    const before = ownerWith();
    const after = ownerWith();
    new DelegatedBucket(after.stack, 'Sharing', { bucket: after.existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    const buckets = (stack: Stack) => Template.fromStack(stack).findResources('AWS::S3::Bucket');
    expect(buckets(after.stack)).toEqual(buckets(before.stack));
    const types = (stack: Stack) => Object.values(Template.fromStack(stack).toJSON().Resources).map((r: any) => r.Type).sort();
    expect(types(after.stack)).toEqual(types(before.stack));
  });

  test('the delegations join the bucket\'s policy after its own statements, which stay as they were', () => {
    const ownersAnalytics = (bucket: s3.Bucket) => bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OwnersAnalytics',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
    }));
    const before = ownerWith();
    ownersAnalytics(before.existing);
    const own = bucketPolicyStatements(before.existing);
    const { stack, existing } = ownerWith();
    ownersAnalytics(existing);

    new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    const statements = bucketPolicyStatements(existing);
    expect(statements.slice(0, own.length)).toEqual(own);
    expect(statements.slice(own.length).length).toBeGreaterThan(0);
    expect(statements.slice(own.length)).toContainEqual(expect.objectContaining({
      Principal: '*',
      Condition: expect.objectContaining({ StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT] } }),
    }));
  });

  test('the delegation statements are those a created bucket of the same name gets', () => {
    const adopted = ownerWith();
    new DelegatedBucket(adopted.stack, 'Sharing', { bucket: adopted.existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });
    const app = new App();
    const created = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Sharing', {
      bucketName: 'test-bucket-1',
      delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }],
    });

    const delegations = (bucket: s3.IBucket) => bucketPolicyStatements(bucket).filter((s) => JSON.stringify(s).includes('s3:DataAccessPoint'));
    expect(delegations(adopted.existing).length).toBeGreaterThan(0);
    expect(delegations(adopted.existing)).toEqual(delegations(created.bucket));
  });

  test('a bucket without a policy gets the one aws-cdk-lib would give it, under the bucket', () => {
    const { stack, existing } = ownerWith({ ...HARDENED, enforceSSL: false });
    expect(existing.policy).toBeUndefined();

    new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    expect(existing.policy?.node.path).toBe('Owner/Existing/Policy');
    expect(bucketPolicyStatements(existing).length).toBeGreaterThan(0);
  });

  test('no log bucket, no key and no second bucket are created: the bucket\'s logging and encryption are its own', () => {
    const { stack, existing } = ownerWith();
    const sharing = new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 1);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    expect(sharing.serverAccessLogsBucket).toBeUndefined();
    expect(sharing.bucket).toBe(existing);
    expect(sharing.bucketName).toBe(existing.bucketName);
  });

  test('a bucket encrypted with its own customer-managed key: delegated accounts may use that key through S3, and writes must use it', () => {
    const app = new App();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const key = new kms.Key(stack, 'ExistingKey');
    const existing = new s3.Bucket(stack, 'Existing', { ...HARDENED, encryptionKey: key });

    const sharing = new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE }] });

    expect(sharing.encryptionKey).toBe(key);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Condition: Match.objectLike({ StringEquals: { 'kms:ViaService': 's3.eu-west-3.amazonaws.com', 'kms:CallerAccount': [CONSUMER_ACCOUNT] } }),
        })]),
      }),
    });
    expect(bucketPolicyStatements(existing)).toContainEqual(expect.objectContaining({
      Effect: 'Deny',
      Condition: expect.objectContaining({ StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': stack.resolve(key.keyArn) } }),
    }));
  });

  test('a bucket made from an L1 (s3.Bucket.fromCfnBucket) can be adopted', () => {
    const app = new App();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const cfn = new s3.CfnBucket(stack, 'Legacy', { bucketName: 'test-bucket-1' });

    const legacy = s3.Bucket.fromCfnBucket(cfn);
    new DelegatedBucket(stack, 'Sharing', { bucket: legacy, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    expect(bucketPolicyStatements(legacy)).toContainEqual(expect.objectContaining({
      Condition: expect.objectContaining({ StringEquals: { 's3:DataAccessPointAccount': [CONSUMER_ACCOUNT] } }),
    }));
  });

  test('Requester Pays works on an adopted bucket', () => {
    const { stack, existing } = ownerWith();
    new DelegatedBucket(stack, 'Sharing', { bucket: existing, requesterPays: true });

    Template.fromStack(stack).resourceCountIs('Custom::S3BucketRequesterPays', 1);
  });
});

describe('an adopted bucket\'s settings are the owner\'s: reported, not changed', () => {
  test('a bucket with every protection gives no warning', () => {
    const { stack, existing } = ownerWith();
    new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    expect(warningsOf(stack)).toEqual([]);
  });

  test('a plain s3.Bucket gives one warning that lists each weaker setting', () => {
    const { stack, existing } = ownerWith({ bucketName: 'test-bucket-1' });
    new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Owner/Existing');
    expect(warnings[0]).toContain('Block Public Access');
    expect(warnings[0]).toContain('Object Ownership');
    expect(warnings[0]).toContain('versioning is off');
    expect(warnings[0]).toContain('aws:SecureTransport');
    expect(warnings[0]).toContain(Warnings.ADOPTED_BUCKET_SETTINGS);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: Match.absent() });
  });

  test('a bucket deleted with its stack is reported', () => {
    const { stack, existing } = ownerWith({ ...HARDENED, removalPolicy: undefined });
    existing.applyRemovalPolicy(RemovalPolicy.DESTROY);
    new DelegatedBucket(stack, 'Sharing', { bucket: existing });

    expect(warningsOf(stack).join()).toContain('the bucket is deleted when it leaves its stack');
  });

  test('delegating writes to a bucket whose template states no Object Ownership fails synthesis: the real bucket may let writers own objects', () => {
    const { app, stack, existing } = ownerWith({ ...HARDENED, objectOwnership: undefined });
    new DelegatedBucket(stack, 'Sharing', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.WRITE }] });
    expect(() => app.synth()).toThrow(/bucket must have Object Ownership BucketOwnerEnforced to delegate writes \(delegations\[0\]\): with no Object Ownership stated in its template/);
  });

  test('delegating writes where writers could own their objects (ObjectWriter) fails synthesis; reads are fine', () => {
    const reads = ownerWith({ ...HARDENED, objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
    new DelegatedBucket(reads.stack, 'Sharing', { bucket: reads.existing, delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });
    expect(() => reads.app.synth()).not.toThrow();

    const writes = ownerWith({ ...HARDENED, objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
    new DelegatedBucket(writes.stack, 'Sharing', { bucket: writes.existing, delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.WRITE }] });
    expect(() => writes.app.synth()).toThrow(/Owner\/Sharing[\s\S]*bucket must have Object Ownership BucketOwnerEnforced to delegate writes \(delegations\[0\]\)[\s\S]*"ObjectWriter"/);
  });
});

describe('one bucket, one policy', () => {
  test('a bucket from an L1 that already has an L1 policy: the second policy fails synthesis', () => {
    const app = new App();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const cfn = new s3.CfnBucket(stack, 'Legacy', { bucketName: 'test-bucket-1' });
    new s3.CfnBucketPolicy(stack, 'LegacyPolicy', {
      bucket: cfn.ref,
      policyDocument: { Statement: [{ Sid: 'OwnersOwn', Effect: 'Allow', Principal: { AWS: OWNER_ENV.account }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::test-bucket-1/*' }] },
    });
    new DelegatedBucket(stack, 'Sharing', { bucket: s3.Bucket.fromCfnBucket(cfn), delegations: [{ account: CONSUMER_ACCOUNT, ...RESEARCH }] });

    expect(() => app.synth()).toThrow(/Owner\/Sharing[\s\S]*bucket has a second bucket policy, Owner\/LegacyPolicy: a bucket has one policy/);
  });

  test('a BucketPolicy made apart from the bucket, or an L1 policy naming the bucket by name, fails synthesis too', () => {
    const apart = ownerWith();
    new DelegatedBucket(apart.stack, 'Sharing', { bucket: apart.existing });
    new s3.BucketPolicy(apart.stack, 'Apart', { bucket: apart.existing });
    expect(() => apart.app.synth()).toThrow(/bucket has a second bucket policy, Owner\/Apart\/Resource/);

    const app = new App();
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const created = new DelegatedBucket(stack, 'Data', { bucketName: 'test-bucket-1' });
    new s3.CfnBucketPolicy(stack, 'ByName', { bucket: 'test-bucket-1', policyDocument: { Statement: [] } });
    expect(created.bucketName).toBeDefined();
    expect(() => app.synth()).toThrow(/Owner\/Data[\s\S]*bucket has a second bucket policy, Owner\/ByName/);
  });
});

describe('buckets that cannot be adopted', () => {
  test('a bucket imported by name: its policy is not this app\'s, and is never overwritten', () => {
    const { stack } = ownerWith();
    const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'test-bucket-2');

    expectProblem(() => new DelegatedBucket(stack, 'Sharing', { bucket: imported }), {
      path: 'Owner/Sharing', property: 'bucket', rule: /must be a bucket defined in this app.*resource import/, value: 'Owner/Imported',
    });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'));
    expect(policies.map((p) => p.Properties.Bucket)).toEqual([{ Ref: stack.getLogicalId(existingOf(stack)) }]);
  });

  test('a bucket of another stack', () => {
    const { app, existing } = ownerWith();
    const other = new Stack(app, 'Other', { env: OWNER_ENV });

    expectProblem(() => new DelegatedBucket(other, 'Sharing', { bucket: existing }), {
      path: 'Other/Sharing', property: 'bucket', rule: /must be in the stack of the DelegatedBucket \(Other\)/, value: 'Owner/Existing',
    });
  });

  test('a bucket adopted twice, or the bucket of another DelegatedBucket: one policy, one DelegatedBucket', () => {
    const { stack, existing } = ownerWith();
    new DelegatedBucket(stack, 'Sharing', { bucket: existing });
    const created = new DelegatedBucket(stack, 'Created');

    expectProblem(() => new DelegatedBucket(stack, 'Again', { bucket: existing }), {
      path: 'Owner/Again', property: 'bucket', rule: /is already the bucket of the DelegatedBucket Owner\/Sharing/, value: 'Owner/Existing',
    });
    expectProblem(() => new DelegatedBucket(stack, 'Again2', { bucket: created.bucket }), {
      path: 'Owner/Again2', property: 'bucket', rule: /is already the bucket of the DelegatedBucket Owner\/Created/, value: 'Owner/Created/Resource',
    });
  });

  test('a bucket encrypted with the AWS-managed aws/s3 key', () => {
    const { stack, existing } = ownerWith({ ...HARDENED, encryption: s3.BucketEncryption.KMS_MANAGED });

    expectProblem(() => new DelegatedBucket(stack, 'Sharing', { bucket: existing }), {
      path: 'Owner/Sharing', property: 'bucket', rule: /must encrypt with a customer-managed key that this app knows.*aws\/s3/, value: 'aws:kms',
    });
  });

  test('props that describe a bucket to create are rejected with bucket, each named, and nothing is created', () => {
    const { stack, existing } = ownerWith();

    expect(() => new DelegatedBucket(stack, 'Sharing', {
      bucket: existing,
      bucketName: 'test-bucket-2',
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    })).toThrow(/Owner\/Sharing:\n {2}- bucketName must not be given with bucket[^\n]*\n {2}- encryption must not be given with bucket[^\n]*\n {2}- removalPolicy must not be given with bucket/);
    expect(stack.node.tryFindChild('Sharing')?.node.children ?? []).toEqual([]);
    expect(existing.policy?.node.defaultChild).toBeDefined();
    expect(bucketPolicyStatements(existing)).toHaveLength(1);
  });
});

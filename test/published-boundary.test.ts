/*
 * Owners and consumers in separate apps, without a manifest: the owner's DelegatedBucket publishes
 * its boundary in its cloud assembly, and a consumer app reads it back with
 * DelegatedBucket.fromCloudAssembly, keeping the synth-time check of its grants.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssemblyBucketOptions, CrossAccountAccessPoint, DelegatedBucket, DelegatedBucketProps, NetworkOrigin, S3Actions } from '../src';
import { CONSUMER_ACCOUNT, CONSUMER_ENV, KEY_ARN, OWNER_ACCOUNT, OWNER_ENV, REGION, expectProblem, jane, thrownBy } from './support/fixtures';

const ORGANIZATION = 'o-a1b2c3d4e5';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'published-boundary-'));
}

/** Synthesize an owner app with the blog's bucket into a fresh directory; `more` adds to the bucket. */
function ownerAssembly(props: DelegatedBucketProps = {}, more: (bucket: DelegatedBucket) => void = () => {}): string {
  const app = new App({ outdir: tempDir() });
  const bucket = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Data', { bucketName: 'test-bucket-1', ...props });
  bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ, prefixes: ['ResearchData'] });
  more(bucket);
  return app.synth().directory;
}

/** A consumer app apart from the owner's, with the bucket read from the owner's assembly. */
function consumerOf(options: CloudAssemblyBucketOptions) {
  const app = new App();
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const bucket = DelegatedBucket.fromCloudAssembly(consumer, 'TestBucket1', options);
  const accessPoint = new CrossAccountAccessPoint(consumer, 'Janes', { bucket, accessPointName: 'janes-researchdata-access-point' });
  return { app, consumer, bucket, accessPoint };
}

function publishedIn(directory: string, stackName = 'Owner'): unknown[] {
  const metadata = JSON.parse(fs.readFileSync(path.join(directory, `${stackName}.metadata.json`), 'utf-8'));
  return Object.values<any[]>(metadata).flat().filter((e) => e.type === 'cdk-cross-account-access-points:boundary').map((e) => e.data);
}

describe('the owner publishes its boundary in its cloud assembly', () => {
  test('as a metadata entry of the DelegatedBucket in its stack\'s metadata file: every delegation, with every restriction', () => {
    const directory = ownerAssembly({}, (bucket) => {
      bucket.delegateTo('444455556666', {
        actions: S3Actions.READ_WRITE,
        prefixes: ['Uploads/Partner'],
        accessPointNames: ['partner-uploads'],
        networkOrigin: NetworkOrigin.VPC,
        objectTags: { classification: 'public' },
      });
      bucket.delegateToOrganization(ORGANIZATION, { organizationalUnitPaths: [`${ORGANIZATION}/r-ab12/ou-ab12-11111111/`], prefixes: ['Public'] });
    });

    expect(publishedIn(directory)).toEqual([{
      version: 1,
      path: 'Owner/Data',
      bucketName: 'test-bucket-1',
      account: OWNER_ACCOUNT,
      region: REGION,
      encryption: 'S3',
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], prefixes: ['ResearchData/'] },
        {
          account: '444455556666',
          accessPointNames: ['partner-uploads'],
          actions: [...S3Actions.READ_WRITE.actions],
          prefixes: ['Uploads/Partner/'],
          networkOrigin: 'VPC',
          objectTags: { classification: 'public' },
        },
      ],
      organizationDelegations: [{
        organizationId: ORGANIZATION,
        organizationalUnitPaths: [`${ORGANIZATION}/r-ab12/ou-ab12-11111111/`],
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
        prefixes: ['Public/'],
      }],
    }]);
  });

  test('the ARN of a given KMS key is published; that of a key the stack creates is not (it is known after deployment)', () => {
    const given = ownerAssembly({ encryptionKey: kms.Key.fromKeyArn(new Stack(), 'Key', KEY_ARN) });
    expect(publishedIn(given)).toEqual([expect.objectContaining({ encryption: 'KMS', encryptionKeyArn: KEY_ARN })]);

    const created = ownerAssembly({ encryption: s3.BucketEncryption.KMS });
    expect(publishedIn(created)).toEqual([expect.objectContaining({ encryption: 'KMS' })]);
    expect(publishedIn(created)[0]).not.toHaveProperty('encryptionKeyArn');
  });

  test('an adopted bucket publishes its boundary too', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const existing = new s3.Bucket(stack, 'Existing', { bucketName: 'test-bucket-1' });
    new DelegatedBucket(stack, 'Data', { bucket: existing, delegations: [{ account: CONSUMER_ACCOUNT }] });

    expect(publishedIn(app.synth().directory)).toEqual([expect.objectContaining({ bucketName: 'test-bucket-1', delegations: [expect.objectContaining({ account: CONSUMER_ACCOUNT })] })]);
  });

  test('a bucket whose name is known only at deploy time is not published, and an info says why', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'Owner');
    new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT }] });

    const directory = app.synth().directory;
    expect(fs.existsSync(path.join(directory, 'Owner.metadata.json')) ? publishedIn(directory) : []).toEqual([]);
    Annotations.fromStack(stack).hasInfo('/Owner/Data', Match.stringLikeRegexp('not published .*bucket name, account, Region are known only at deploy time'));
  });
});

describe('a consumer app reads the boundary back, and keeps the check', () => {
  test('a grant within the boundary synthesizes as from attributes that describe the same delegations', () => {
    const { app, consumer, accessPoint } = consumerOf({ directory: ownerAssembly() });
    accessPoint.grantRead(jane(), { prefixes: ['ResearchData'] });

    const fromAttributes = new App();
    const stack = new Stack(fromAttributes, 'Consumer', { env: CONSUMER_ENV });
    const bucket = DelegatedBucket.fromDelegatedBucketAttributes(stack, 'TestBucket1', {
      bucketName: 'test-bucket-1',
      account: OWNER_ACCOUNT,
      region: REGION,
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ, prefixes: ['ResearchData'] }],
    });
    new CrossAccountAccessPoint(stack, 'Janes', { bucket, accessPointName: 'janes-researchdata-access-point' }).grantRead(jane(), { prefixes: ['ResearchData'] });

    expect(() => app.synth()).not.toThrow();
    expect(Template.fromStack(consumer).toJSON()).toEqual(Template.fromStack(stack).toJSON());
  });

  test('read-write of Everything/ against a read-only ResearchData/ delegation fails synthesis, as AWS would deny it', () => {
    const { app, accessPoint } = consumerOf({ directory: ownerAssembly() });
    accessPoint.grantReadWrite(jane(), { prefixes: ['Everything'] });

    const message = thrownBy(() => {}, app);
    expect(message).toMatch(/Consumer\/Janes.*grants not covered by the owner's delegations/);
    expect(message).toMatch(/prefix "Everything\/" is outside the prefixes delegated to account 111122223333/);
    expect(message).toMatch(/the owner does not delegate s3:PutObject to account 111122223333/);
  });

  test('on a bucket whose key the owner\'s stack created, grantees may use the owner\'s keys through S3, by pattern', () => {
    const { consumer, accessPoint } = consumerOf({ directory: ownerAssembly({ encryption: s3.BucketEncryption.KMS }) });
    accessPoint.grantRead(new iam.Role(consumer, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }), { prefixes: ['ResearchData'] });

    Template.fromStack(consumer).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Resource: `arn:aws:kms:${REGION}:${OWNER_ACCOUNT}:key/*`,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
        })]),
      },
    });
  });

  test('on a bucket with a published key ARN, grantees may use that key only', () => {
    const { consumer, accessPoint } = consumerOf({ directory: ownerAssembly({ encryptionKey: kms.Key.fromKeyArn(new Stack(), 'Key', KEY_ARN) }) });
    accessPoint.grantRead(new iam.Role(consumer, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }), { prefixes: ['ResearchData'] });

    Template.fromStack(consumer).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Resource: KEY_ARN })]) },
    });
  });

  test('a boundary published from a Stage (a nested assembly) is found', () => {
    const app = new App({ outdir: tempDir() });
    const stage = new Stage(app, 'Prod');
    new DelegatedBucket(new Stack(stage, 'Owner', { env: OWNER_ENV }), 'Data', { bucketName: 'test-bucket-1', delegations: [{ account: CONSUMER_ACCOUNT }] });
    const { app: consumerApp, accessPoint } = consumerOf({ directory: app.synth().directory });
    accessPoint.grantRead(jane());

    expect(() => consumerApp.synth()).not.toThrow();
  });

  test('with several buckets, bucketName (and account) choose one', () => {
    const directory = ownerAssembly({}, (bucket) => {
      new DelegatedBucket(bucket.node.scope!, 'Other', { bucketName: 'test-bucket-2', delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['Other'] }] });
    });

    expectProblem(() => consumerOf({ directory }), {
      path: 'Consumer/TestBucket1',
      property: 'directory',
      rule: /holds 2 published boundaries \(test-bucket-1 \(account 123456789010, eu-west-3\), test-bucket-2 .*\): choose one with bucketName/,
      value: directory,
    });
    const { bucket } = consumerOf({ directory, bucketName: 'test-bucket-2', account: OWNER_ACCOUNT });
    expect(bucket.bucketName).toBe('test-bucket-2');
  });
});

describe('what fromCloudAssembly rejects', () => {
  test('a directory that is not a cloud assembly', () => {
    const directory = tempDir();
    expectProblem(() => consumerOf({ directory }), {
      path: 'Consumer/TestBucket1', property: 'directory', rule: /is not a cloud assembly: .*manifest.json does not exist/, value: directory,
    });
  });

  test('an assembly without the bucket names what it holds', () => {
    const directory = ownerAssembly();
    expectProblem(() => consumerOf({ directory, bucketName: 'test-bucket-9' }), {
      path: 'Consumer/TestBucket1',
      property: 'directory',
      rule: /must hold a boundary published by a DelegatedBucket for bucket test-bucket-9 \(it holds: test-bucket-1 \(account 123456789010, eu-west-3\)\)/,
      value: directory,
    });
  });

  /** Rewrite the published boundary of an owner assembly, as a hand edit or another version of the library might. */
  function edited(edit: (document: any) => void): string {
    const directory = ownerAssembly();
    const file = path.join(directory, 'Owner.metadata.json');
    const metadata = JSON.parse(fs.readFileSync(file, 'utf-8'));
    edit(metadata['/Owner/Data'].find((e: any) => e.type === 'cdk-cross-account-access-points:boundary').data);
    fs.writeFileSync(file, JSON.stringify(metadata));
    return directory;
  }

  test('a boundary of another version, or of the wrong shape, names the file and the field', () => {
    const newer = edited((d) => { d.version = 2; });
    expectProblem(() => consumerOf({ directory: newer }), {
      path: 'Consumer/TestBucket1', property: 'directory', rule: /must hold a readable boundary: in .*Owner.metadata.json, version must be 1 \(got 2\)/, value: newer,
    });
    const broken = edited((d) => { d.delegations[0].actions = 's3:GetObject'; d.encryption = 'SSE-C'; });
    const message = thrownBy(() => consumerOf({ directory: broken }));
    expect(message).toMatch(/encryption must be "S3", "KMS" or "DSSE" \(got "SSE-C"\)/);
    expect(message).toMatch(/delegations\[0\]\.actions must be a list of strings/);
  });

  test('a field that is not one of the format, or a missing list of delegations, is rejected: a typo must not widen a delegation', () => {
    const typo = edited((d) => { d.delegations[0].prefix = d.delegations[0].prefixes; delete d.delegations[0].prefixes; });
    expectProblem(() => consumerOf({ directory: typo }), {
      path: 'Consumer/TestBucket1', property: 'directory', rule: /must hold a readable boundary: in .*, delegations\[0\]\.prefix is not a field of a published boundary/, value: typo,
    });
    const missing = edited((d) => { delete d.organizationDelegations; d.delegations = null; });
    const message = thrownBy(() => consumerOf({ directory: missing }));
    expect(message).toMatch(/delegations must be a list \(got null\)/);
    expect(message).toMatch(/organizationDelegations must be a list \(got nothing\)/);
  });

  test('values are checked by the rules of any attributes', () => {
    const directory = edited((d) => { d.delegations[0].account = '11112222333'; });
    expectProblem(() => consumerOf({ directory }), {
      path: 'Consumer/TestBucket1', property: 'delegations[0].account', rule: 'must be a 12-digit AWS account ID', value: '11112222333',
    });
  });
});

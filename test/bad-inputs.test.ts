/**
 * The catalogue of bad inputs. Each is rejected at synth with one message that names the construct
 * path, the property, the rule and the value, so that the person who wrote it can fix it at once.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossAccountAccessPoint, DelegatedActions, DelegatedBucket } from '../src';

const OWNER = { account: '123456789010', region: 'eu-west-3' };
const CONSUMER = { account: '111122223333', region: 'eu-west-3' };

interface World {
  readonly app: App;
  readonly owner: Stack;
  readonly consumer: Stack;
  readonly bucket: DelegatedBucket;
}

function world(): World {
  const app = new App();
  const owner = new Stack(app, 'Owner', { env: OWNER });
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER });
  const bucket = new DelegatedBucket(owner, 'Data', { bucketName: 'shared-data', delegations: [{ account: CONSUMER.account, prefixes: ['ResearchData'] }] });
  return { app, owner, consumer, bucket };
}

function accessPoint(w: World, accessPointName = 'readers', id = 'AccessPoint'): CrossAccountAccessPoint {
  return new CrossAccountAccessPoint(w.consumer, id, { bucket: w.bucket, accessPointName });
}

/** Many grants with long distinct prefixes: more than 20,480 bytes of policy. */
function bigPrefixes(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `ResearchData/${'project'.repeat(10)}-${i}`);
}

interface BadInput {
  /** What is wrong, as a reader would say it. */
  readonly input: string;
  /** Build the bad input; throw at construction, or leave it to `app.synth()`. */
  readonly build: (w: World) => void;
  readonly path: string;
  readonly property: string;
  readonly rule: RegExp;
  readonly value: string;
}

const apName = (input: string, value: string, rule: RegExp): BadInput =>
  ({ input, build: (w) => accessPoint(w, value), path: 'Consumer/AccessPoint', property: 'accessPointName', rule, value });
const account = (input: string, value: string): BadInput =>
  ({ input, build: (w) => w.bucket.delegateTo(value), path: 'Owner/Data', property: 'delegateTo.account', rule: /must be a 12-digit AWS account ID/, value });
const principal = (input: string, value: string, rule: RegExp): BadInput =>
  ({ input, build: (w) => accessPoint(w).grantRead(new iam.ArnPrincipal(value), 'ResearchData'), path: 'Consumer/AccessPoint', property: 'grantRead grantee', rule, value });

const CATALOGUE: BadInput[] = [
  apName('access point name too short', 'ab', /must be 3 to 50 characters long \(it has 2\)/),
  apName('access point name too long', 'a'.repeat(51), /must be 3 to 50 characters long \(it has 51\)/),
  apName('access point name with uppercase', 'Janes-ap', /only lowercase letters, digits and hyphens/),
  apName('access point name with an underscore', 'janes_ap', /only lowercase letters, digits and hyphens/),
  apName('access point name with a dot', 'janes.ap', /only lowercase letters, digits and hyphens/),
  apName('access point name with a leading hyphen', '-janes-ap', /must start and end with a lowercase letter or digit/),
  apName('access point name with a trailing hyphen', 'janes-ap-', /must start and end with a lowercase letter or digit/),
  apName('access point name ending -s3alias', 'janes-s3alias', /must not end with "-s3alias" or "-ext-s3alias"/),
  apName('access point name ending -ext-s3alias', 'janes-ext-s3alias', /must not end with "-s3alias" or "-ext-s3alias"/),
  account('account ID of 11 digits', '11112222333'),
  account('account ID of 13 digits', '1111222233334'),
  account('account ID with letters', '11112222333a'),
  account('account ID padded with a space', ' 111122223333'),
  account('account ID "*"', '*'),
  {
    input: 'bucket (by attributes) in another Region than the access point',
    build: (w) => new CrossAccountAccessPoint(w.consumer, 'AccessPoint', {
      bucket: DelegatedBucket.fromDelegatedBucketAttributes(w.consumer, 'Remote', { bucketName: 'remote-data', account: OWNER.account, region: 'eu-west-1' }),
      accessPointName: 'readers',
    }),
    path: 'Consumer/AccessPoint',
    property: 'bucket.bucketRegion',
    rule: /must equal the access point's Region "eu-west-3"/,
    value: 'eu-west-1',
  },
  {
    input: 'DelegatedBucket of the app in another Region than the access point',
    build: (w) => new CrossAccountAccessPoint(w.consumer, 'AccessPoint', {
      bucket: new DelegatedBucket(new Stack(w.app, 'Ireland', { env: { account: OWNER.account, region: 'eu-west-1' } }), 'Data'),
    }),
    path: 'Consumer/AccessPoint',
    property: 'bucket.bucketRegion',
    rule: /an access point serves a bucket in its own Region only/,
    value: 'eu-west-1',
  },
  {
    input: 'bucket attributes with a malformed Region',
    build: (w) => DelegatedBucket.fromDelegatedBucketAttributes(w.consumer, 'Remote', { bucketName: 'remote-data', account: OWNER.account, region: 'Paris' }),
    path: 'Consumer/Remote',
    property: 'region',
    rule: /must be an AWS Region code/,
    value: 'Paris',
  },
  principal('the blog\'s principal ARN without the empty Region field', 'arn:aws:iam:111122223333:user/Jane',
    /must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user\/Jane"/),
  principal('principal ARN without an account', 'arn:aws:iam:::user/Jane', /must name a 12-digit account ID/),
  principal('principal ARN without a resource', 'arn:aws:iam::111122223333:', /must name a resource: root, user\/NAME/),
  principal('principal ARN of another service', 'arn:aws:s3:::shared-data', /must be an IAM or STS ARN/),
  {
    input: 'delegated prefix with a leading "/" (the blog\'s CLI key)',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { prefixes: ['/ResearchData/'] }),
    path: 'Owner/Data',
    property: 'delegateTo.prefixes[0]',
    rule: /must not start with "\/" \(S3 keys have no leading slash: use "ResearchData\/"\)/,
    value: '/ResearchData/',
  },
  {
    input: 'granted prefix with a "*" wildcard',
    build: (w) => accessPoint(w).grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:user/Jane'), 'Research*'),
    path: 'Consumer/AccessPoint',
    property: 'grantRead prefixes[0]',
    rule: /must not contain the wildcards "\*" or "\?"/,
    value: 'Research*',
  },
  {
    input: 'delegated prefix with a "?" wildcard',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { prefixes: ['Research?Data'] }),
    path: 'Owner/Data',
    property: 'delegateTo.prefixes[0]',
    rule: /must not contain the wildcards/,
    value: 'Research?Data',
  },
  {
    input: 'empty prefix',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { prefixes: [''] }),
    path: 'Owner/Data',
    property: 'delegateTo.prefixes[0]',
    rule: /must name a folder \(omit the prefix to share the whole bucket\)/,
    value: '',
  },
  {
    input: 'two access points with the same name in one account and Region',
    build: (w) => { accessPoint(w, 'readers', 'First'); accessPoint(w, 'readers', 'Second'); w.app.synth(); },
    path: 'Consumer/First',
    property: 'accessPointName',
    rule: /must be unique in its account and Region; "readers" is also used by Consumer\/Second/,
    value: 'readers',
  },
  {
    input: 'encryption with the AWS-managed aws/s3 key (KMS_MANAGED)',
    build: (w) => new DelegatedBucket(w.owner, 'Managed', { encryption: s3.BucketEncryption.KMS_MANAGED }),
    path: 'Owner/Managed',
    property: 'encryption',
    rule: /must not use the AWS-managed key aws\/s3/,
    value: 'KMS_MANAGED',
  },
  {
    input: 'the aws/s3 key given as the encryption key',
    build: (w) => new DelegatedBucket(w.owner, 'Managed', { encryptionKey: kms.Alias.fromAliasName(w.owner, 'AwsS3', 'alias/aws/s3') }),
    path: 'Owner/Managed',
    property: 'encryptionKey',
    rule: /must be a customer-managed key/,
    value: 'alias/aws/s3',
  },
  {
    input: 'the aws/s3 key ARN in bucket attributes',
    build: (w) => DelegatedBucket.fromDelegatedBucketAttributes(w.consumer, 'Remote', {
      bucketName: 'remote-data', account: OWNER.account, region: OWNER.region, encryptionKeyArn: 'arn:aws:kms:eu-west-3:123456789010:alias/aws/s3',
    }),
    path: 'Consumer/Remote',
    property: 'encryptionKeyArn',
    rule: /must be a customer-managed key/,
    value: 'alias/aws/s3',
  },
  {
    input: 'bucket policy over 20 KB',
    build: (w) => { w.bucket.delegateTo(CONSUMER.account, { prefixes: bigPrefixes(300) }); w.app.synth(); },
    path: 'Owner/Data',
    property: 'bucket policy',
    rule: /over S3's limit of 20,480 bytes/,
    value: 'bytes of minified JSON',
  },
  {
    input: 'access point policy over 20 KB',
    build: (w) => { accessPoint(w).grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:user/Jane'), ...bigPrefixes(150)); w.app.synth(); },
    path: 'Consumer/AccessPoint',
    property: 'access point policy',
    rule: /over S3's limit of 20,480 bytes/,
    value: 'bytes of minified JSON',
  },
  {
    input: 'an environment-agnostic consumer stack',
    build: (w) => new CrossAccountAccessPoint(new Stack(w.app, 'Anywhere'), 'AccessPoint', { bucket: w.bucket, accessPointName: 'readers' }),
    path: 'Anywhere/AccessPoint',
    property: 'stack env',
    rule: /must name a concrete account and Region/,
    value: '<unresolved token>/<unresolved token>',
  },
  {
    input: 'a bucket whose owner stack is environment-agnostic',
    build: (w) => new CrossAccountAccessPoint(w.consumer, 'AccessPoint', { bucket: new DelegatedBucket(new Stack(w.app, 'Anywhere'), 'Data') }),
    path: 'Consumer/AccessPoint',
    property: 'bucket.bucketAccount',
    rule: /must be known at synth/,
    value: '<unresolved token>',
  },
  {
    input: 'a wildcard action in the boundary',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { actions: DelegatedActions.of('s3:*') }),
    path: 'Owner/Data',
    property: 'delegateTo.actions[0]',
    rule: /must name one S3 action, without wildcards/,
    value: 's3:*',
  },
  {
    input: 'an action access points do not serve',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { actions: DelegatedActions.of('s3:PutBucketPolicy') }),
    path: 'Owner/Data',
    property: 'delegateTo.actions[0]',
    rule: /must be an S3 object or list action that access points serve/,
    value: 's3:PutBucketPolicy',
  },
  {
    input: 'a bucket name with an underscore and uppercase',
    build: (w) => new DelegatedBucket(w.owner, 'Named', { bucketName: 'Research_Data' }),
    path: 'Owner/Named',
    property: 'bucketName',
    rule: /may contain only lowercase letters, digits, dots and hyphens/,
    value: 'Research_Data',
  },
  {
    input: 'a public access point policy',
    build: (w) => { accessPoint(w).addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: ['*'] })); w.app.synth(); },
    path: 'Consumer/AccessPoint',
    property: 'policy statement 0',
    rule: /allows a wildcard principal without a fixed-value condition; the access point would be public/,
    value: 'statement 0',
  },
  {
    input: 'a grant outside the owner\'s delegation',
    build: (w) => { accessPoint(w).grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:user/Jane'), 'Other'); w.app.synth(); },
    path: 'Consumer/AccessPoint',
    property: 'grantRead',
    rule: /prefix "Other\/" is outside the prefixes delegated to account 111122223333/,
    value: 'Other/',
  },
  {
    input: 'a KMS alias as the encryption key',
    build: (w) => new DelegatedBucket(w.owner, 'Aliased', { encryptionKey: kms.Alias.fromAliasName(w.owner, 'Research', 'alias/research') }),
    path: 'Owner/Aliased',
    property: 'encryptionKey',
    rule: /must be a key, not an alias/,
    value: 'alias/research',
  },
  {
    input: 'listing multipart uploads limited to prefixes (S3 sets no s3:prefix for it)',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { actions: DelegatedActions.of('s3:ListBucketMultipartUploads'), prefixes: ['ResearchData'] }),
    path: 'Owner/Data',
    property: 'delegateTo.actions',
    rule: /cannot be limited to prefixes: S3 sets no s3:prefix condition key for s3:ListBucketMultipartUploads/,
    value: 's3:ListBucketMultipartUploads',
  },
  {
    input: 'a server access log prefix with a leading "/"',
    build: (w) => new DelegatedBucket(w.owner, 'Logged', { serverAccessLogsPrefix: '/logs/' }),
    path: 'Owner/Logged',
    property: 'serverAccessLogsPrefix',
    rule: /must not start with "\/"/,
    value: '/logs/',
  },
  {
    input: 'an imported access point with an encryption key of another Region',
    build: (w) => CrossAccountAccessPoint.fromAccessPointAttributes(w.consumer, 'Imported', {
      accessPointArn: 'arn:aws:s3:eu-west-3:111122223333:accesspoint/readers',
      encryptionKeyArn: 'arn:aws:kms:us-east-1:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    }),
    path: 'Consumer/Imported',
    property: 'encryptionKeyArn',
    rule: /must be a key in the bucket's Region "eu-west-3"/,
    value: 'us-east-1',
  },
  {
    input: 'a bucket policy statement with NotPrincipal (public)',
    build: (w) => {
      w.bucket.bucket.addToResourcePolicy(new iam.PolicyStatement({
        notPrincipals: [new iam.AccountPrincipal('444455556666')], actions: ['s3:GetObject'], resources: [w.bucket.bucket.arnForObjects('*')],
      }));
      w.app.synth();
    },
    path: 'Owner/Data',
    property: 'bucket policy statement',
    rule: /allows a wildcard principal without a fixed-value condition/,
    value: 's3:GetObject',
  },
];

describe('bad inputs', () => {
  test('the catalogue has at least 30 distinct inputs', () => {
    expect(new Set(CATALOGUE.map((c) => c.input)).size).toBe(CATALOGUE.length);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
  });

  test.each(CATALOGUE.map((c) => [c.input, c] as const))('%s is rejected', (_input, bad) => {
    const w = world();
    let message = '';
    try {
      bad.build(w);
      w.app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).toContain(bad.path);
    expect(message).toContain(bad.property);
    expect(message).toMatch(bad.rule);
    expect(message).toContain(bad.value);
  });
});

/**
 * The catalogue of bad inputs. Each is rejected at synth with one message that names the construct
 * path, the property, the rule and the value, so that the person who wrote it can fix it at once.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions } from '../src';
import { CONSUMER_ACCOUNT, CONSUMER_ENV, JANE, OTHER_ACCOUNT, OWNER_ENV, TwoAccountApp, jane, thrownBy, twoAccountApp } from './support/fixtures';

const OWNER = OWNER_ENV;
const CONSUMER = CONSUMER_ENV;

type World = TwoAccountApp;

function world(): World {
  return twoAccountApp({ bucketName: 'shared-data', delegations: [{ account: CONSUMER_ACCOUNT, prefixes: ['ResearchData'] }] });
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
  /** A wording the message must not have. */
  readonly notRule?: RegExp;
  readonly value: string;
}

const apName = (input: string, value: string, rule: RegExp): BadInput =>
  ({ input, build: (w) => accessPoint(w, value), path: 'Consumer/AccessPoint', property: 'accessPointName', rule, value });
const account = (input: string, value: string): BadInput =>
  ({ input, build: (w) => w.bucket.delegateTo(value), path: 'Owner/Data', property: 'delegateTo.account', rule: /must be a 12-digit AWS account ID/, value });
const principal = (input: string, value: string, rule: RegExp): BadInput =>
  ({ input, build: (w) => accessPoint(w).grantRead(new iam.ArnPrincipal(value), { prefixes: ['ResearchData'] }), path: 'Consumer/AccessPoint', property: 'grantRead grantee', rule, value });

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
    build: (w) => accessPoint(w).grantRead(jane(), { prefixes: ['Research*'] }),
    path: 'Consumer/AccessPoint',
    property: 'grantRead options.prefixes[0]',
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
    rule: /over AWS's limit of 20,480 bytes/,
    value: 'bytes of minified JSON',
  },
  {
    input: 'access point policy over 20 KB',
    build: (w) => { accessPoint(w).grantRead(jane(), { prefixes: bigPrefixes(150) }); w.app.synth(); },
    path: 'Consumer/AccessPoint',
    property: 'access point policy',
    rule: /over AWS's limit of 20,480 bytes/,
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
    property: 'bucket',
    rule: /must be in a stack with a concrete account and Region/,
    value: 'Anywhere/Data',
  },
  {
    input: 'a wildcard action in the boundary',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { actions: S3Actions.of('s3:*') }),
    path: 'Owner/Data',
    property: 'delegateTo.actions[0]',
    rule: /must name one S3 action, without wildcards/,
    value: 's3:*',
  },
  {
    input: 'an action access points do not serve',
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { actions: S3Actions.of('s3:PutBucketPolicy') }),
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
    build: (w) => { accessPoint(w).grantRead(jane(), { prefixes: ['Other'] }); w.app.synth(); },
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
    build: (w) => w.bucket.delegateTo(CONSUMER.account, { actions: S3Actions.of('s3:ListBucketMultipartUploads'), prefixes: ['ResearchData'] }),
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

  // Accepted without a word before the API review; each is now rejected.
  {
    input: 'KMS key policy over 32 KB',
    build: (w) => {
      const encrypted = new DelegatedBucket(w.owner, 'Encrypted', { encryption: s3.BucketEncryption.KMS });
      for (let i = 0; i < 120; i++) {
        encrypted.encryptionKey!.addToResourcePolicy(new iam.PolicyStatement({
          principals: [new iam.ArnPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:role/data-platform/${'service-role-'.repeat(12)}${i}`)],
          actions: ['kms:Decrypt'],
          resources: ['*'],
        }));
      }
      w.app.synth();
    },
    path: 'Owner/Encrypted',
    property: 'key policy',
    rule: /over AWS's limit of 32,768 bytes/,
    value: 'bytes of minified JSON',
  },
  {
    input: 'two overlapping delegations to one account, only the second requiring VPC origin',
    build: (w) => w.bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData/2026'], networkOrigin: NetworkOrigin.VPC }),
    path: 'Owner/Data',
    property: 'delegateTo',
    rule: /overlaps delegations\[0\] \(both delegate s3:GetObject, s3:GetObjectVersion, s3:ListBucket on "ResearchData\/2026\/"\) with a different restriction: delegateTo\(\) call 1 requires VPC-origin access points, delegations\[0\] does not/,
    value: CONSUMER_ACCOUNT,
  },
  {
    input: 'two overlapping delegations to one account in props, only the first naming access points',
    build: (w) => new DelegatedBucket(w.owner, 'Twice', {
      delegations: [{ account: CONSUMER_ACCOUNT, accessPointNames: ['readers'] }, { account: CONSUMER_ACCOUNT, prefixes: ['Reports'] }],
    }),
    path: 'Owner/Twice',
    property: 'delegations[1]',
    rule: /overlaps delegations\[0\] .*delegations\[0\] names access points readers, delegations\[1\] does not/,
    value: CONSUMER_ACCOUNT,
  },
  {
    input: 'two overlapping delegations to one account, only one limited to tagged objects',
    build: (w) => w.bucket.delegateTo(CONSUMER_ACCOUNT, { prefixes: ['ResearchData'], objectTags: { classification: 'public' } }),
    path: 'Owner/Data',
    property: 'delegateTo',
    rule: /delegateTo\(\) call 1 requires objects tagged classification=public, delegations\[0\] does not/,
    value: CONSUMER_ACCOUNT,
  },
  {
    input: 'two overlapping delegations to one account, the second dropping one of the first\'s tags',
    build: (w) => {
      w.bucket.delegateTo(OTHER_ACCOUNT, { prefixes: ['Curated'], objectTags: { classification: 'public', team: 'sales' } });
      w.bucket.delegateTo(OTHER_ACCOUNT, { prefixes: ['Curated/2026'], objectTags: { classification: 'public' } });
    },
    path: 'Owner/Data',
    property: 'delegateTo',
    rule: /delegateTo\(\) call 1 requires objects tagged classification=public, team=sales, delegateTo\(\) call 2 does not/,
    value: OTHER_ACCOUNT,
  },
  {
    input: 'a delegated prefix with a ".." folder',
    build: (w) => w.bucket.delegateTo(OTHER_ACCOUNT, { prefixes: ['Sales/../Finance'] }),
    path: 'Owner/Data',
    property: 'delegateTo.prefixes[0]',
    rule: /must not contain "\." or "\.\." folder names: S3 keys are literal/,
    value: 'Sales/../Finance',
  },
  {
    input: 'a granted prefix starting with ".."',
    build: (w) => accessPoint(w).grantRead(jane(), { prefixes: ['../x'] }),
    path: 'Consumer/AccessPoint',
    property: 'grantRead options.prefixes[0]',
    rule: /must not contain "\." or "\.\." folder names/,
    value: '../x',
  },
  {
    input: 'a granted prefix with a "." folder',
    build: (w) => accessPoint(w).grantRead(jane(), { prefixes: ['ResearchData/./2026'] }),
    path: 'Consumer/AccessPoint',
    property: 'grantRead options.prefixes[0]',
    rule: /must not contain "\." or "\.\." folder names/,
    value: 'ResearchData/./2026',
  },
  {
    input: 'an account principal of 11 digits (a literal inside a token ARN)',
    build: (w) => accessPoint(w).grantRead(new iam.AccountPrincipal('11112222333'), { prefixes: ['ResearchData'] }),
    path: 'Consumer/AccessPoint',
    property: 'grantRead grantee',
    rule: /must name a 12-digit account ID/,
    value: 'arn:<token>:iam::11112222333:root',
  },
  {
    input: 'the access point stack\'s own account of 11 digits',
    build: (w) => new CrossAccountAccessPoint(new Stack(w.app, 'Short', { env: { account: '11112222333', region: OWNER.region } }), 'AccessPoint', {
      bucket: w.bucket, accessPointName: 'readers',
    }),
    path: 'Short/AccessPoint',
    property: 'stack env account',
    rule: /must be a 12-digit AWS account ID/,
    value: '11112222333',
  },
  principal('a principal ARN with a trailing space', `${JANE} `, /must not contain whitespace/),
  apName('access point name with a space', 'janes ap', /may contain only lowercase letters, digits and hyphens/),
  { ...account('account ID ending in a newline', '111122223333\n'), value: '111122223333\\n' },
  {
    input: 'bucket attributes with a key ARN that has a space',
    build: (w) => DelegatedBucket.fromDelegatedBucketAttributes(w.consumer, 'Remote', {
      bucketName: 'remote-data', account: OWNER.account, region: OWNER.region, encryptionKeyArn: 'arn:aws:kms:eu-west-3:123456789010:key/ 1234abcd',
    }),
    path: 'Consumer/Remote',
    property: 'encryptionKeyArn',
    rule: /must be a KMS key ARN, without whitespace/,
    value: 'arn:aws:kms:eu-west-3:123456789010:key/ 1234abcd',
  },
  {
    input: 'an imported access point ARN with a trailing space',
    build: (w) => CrossAccountAccessPoint.fromAccessPointArn(w.consumer, 'Imported', 'arn:aws:s3:eu-west-3:111122223333:accesspoint/readers '),
    path: 'Consumer/Imported',
    property: 'accessPointArn',
    rule: /must be an access point ARN: arn:PARTITION:s3:REGION:ACCOUNT:accesspoint\/NAME, without whitespace/,
    value: 'arn:aws:s3:eu-west-3:111122223333:accesspoint/readers ',
  },
  {
    input: 'an IAM group of another account as grantee',
    build: (w) => accessPoint(w).grantRead(new iam.Group(new Stack(w.app, 'Elsewhere', { env: { account: OTHER_ACCOUNT, region: OWNER.region } }), 'Analysts')),
    path: 'Consumer/AccessPoint',
    property: 'grantRead grantee',
    rule: /must be a group of the access point's account 111122223333/,
    value: OTHER_ACCOUNT,
  },
  {
    input: 'bucket attributes with an empty account',
    build: (w) => DelegatedBucket.fromDelegatedBucketAttributes(w.consumer, 'Remote', { bucketName: 'remote-data', account: '', region: OWNER.region }),
    path: 'Consumer/Remote',
    property: 'account',
    rule: /must be a 12-digit AWS account ID/,
    notRule: /bucket's stack/,
    value: '""',
  },
  {
    input: 'an object tag key with the reserved "aws:" prefix',
    build: (w) => w.bucket.delegateTo(OTHER_ACCOUNT, { objectTags: { 'aws:team': 'x' } }),
    path: 'Owner/Data',
    property: 'delegateTo.objectTags',
    rule: /key must not start with "aws:"/,
    value: 'aws:team',
  },
  {
    input: 'more than 10 object tags',
    build: (w) => accessPoint(w).grantRead(jane(), { objectTags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`tag${i}`, 'x'])) }),
    path: 'Consumer/AccessPoint',
    property: 'grantRead options.objectTags',
    rule: /must name at most 10 tags: an S3 object carries at most 10/,
    value: 'tag10',
  },
  {
    input: 'object tag keys that differ only in case',
    build: (w) => w.bucket.delegateTo(OTHER_ACCOUNT, { objectTags: { Team: 'a', team: 'a' } }),
    path: 'Owner/Data',
    property: 'delegateTo.objectTags',
    rule: /must not name keys that differ only in case \("Team"\): IAM condition key names ignore case/,
    value: 'team',
  },
  {
    input: 'an object tag value with a character S3 does not allow',
    build: (w) => accessPoint(w).grantRead(jane(), { objectTags: { classification: 'public*' } }),
    path: 'Consumer/AccessPoint',
    property: 'grantRead options.objectTags["classification"]',
    rule: /may contain only letters, digits, spaces and \+ - = \. _ : \/ @/,
    value: 'public*',
  },
  {
    input: 'a grant that drops the object tag the owner requires',
    build: (w) => {
      w.bucket.delegateTo(OTHER_ACCOUNT, { objectTags: { classification: 'public' } });
      const other = new Stack(w.app, 'Other', { env: { account: OTHER_ACCOUNT, region: OWNER.region } });
      new CrossAccountAccessPoint(other, 'AccessPoint', { bucket: w.bucket, accessPointName: 'readers' })
        .grantRead(new iam.ArnPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:user/Sam`));
      w.app.synth();
    },
    path: 'Other/AccessPoint',
    property: 'grantRead',
    rule: /s3:GetObject: the owner delegates s3:GetObject only on objects tagged classification=public, and the grant does not require those tags/,
    value: `arn:aws:iam::${OTHER_ACCOUNT}:user/Sam`,
  },
];

describe('bad inputs', () => {
  test('the catalogue has at least 30 distinct inputs', () => {
    expect(new Set(CATALOGUE.map((c) => c.input)).size).toBe(CATALOGUE.length);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
  });

  test.each(CATALOGUE.map((c) => [c.input, c] as const))('%s is rejected', (_input, bad) => {
    const w = world();
    const message = thrownBy(() => bad.build(w), w.app);
    expect(message).not.toBe('');
    expect(message).toContain(bad.path);
    expect(message).toContain(bad.property);
    expect(message).toMatch(bad.rule);
    expect(message).toContain(bad.value);
    if (bad.notRule) {
      expect(message).not.toMatch(bad.notRule);
    }
  });
});

/**
 * The sharing manifest, version 1: its validator reports every problem of a document at once, with
 * the rules the constructs enforce, and its JSON Schema says the same about the document's structure.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import {
  FieldSpec, MANIFEST_SHAPE, ManifestProblem, ManifestSubscription, Shape, manifestDelegations, validateManifest,
} from '../src/private/manifest';

const SAMPLE_FILE = path.join(__dirname, '..', 'sample', 'sharing.json');
const SCHEMA_FILE = path.join(__dirname, '..', 'schema', 'sharing-manifest.schema.json');
const SAMPLE: unknown = JSON.parse(fs.readFileSync(SAMPLE_FILE, 'utf8'));
const SCHEMA: JsonSchema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));

/** A document the tests change at will: a copy of the sample (the tests break documents on purpose). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function sample(): Doc {
  return structuredClone(SAMPLE);
}

const JANE = 'arn:aws:iam::111122223333:user/Jane';
const COVER = 'is not covered by the delegations of dataset "marketing-data", so AWS would deny these requests at the bucket: ';

function problem(p: string, message: string): ManifestProblem {
  return { path: p, message };
}

/** A subscription of the blog's consumer account on the sample dataset. */
function subscription(accessPointName: string, grants: Doc[] = [{ principal: JANE, access: 'read', prefixes: ['ResearchData'] }]): Doc {
  return { dataset: 'marketing-data', account: '111122223333', accessPointName, grants };
}

describe('the sample manifest: the AWS blog, and two more subscribers', () => {
  test('GIVEN sample/sharing.json WHEN it is validated THEN it has no problems', () => {
    // GIVEN the blog's owner, bucket and Region, and Jane's access point and grant
    const doc = sample();
    expect(doc.datasets[0]).toMatchObject({ account: '123456789010', region: 'eu-west-3', bucketName: 'test-bucket-1' });
    expect(doc.subscriptions[0]).toMatchObject({
      account: '111122223333',
      accessPointName: 'janes-researchdata-access-point',
      grants: [{ principal: JANE, access: 'read', prefixes: ['ResearchData'] }],
    });
    expect(doc.subscriptions).toHaveLength(3);
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN there is nothing to report
    expect(problems).toEqual([]);
  });
});

describe('structure', () => {
  test('GIVEN a document that is not an object WHEN validated THEN the document is reported', () => {
    // GIVEN a number, and a manifest whose dataset is a string
    const doc = sample();
    doc.datasets[0] = 'marketing-data';
    // WHEN each is validated
    // THEN each reports where the object should be
    expect(validateManifest(42)).toEqual([problem('', 'must be an object: a sharing manifest (got 42)')]);
    expect(validateManifest(doc)).toEqual([
      problem('datasets[0]', 'must be an object: a dataset (got "marketing-data")'),
      problem('subscriptions[0].dataset', 'must name a dataset of this manifest (got "marketing-data")'),
      problem('subscriptions[1].dataset', 'must name a dataset of this manifest (got "marketing-data")'),
      problem('subscriptions[2].dataset', 'must name a dataset of this manifest (got "marketing-data")'),
    ]);
  });

  test('GIVEN required fields left out WHEN validated THEN each is reported as required', () => {
    // GIVEN a manifest without its version, a dataset without its bucket name and a grant without its access
    const doc = sample();
    delete doc.version;
    delete doc.datasets[0].bucketName;
    delete doc.subscriptions[1].grants[0].access;
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each missing field is named
    expect(problems).toEqual([
      problem('version', 'is required in a sharing manifest'),
      problem('datasets[0].bucketName', 'is required in a dataset'),
      problem('subscriptions[1].grants[0].access', 'is required in a grant'),
    ]);
  });

  test('GIVEN fields the format does not have WHEN validated THEN each is reported with the fields there are', () => {
    // GIVEN a misspelt field on a dataset and an unknown one on a delegation
    const doc = sample();
    doc.datasets[0].bukcetName = 'test-bucket-1';
    doc.datasets[0].delegations[0]['expires at'] = '2030-01-01';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN both are reported, with the fields that exist
    expect(problems).toEqual([
      problem('datasets[0].bukcetName',
        'is not a field of a dataset; its fields are name, account, region, bucketName, encryption, kmsKeyArn, requesterPays, accessAnalyzer, delegations, organizationDelegations'),
      problem('datasets[0].delegations[0]["expires at"]',
        'is not a field of a delegation; its fields are account, access, prefixes, objectTags, accessPointNames, networkOrigin'),
    ]);
  });

  test('GIVEN values of the wrong JSON type WHEN validated THEN each is reported with its value', () => {
    // GIVEN a number for a Region, a string for a boolean, a string for prefixes, a number for a tag value, an object for delegations
    const doc = sample();
    doc.datasets[0].region = 3;
    doc.datasets[0].requesterPays = 'yes';
    doc.subscriptions[0].grants[0].prefixes = 'ResearchData';
    doc.subscriptions[2].grants[0].objectTags = { classification: 1 };
    doc.datasets[0].organizationDelegations = {};
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each is reported at its path
    expect(problems).toEqual([
      problem('datasets[0].region', 'must be a string (got 3)'),
      problem('datasets[0].requesterPays', 'must be true or false (got "yes")'),
      problem('datasets[0].organizationDelegations', 'must be an array of objects: each an organization delegation (got {})'),
      problem('subscriptions[0].grants[0].prefixes', 'must be an array of strings (got "ResearchData")'),
      problem('subscriptions[2].grants[0].objectTags["classification"]', 'must be a string (got 1)'),
    ]);
  });

  test('GIVEN values outside the allowed ones WHEN validated THEN each is reported with the allowed values', () => {
    // GIVEN version 2, an unknown encryption, access and network origin
    const doc = sample();
    doc.version = 2;
    doc.datasets[0].encryption = 'SSE-S3';
    doc.datasets[0].delegations[1].networkOrigin = 'vpc';
    doc.subscriptions[0].grants[0].access = 'admin';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each is reported
    expect(problems).toEqual([
      problem('version', 'must be 1, the only version of the sharing manifest (got 2)'),
      problem('datasets[0].encryption', 'must be one of "S3", "KMS" (got "SSE-S3")'),
      problem('datasets[0].delegations[1].networkOrigin', 'must be one of "VPC", "Internet" (got "vpc")'),
      problem('subscriptions[0].grants[0].access', 'must be one of "read", "write", "read-write" (got "admin")'),
    ]);
  });

  test('GIVEN a string that looks like a CDK token WHEN validated THEN it is reported and no rule judges it', () => {
    // GIVEN token markers in an account, a prefix and a tag key
    const doc = sample();
    doc.datasets[0].account = '${Token[AWS.AccountId.1]}';
    doc.subscriptions[0].grants[0].prefixes = ['${Token[TOKEN.99]}'];
    doc.subscriptions[2].grants[0].objectTags = { '${Token[TOKEN.98]}': 'public' };
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each is reported as a literal the library would misread, and nothing throws
    const rule = 'must not contain "${Token[": a manifest holds literal values, and the library would read it as an unresolved CDK token';
    expect(problems).toEqual([
      problem('datasets[0].account', `${rule} (got "\${Token[AWS.AccountId.1]}")`),
      problem('subscriptions[0].grants[0].prefixes[0]', `${rule} (got "\${Token[TOKEN.99]}")`),
      problem('subscriptions[2].grants[0].objectTags', `key ${rule} (got "\${Token[TOKEN.98]}")`),
    ]);
  });
});

describe('the rules the constructs enforce', () => {
  test('GIVEN malformed account IDs WHEN validated THEN each is reported', () => {
    // GIVEN an 11-digit owner, a delegated account with a space and a consumer account with letters
    const doc = sample();
    doc.datasets[0].account = '12345678901';
    doc.datasets[0].delegations[0].account = '1111 2222 3333';
    doc.subscriptions[2].account = '5555666677ab';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each is reported with the rule of DelegatedBucket and CrossAccountAccessPoint
    expect(problems).toEqual([
      problem('datasets[0].account', 'must be a 12-digit AWS account ID (got "12345678901")'),
      problem('datasets[0].delegations[0].account', 'must be a 12-digit AWS account ID, without whitespace (got "1111 2222 3333")'),
      problem('subscriptions[2].account', 'must be a 12-digit AWS account ID (got "5555666677ab")'),
    ]);
  });

  test('GIVEN a malformed Region WHEN validated THEN it is reported', () => {
    // GIVEN a Region name instead of a code
    const doc = sample();
    doc.datasets[0].region = 'Europe (Paris)';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported, and subscriptions are not judged against it
    expect(problems).toEqual([problem('datasets[0].region', 'must be an AWS Region code such as "eu-west-3" (got "Europe (Paris)")')]);
  });

  test('GIVEN a dataset name with a space WHEN validated THEN it is reported: it names the owner stack', () => {
    // GIVEN a dataset named with a space, and its subscriptions renamed to match
    const doc = sample();
    doc.datasets[0].name = 'marketing data';
    doc.subscriptions.forEach((s: Doc) => { s.dataset = 'marketing data'; });
    // WHEN it is validated, THEN only the name is reported
    expect(validateManifest(doc)).toEqual([problem('datasets[0].name',
      'must be 1 to 101 letters, digits and hyphens, starting with a letter or digit: it names the owner stack (got "marketing data")')]);
  });

  test('GIVEN a bucket name S3 rejects WHEN validated THEN each rule it breaks is reported', () => {
    // GIVEN uppercase letters and two adjacent dots
    const doc = sample();
    doc.datasets[0].bucketName = 'Test..Bucket';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN both rules are reported
    expect(problems).toEqual([
      problem('datasets[0].bucketName', 'may contain only lowercase letters, digits, dots and hyphens (got "Test..Bucket")'),
      problem('datasets[0].bucketName', 'must start and end with a lowercase letter or digit (got "Test..Bucket")'),
      problem('datasets[0].bucketName', 'must not contain two adjacent dots (got "Test..Bucket")'),
    ]);
  });

  test('GIVEN access point names S3 rejects WHEN validated THEN each is reported', () => {
    // GIVEN a subscription's name that ends like an alias and a delegation's name that is too short
    const doc = sample();
    doc.subscriptions[0].accessPointName = 'janes-s3alias';
    doc.datasets[0].delegations[1].accessPointNames = ['pu'];
    doc.subscriptions[1].accessPointName = 'pu';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN both are reported
    expect(problems).toEqual([
      problem('datasets[0].delegations[1].accessPointNames[0]', 'must be 3 to 50 characters long (it has 2) (got "pu")'),
      problem('subscriptions[0].accessPointName',
        'must not end with "-s3alias" or "-ext-s3alias" (S3 reserves these suffixes for access point aliases) (got "janes-s3alias")'),
      problem('subscriptions[1].accessPointName', 'must be 3 to 50 characters long (it has 2) (got "pu")'),
    ]);
  });

  test('GIVEN a prefix with a leading slash in a grant WHEN validated THEN its path names the grant and the prefix', () => {
    // GIVEN the blog's "/ResearchData/" as the second prefix of a grant
    const doc = sample();
    doc.subscriptions[2].grants[0].prefixes = ['Curated', '/Curated/2024'];
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported with the corrected prefix
    expect(problems).toEqual([
      problem('subscriptions[2].grants[0].prefixes[1]', 'must not start with "/" (S3 keys have no leading slash: use "Curated/2024") (got "/Curated/2024")'),
    ]);
  });

  test('GIVEN principals that are not IAM ARNs WHEN validated THEN each is reported', () => {
    // GIVEN the blog's ARN without its empty Region field, and "*"
    const doc = sample();
    doc.subscriptions[0].grants[0].principal = 'arn:aws:iam:111122223333:user/Jane';
    doc.subscriptions[1].grants[0].principal = '*';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN the first gets the corrected form, the second the form a grant needs
    expect(problems).toEqual([
      problem('subscriptions[0].grants[0].principal',
        'must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user/Jane" (got "arn:aws:iam:111122223333:user/Jane")'),
      problem('subscriptions[1].grants[0].principal',
        'must be an IAM ARN such as "arn:aws:iam::111122223333:user/Jane" (a whole account: "arn:aws:iam::111122223333:root") (got "*")'),
    ]);
  });

  test('GIVEN object tags S3 rejects WHEN validated THEN keys and values are reported', () => {
    // GIVEN a reserved key in a delegation, keys differing only in case and a bad value in a grant
    const doc = sample();
    doc.datasets[0].delegations[2].objectTags = { 'aws:classification': 'public' };
    doc.subscriptions[2].grants[0].objectTags = { classification: 'public', Classification: 'public', team: 'a*b' };
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each is reported as the constructs report it
    expect(problems).toEqual([
      problem('datasets[0].delegations[2].objectTags', 'key must not start with "aws:" (AWS reserves it) (got "aws:classification")'),
      problem('subscriptions[2].grants[0].objectTags',
        'must not name keys that differ only in case ("classification"): IAM condition key names ignore case (got "Classification")'),
      problem('subscriptions[2].grants[0].objectTags["team"]', 'may contain only letters, digits, spaces and + - = . _ : / @ (got "a*b")'),
    ]);
  });

  test('GIVEN an organization delegation with a bad ID and an OU of another organization WHEN validated THEN both are reported', () => {
    // GIVEN a valid organization delegation, then one with problems
    const doc = sample();
    doc.datasets[0].organizationDelegations = [
      { organizationId: 'o-a1b2c3d4e5', organizationalUnitPaths: ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'], access: 'read', prefixes: ['Published'] },
      { organizationId: 'o-A1', access: 'read', prefixes: ['Catalogue'] },
      { organizationId: 'o-a1b2c3d4e5', organizationalUnitPaths: ['o-z9y8x7w6v5/r-ab12/ou-ab12-22222222/'], access: 'read', prefixes: ['Catalogue'] },
    ];
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN the ID and the path are reported
    expect(problems).toEqual([
      problem('datasets[0].organizationDelegations[1].organizationId', 'must be an AWS Organizations ID such as "o-a1b2c3d4e5" (got "o-A1")'),
      problem('datasets[0].organizationDelegations[2].organizationalUnitPaths[0]',
        'must be in organization "o-a1b2c3d4e5" (got "o-z9y8x7w6v5/r-ab12/ou-ab12-22222222/")'),
    ]);
  });

  test('GIVEN two delegations to an account that overlap with different restrictions WHEN validated THEN the later one is reported', () => {
    // GIVEN a VPC-only delegation under the prefix the account already reads from any origin
    const doc = sample();
    doc.datasets[0].delegations.splice(1, 0, { account: '111122223333', access: 'read', prefixes: ['ResearchData/Private'], networkOrigin: 'VPC' });
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported as DelegatedBucket reports it
    expect(problems).toEqual([
      problem('datasets[0].delegations[1]',
        'overlaps datasets[0].delegations[0] (both delegate s3:GetObject, s3:GetObjectVersion, s3:ListBucket on "ResearchData/Private/") with a different restriction: ' +
        'datasets[0].delegations[1] requires VPC-origin access points, datasets[0].delegations[0] does not. ' +
        'A bucket policy is a union, so the looser delegation would void the stricter one there: make them disjoint, or give them the same restrictions (got "111122223333")'),
    ]);
  });

  test('GIVEN KMS key ARNs the owner cannot use WHEN validated THEN each is reported', () => {
    // GIVEN a key with SSE-S3, the AWS-managed key, a key of another Region and an alias
    const doc = sample();
    const dataset = (name: string, encryption: string, kmsKeyArn: string) => ({ ...doc.datasets[0], name, encryption, kmsKeyArn });
    doc.datasets.push(
      dataset('s3-with-key', 'S3', 'arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      dataset('aws-managed', 'KMS', 'arn:aws:kms:eu-west-3:123456789010:alias/aws/s3'),
      dataset('other-region', 'KMS', 'arn:aws:kms:us-east-1:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      dataset('alias', 'KMS', 'arn:aws:kms:eu-west-3:123456789010:alias/research'),
      dataset('good-key', 'KMS', 'arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      { ...doc.datasets[0], name: 'created-key', encryption: 'KMS' },
    );
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN the first four are reported; a good key, or none (the owner's stack creates one), is fine
    expect(problems).toEqual([
      problem('datasets[1].kmsKeyArn',
        'must be given only with encryption "KMS": an SSE-S3 bucket uses no KMS key (got "arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab")'),
      problem('datasets[2].kmsKeyArn',
        'must be a customer-managed key: the AWS-managed aws/s3 key cannot serve cross-account reads (got "arn:aws:kms:eu-west-3:123456789010:alias/aws/s3")'),
      problem('datasets[3].kmsKeyArn',
        'must be a key in the bucket\'s Region "eu-west-3": S3 uses keys of its own Region only (got "arn:aws:kms:us-east-1:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab")'),
      problem('datasets[4].kmsKeyArn',
        'must be a KMS key ARN such as "arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab" (got "arn:aws:kms:eu-west-3:123456789010:alias/research")'),
    ]);
  });

  test('GIVEN a VPC ID that is not one WHEN validated THEN it is reported', () => {
    // GIVEN a VPC name instead of its ID
    const doc = sample();
    doc.subscriptions[1].vpcId = 'partner-vpc';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported
    expect(problems).toEqual([problem('subscriptions[1].vpcId', 'must be a VPC ID such as "vpc-0a1b2c3d4e5f67890" (got "partner-vpc")')]);
  });
});

describe('rules between entries', () => {
  test('GIVEN a subscription to a dataset the manifest does not have WHEN validated THEN its dataset is reported with the names there are', () => {
    // GIVEN a misspelt dataset name
    const doc = sample();
    doc.subscriptions[0].dataset = 'marketting-data';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported
    expect(problems).toEqual([problem('subscriptions[0].dataset', 'must name a dataset of this manifest ("marketing-data") (got "marketting-data")')]);
  });

  test('GIVEN two datasets with the same name WHEN validated THEN the second is reported', () => {
    // GIVEN a second dataset named as the first, on another bucket
    const doc = sample();
    doc.datasets.push({ ...doc.datasets[0], bucketName: 'test-bucket-2' });
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported
    expect(problems).toEqual([problem('datasets[1].name', 'must be unique: datasets[0] has the same name (got "marketing-data")')]);
  });

  test('GIVEN a subscription in a Region other than its dataset\'s WHEN validated THEN its Region is reported', () => {
    // GIVEN an access point in us-east-1 on a bucket in eu-west-3
    const doc = sample();
    doc.subscriptions[0].region = 'us-east-1';
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN it is reported
    expect(problems).toEqual([
      problem('subscriptions[0].region',
        'must be the Region of dataset "marketing-data", "eu-west-3": an access point serves a bucket in its own Region only (got "us-east-1")'),
    ]);
  });

  test('GIVEN the same access point name twice in an account and Region WHEN validated THEN the second is reported', () => {
    // GIVEN Jane's access point name again in her account; and in another account, and in another Region
    const doc = sample();
    doc.datasets.push({ name: 'archive', account: '123456789010', region: 'us-east-1', bucketName: 'test-archive-1', encryption: 'S3' });
    doc.subscriptions.push(
      subscription('janes-researchdata-access-point'),
      { ...subscription('janes-researchdata-access-point'), account: '444455556666' },
      { ...subscription('janes-researchdata-access-point'), dataset: 'archive' },
    );
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN only the name used twice in one account and Region is reported
    expect(problems).toEqual([
      problem('subscriptions[3].accessPointName',
        'must be unique in account 111122223333 and Region eu-west-3: subscriptions[0] has the same name (got "janes-researchdata-access-point")'),
      problem('subscriptions[4].grants[0]', `${COVER}prefix "ResearchData/" is outside the prefixes delegated to account 444455556666 for s3:GetObject; ` +
        'prefix "ResearchData/" is outside the prefixes delegated to account 444455556666 for s3:GetObjectVersion; ' +
        'prefix "ResearchData/" is outside the prefixes delegated to account 444455556666 for s3:ListBucket'),
    ]);
  });

  test('GIVEN more than 10,000 access points of an account in a Region WHEN validated THEN the first one too many is reported', () => {
    // GIVEN 10,000 access points of Jane's account in eu-west-3 (hers and 9,999 more)
    const doc = sample();
    for (let i = 1; i < 10_000; i++) {
      doc.subscriptions.push(subscription(`research-${i}`));
    }
    // WHEN it is validated, and again with one more
    const atTheQuota = validateManifest(doc);
    doc.subscriptions.push(subscription('research-10000'));
    const beyond = validateManifest(doc);
    // THEN 10,000 are fine, and the 10,001st is reported
    expect(atTheQuota).toEqual([]);
    expect(beyond).toEqual([
      problem('subscriptions[10002]', 'is access point 10,001 of account 111122223333 in Region eu-west-3: ' +
        'S3 allows 10,000 access points per account and Region unless the account\'s service quota is raised (the manifest has 10,001 there)'),
    ]);
  });

  test('GIVEN grants outside the dataset\'s delegations WHEN validated THEN each grant is reported with every reason', () => {
    // GIVEN a grant to an account without a delegation, a prefix, a tag, an access point and an origin the owner does not delegate
    const doc = sample();
    doc.subscriptions.push(
      { ...subscription('finance-readers'), account: '999988887777', grants: [{ principal: 'arn:aws:iam::999988887777:root', access: 'read' }] },
      subscription('finance-readers', [{ principal: JANE, access: 'write', prefixes: ['ResearchData'] }]),
      { ...subscription('curated-all'), account: '555566667777', grants: [{ principal: 'arn:aws:iam::555566667777:role/Curators', access: 'read', prefixes: ['Curated'] }] },
      { ...subscription('other-uploads'), account: '444455556666', vpcId: 'vpc-0a1b2c3d', grants: [{ principal: 'arn:aws:iam::444455556666:role/Uploader', access: 'read', prefixes: ['Uploads/Partner'] }] },
    );
    delete doc.subscriptions[1].vpcId;
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN each grant is reported once, with the reasons AWS would deny its requests
    expect(problems).toEqual([
      problem('subscriptions[1].grants[0]', `${COVER}the owner requires VPC-origin access points, and this access point has Internet origin`),
      problem('subscriptions[3].grants[0]', `${COVER}the bucket owner delegates nothing to account 999988887777`),
      problem('subscriptions[4].grants[0]', `${COVER}the owner does not delegate s3:PutObject to account 111122223333; ` +
        'the owner does not delegate s3:DeleteObject to account 111122223333; the owner does not delegate s3:AbortMultipartUpload to account 111122223333'),
      problem('subscriptions[5].grants[0]', `${COVER}the owner delegates s3:GetObject only on objects tagged classification=public, and the grant does not require those tags; ` +
        'the owner delegates s3:GetObjectVersion only on objects tagged classification=public, and the grant does not require those tags'),
      problem('subscriptions[6].grants[0]', `${COVER}access point "other-uploads" is not among the access points the owner names for account 444455556666`),
    ]);
  });

  test('GIVEN an organization delegation WHEN a grant of any account fits it THEN the grant is covered', () => {
    // GIVEN an owner who delegates Published/ to an organization
    const doc = sample();
    doc.datasets[0].organizationDelegations = [{ organizationId: 'o-a1b2c3d4e5', access: 'read', prefixes: ['Published'] }];
    // WHEN an account without a delegation of its own reads Published/, and another writes there
    doc.subscriptions.push(
      { ...subscription('catalogue'), account: '999988887777', grants: [{ principal: 'arn:aws:iam::999988887777:role/Reader', access: 'read', prefixes: ['Published/2024'] }] },
      { ...subscription('catalogue'), account: '888877776666', grants: [{ principal: 'arn:aws:iam::888877776666:role/Writer', access: 'write', prefixes: ['Published'] }] },
    );
    const problems = validateManifest(doc);
    // THEN the read is covered, as if the account belonged to the organization, and the write is not
    expect(problems).toEqual([
      problem('subscriptions[4].grants[0]', `${COVER}the owner does not delegate s3:PutObject to account 888877776666 (or to an organization it may belong to); ` +
        'the owner does not delegate s3:DeleteObject to account 888877776666 (or to an organization it may belong to); ' +
        'the owner does not delegate s3:AbortMultipartUpload to account 888877776666 (or to an organization it may belong to)'),
    ]);
  });

  test('GIVEN a dataset without delegations WHEN its subscriptions grant anything THEN nothing is uncovered', () => {
    // GIVEN no delegations, and grants the sample's delegations would not cover
    const doc = sample();
    delete doc.datasets[0].delegations;
    doc.subscriptions.push(subscription('finance-writers', [{ principal: JANE, access: 'read-write', prefixes: ['Finance'] }]));
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN the owner delegates what they need
    expect(problems).toEqual([]);
  });

  test('GIVEN a dataset with an empty list of delegations WHEN validated THEN every grant is uncovered', () => {
    // GIVEN delegations: [], which delegates nothing
    const doc = sample();
    doc.datasets[0].delegations = [];
    doc.subscriptions = [doc.subscriptions[0]];
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN Jane's grant is not covered
    expect(problems).toEqual([problem('subscriptions[0].grants[0]', `${COVER}the bucket owner delegates nothing to account 111122223333`)]);
  });
});

describe('several errors at once', () => {
  test('GIVEN a manifest with errors of every kind WHEN validated THEN all of them are reported in one list', () => {
    // GIVEN structure, value and cross-entry errors together
    const doc = sample();
    doc.datasets[0].encryption = 'AES';
    doc.datasets[0].bucketName = 'tb';
    doc.datasets[0].delegations[2].prefixes = ['Curated/../Finance'];
    doc.subscriptions[0].grants[0].principal = 'arn:aws:iam:111122223333:user/Jane';
    doc.subscriptions[1].region = 'eu-west-1';
    doc.subscriptions[2].dataset = 'curated';
    doc.subscriptions.push({ ...subscription('janes-researchdata-access-point'), colour: 'blue' });
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN every error is there, each at its path
    expect(problems).toEqual([
      problem('datasets[0].encryption', 'must be one of "S3", "KMS" (got "AES")'),
      problem('subscriptions[3].colour', 'is not a field of a subscription; its fields are dataset, account, region, accessPointName, vpcId, grants'),
      problem('datasets[0].bucketName', 'must be 3 to 63 characters long (it has 2) (got "tb")'),
      problem('datasets[0].delegations[2].prefixes[0]',
        'must not contain "." or ".." folder names: S3 keys are literal, so "Sales/../Finance" is a key under "Sales/", ' +
        'while clients that normalise paths would send "Finance" (got "Curated/../Finance")'),
      problem('subscriptions[0].grants[0].principal',
        'must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user/Jane" (got "arn:aws:iam:111122223333:user/Jane")'),
      problem('subscriptions[1].region',
        'must be the Region of dataset "marketing-data", "eu-west-3": an access point serves a bucket in its own Region only (got "eu-west-1")'),
      problem('subscriptions[2].dataset', 'must name a dataset of this manifest ("marketing-data") (got "curated")'),
      problem('subscriptions[3].accessPointName',
        'must be unique in account 111122223333 and Region eu-west-3: subscriptions[0] has the same name (got "janes-researchdata-access-point")'),
    ]);
  });
});

describe('the delegations of a dataset without delegations', () => {
  test('GIVEN subscriptions of several accounts WHEN the delegations are derived THEN they are exactly what the grants need', () => {
    // GIVEN the sample without delegations, with more grants: a duplicate scope, one already covered, another dataset's subscription
    const doc = sample();
    delete doc.datasets[0].delegations;
    doc.subscriptions[0].grants.push(
      { principal: 'arn:aws:iam::111122223333:role/Analyst', access: 'read', prefixes: ['ResearchData/'] },
      { principal: 'arn:aws:iam::111122223333:role/Analyst', access: 'read', prefixes: ['ResearchData/2024'], objectTags: { team: 'a' } },
      { principal: 'arn:aws:iam::111122223333:role/Loader', access: 'write', prefixes: ['Incoming', 'Staging'] },
    );
    const others: ManifestSubscription[] = [{ ...subscription('elsewhere'), dataset: 'archive' }];
    // WHEN its delegations are derived
    const derived = manifestDelegations(doc.datasets[0], [...doc.subscriptions, ...others]);
    // THEN each subscription's account gets one per distinct scope, named to its access point, with its network origin
    expect(derived).toEqual([
      { account: '111122223333', access: 'read', prefixes: ['ResearchData/'], accessPointNames: ['janes-researchdata-access-point'], networkOrigin: 'Internet' },
      { account: '111122223333', access: 'write', prefixes: ['Incoming/', 'Staging/'], accessPointNames: ['janes-researchdata-access-point'], networkOrigin: 'Internet' },
      { account: '444455556666', access: 'read-write', prefixes: ['Uploads/Partner/'], accessPointNames: ['partner-uploads'], networkOrigin: 'VPC' },
      {
        account: '555566667777',
        access: 'read',
        prefixes: ['Curated/'],
        accessPointNames: ['curated-public'],
        networkOrigin: 'Internet',
        objectTags: { classification: 'public' },
      },
    ]);
  });

  test('GIVEN a grant of the whole bucket WHEN the delegations are derived THEN the delegation has no prefixes', () => {
    // GIVEN a read of the whole bucket
    const doc = sample();
    delete doc.datasets[0].delegations;
    // WHEN its delegations are derived
    const derived = manifestDelegations(doc.datasets[0], [subscription('everything', [{ principal: JANE, access: 'read' }])]);
    // THEN it delegates the whole bucket to that access point
    expect(derived).toEqual([{ account: '111122223333', access: 'read', accessPointNames: ['everything'], networkOrigin: 'Internet' }]);
  });

  test('GIVEN grants whose delegations the bucket policy cannot hold WHEN validated THEN the grant is reported', () => {
    // GIVEN tagged objects under ResearchData/ and every object under ResearchData/Open/, through one access point
    const doc = sample();
    delete doc.datasets[0].delegations;
    doc.subscriptions[0].grants = [
      { principal: JANE, access: 'read', prefixes: ['ResearchData'], objectTags: { classification: 'public' } },
      { principal: JANE, access: 'read', prefixes: ['ResearchData/Open'] },
    ];
    // WHEN it is validated
    const problems = validateManifest(doc);
    // THEN the second grant is reported: its delegation would void the first one's tag restriction under ResearchData/Open/
    expect(problems).toEqual([
      problem('subscriptions[0].grants[1]',
        'needs a delegation that the bucket policy cannot hold: it overlaps subscriptions[0].grants[0] (both delegate s3:GetObject, s3:GetObjectVersion, s3:ListBucket on "ResearchData/Open/") ' +
        'with a different restriction: subscriptions[0].grants[0] requires objects tagged classification=public, subscriptions[0].grants[1] does not. ' +
        'A bucket policy is a union, so the looser delegation would void the stricter one there: make them disjoint, or give them the same restrictions (got "111122223333")'),
    ]);
  });
});

describe('the JSON Schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(SCHEMA);

  function schemaErrors(doc: unknown): Array<Pick<ErrorObject, 'instancePath' | 'keyword'>> {
    return validate(doc) ? [] : (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword }));
  }

  test('GIVEN the sample manifest WHEN checked against the schema THEN it is valid, and names the schema', () => {
    // GIVEN sample/sharing.json
    const doc = sample();
    // WHEN it is checked against the schema
    const errors = schemaErrors(doc);
    // THEN it is valid, and its $schema points at the schema file
    expect(errors).toEqual([]);
    expect(path.resolve(path.dirname(SAMPLE_FILE), doc.$schema)).toBe(SCHEMA_FILE);
  });

  const BAD: Array<[string, (doc: Doc) => void, Array<Pick<ErrorObject, 'instancePath' | 'keyword'>>, string]> = [
    ['a required field left out', (doc) => delete doc.datasets[0].bucketName, [{ instancePath: '/datasets/0', keyword: 'required' }], 'datasets[0].bucketName'],
    ['an unknown field', (doc) => doc.subscriptions[0].colour = 'blue', [{ instancePath: '/subscriptions/0', keyword: 'additionalProperties' }], 'subscriptions[0].colour'],
    ['an unknown access', (doc) => doc.subscriptions[0].grants[0].access = 'admin', [{ instancePath: '/subscriptions/0/grants/0/access', keyword: 'enum' }],
      'subscriptions[0].grants[0].access'],
    ['version 2', (doc) => doc.version = 2, [{ instancePath: '/version', keyword: 'const' }], 'version'],
    ['a boolean as a string', (doc) => doc.datasets[0].accessAnalyzer = 'true', [{ instancePath: '/datasets/0/accessAnalyzer', keyword: 'type' }],
      'datasets[0].accessAnalyzer'],
    ['a tag value that is a number', (doc) => doc.datasets[0].delegations[2].objectTags.classification = 1,
      [{ instancePath: '/datasets/0/delegations/2/objectTags/classification', keyword: 'type' }], 'datasets[0].delegations[2].objectTags["classification"]'],
    ['a KMS key on an SSE-S3 bucket', (doc) => doc.datasets[0].kmsKeyArn = 'arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      [{ instancePath: '/datasets/0/kmsKeyArn', keyword: 'false schema' }, { instancePath: '/datasets/0', keyword: 'if' }], 'datasets[0].kmsKeyArn'],
  ];

  test.each(BAD)('GIVEN %s WHEN checked against the schema and validated THEN both reject it', (_, breakIt, expected, problemPath) => {
    // GIVEN the sample, broken in one way
    const doc = sample();
    breakIt(doc);
    // WHEN it is checked against the schema, and validated
    const errors = schemaErrors(doc);
    const problems = validateManifest(doc);
    // THEN the schema rejects it where the validator does
    expect(errors).toEqual(expected);
    expect(problems.map((p) => p.path)).toEqual([problemPath]);
  });

  test('GIVEN the schema WHEN walked THEN every object forbids other fields and every field has a description', () => {
    // GIVEN the schema file
    const objects: string[] = [];
    const undescribed: string[] = [];
    // WHEN every object schema and its property schemas are walked
    walk(SCHEMA, '#', (node, where) => {
      if (node.type === 'object' && node.properties) {
        objects.push(where);
        if (node.additionalProperties !== false) {
          undescribed.push(`${where} allows other fields`);
        }
        for (const [name, field] of Object.entries(node.properties)) {
          if (typeof field.description !== 'string' || field.description.length < 10) {
            undescribed.push(`${where}.${name} has no description`);
          }
        }
      }
    });
    // THEN the document and its five kinds of objects were walked, and none lacks anything
    expect(objects.sort()).toEqual([
      '#', '#/$defs/dataset', '#/$defs/delegation', '#/$defs/grant', '#/$defs/organizationDelegation', '#/$defs/subscription',
    ]);
    expect(undescribed).toEqual([]);
  });

  test('GIVEN the schema and the fields the validator knows WHEN both are listed THEN they are the same, with the same types, required fields and values', () => {
    // GIVEN the validator's shape of the document, and the schema's
    // WHEN each is listed field by field
    const fromValidator = fieldsOfShape(MANIFEST_SHAPE, '');
    const fromSchema = fieldsOfSchema(SCHEMA, '');
    // THEN the lists agree, so the two cannot drift apart
    expect(fromSchema).toEqual(fromValidator);
    expect(Object.keys(fromValidator)).toContain('subscriptions[].grants[].objectTags');
    expect(Object.keys(fromValidator).length).toBe(36);
  });
});

/** A JSON Schema node, as far as these tests read it. */
interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: string[];
  readonly description?: string;
  readonly required?: string[];
  readonly properties?: Record<string, JsonSchema>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly $defs?: Record<string, JsonSchema>;
}

/** How a field is described, on both sides. */
interface Described {
  readonly type: FieldSpec['type'];
  readonly required: boolean;
  readonly values?: string[];
}

function fieldsOfShape(shape: Shape, prefix: string): Record<string, Described> {
  const fields: Record<string, Described> = {};
  for (const [name, spec] of Object.entries(shape.fields)) {
    const where = `${prefix}${name}`;
    fields[where] = { type: spec.type, required: spec.required ?? false, ...(spec.values ? { values: [...spec.values] } : {}) };
    if (spec.shape) {
      Object.assign(fields, fieldsOfShape(spec.shape, `${where}[].`));
    }
  }
  return fields;
}

/** A node with its `$ref` followed; its own keywords (a description) win. */
function resolved(node: JsonSchema): JsonSchema {
  if (!node.$ref) {
    return node;
  }
  const name = /^#\/\$defs\/(\w+)$/.exec(node.$ref)![1];
  const { $ref: _, ...own } = node;
  return { ...resolved(SCHEMA.$defs![name]), ...own };
}

function fieldsOfSchema(node: JsonSchema, prefix: string): Record<string, Described> {
  const fields: Record<string, Described> = {};
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    const where = `${prefix}${name}`;
    const field = resolved(raw);
    const required = (node.required ?? []).includes(name);
    const items = field.items ? resolved(field.items) : undefined;
    if (field.const === 1) {
      fields[where] = { type: 'version', required };
    } else if (field.type === 'string') {
      fields[where] = { type: 'string', required, ...(field.enum ? { values: field.enum } : {}) };
    } else if (field.type === 'boolean') {
      fields[where] = { type: 'boolean', required };
    } else if (field.type === 'object' && typeof field.additionalProperties === 'object' && field.additionalProperties.type === 'string') {
      fields[where] = { type: 'tags', required };
    } else if (field.type === 'array' && items?.type === 'string') {
      fields[where] = { type: 'strings', required };
    } else if (field.type === 'array' && items?.type === 'object') {
      fields[where] = { type: 'objects', required };
      Object.assign(fields, fieldsOfSchema(items, `${where}[].`));
    } else {
      throw new Error(`${where}: a schema the tests do not know: ${JSON.stringify(field)}`);
    }
  }
  return fields;
}

function walk(node: JsonSchema, where: string, visit: (node: JsonSchema, where: string) => void): void {
  visit(node, where);
  for (const [name, def] of Object.entries(node.$defs ?? {})) {
    walk(def, `#/$defs/${name}`, visit);
  }
}

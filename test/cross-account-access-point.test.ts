/**
 * CrossAccountAccessPoint, as a specification.
 *
 * The AWS Storage Blog scenario: account 123456789010 (the owner) keeps its research data in a
 * bucket in eu-west-3 and delegates access to account 111122223333 (the consumer), which creates
 * its own access point on that bucket and lets the IAM user Jane read `ResearchData/` through it.
 * Both accounts live in one CDK app, so the access point can check its grants against the owner's
 * delegation at synth; the attribute-import path (`DelegatedBucket.fromDelegatedBucketAttributes`)
 * covers a bucket owned by another app.
 *
 * Each input's property is wired to its rule once here; the catalogue of bad values of each rule
 * lives in bad-inputs.test.ts and in the property tests of the rules.
 */
import { App, CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CrossAccountAccessPoint, CrossAccountAccessPointProps, DelegatedBucket, DelegatedBucketProps, DelegationOptions,
  GrantOptions, IDelegatedBucket, NetworkOrigin, S3Actions,
} from '../src';
import {
  CONSUMER_ACCOUNT, CONSUMER_ENV, JANE, KEY_ARN, OTHER_ACCOUNT, OWNER_ACCOUNT, OWNER_ENV, REGION,
  consumerApp, expectProblem, jane, thrownBy, twoAccountApp,
} from './support/fixtures';
import { Warnings } from '../src/private/warnings';

const NAME = 'janes-researchdata-access-point';
const ACCESS_POINT_ARN = `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/${NAME}`;
const CONSUMER_PATH = 'Consumer/JanesAccessPoint';
const BUCKET_PATH = 'Owner/Data';

const READ = ['s3:GetObject', 's3:GetObjectVersion'];
const WRITE = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];

// ---------------------------------------------------------------------------------------------
// Building the apps
// ---------------------------------------------------------------------------------------------

/** The owner's bucket props with one delegation to the consumer account. */
function delegating(options: DelegationOptions, bucketProps: DelegatedBucketProps = {}): DelegatedBucketProps {
  return { ...bucketProps, delegations: [{ account: CONSUMER_ACCOUNT, ...options }] };
}

/**
 * One app, two accounts: the owner's stack `Owner` with the DelegatedBucket `Data`, and the
 * consumer's stack `Consumer`. Unless told otherwise, the owner lets the consumer read and write
 * the whole bucket, so that only the access point limits what a grant reaches.
 */
function twoAccounts(bucketProps: DelegatedBucketProps = delegating({ actions: S3Actions.READ_WRITE })) {
  return twoAccountApp(bucketProps);
}

/** A consumer stack and a DelegatedBucket of the same app in another Region than the consumer's. */
function ownerInRegion(region: string): { consumer: Stack; bucket: DelegatedBucket } {
  const app = new App();
  const owner = new Stack(app, 'Owner', { env: { account: OWNER_ACCOUNT, region } });
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  return { consumer, bucket: new DelegatedBucket(owner, 'Data', delegating({ actions: S3Actions.READ_WRITE })) };
}

/** The blog's access point in the consumer stack, without any grant yet. */
function accessPoint(scope: Construct, bucket: IDelegatedBucket, props: Partial<CrossAccountAccessPointProps> = {}, id = 'JanesAccessPoint') {
  return new CrossAccountAccessPoint(scope, id, { bucket, accessPointName: NAME, ...props });
}

/** The blog's access point with the blog's grant: Jane reads `ResearchData/`. */
function janesAccessPoint(scope: Construct, bucket: IDelegatedBucket, props: Partial<CrossAccountAccessPointProps> = {}) {
  const ap = accessPoint(scope, bucket, props);
  ap.grantRead(jane(), { prefixes: ['ResearchData'] });
  return ap;
}

/** An IAM role of the consumer account (a grantee with an identity policy, named in the access point policy). */
function analystsRole(consumer: Stack): iam.Role {
  return new iam.Role(consumer, 'Analysts', { assumedBy: new iam.AccountRootPrincipal() });
}

/** An IAM group of the consumer account (a grantee with an identity policy that no resource policy can name). */
function analystsGroup(consumer: Stack): iam.Group {
  return new iam.Group(consumer, 'Analysts');
}

/** A VPC of the consumer account, for access points with network origin VPC. */
function consumerVpc(consumer: Stack): ec2.IVpc {
  return new ec2.Vpc(consumer, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

// ---------------------------------------------------------------------------------------------
// Reading templates and messages
// ---------------------------------------------------------------------------------------------

/**
 * An ARN as it appears in a template of a stack whose Region is known: a plain string, with the
 * Region's partition written out (`aws` for eu-west-3) rather than an `Fn::Join` around `AWS::Partition`.
 */
function literalArn(rest: string): string {
  return `arn:aws${rest}`;
}

/** The blog's access point ARN in the consumer's template. */
function accessPointArnIn(name = NAME): string {
  return literalArn(`:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/${name}`);
}

/** `.../accesspoint/NAME/object/KEY` in the consumer's template. */
function objectsArnIn(key: string, name = NAME): string {
  return literalArn(`:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/${name}/object/${key}`);
}

/** The listing condition for a folder: the folder itself and every key below it. */
function listingOf(folder: string): object {
  return { StringLike: { 's3:prefix': [folder, `${folder}*`] } };
}

/** Assert that the access point policy has a statement like `statement`. */
function expectAccessPointStatement(stack: Stack, statement: Record<string, unknown>): void {
  Template.fromStack(stack).hasResourceProperties('AWS::S3::AccessPoint', {
    Policy: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
  });
}

/** Assert that some identity policy (AWS::IAM::Policy) of the stack has a statement like `statement`. */
function expectIdentityStatement(stack: Stack, statement: Record<string, unknown>): void {
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
  });
}

/** The only AWS::S3::AccessPoint of a stack's template, as properties. */
function accessPointProperties(stack: Stack): Record<string, any> {
  const resources = Object.values(Template.fromStack(stack).findResources('AWS::S3::AccessPoint'));
  expect(resources).toHaveLength(1);
  return resources[0].Properties;
}

/** The statements of the only AWS::IAM::Policy of a stack's template. */
function identityStatements(stack: Stack): any[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

/** The name an access point gets, read from its L1 without synthesizing the app. */
function nameOf(ap: CrossAccountAccessPoint): string {
  return Stack.of(ap).resolve((ap.node.defaultChild as s3.CfnAccessPoint).name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A synth-time validation error: aws-cdk lists each as `[PATH] MESSAGE`. */
function synthError(path: string, message: RegExp): RegExp {
  return new RegExp(`\\[${escapeRegExp(path)}\\] [\\s\\S]*${message.source}`);
}

/** The warning IDs a construct was given, read from the synthesized stack. */
function warningsOn(stack: Stack, path: string): string[] {
  return Annotations.fromStack(stack).findWarning(`/${path}`, Match.anyValue())
    .map((w) => String(w.entry.data));
}

// ---------------------------------------------------------------------------------------------
// The resource
// ---------------------------------------------------------------------------------------------

describe('the AWS::S3::AccessPoint resource', () => {
  test('is the default child, called Resource', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = janesAccessPoint(consumer, bucket);
    expect(ap.node.defaultChild).toBeInstanceOf(s3.CfnAccessPoint);
    expect(ap.node.defaultChild!.node.id).toBe('Resource');
  });

  test('points at the owner\'s bucket, in the owner\'s account, under the given name', () => {
    const { consumer, bucket } = twoAccounts(delegating({ actions: S3Actions.READ }, { bucketName: 'test-bucket-1' }));
    janesAccessPoint(consumer, bucket);
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      Bucket: 'test-bucket-1',
      BucketAccountId: OWNER_ACCOUNT,
      Name: NAME,
    });
  });

  test('names a bucket whose name the owner did not choose by the literal name the owner\'s stack uses', () => {
    // A reference across accounts cannot be an Fn::ImportValue: the bucket's name is fixed at synth instead.
    const { owner, consumer, bucket } = twoAccounts();
    janesAccessPoint(consumer, bucket);
    const namedBuckets = Template.fromStack(owner).findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.anyValue() } });
    const ownersName = Object.values(namedBuckets)[0].Properties.BucketName;
    expect(ownersName).toEqual(expect.any(String));
    expect(accessPointProperties(consumer).Bucket).toBe(ownersName);
  });

  test('blocks all public access by default, with no warning', () => {
    const { consumer, bucket } = twoAccounts();
    janesAccessPoint(consumer, bucket);
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(warningsOn(consumer, CONSUMER_PATH)).toEqual([]);
  });

  test('has Internet network origin by default: no VpcConfiguration', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = janesAccessPoint(consumer, bucket);
    expect(ap.networkOrigin).toBe(NetworkOrigin.INTERNET);
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', { VpcConfiguration: Match.absent() });
  });

  test('has VPC network origin when given a VPC', () => {
    const { consumer, bucket } = twoAccounts();
    const vpc = consumerVpc(consumer);
    const ap = janesAccessPoint(consumer, bucket, { vpc });
    expect(ap.networkOrigin).toBe(NetworkOrigin.VPC);
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      VpcConfiguration: { VpcId: consumer.resolve(vpc.vpcId) },
    });
  });

  test('takes custom Block Public Access settings, with a warning naming those that are off', () => {
    const { consumer, bucket } = twoAccounts();
    janesAccessPoint(consumer, bucket, {
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      }),
    });
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: false,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: false,
      },
    });
    Annotations.fromStack(consumer).hasWarning(
      `/${CONSUMER_PATH}`,
      Match.stringLikeRegexp(`Block Public Access settings blockPublicPolicy, restrictPublicBuckets are off on this access point.*${Warnings.BLOCK_PUBLIC_ACCESS_OFF}`),
    );
  });

  test('has no Policy until something is granted, and synthesizes', () => {
    const { consumer, bucket } = twoAccounts();
    accessPoint(consumer, bucket);
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', { Name: NAME, Policy: Match.absent() });
  });
});

describe('a generated name, when accessPointName is omitted', () => {
  const S3_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

  /** The name generated for an access point at `consumerStackId/...path`, each time in a new app. */
  function generatedName(consumerStackId: string, ...path: string[]): string {
    const app = new App();
    const bucket = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Data');
    const consumer = new Stack(app, consumerStackId, { env: CONSUMER_ENV });
    let scope: Construct = consumer;
    for (const id of path.slice(0, -1)) {
      scope = new Construct(scope, id);
    }
    return nameOf(new CrossAccountAccessPoint(scope, path[path.length - 1], { bucket }));
  }

  test('follows AWS\'s rules for access point names', () => {
    const name = generatedName('Consumer', 'JanesAccessPoint');
    expect(name).toMatch(S3_NAME);
    expect(name.length).toBeGreaterThanOrEqual(3);
    expect(name.length).toBeLessThanOrEqual(50);
    expect(name).not.toMatch(/-s3alias$/);
  });

  test('stays within 50 characters for a long construct path', () => {
    const name = generatedName('ResearchAndDataScienceConsumerStack', 'QuarterlyReportingTeam', 'SharedDatasetsOfTheMarketingDomain', 'AccessPoint');
    expect(name).toMatch(S3_NAME);
    expect(name.length).toBeLessThanOrEqual(50);
  });

  test('is the same for the same construct path (a redeploy does not replace the access point)', () => {
    expect(generatedName('Consumer', 'JanesAccessPoint')).toBe(generatedName('Consumer', 'JanesAccessPoint'));
  });

  test('differs for different construct paths', () => {
    expect(generatedName('Consumer', 'JanesAccessPoint')).not.toBe(generatedName('Consumer', 'BobsAccessPoint'));
    expect(generatedName('Consumer', 'JanesAccessPoint')).not.toBe(generatedName('OtherConsumer', 'JanesAccessPoint'));
  });

  describe('changes with the settings that cannot change in place, so that CloudFormation can replace it', () => {
    /** The generated name for the given props, each time in a new app with the same construct paths. */
    function nameWith(props: Partial<CrossAccountAccessPointProps>, bucketName = 'research-data'): string {
      const app = new App();
      const bucket = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Data', { bucketName });
      const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
      const vpc = props.vpc ? consumerVpc(consumer) : undefined;
      return nameOf(new CrossAccountAccessPoint(consumer, 'JanesAccessPoint', { bucket, ...props, vpc }));
    }
    const base = nameWith({});

    test('the same settings give the same name', () => {
      expect(nameWith({})).toBe(base);
      expect(nameWith({ blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL })).toBe(base);
    });

    test.each([
      ['a VPC network origin', () => nameWith({ vpc: {} as ec2.IVpc })],
      ['other Block Public Access settings', () => nameWith({ blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true }) })],
      ['another bucket', () => nameWith({}, 'other-research-data')],
    ])('%s gives a new name', (_title, name) => {
      expect(name()).not.toBe(base);
      expect(name()).toMatch(S3_NAME);
    });
  });

  test('is used in the template', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = new CrossAccountAccessPoint(consumer, 'JanesAccessPoint', { bucket });
    ap.grantRead(jane(), { prefixes: ['ResearchData'] });
    const name = nameOf(ap);
    expect(accessPointProperties(consumer).Name).toBe(name);
    expectAccessPointStatement(consumer, { Resource: objectsArnIn('ResearchData/*', name) });
  });
});

// ---------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------

describe('grants to an IAM principal named by ARN (Jane)', () => {
  function grantToJane(method: 'grantRead' | 'grantWrite' | 'grantReadWrite', options?: GrantOptions) {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const grant = ap[method](jane(), options);
    return { consumer, ap, grant };
  }

  test('grantRead allows the object reads on the prefix through the access point', () => {
    const { consumer } = grantToJane('grantRead', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, {
      Effect: 'Allow',
      Principal: { AWS: JANE },
      Action: READ,
      Resource: objectsArnIn('ResearchData/*'),
    });
  });

  test('grantRead allows listing on the access point ARN itself, narrowed to the prefix with s3:prefix', () => {
    const { consumer } = grantToJane('grantRead', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, {
      Principal: { AWS: JANE },
      Action: 's3:ListBucket',
      Resource: accessPointArnIn(),
      Condition: listingOf('ResearchData/'),
    });
  });

  test('grantWrite allows the object writes on the prefix, and no listing', () => {
    const { consumer } = grantToJane('grantWrite', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: WRITE, Resource: objectsArnIn('ResearchData/*') });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('s3:ListBucket');
  });

  test('grantReadWrite allows reads and writes on the prefix, and listing', () => {
    const { consumer } = grantToJane('grantReadWrite', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: [...READ, ...WRITE], Resource: objectsArnIn('ResearchData/*') });
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: 's3:ListBucket', Resource: accessPointArnIn() });
  });

  test.each(['grantWrite', 'grantReadWrite'] as const)('%s never allows s3:DeleteObjectVersion (deleting only adds a delete marker)', (method) => {
    const { consumer } = grantToJane(method);
    expectAccessPointStatement(consumer, { Action: Match.arrayWith(['s3:DeleteObject']) });
    expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toContain('s3:DeleteObjectVersion');
  });

  test('without options, reaches every object (object/*) and lists without a condition', () => {
    const { consumer } = grantToJane('grantRead');
    expectAccessPointStatement(consumer, { Action: READ, Resource: objectsArnIn('*'), Condition: Match.absent() });
    expectAccessPointStatement(consumer, { Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: Match.absent() });
  });

  test('with several prefixes, reaches each of them and lists each of them', () => {
    const { consumer } = grantToJane('grantRead', { prefixes: ['ResearchData', 'Reports/2024'] });
    expectAccessPointStatement(consumer, { Action: READ, Resource: [objectsArnIn('ResearchData/*'), objectsArnIn('Reports/2024/*')] });
    expectAccessPointStatement(consumer, {
      Action: 's3:ListBucket',
      Condition: { StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*', 'Reports/2024/', 'Reports/2024/*'] } },
    });
  });

  test('"ResearchData" and "ResearchData/" mean the same folder', () => {
    const withoutSlash = grantToJane('grantRead', { prefixes: ['ResearchData'] }).consumer;
    const withSlash = grantToJane('grantRead', { prefixes: ['ResearchData/'] }).consumer;
    expect(accessPointProperties(withSlash).Policy).toEqual(accessPointProperties(withoutSlash).Policy);
    expectAccessPointStatement(withSlash, { Resource: objectsArnIn('ResearchData/*') });
  });

  test('creates no IAM policy: Jane is not a construct of this app', () => {
    const { consumer } = grantToJane('grantReadWrite', { prefixes: ['ResearchData'] });
    Template.fromStack(consumer).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('returns a usable iam.Grant', () => {
    const { grant } = grantToJane('grantRead', { prefixes: ['ResearchData'] });
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    expect(() => grant.assertSuccess()).not.toThrow();
  });
});

describe('grant(grantee, S3Actions, options), for exactly the actions the owner delegates', () => {
  test('the blog\'s s3:GetObject-only delegation is granted as s3:GetObject only, and passes the delegation check', () => {
    // GIVEN an owner who delegates only s3:GetObject on ResearchData/
    const { app, consumer, bucket } = twoAccounts(delegating({ actions: S3Actions.of('s3:GetObject'), prefixes: ['ResearchData'] }));
    // WHEN the consumer grants Jane exactly that
    accessPoint(consumer, bucket).grant(jane(), S3Actions.of('s3:GetObject'), { prefixes: ['ResearchData'] });
    // THEN the app synthesizes, and the access point policy allows s3:GetObject and no listing
    expect(thrownBy(() => app.synth())).toBe('');
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: 's3:GetObject', Resource: objectsArnIn('ResearchData/*') });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('s3:ListBucket');
  });

  test('object actions go on the objects under each prefix, list actions on the access point narrowed to the prefixes', () => {
    // GIVEN an owner who delegates an object action and a list action
    const actions = S3Actions.of('s3:GetObjectTagging', 's3:ListBucketVersions');
    const { consumer, bucket } = twoAccounts(delegating({ actions }));
    // WHEN the consumer grants both to Jane on ResearchData/
    accessPoint(consumer, bucket).grant(jane(), actions, { prefixes: ['ResearchData'] });
    // THEN the object action reaches the objects under the prefix, and the list action lists the prefix only
    expect(accessPointProperties(consumer).Policy.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:GetObjectTagging', Resource: objectsArnIn('ResearchData/*') },
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:ListBucketVersions', Resource: accessPointArnIn(), Condition: listingOf('ResearchData/') },
    ]);
  });

  test('changing the array that S3Actions.READ.actions returns changes no grant', () => {
    // GIVEN someone pushes an action into the array that S3Actions.READ.actions returned
    const { consumer, bucket } = twoAccounts();
    S3Actions.READ.actions.push('s3:DeleteObjectVersion');
    // WHEN the consumer grants READ
    accessPoint(consumer, bucket).grantRead(jane());
    // THEN the grant has the read actions only
    expectAccessPointStatement(consumer, { Action: READ });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('s3:DeleteObjectVersion');
  });

  test('each action is checked, and the message names its index in the S3Actions', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expectProblem(() => ap.grant(jane(), S3Actions.of('s3:GetObject', 's3:Get*')), {
      path: CONSUMER_PATH, property: 'grant actions[1]', rule: 'must name one S3 action, without wildcards', value: 's3:Get*',
    });
  });

  test('actions S3 cannot limit to prefixes are rejected with prefixes', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expectProblem(() => ap.grant(jane(), S3Actions.of('s3:ListBucketMultipartUploads'), { prefixes: ['ResearchData'] }), {
      path: CONSUMER_PATH,
      property: 'grant actions',
      rule: 'cannot be limited to prefixes: S3 sets no s3:prefix condition key for s3:ListBucketMultipartUploads',
      value: /\["s3:ListBucketMultipartUploads"\]/,
    });
  });
});

describe('grants limited to objects with given tags (objectTags)', () => {
  const TAGS = { classification: 'public' };
  const EXISTING = { StringEquals: { 's3:ExistingObjectTag/classification': 'public' } };
  const REQUESTED = { StringEquals: { 's3:RequestObjectTag/classification': 'public' } };

  /** Jane's grant with tags, on a bucket whose owner delegates these actions on the whole bucket. */
  function taggedGrantToJane(build: (ap: CrossAccountAccessPoint) => void, delegated = S3Actions.READ_WRITE) {
    const { app, consumer, bucket } = twoAccounts(delegating({ actions: delegated }));
    build(accessPoint(consumer, bucket));
    return { app, consumer };
  }

  test('grantRead needs the objects to carry the tags, and lists by prefix only (S3 sets no tag key for listing)', () => {
    // WHEN Jane may read objects tagged classification=public under ResearchData/
    const { consumer } = taggedGrantToJane((ap) => ap.grantRead(jane(), { prefixes: ['ResearchData'], objectTags: TAGS }));
    // THEN reading needs the object's tag; listing needs the prefix only
    expect(accessPointProperties(consumer).Policy.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: READ, Resource: objectsArnIn('ResearchData/*'), Condition: EXISTING },
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: listingOf('ResearchData/') },
    ]);
  });

  test('grantRead with tags gives no warning: listing is expected to be limited by prefix only', () => {
    // WHEN Jane may read tagged objects
    const { consumer } = taggedGrantToJane((ap) => ap.grantRead(jane(), { objectTags: TAGS }));
    // THEN the access point has no warning
    expect(warningsOn(consumer, CONSUMER_PATH)).toEqual([]);
  });

  test('grantReadWrite gives one statement per set of conditions: existing tags, requested tags, none, listing', () => {
    // WHEN Jane may read and write tagged objects under ResearchData/
    const { consumer } = taggedGrantToJane((ap) => ap.grantReadWrite(jane(), { prefixes: ['ResearchData'], objectTags: TAGS }));
    // THEN reads need the object's tag, PutObject needs the write to set it, deletes and aborts need
    // no tag, and listing needs the prefix only
    expect(accessPointProperties(consumer).Policy.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: READ, Resource: objectsArnIn('ResearchData/*'), Condition: EXISTING },
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:PutObject', Resource: objectsArnIn('ResearchData/*'), Condition: REQUESTED },
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: ['s3:DeleteObject', 's3:AbortMultipartUpload'], Resource: objectsArnIn('ResearchData/*') },
      { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: listingOf('ResearchData/') },
    ]);
  });

  test('grantWrite warns that the tags cannot limit s3:DeleteObject and s3:AbortMultipartUpload', () => {
    // WHEN Jane may write tagged objects
    const { consumer } = taggedGrantToJane((ap) => ap.grantWrite(jane(), { prefixes: ['ResearchData'], objectTags: TAGS }));
    // THEN a warning names the write actions that reach every object under the prefix
    Annotations.fromStack(consumer).hasWarning(
      `/${CONSUMER_PATH}`,
      Match.stringLikeRegexp(`grantWrite\\(${JANE}\\) is limited to objects tagged classification=public, but S3 evaluates no object tag for s3:DeleteObject, s3:AbortMultipartUpload.*${Warnings.OBJECT_TAGS_NOT_APPLICABLE}`),
    );
  });

  test('s3:PutObjectTagging needs both: the object carries the tags, and the request keeps them', () => {
    // WHEN Jane may tag objects that are tagged classification=public
    const actions = S3Actions.of('s3:PutObjectTagging');
    const { consumer } = taggedGrantToJane((ap) => ap.grant(jane(), actions, { objectTags: TAGS }), actions);
    // THEN the object must carry the tag, and the new tag set must keep it
    expectAccessPointStatement(consumer, {
      Action: 's3:PutObjectTagging',
      Condition: { StringEquals: { 's3:ExistingObjectTag/classification': 'public', 's3:RequestObjectTag/classification': 'public' } },
    });
  });

  test('a role gets the same conditions in its identity policy as in the access point policy', () => {
    // GIVEN a role of the consumer account
    const { consumer, bucket } = twoAccounts();
    const role = analystsRole(consumer);
    // WHEN it may read and write tagged objects
    accessPoint(consumer, bucket).grantReadWrite(role, { prefixes: ['ResearchData'], objectTags: TAGS });
    // THEN its identity policy has the access point policy's statements, conditions included
    const resourceSide = accessPointProperties(consumer).Policy.Statement.map(({ Principal, ...rest }: any) => rest);
    expect(identityStatements(consumer)).toEqual(resourceSide);
  });

  test('an object tag key is checked, and the message names the grant\'s objectTags', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expectProblem(() => ap.grantRead(jane(), { objectTags: { 'aws:team': 'research' } }), {
      path: CONSUMER_PATH, property: 'grantRead options.objectTags', rule: 'key must not start with "aws:"', value: 'aws:team',
    });
  });
});

describe('grants to an IAM role of the consumer account', () => {
  function grantToRole(method: 'grantRead' | 'grantWrite' | 'grantReadWrite', options?: GrantOptions) {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const role = analystsRole(consumer);
    const grant = ap[method](role, options);
    return { consumer, ap, role, grant, roleArn: consumer.resolve(role.roleArn) };
  }

  test('grantRead writes the access point policy for the role', () => {
    const { consumer, roleArn } = grantToRole('grantRead', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, { Principal: { AWS: roleArn }, Action: READ, Resource: objectsArnIn('ResearchData/*') });
    expectAccessPointStatement(consumer, { Principal: { AWS: roleArn }, Action: 's3:ListBucket', Resource: accessPointArnIn() });
  });

  test('grantRead narrows the role\'s listing to the prefix in the access point policy too', () => {
    const { consumer, roleArn } = grantToRole('grantRead', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, { Principal: { AWS: roleArn }, Action: 's3:ListBucket', Condition: listingOf('ResearchData/') });
  });

  test('grantRead also writes the role\'s identity policy, with the same actions and resources', () => {
    const { consumer, role } = grantToRole('grantRead', { prefixes: ['ResearchData'] });
    Template.fromStack(consumer).hasResourceProperties('AWS::IAM::Policy', { Roles: [consumer.resolve(role.roleName)] });
    expectIdentityStatement(consumer, { Effect: 'Allow', Action: READ, Resource: objectsArnIn('ResearchData/*') });
    expectIdentityStatement(consumer, { Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: listingOf('ResearchData/') });
  });

  test('grantWrite writes both policies with the write actions only', () => {
    const { consumer, roleArn } = grantToRole('grantWrite', { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, { Principal: { AWS: roleArn }, Action: WRITE, Resource: objectsArnIn('ResearchData/*') });
    expectIdentityStatement(consumer, { Action: WRITE, Resource: objectsArnIn('ResearchData/*') });
    expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toContain('s3:DeleteObjectVersion');
  });

  test('grantReadWrite writes both policies with reads, writes and listing', () => {
    const { consumer } = grantToRole('grantReadWrite');
    expectIdentityStatement(consumer, { Action: [...READ, ...WRITE], Resource: objectsArnIn('*') });
    expectIdentityStatement(consumer, { Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: Match.absent() });
  });

  test('returns a usable iam.Grant', () => {
    const { grant } = grantToRole('grantRead', { prefixes: ['ResearchData'] });
    expect(grant.success).toBe(true);
    expect(grant.principalStatements.length).toBeGreaterThan(0);
  });
});

describe('grants to an IAM group', () => {
  test('go on the group\'s identity policy only: an access point policy cannot name a group', () => {
    // GIVEN a group of the consumer account
    const { consumer, bucket } = twoAccounts();
    const group = analystsGroup(consumer);
    // WHEN it may read ResearchData/
    const grant = accessPoint(consumer, bucket).grantRead(group, { prefixes: ['ResearchData'] });
    // THEN the group's identity policy allows the reads and the listing, and the access point has no policy
    expect(grant.success).toBe(true);
    Template.fromStack(consumer).hasResourceProperties('AWS::IAM::Policy', { Groups: [consumer.resolve(group.groupName)] });
    expect(identityStatements(consumer)).toEqual([
      { Effect: 'Allow', Action: READ, Resource: objectsArnIn('ResearchData/*') },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: listingOf('ResearchData/') },
    ]);
    expect(accessPointProperties(consumer).Policy).toBeUndefined();
  });

  test('a group of another account is rejected, and neither its policy nor the access point policy is written', () => {
    // GIVEN a group in a stack of another account
    const { app, consumer, bucket } = twoAccounts();
    const partner = new Stack(app, 'Partner', { env: { account: OTHER_ACCOUNT, region: REGION } });
    const ap = accessPoint(consumer, bucket);
    // WHEN it is granted reads, THEN the grant is rejected
    expectProblem(() => ap.grantRead(new iam.Group(partner, 'Analysts'), { prefixes: ['ResearchData'] }), {
      path: CONSUMER_PATH,
      property: 'grantRead grantee',
      rule: `must be a group of the access point's account ${CONSUMER_ACCOUNT}`,
      value: OTHER_ACCOUNT,
    });
    // AND no policy was written
    Template.fromStack(partner).resourceCountIs('AWS::IAM::Policy', 0);
    expect(accessPointProperties(consumer).Policy).toBeUndefined();
  });

  test('an imported group is judged by the account in its ARN', () => {
    // GIVEN groups imported by ARN, one of the consumer account and one of another account
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const ours = iam.Group.fromGroupArn(consumer, 'Ours', `arn:aws:iam::${CONSUMER_ACCOUNT}:group/Analysts`);
    const theirs = iam.Group.fromGroupArn(consumer, 'Theirs', `arn:aws:iam::${OTHER_ACCOUNT}:group/Analysts`);
    // THEN the consumer's group can be granted, and the other account's group cannot
    expect(thrownBy(() => ap.grantRead(ours))).toBe('');
    expectProblem(() => ap.grantRead(theirs), {
      path: CONSUMER_PATH, property: 'grantRead grantee', rule: 'must be a group of the access point\'s account', value: OTHER_ACCOUNT,
    });
  });
});

describe('a grant is all or nothing: when any input is bad, no policy changes', () => {
  /** The consumer's template after a good grant, and after a rejected grant with one bad prefix on top of it. */
  function templateAfter(grantee: (consumer: Stack) => iam.IGrantable, rejected: boolean) {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const who = grantee(consumer);
    ap.grantRead(who, { prefixes: ['ResearchData'] });
    if (rejected) {
      expectProblem(() => ap.grantWrite(who, { prefixes: ['Reports', '/Uploads'] }), {
        path: CONSUMER_PATH, property: 'grantWrite options.prefixes[1]', rule: 'must not start with "/"', value: '/Uploads',
      });
    }
    return Template.fromStack(consumer).toJSON();
  }

  test.each([
    ['a role: its identity policy and the access point policy', analystsRole],
    ['a group: its identity policy', analystsGroup],
    ['Jane: the access point policy', (_consumer: Stack) => jane()],
  ])('for %s', (_title, grantee) => {
    // GIVEN a grantee with a grant on ResearchData/
    // WHEN a second grant to it names one good prefix and one bad prefix
    // THEN the second grant is rejected, and the template is the one with the first grant only
    const goodOnly = templateAfter(grantee, false);
    expect(JSON.stringify(goodOnly)).toContain('ResearchData/*');
    expect(templateAfter(grantee, true)).toEqual(goodOnly);
  });
});

describe('addToResourcePolicy', () => {
  test('adds a statement to the access point policy', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const result = ap.addToResourcePolicy(new iam.PolicyStatement({
      principals: [jane().grantPrincipal],
      actions: ['s3:GetObjectTagging'],
      resources: [ap.arnForObjects('ResearchData/*')],
    }));
    expect(result.statementAdded).toBe(true);
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: 's3:GetObjectTagging', Resource: objectsArnIn('ResearchData/*') });
  });

  test('checks the principals, and adds nothing when one is malformed', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const blogsJane = 'arn:aws:iam:111122223333:user/Jane';
    const statement = new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(blogsJane)], actions: ['s3:GetObject'], resources: [ap.arnForObjects('*')] });
    // WHEN a statement names the blog's Jane, THEN it is rejected and the access point keeps no policy
    expectProblem(() => ap.addToResourcePolicy(statement), {
      path: CONSUMER_PATH,
      property: 'policy principal',
      rule: 'must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user/Jane"',
      value: blogsJane,
    });
    expect(accessPointProperties(consumer).Policy).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Encryption
// ---------------------------------------------------------------------------------------------

describe('a bucket encrypted with a customer-managed KMS key', () => {
  const VIA_S3 = { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } };
  /** The owner's key lives in another account's stack and cannot be referenced: grants name the owner's keys. */
  const OWNERS_KEYS = literalArn(`:kms:${REGION}:${OWNER_ACCOUNT}:key/*`);

  function kmsApp() {
    return twoAccounts(delegating({ actions: S3Actions.READ_WRITE }, { encryption: s3.BucketEncryption.KMS }));
  }

  test('grantRead lets the role decrypt with the owner\'s keys, through S3 only', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(analystsRole(consumer), { prefixes: ['ResearchData'] });
    expectIdentityStatement(consumer, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: OWNERS_KEYS, Condition: VIA_S3 });
  });

  test('grantWrite lets the role decrypt and generate data keys, through S3 only', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantWrite(analystsRole(consumer), { prefixes: ['ResearchData'] });
    expectIdentityStatement(consumer, { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: OWNERS_KEYS, Condition: VIA_S3 });
  });

  test('a group gets the key permission on its identity policy as well', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(analystsGroup(consumer), { prefixes: ['ResearchData'] });
    expectIdentityStatement(consumer, { Action: 'kms:Decrypt', Resource: OWNERS_KEYS, Condition: VIA_S3 });
  });

  test('warns when the grantee is named by ARN: its own identity policy must allow the key, and this app cannot write it', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(jane(), { prefixes: ['ResearchData'] });
    Template.fromStack(consumer).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(consumer).hasWarning(`/${CONSUMER_PATH}`, Match.stringLikeRegexp(`${JANE} kms:Decrypt.*${Warnings.GRANT_NOT_WRITTEN}`));
  });

  test('puts no KMS action in the access point policy (S3 does not evaluate it for KMS)', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(analystsRole(consumer), { prefixes: ['ResearchData'] });
    expectAccessPointStatement(consumer, { Action: READ });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('kms:');
  });

  test('a bucket with S3-managed keys gives no KMS permission', () => {
    const { consumer, bucket } = twoAccounts();
    accessPoint(consumer, bucket).grantReadWrite(analystsRole(consumer));
    expectIdentityStatement(consumer, { Action: [...READ, ...WRITE] });
    expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toContain('kms:');
  });

  test('an imported bucket with encryptionKeyArn names that exact key', () => {
    const { consumer, bucket } = consumerApp({ encryptionKeyArn: KEY_ARN });
    accessPoint(consumer, bucket).grantWrite(analystsRole(consumer), { prefixes: ['ResearchData'] });
    expectIdentityStatement(consumer, { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN, Condition: VIA_S3 });
  });

  test('an imported access point with encryptionKeyArn names that exact key', () => {
    const { consumer } = consumerApp();
    const imported = CrossAccountAccessPoint.fromAccessPointAttributes(consumer, 'Imported', { accessPointArn: ACCESS_POINT_ARN, encryptionKeyArn: KEY_ARN });
    imported.grantRead(analystsRole(consumer), { prefixes: ['ResearchData'] });
    expectIdentityStatement(consumer, { Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: VIA_S3 });
  });
});

// ---------------------------------------------------------------------------------------------
// Attributes and helpers
// ---------------------------------------------------------------------------------------------

describe('attributes and helpers', () => {
  function blogAccessPoint() {
    const { consumer, bucket } = twoAccounts();
    const ap = janesAccessPoint(consumer, bucket);
    const logicalId = consumer.getLogicalId(ap.node.defaultChild as s3.CfnAccessPoint);
    return { consumer, ap, logicalId };
  }

  test('accessPointArn is the Arn attribute', () => {
    const { consumer, ap, logicalId } = blogAccessPoint();
    expect(consumer.resolve(ap.accessPointArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  });

  test('accessPointName is the access point\'s Ref (its name)', () => {
    const { consumer, ap, logicalId } = blogAccessPoint();
    expect(consumer.resolve(ap.accessPointName)).toEqual({ Ref: logicalId });
  });

  test('accessPointAlias is the Alias attribute', () => {
    const { consumer, ap, logicalId } = blogAccessPoint();
    expect(consumer.resolve(ap.accessPointAlias)).toEqual({ 'Fn::GetAtt': [logicalId, 'Alias'] });
  });

  test('bucket is the bucket behind the access point', () => {
    const { consumer, bucket } = twoAccounts();
    expect(janesAccessPoint(consumer, bucket).bucket).toBe(bucket);
  });

  test('arnForObjects names keys through the access point', () => {
    const { consumer, ap } = blogAccessPoint();
    expect(consumer.resolve(ap.arnForObjects('ResearchData/*'))).toEqual(objectsArnIn('ResearchData/*'));
  });

  test('addOutputs publishes the ARN and the alias as stack outputs', () => {
    const { consumer, ap, logicalId } = blogAccessPoint();
    ap.addOutputs();
    const template = Template.fromStack(consumer);
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [logicalId, 'Arn'] }, Description: Match.stringLikeRegexp(`ARN of access point ${NAME}`) });
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [logicalId, 'Alias'] }, Description: Match.stringLikeRegexp(`Alias of access point ${NAME}`) });
  });

  test('addOutputs() twice adds the outputs once', () => {
    const { consumer, ap } = blogAccessPoint();
    ap.addOutputs();
    ap.addOutputs();
    expect(Object.keys(Template.fromStack(consumer).toJSON().Outputs)).toHaveLength(2);
  });
});

describe('an existing access point, imported', () => {
  test('fromAccessPointArn takes the name from the ARN', () => {
    const { consumer } = consumerApp();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    expect(imported.accessPointArn).toBe(ACCESS_POINT_ARN);
    expect(consumer.resolve(imported.accessPointName)).toBe(NAME);
    expect(imported.arnForObjects('ResearchData/*')).toBe(`${ACCESS_POINT_ARN}/object/ResearchData/*`);
  });

  test('fromAccessPointAttributes returns the alias it is given', () => {
    const { consumer } = consumerApp();
    const alias = 'janes-researchdat-abcdefghijklmnopqrstuvwxyz01-s3alias';
    const imported = CrossAccountAccessPoint.fromAccessPointAttributes(consumer, 'Imported', { accessPointArn: ACCESS_POINT_ARN, accessPointAlias: alias });
    expect(imported.accessPointAlias).toBe(alias);
  });

  test('reading the alias of an access point imported without one throws a clear error', () => {
    const { consumer } = consumerApp();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    expect(() => imported.accessPointAlias).toThrow(/^Consumer\/Imported: accessPointAlias is unknown; pass accessPointAlias to fromAccessPointAttributes\(\)/);
  });

  test('grants write only the grantee\'s identity policy: the access point policy belongs to its creator', () => {
    const { consumer } = consumerApp();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    imported.grantRead(analystsRole(consumer), { prefixes: ['ResearchData'] });
    Template.fromStack(consumer).resourceCountIs('AWS::S3::AccessPoint', 0);
    expectIdentityStatement(consumer, { Action: READ, Resource: `${ACCESS_POINT_ARN}/object/ResearchData/*` });
    expectIdentityStatement(consumer, { Action: 's3:ListBucket', Resource: ACCESS_POINT_ARN, Condition: listingOf('ResearchData/') });
  });

  test('a grant to a principal without an identity policy in this app cannot succeed, and says so', () => {
    const { consumer } = consumerApp();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    const grant = imported.grantRead(jane(), { prefixes: ['ResearchData'] });
    expect(grant.success).toBe(false);
    expect(() => grant.assertSuccess()).toThrow();
    Annotations.fromStack(consumer).hasWarning('/Consumer/Imported', Match.stringLikeRegexp(`grantRead could not give ${JANE}.*${Warnings.GRANT_NOT_WRITTEN}`));
  });
});

// ---------------------------------------------------------------------------------------------
// Validation when the access point is created
// ---------------------------------------------------------------------------------------------

describe('props that AWS would reject are rejected when the access point is created', () => {
  test('an access point name that breaks S3\'s naming rules', () => {
    const { consumer, bucket } = twoAccounts();
    expectProblem(() => accessPoint(consumer, bucket, { accessPointName: 'ab' }), {
      path: CONSUMER_PATH, property: 'accessPointName', rule: 'must be 3 to 50 characters long (it has 2)', value: 'ab',
    });
  });

  test('a principal whose ARN is a token around a wrong literal account: the literal part is judged', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expectProblem(() => ap.grantRead(new iam.AccountPrincipal('11112222333')), {
      path: CONSUMER_PATH, property: 'grantRead grantee', rule: 'must name a 12-digit account ID', value: /"[^"\n]*:iam::11112222333:root"/,
    });
  });

  test('a principal ARN with a wildcard: IAM names one principal per ARN', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const everyRole = `arn:aws:iam::${CONSUMER_ACCOUNT}:role/*`;
    expectProblem(() => ap.grantRead(new iam.ArnPrincipal(everyRole)), {
      path: CONSUMER_PATH, property: 'grantRead grantee', rule: 'must not contain wildcards', value: everyRole,
    });
  });

  test('a grant prefix that breaks a prefix rule: the message names its index (the blog\'s --key /ResearchData/)', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expectProblem(() => ap.grantRead(jane(), { prefixes: ['Reports', '/ResearchData/'] }), {
      path: CONSUMER_PATH,
      property: 'grantRead options.prefixes[1]',
      rule: 'must not start with "/" (S3 keys have no leading slash: use "ResearchData/")',
      value: '/ResearchData/',
    });
  });

  test('a DelegatedBucket in another Region than the consumer stack', () => {
    const { consumer, bucket } = ownerInRegion('eu-west-1');
    expectProblem(() => accessPoint(consumer, bucket), {
      path: CONSUMER_PATH, property: 'bucket.bucketRegion', rule: 'must equal the access point\'s Region "eu-west-3"', value: 'eu-west-1',
    });
  });

  test('an environment-agnostic consumer stack (no env)', () => {
    const { app, bucket } = twoAccounts();
    const agnostic = new Stack(app, 'Agnostic');
    expectProblem(() => accessPoint(agnostic, bucket), {
      path: 'Agnostic/JanesAccessPoint', property: 'stack env', rule: 'must name a concrete account and Region', value: '<unresolved token>/<unresolved token>',
    });
  });

  test('a consumer stack whose env names a malformed account', () => {
    const { app, bucket } = twoAccounts();
    const stack = new Stack(app, 'X', { env: { account: '11112222333', region: REGION } });
    expectProblem(() => accessPoint(stack, bucket), {
      path: 'X/JanesAccessPoint', property: 'stack env account', rule: 'must be a 12-digit AWS account ID', value: '11112222333',
    });
  });

  test('a DelegatedBucket of the same app in an environment-agnostic stack: its account would resolve to the consumer\'s', () => {
    // GIVEN a DelegatedBucket in a stack without env
    const app = new App();
    const owner = new Stack(app, 'Owner');
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const bucket = new DelegatedBucket(owner, 'Data');
    // WHEN the consumer builds an access point on it, THEN the bucket is rejected
    expectProblem(() => accessPoint(consumer, bucket), {
      path: CONSUMER_PATH, property: 'bucket', rule: 'must be in a stack with a concrete account and Region', value: BUCKET_PATH,
    });
  });

  test('fromAccessPointArn with an ARN that is not an access point ARN', () => {
    const { consumer } = consumerApp();
    const bucketArn = 'arn:aws:s3:::test-bucket-1';
    expectProblem(() => CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', bucketArn), {
      path: 'Consumer/Imported', property: 'accessPointArn', rule: 'must be an access point ARN: arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME', value: bucketArn,
    });
  });

  test('fromAccessPointArn with an invalid name in the ARN', () => {
    const { consumer } = consumerApp();
    const arn = `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/Janes_Access_Point`;
    expectProblem(() => CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', arn), {
      path: 'Consumer/Imported', property: 'accessPointArn name', rule: 'may contain only lowercase letters, digits and hyphens', value: 'Janes_Access_Point',
    });
  });

  test('a rejected access point creates nothing: it has no children, and the template has no access point', () => {
    // WHEN an access point is rejected
    const { consumer, bucket } = twoAccounts();
    expect(thrownBy(() => accessPoint(consumer, bucket, { accessPointName: 'ab' }))).not.toBe('');
    // THEN, as in aws-cdk, it stays in the tree (the synth is meant to fail), but empty: no L1 was made
    expect(consumer.node.tryFindChild('JanesAccessPoint')?.node.children).toEqual([]);
    Template.fromStack(consumer).resourceCountIs('AWS::S3::AccessPoint', 0);
  });

  test('every problem is reported at once', () => {
    const { consumer, bucket } = ownerInRegion('eu-west-1');
    expect(thrownBy(() => accessPoint(consumer, bucket, { accessPointName: 'Janes_AP-' }))).toMatch(
      /^Consumer\/JanesAccessPoint:\n {2}- accessPointName may contain only[^\n]*\n {2}- accessPointName must start and end[^\n]*\n {2}- bucket\.bucketRegion must equal/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Validation at synth: what needs the whole app
// ---------------------------------------------------------------------------------------------

describe('the whole app is checked at synth', () => {
  test('two access points with the same name in the same account and Region: each names the other', () => {
    // GIVEN two access points named alike in the consumer account
    const { app, consumer, bucket } = twoAccounts();
    janesAccessPoint(consumer, bucket);
    accessPoint(new Construct(consumer, 'Team'), bucket, {}, 'Copy').grantRead(jane());
    // WHEN the app is synthesized, THEN the stack's check reports each, with the path of the other
    const message = thrownBy(() => app.synth());
    const unique = 'accessPointName must be unique in its account and Region; "janes-researchdata-access-point" is also used by';
    expect(message).toContain(`[Consumer/CrossAccountAccessPointNames] ${CONSUMER_PATH}: ${unique} Consumer/Team/Copy`);
    expect(message).toContain(`[Consumer/CrossAccountAccessPointNames] Consumer/Team/Copy: ${unique} Consumer/JanesAccessPoint`);
  });

  test('two access points with the same name in two stacks of the same account and Region are reported too', () => {
    // GIVEN a second stack of the consumer account, in the same Region, with an access point named like Jane's
    const { app, consumer, bucket } = twoAccounts();
    janesAccessPoint(consumer, bucket);
    accessPoint(new Stack(app, 'ConsumerTwo', { env: CONSUMER_ENV }), bucket, {}, 'Copy');
    // WHEN the app is synthesized, THEN each stack's check reports its own access point, naming the other
    const message = thrownBy(() => app.synth());
    expect(message).toContain(`[Consumer/CrossAccountAccessPointNames] ${CONSUMER_PATH}: accessPointName must be unique in its account and Region`);
    expect(message).toContain('[ConsumerTwo/CrossAccountAccessPointNames] ConsumerTwo/Copy: accessPointName must be unique');
  });

  test('the same name in another account is fine', () => {
    const { app, consumer, bucket } = twoAccounts({
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: S3Actions.READ_WRITE },
        { account: OTHER_ACCOUNT, actions: S3Actions.READ_WRITE },
      ],
    });
    const other = new Stack(app, 'OtherConsumer', { env: { account: OTHER_ACCOUNT, region: REGION } });
    janesAccessPoint(consumer, bucket);
    janesAccessPoint(other, bucket);
    expect(thrownBy(() => app.synth())).toBe('');
    expect(accessPointProperties(other).Name).toBe(NAME);
  });

  test('a grant made after the access point policy was first resolved still joins it', () => {
    // GIVEN an access point whose (empty) policy has already been resolved
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expect(consumer.resolve((ap.node.defaultChild as s3.CfnAccessPoint).policy)).toBeUndefined();
    // WHEN Jane is granted reads afterwards, THEN the template's policy has her grant
    ap.grantRead(jane(), { prefixes: ['ResearchData'] });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).toContain(JANE);
  });

  test('a public access point policy (a wildcard principal with no fixed-value condition)', () => {
    const { app, consumer, bucket } = twoAccounts();
    const ap = janesAccessPoint(consumer, bucket);
    ap.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [ap.arnForObjects('*')],
    }));
    expect(thrownBy(() => app.synth())).toMatch(synthError(CONSUMER_PATH,
      /access point policy statement \d+ \(s3:GetObject\) allows a wildcard principal without a fixed-value condition; the access point would be public/));
  });

  test('a wildcard principal bounded by a fixed-value condition is not public', () => {
    const { app, consumer, bucket } = twoAccounts();
    const ap = janesAccessPoint(consumer, bucket);
    ap.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [ap.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:PrincipalAccount': CONSUMER_ACCOUNT } },
    }));
    expect(thrownBy(() => app.synth())).toBe('');
    expectAccessPointStatement(consumer, { Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalAccount': CONSUMER_ACCOUNT } } });
  });

  test('an access point policy over 20,480 bytes, with its size in the message', () => {
    const { app, consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    for (let i = 0; i < 100; i++) {
      ap.grantRead(jane(), { prefixes: [`ResearchData/${'long-folder-name-'.repeat(10)}${i}`] });
    }
    expect(thrownBy(() => app.synth())).toMatch(synthError(CONSUMER_PATH,
      /The access point policy is \d{2,3},\d{3} bytes of minified JSON, over AWS's limit of 20,480 bytes/));
  });
});

describe('grants are checked against the owner\'s delegation at synth', () => {
  const NOT_COVERED = `grants not covered by the owner's delegations on ${BUCKET_PATH} for account ${CONSUMER_ACCOUNT}`;

  /** The message of the app's synth after the consumer's side is built against the owner's delegation ('' when it synthesizes). */
  function synthGrants(delegation: DelegatedBucketProps, build: (consumer: Stack, bucket: DelegatedBucket) => void): string {
    const { app, consumer, bucket } = twoAccounts(delegation);
    build(consumer, bucket);
    return thrownBy(() => app.synth());
  }

  /** The synth error for uncovered grants, with `reason` on one of its lines. */
  function uncoveredBecause(reason: RegExp): RegExp {
    return synthError(CONSUMER_PATH, new RegExp(`${escapeRegExp(NOT_COVERED)}[\\s\\S]*\\n {2}- ${reason.source}`));
  }

  const uncovered: Array<[string, DelegatedBucketProps, GrantOptions, RegExp]> = [
    [
      'an account the owner does not delegate to',
      { delegations: [{ account: OTHER_ACCOUNT }] },
      { prefixes: ['ResearchData'] },
      /grantRead\(arn:aws:iam::111122223333:user\/Jane, "ResearchData\/"\) s3:GetObject: the bucket owner delegates nothing to account 111122223333/,
    ],
    [
      'a prefix outside the delegated one',
      delegating({ prefixes: ['ResearchData'] }),
      { prefixes: ['Other'] },
      /grantRead\(arn:aws:iam::111122223333:user\/Jane, "Other\/"\) s3:GetObject: prefix "Other\/" is outside the prefixes delegated to account 111122223333/,
    ],
    [
      'a sibling folder that merely starts with the delegated name',
      delegating({ prefixes: ['ResearchData'] }),
      { prefixes: ['ResearchData-private'] },
      /grantRead\(arn:aws:iam::111122223333:user\/Jane, "ResearchData-private\/"\) s3:GetObject: prefix "ResearchData-private\/" is outside/,
    ],
    [
      'the whole bucket when only a prefix is delegated',
      delegating({ prefixes: ['ResearchData'] }),
      {},
      /grantRead\(arn:aws:iam::111122223333:user\/Jane\) s3:GetObject: the whole bucket is outside the prefixes delegated to account 111122223333/,
    ],
    [
      'an access point the owner does not name',
      delegating({ accessPointNames: ['bobs-access-point'] }),
      { prefixes: ['ResearchData'] },
      /[^\n]* s3:GetObject: access point "janes-researchdata-access-point" is not among the access points the owner names for account 111122223333/,
    ],
    [
      'objects without the tag the owner requires',
      delegating({ objectTags: { classification: 'public' } }),
      { prefixes: ['ResearchData'] },
      /grantRead\([^\n]*\) s3:GetObject: the owner delegates s3:GetObject only on objects tagged classification=public, and the grant does not require those tags/,
    ],
    [
      'objects with another value of the tag the owner requires',
      delegating({ objectTags: { classification: 'public' } }),
      { objectTags: { classification: 'internal' } },
      /grantRead\([^\n]*, tagged classification=internal\) s3:GetObject: the owner delegates s3:GetObject only on objects tagged classification=public/,
    ],
  ];

  test.each(uncovered)('rejects a grant to %s', (_title, delegation, options, reason) => {
    // GIVEN the owner's delegation, WHEN Jane is granted reads outside it, THEN the synth lists the reason
    const message = synthGrants(delegation, (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(jane(), options);
    });
    expect(message).toMatch(uncoveredBecause(reason));
  });

  test('rejects writes against a READ delegation, listing every action', () => {
    const message = synthGrants(delegating({ actions: S3Actions.READ, prefixes: ['ResearchData'] }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantWrite(analystsRole(consumer), { prefixes: ['ResearchData'] });
    });
    for (const action of WRITE) {
      expect(message).toMatch(uncoveredBecause(new RegExp(
        `grantWrite\\(Consumer/Analysts, "ResearchData/"\\) ${action}: the owner does not delegate ${action} to account ${CONSUMER_ACCOUNT}`,
      )));
    }
  });

  test('lists only the uncovered grants', () => {
    const message = synthGrants(delegating({ prefixes: ['ResearchData'] }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(jane(), { prefixes: ['ResearchData', 'Other'] });
    });
    expect(message).toMatch(/"Other\/"\) s3:GetObject:/);
    expect(message).not.toMatch(/"ResearchData\/"\) s3:GetObject:/);
  });

  test('with tags the owner requires, only the object actions S3 limits by tags are uncovered (listing is not)', () => {
    const message = synthGrants(delegating({ objectTags: { classification: 'public' } }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(jane());
    });
    expect(message).toMatch(/\) s3:GetObject: the owner delegates s3:GetObject only on objects tagged classification=public/);
    expect(message).toMatch(/\) s3:GetObjectVersion: the owner delegates s3:GetObjectVersion only on objects tagged classification=public/);
    expect(message).not.toMatch(/s3:ListBucket:/);
  });

  const covered: Array<[string, DelegatedBucketProps, GrantOptions]> = [
    ['the blog\'s grant inside the delegated prefix', delegating({ actions: S3Actions.READ, prefixes: ['ResearchData'] }), { prefixes: ['ResearchData'] }],
    ['a nested prefix', delegating({ prefixes: ['ResearchData'] }), { prefixes: ['ResearchData/2024'] }],
    ['a grant through the access point the owner names', delegating({ accessPointNames: [NAME] }), { prefixes: ['ResearchData'] }],
    ['a grant requiring the tags the owner requires', delegating({ objectTags: { classification: 'public' } }), { objectTags: { classification: 'public' } }],
    [
      'a grant requiring the owner\'s tags and more',
      delegating({ objectTags: { classification: 'public' } }),
      { prefixes: ['ResearchData'], objectTags: { classification: 'public', project: 'atlas' } },
    ],
  ];

  test.each(covered)('accepts %s', (_title, delegation, options) => {
    // GIVEN the owner's delegation, WHEN Jane is granted reads within it, THEN the app synthesizes
    const message = synthGrants(delegation, (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(jane(), options);
    });
    expect(message).toBe('');
  });

  describe('an owner delegating to an organization (membership is unknown at synth, so any account may be in it)', () => {
    const ORGANIZATION = 'o-a1b2c3d4e5';

    test('accepts a grant inside the organization\'s prefix, from an account the owner never names', () => {
      // GIVEN an owner who delegates nothing to the consumer account, only Public/ to an organization
      const message = synthGrants({}, (consumer, bucket) => {
        bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });
        // WHEN the consumer grants Jane reads of Public/
        accessPoint(consumer, bucket).grantRead(jane(), { prefixes: ['Public'] });
      });
      // THEN the app synthesizes: the consumer account may belong to the organization
      expect(message).toBe('');
    });

    test('reports a grant outside the organization\'s prefix', () => {
      // GIVEN the same owner, WHEN the consumer grants Jane reads of Public/ and ResearchData/
      const message = synthGrants({}, (consumer, bucket) => {
        bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });
        accessPoint(consumer, bucket).grantRead(jane(), { prefixes: ['Public', 'ResearchData'] });
      });
      // THEN ResearchData/ is reported as outside the delegated prefixes, and Public/ is not reported
      expect(message).toMatch(uncoveredBecause(
        /grantRead\(arn:aws:iam::111122223333:user\/Jane, "ResearchData\/"\) s3:GetObject: prefix "ResearchData\/" is outside the prefixes delegated/,
      ));
      expect(message).not.toMatch(/"Public\/"\) s3:/);
    });
  });

  describe('a grantee of another account: the key of a KMS-encrypted bucket lets only delegated accounts use it (kms:CallerAccount)', () => {
    /** A role of an account other than the consumer's, named by ARN. */
    const otherAccountsRole = () => new iam.ArnPrincipal(`arn:aws:iam::${OTHER_ACCOUNT}:role/Auditor`);
    const readWrite = { actions: S3Actions.READ_WRITE };

    test('rejects a grantee of an account the owner does not delegate to: KMS would deny its requests', () => {
      // GIVEN a KMS-encrypted bucket delegated to the consumer only
      const message = synthGrants(delegating(readWrite, { encryption: s3.BucketEncryption.KMS }), (consumer, bucket) => {
        // WHEN the consumer's access point grants reads to a role of another account
        accessPoint(consumer, bucket).grantRead(otherAccountsRole());
      });
      // THEN the synth names the grant, the key condition and the account
      expect(message).toMatch(uncoveredBecause(new RegExp(escapeRegExp(
        `grantRead(arn:aws:iam::${OTHER_ACCOUNT}:role/Auditor): the bucket's key lets only delegated accounts use it (kms:CallerAccount), ` +
        `and the grantee is in account ${OTHER_ACCOUNT}, which the owner does not delegate to: KMS would deny its requests`,
      ))));
    });

    test('accepts a grantee of another account that the owner delegates to as well', () => {
      // GIVEN a KMS-encrypted bucket delegated to the consumer and to the grantee's account
      const props: DelegatedBucketProps = {
        encryption: s3.BucketEncryption.KMS,
        delegations: [{ account: CONSUMER_ACCOUNT, ...readWrite }, { account: OTHER_ACCOUNT }],
      };
      // WHEN the consumer's access point grants reads to a role of that account, THEN the app synthesizes
      expect(synthGrants(props, (consumer, bucket) => accessPoint(consumer, bucket).grantRead(otherAccountsRole()))).toBe('');
    });

    test('accepts a grantee of the bucket owner\'s account: the key\'s own statement lets the owner\'s IAM policies decide', () => {
      // GIVEN a KMS-encrypted bucket delegated to the consumer only, WHEN the access point grants reads to a role of the owner
      const message = synthGrants(delegating(readWrite, { encryption: s3.BucketEncryption.KMS }), (consumer, bucket) =>
        accessPoint(consumer, bucket).grantRead(new iam.ArnPrincipal(`arn:aws:iam::${OWNER_ACCOUNT}:role/Curator`)));
      // THEN the app synthesizes
      expect(message).toBe('');
    });

    test('accepts such a grantee on an SSE-S3 bucket: there is no key to deny it', () => {
      // GIVEN an SSE-S3 bucket delegated to the consumer only, WHEN the access point grants reads to a role of another account
      const message = synthGrants(delegating(readWrite), (consumer, bucket) => accessPoint(consumer, bucket).grantRead(otherAccountsRole()));
      // THEN the app synthesizes
      expect(message).toBe('');
    });
  });

  test('accepts writes against a READ_WRITE delegation', () => {
    const message = synthGrants(delegating({ actions: S3Actions.READ_WRITE, prefixes: ['ResearchData'] }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantReadWrite(analystsRole(consumer), { prefixes: ['ResearchData'] });
    });
    expect(message).toBe('');
  });

  test('checks grant(grantee, S3Actions) action by action', () => {
    const message = synthGrants(delegating({ actions: S3Actions.of('s3:GetObject') }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grant(jane(), S3Actions.of('s3:GetObject', 's3:GetObjectTagging'));
    });
    expect(message).toMatch(uncoveredBecause(/grant\(arn:aws:iam::111122223333:user\/Jane\) s3:GetObjectTagging: the owner does not delegate s3:GetObjectTagging/));
    expect(message).not.toMatch(/\) s3:GetObject:/);
  });

  describe('the access point\'s network origin is compared with the owner\'s networkOrigin', () => {
    test.each([
      [NetworkOrigin.VPC, 'a VPC-origin access point is covered', true, ''],
      [NetworkOrigin.VPC, 'an Internet-origin access point is not', false, 'the owner requires VPC-origin access points, and this access point has Internet origin'],
      [NetworkOrigin.INTERNET, 'an Internet-origin access point is covered', false, ''],
      [NetworkOrigin.INTERNET, 'a VPC-origin access point is not', true, 'the owner requires Internet-origin access points, and this access point has VPC origin'],
    ])('the owner requires %s origin: %s', (networkOrigin, _title, inVpc, reason) => {
      // GIVEN an owner who delegates to access points of one network origin
      // WHEN the consumer grants Jane reads through an access point of either origin
      const message = synthGrants(delegating({ networkOrigin, prefixes: ['ResearchData'] }), (consumer, bucket) => {
        janesAccessPoint(consumer, bucket, inVpc ? { vpc: consumerVpc(consumer) } : {});
      });
      // THEN the grant is covered only when the origins match
      if (reason === '') {
        expect(message).toBe('');
      } else {
        expect(message).toMatch(uncoveredBecause(new RegExp(`[^\\n]* s3:GetObject: ${escapeRegExp(reason)}`)));
      }
    });

    test('an owner without networkOrigin accepts both origins', () => {
      const internet = synthGrants(delegating({ prefixes: ['ResearchData'] }), (consumer, bucket) => {
        janesAccessPoint(consumer, bucket);
      });
      const vpc = synthGrants(delegating({ prefixes: ['ResearchData'] }), (consumer, bucket) => {
        janesAccessPoint(consumer, bucket, { vpc: consumerVpc(consumer) });
      });
      expect([internet, vpc]).toEqual(['', '']);
    });
  });

  test('an owner naming access points with a token covers a grant through any name (it cannot be checked)', () => {
    const message = synthGrants(delegating({ accessPointNames: [Lazy.string({ produce: () => 'bobs-access-point' })] }), (consumer, bucket) => {
      janesAccessPoint(consumer, bucket);
    });
    expect(message).toBe('');
  });

  test('cannot check a bucket imported by attributes: its delegations are unknown, so any grant synthesizes', () => {
    const { app, consumer, bucket } = consumerApp();
    accessPoint(consumer, bucket).grantWrite(jane(), { prefixes: ['Other'] });
    expect(thrownBy(() => app.synth())).toBe('');
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', { Bucket: 'test-bucket-1', BucketAccountId: OWNER_ACCOUNT, Name: NAME });
  });
});

describe('the owner\'s side, seen from the consumer\'s app', () => {
  test('delegating s3:DeleteObjectVersion warns that it destroys data', () => {
    const { owner, bucket } = twoAccounts();
    bucket.delegateTo(OTHER_ACCOUNT, { actions: S3Actions.of('s3:DeleteObjectVersion') });
    Annotations.fromStack(owner).hasWarning(
      `/${BUCKET_PATH}`,
      Match.stringLikeRegexp(`destroys data even on a versioned bucket.*${Warnings.DELETE_OBJECT_VERSION_DELEGATED}`),
    );
  });
});

describe('a consumer app apart from the owner\'s keeps the check, given the owner\'s published boundary', () => {
  const BOUNDARY = { delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ, prefixes: ['ResearchData'] }] };

  test('a grant beyond the published delegation fails synth, as AWS would deny it', () => {
    // GIVEN a consumer app that describes the owner's bucket with its delegation: reads of ResearchData/
    const { app, consumer, bucket } = consumerApp(BOUNDARY);
    // WHEN it grants read-write of Everything/
    accessPoint(consumer, bucket).grantReadWrite(jane(), { prefixes: ['Everything'] });
    // THEN synthesis fails, listing what the owner does not delegate
    const message = thrownBy(() => app.synth());
    expect(message).toContain(`grants not covered by the owner's delegations on Consumer/TestBucket1 for account ${CONSUMER_ACCOUNT}`);
    expect(message).toContain('s3:PutObject: the owner does not delegate s3:PutObject');
    expect(message).toContain('s3:GetObject: prefix "Everything/" is outside the prefixes delegated');
  });

  test('a grant within the published delegation synthesizes', () => {
    const { app, consumer, bucket } = consumerApp(BOUNDARY);
    accessPoint(consumer, bucket).grantRead(jane(), { prefixes: ['ResearchData/2026'] });
    expect(thrownBy(() => app.synth())).toBe('');
  });

  test('a published organization delegation covers the consumer as a possible member', () => {
    const { app, consumer, bucket } = consumerApp({ organizationDelegations: [{ organizationId: 'o-a1b2c3d4e5', prefixes: ['Public'] }] });
    accessPoint(consumer, bucket).grantRead(jane(), { prefixes: ['Public'] });
    expect(thrownBy(() => app.synth())).toBe('');
  });

  test('without the owner\'s delegations, grants are not checked (nothing is known to check them against)', () => {
    const { app, consumer, bucket } = consumerApp();
    accessPoint(consumer, bucket).grantReadWrite(jane(), { prefixes: ['Everything'] });
    expect(thrownBy(() => app.synth())).toBe('');
  });

  test('a KMS-encrypted bucket described without its key is an error, not a grant without kms:Decrypt', () => {
    expectProblem(() => consumerApp({ encryption: s3.BucketEncryption.KMS }), {
      path: 'Consumer/TestBucket1',
      property: 'encryptionKeyArn',
      rule: 'must be given for a bucket encrypted with KMS: without it, grantees get no KMS permission',
      value: /undefined/,
    });
  });

  test('the published delegations are checked like the owner\'s own: property, rule and value', () => {
    expectProblem(() => consumerApp({ delegations: [{ account: '11112222333' }] }), {
      path: 'Consumer/TestBucket1',
      property: 'delegations[0].account',
      rule: 'must be a 12-digit AWS account ID',
      value: '11112222333',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Values known only at deploy time
// ---------------------------------------------------------------------------------------------

describe('values known only at deploy time pass validation untouched', () => {
  test('an accessPointName from Lazy.string', () => {
    const { app, consumer, bucket } = twoAccounts();
    const accessPointName = Lazy.string({ produce: () => 'lazy-access-point' });
    expect(thrownBy(() => janesAccessPoint(consumer, bucket, { accessPointName }), app)).toBe('');
    expect(accessPointProperties(consumer).Name).toBe('lazy-access-point');
  });

  test('a grant prefix that is a token', () => {
    const { app, consumer, bucket } = twoAccounts(delegating({ prefixes: ['ResearchData'] }));
    const prefix = Lazy.string({ produce: () => 'ResearchData/' });
    expect(thrownBy(() => accessPoint(consumer, bucket).grantRead(jane(), { prefixes: [prefix] }), app)).toBe('');
    expectAccessPointStatement(consumer, { Resource: objectsArnIn('ResearchData/*') });
  });

  test('an imported access point ARN that is a token', () => {
    const { app, consumer } = consumerApp();
    const arn = Fn.importValue('JanesAccessPointArn');
    expect(thrownBy(() => CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', arn)
      .grantRead(analystsRole(consumer), { prefixes: ['ResearchData'] }), app)).toBe('');
    expectIdentityStatement(consumer, { Action: READ, Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'JanesAccessPointArn' }, '/object/ResearchData/*']] } });
  });

  test('a principal that is a token', () => {
    const { app, consumer, bucket } = twoAccounts();
    const principal = new iam.ArnPrincipal(Lazy.string({ produce: () => JANE }));
    expect(thrownBy(() => accessPoint(consumer, bucket).grantRead(principal, { prefixes: ['ResearchData'] }), app)).toBe('');
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: READ });
  });

  test('a bucket account given as a CloudFormation parameter reaches BucketAccountId as a Ref', () => {
    // GIVEN the owner's account as a parameter of the consumer's stack
    const app = new App();
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const account = new CfnParameter(consumer, 'OwnerAccount').valueAsString;
    const bucket = DelegatedBucket.fromDelegatedBucketAttributes(consumer, 'TestBucket1', { bucketName: 'test-bucket-1', account, region: REGION });
    // WHEN the access point is built on that bucket, THEN the app synthesizes
    expect(thrownBy(() => janesAccessPoint(consumer, bucket), app)).toBe('');
    // AND CloudFormation gets the parameter's value as the bucket's account
    expect(accessPointProperties(consumer).BucketAccountId).toEqual({ Ref: 'OwnerAccount' });
  });
});

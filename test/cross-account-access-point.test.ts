/**
 * CrossAccountAccessPoint, as a specification.
 *
 * The AWS Storage Blog scenario: account 123456789010 (the owner) keeps its research data in a
 * bucket in eu-west-3 and delegates access to account 111122223333 (the consumer), which creates
 * its own access point on that bucket and lets the IAM user Jane read `ResearchData/` through it.
 * Both accounts live in one CDK app, so the access point can check its grants against the owner's
 * delegation at synth; the attribute-import path (`DelegatedBucket.fromDelegatedBucketAttributes`)
 * covers a bucket owned by another app.
 */
import { App, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CrossAccountAccessPoint, CrossAccountAccessPointProps, DelegatedActions, DelegatedBucket, DelegatedBucketAttributes,
  DelegatedBucketProps, DelegationOptions, IDelegatedBucket, NetworkOrigin,
} from '../src';

const OWNER_ACCOUNT = '123456789010';
const CONSUMER_ACCOUNT = '111122223333';
const REGION = 'eu-west-3';
const OWNER_ENV = { account: OWNER_ACCOUNT, region: REGION };
const CONSUMER_ENV = { account: CONSUMER_ACCOUNT, region: REGION };
const NAME = 'janes-researchdata-access-point';
/** Jane's ARN, written correctly (the blog's `arn:aws:iam:111122223333:user/Jane` lacks the empty Region field). */
const JANE = `arn:aws:iam::${CONSUMER_ACCOUNT}:user/Jane`;
const KEY_ARN = `arn:aws:kms:${REGION}:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ACCESS_POINT_ARN = `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/${NAME}`;
const CONSUMER_PATH = 'Consumer/JanesAccessPoint';

const READ = ['s3:GetObject', 's3:GetObjectVersion'];
const WRITE = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];

// ---------------------------------------------------------------------------------------------
// Building the apps
// ---------------------------------------------------------------------------------------------

interface TwoAccounts {
  readonly app: App;
  readonly owner: Stack;
  readonly consumer: Stack;
  readonly bucket: DelegatedBucket;
}

/** The owner's bucket props with one delegation to the consumer account. */
function delegating(options: DelegationOptions, bucketProps: DelegatedBucketProps = {}): DelegatedBucketProps {
  return { ...bucketProps, delegations: [{ account: CONSUMER_ACCOUNT, ...options }] };
}

/**
 * One app, two accounts: the owner's stack with a DelegatedBucket and the consumer's stack.
 * Unless told otherwise, the owner lets the consumer read and write the whole bucket, so that only
 * the access point limits what a grant reaches.
 */
function twoAccounts(
  bucketProps: DelegatedBucketProps = delegating({ actions: DelegatedActions.READ_WRITE }),
  ownerRegion = REGION,
): TwoAccounts {
  const app = new App();
  const owner = new Stack(app, 'Owner', { env: { account: OWNER_ACCOUNT, region: ownerRegion } });
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const bucket = new DelegatedBucket(owner, 'ResearchBucket', bucketProps);
  return { app, owner, consumer, bucket };
}

/** A consumer stack alone, with the owner's bucket described by its attributes (another app owns it). */
function importedBucket(attrs: Partial<DelegatedBucketAttributes> = {}): { app: App; consumer: Stack; bucket: IDelegatedBucket } {
  const app = new App();
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const bucket = DelegatedBucket.fromDelegatedBucketAttributes(consumer, 'TestBucket1', {
    bucketName: 'test-bucket-1',
    account: OWNER_ACCOUNT,
    region: REGION,
    ...attrs,
  });
  return { app, consumer, bucket };
}

/** The blog's access point in the consumer stack, without any grant yet. */
function accessPoint(scope: Construct, bucket: IDelegatedBucket, props: Partial<CrossAccountAccessPointProps> = {}, id = 'JanesAccessPoint') {
  return new CrossAccountAccessPoint(scope, id, { bucket, accessPointName: NAME, ...props });
}

/** The blog's access point with the blog's grant: Jane reads `ResearchData/`. */
function janesAccessPoint(scope: Construct, bucket: IDelegatedBucket, props: Partial<CrossAccountAccessPointProps> = {}) {
  const ap = accessPoint(scope, bucket, props);
  ap.grantRead(new iam.ArnPrincipal(JANE), 'ResearchData');
  return ap;
}

/** An IAM role of the consumer account (the other kind of grantee: it has an identity policy). */
function analystsRole(consumer: Stack): iam.Role {
  return new iam.Role(consumer, 'Analysts', { assumedBy: new iam.AccountRootPrincipal() });
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

/** An ARN built with `Stack.formatArn`, as it appears in a template: `arn:${AWS::Partition}` + the rest. */
function partitionArn(rest: string): object {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

/** The blog's access point ARN in the consumer's template. */
function accessPointArnIn(name = NAME): object {
  return partitionArn(`:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/${name}`);
}

/** `.../accesspoint/NAME/object/KEY` in the consumer's template. */
function objectsArnIn(key: string, name = NAME): object {
  return partitionArn(`:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/${name}/object/${key}`);
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

/** The name an access point gets, read from its L1 without synthesizing the app. */
function nameOf(ap: CrossAccountAccessPoint): string {
  return Stack.of(ap).resolve((ap.node.defaultChild as s3.CfnAccessPoint).name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The Error a constructor or method throws for a rejected prop: it starts with the construct path
 * and has a line `PROPERTY RULE ... (got "VALUE")`.
 */
function rejection(path: string, property: string, rule: RegExp, value: string): RegExp {
  return new RegExp(`^${escapeRegExp(path)}:[\\s\\S]*${escapeRegExp(property)} ${rule.source}[^\\n]*\\(got ${escapeRegExp(JSON.stringify(value))}\\)`);
}

/** A synth-time validation error: CDK prefixes each with `[PATH]`. */
function synthError(path: string, message: RegExp): RegExp {
  return new RegExp(`\\[${escapeRegExp(path)}\\] [\\s\\S]*${message.source}`);
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
    const { consumer, bucket } = twoAccounts(delegating({ actions: DelegatedActions.READ }, { bucketName: 'test-bucket-1' }));
    janesAccessPoint(consumer, bucket);
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      Bucket: 'test-bucket-1',
      BucketAccountId: OWNER_ACCOUNT,
      Name: NAME,
    });
  });

  test('names a bucket whose name CloudFormation generates by the literal name the owner\'s stack uses', () => {
    // A reference across accounts cannot be an Fn::ImportValue: CDK fixes the bucket's name instead.
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
    Annotations.fromStack(consumer).hasNoWarning(`/${CONSUMER_PATH}`, Match.stringLikeRegexp('Block Public Access'));
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
      Match.stringLikeRegexp('Block Public Access settings blockPublicPolicy, restrictPublicBuckets are off on this access point'),
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
    const bucket = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'ResearchBucket');
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
      const bucket = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'ResearchBucket', { bucketName });
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
    ap.grantRead(new iam.ArnPrincipal(JANE), 'ResearchData');
    const name = nameOf(ap);
    expect(accessPointProperties(consumer).Name).toBe(name);
    expectAccessPointStatement(consumer, { Resource: objectsArnIn('ResearchData/*', name) });
  });
});

// ---------------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------------

describe('grants to an IAM principal named by ARN (Jane)', () => {
  function grantToJane(method: 'grantRead' | 'grantWrite' | 'grantReadWrite', ...prefixes: string[]) {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const grant = ap[method](new iam.ArnPrincipal(JANE), ...prefixes);
    return { consumer, ap, grant };
  }

  test('grantRead allows the object reads on the prefix through the access point', () => {
    const { consumer } = grantToJane('grantRead', 'ResearchData');
    expectAccessPointStatement(consumer, {
      Effect: 'Allow',
      Principal: { AWS: JANE },
      Action: READ,
      Resource: objectsArnIn('ResearchData/*'),
    });
  });

  test('grantRead allows listing on the access point ARN itself, narrowed to the prefix with s3:prefix', () => {
    const { consumer } = grantToJane('grantRead', 'ResearchData');
    expectAccessPointStatement(consumer, {
      Principal: { AWS: JANE },
      Action: 's3:ListBucket',
      Resource: accessPointArnIn(),
      Condition: { StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
    });
  });

  test('grantWrite allows the object writes on the prefix, and no listing', () => {
    const { consumer } = grantToJane('grantWrite', 'ResearchData');
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: WRITE, Resource: objectsArnIn('ResearchData/*') });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('s3:ListBucket');
  });

  test('grantReadWrite allows reads and writes on the prefix, and listing', () => {
    const { consumer } = grantToJane('grantReadWrite', 'ResearchData');
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: [...READ, ...WRITE], Resource: objectsArnIn('ResearchData/*') });
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: 's3:ListBucket', Resource: accessPointArnIn() });
  });

  test.each(['grantWrite', 'grantReadWrite'] as const)('%s never allows s3:DeleteObjectVersion (deleting only adds a delete marker)', (method) => {
    const { consumer } = grantToJane(method);
    expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toContain('s3:DeleteObjectVersion');
  });

  test('without a prefix, reaches every object (object/*) and lists without a condition', () => {
    const { consumer } = grantToJane('grantRead');
    expectAccessPointStatement(consumer, { Action: READ, Resource: objectsArnIn('*') });
    expectAccessPointStatement(consumer, { Action: 's3:ListBucket', Resource: accessPointArnIn(), Condition: Match.absent() });
  });

  test('with several prefixes, reaches each of them', () => {
    const { consumer } = grantToJane('grantRead', 'ResearchData', 'Reports/2024');
    expectAccessPointStatement(consumer, { Action: READ, Resource: [objectsArnIn('ResearchData/*'), objectsArnIn('Reports/2024/*')] });
  });

  test('"ResearchData" and "ResearchData/" mean the same folder', () => {
    const withoutSlash = grantToJane('grantRead', 'ResearchData').consumer;
    const withSlash = grantToJane('grantRead', 'ResearchData/').consumer;
    expect(accessPointProperties(withSlash).Policy).toEqual(accessPointProperties(withoutSlash).Policy);
    expectAccessPointStatement(withSlash, { Resource: objectsArnIn('ResearchData/*') });
  });

  test('creates no IAM policy: Jane is not a construct of this app', () => {
    const { consumer } = grantToJane('grantReadWrite', 'ResearchData');
    Template.fromStack(consumer).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('returns a usable iam.Grant', () => {
    const { grant } = grantToJane('grantRead', 'ResearchData');
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    expect(() => grant.assertSuccess()).not.toThrow();
  });
});

describe('grantActions, for exactly the actions the owner delegates', () => {
  test('the blog\'s s3:GetObject-only delegation is granted as s3:GetObject only, and passes the delegation check', () => {
    const app = new App();
    const owner = new Stack(app, 'Owner', { env: { account: OWNER_ACCOUNT, region: REGION } });
    const consumer = new Stack(app, 'Consumer', { env: { account: CONSUMER_ACCOUNT, region: REGION } });
    const bucket = new DelegatedBucket(owner, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT, actions: DelegatedActions.of('s3:GetObject'), prefixes: ['ResearchData'] }] });
    const ap = accessPoint(consumer, bucket);
    ap.grantActions(new iam.ArnPrincipal(JANE), ['s3:GetObject'], 'ResearchData');
    expect(() => app.synth()).not.toThrow();
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: 's3:GetObject', Resource: objectsArnIn('ResearchData/*') });
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('s3:ListBucket');
  });

  test.each([
    ['a wildcard action', 's3:Get*', /must name one S3 action, without wildcards/],
    ['an action access points do not serve', 's3:PutBucketPolicy', /must be an S3 object or list action that access points serve/],
  ])('%s is rejected', (_title, action, rule) => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expect(() => ap.grantActions(new iam.ArnPrincipal(JANE), [action], 'ResearchData'))
      .toThrow(rejection(CONSUMER_PATH, 'grantActions actions[0]', rule, action));
  });
});

describe('grants to an IAM role of the consumer account', () => {
  function grantToRole(method: 'grantRead' | 'grantWrite' | 'grantReadWrite', ...prefixes: string[]) {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const role = analystsRole(consumer);
    const grant = ap[method](role, ...prefixes);
    return { consumer, ap, role, grant, roleArn: consumer.resolve(role.roleArn) };
  }

  test('grantRead writes the access point policy for the role', () => {
    const { consumer, roleArn } = grantToRole('grantRead', 'ResearchData');
    expectAccessPointStatement(consumer, { Principal: { AWS: roleArn }, Action: READ, Resource: objectsArnIn('ResearchData/*') });
    expectAccessPointStatement(consumer, { Principal: { AWS: roleArn }, Action: 's3:ListBucket', Resource: accessPointArnIn() });
  });

  test('grantRead narrows the role\'s listing to the prefix in the access point policy too', () => {
    const { consumer, roleArn } = grantToRole('grantRead', 'ResearchData');
    expectAccessPointStatement(consumer, {
      Principal: { AWS: roleArn },
      Action: 's3:ListBucket',
      Condition: { StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
    });
  });

  test('grantRead also writes the role\'s identity policy, with the same actions and resources', () => {
    const { consumer, role } = grantToRole('grantRead', 'ResearchData');
    Template.fromStack(consumer).hasResourceProperties('AWS::IAM::Policy', { Roles: [consumer.resolve(role.roleName)] });
    expectIdentityStatement(consumer, { Effect: 'Allow', Action: READ, Resource: objectsArnIn('ResearchData/*') });
    expectIdentityStatement(consumer, {
      Action: 's3:ListBucket',
      Resource: accessPointArnIn(),
      Condition: { StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
    });
  });

  test('grantWrite writes both policies with the write actions only', () => {
    const { consumer, roleArn } = grantToRole('grantWrite', 'ResearchData');
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
    const { grant } = grantToRole('grantRead', 'ResearchData');
    expect(grant.success).toBe(true);
    expect(grant.principalStatements.length).toBeGreaterThan(0);
  });
});

describe('addToResourcePolicy', () => {
  test('adds a statement to the access point policy', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const result = ap.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal(JANE)],
      actions: ['s3:GetObjectTagging'],
      resources: [ap.arnForObjects('ResearchData/*')],
    }));
    expect(result.statementAdded).toBe(true);
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: 's3:GetObjectTagging', Resource: objectsArnIn('ResearchData/*') });
  });
});

// ---------------------------------------------------------------------------------------------
// Encryption
// ---------------------------------------------------------------------------------------------

describe('a bucket encrypted with a customer-managed KMS key', () => {
  const VIA_S3 = { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } };
  /** The owner's key lives in another account's stack and cannot be referenced: grants name the owner's keys. */
  const OWNERS_KEYS = partitionArn(`:kms:${REGION}:${OWNER_ACCOUNT}:key/*`);

  function kmsApp() {
    return twoAccounts(delegating({ actions: DelegatedActions.READ_WRITE }, { encryption: s3.BucketEncryption.KMS }));
  }

  test('grantRead lets the role decrypt with the owner\'s keys, through S3 only', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(analystsRole(consumer), 'ResearchData');
    expectIdentityStatement(consumer, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: OWNERS_KEYS, Condition: VIA_S3 });
  });

  test('grantWrite lets the role decrypt and generate data keys, through S3 only', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantWrite(analystsRole(consumer), 'ResearchData');
    expectIdentityStatement(consumer, { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: OWNERS_KEYS, Condition: VIA_S3 });
  });

  test('warns when the grantee is named by ARN: its own identity policy must allow the key, and this app cannot write it', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(new iam.ArnPrincipal(JANE), 'ResearchData');
    Template.fromStack(consumer).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(consumer).hasWarning(`/${CONSUMER_PATH}`, Match.stringLikeRegexp(`${JANE}.*kms:Decrypt`));
  });

  test('puts no KMS action in the access point policy (S3 does not evaluate it for KMS)', () => {
    const { consumer, bucket } = kmsApp();
    accessPoint(consumer, bucket).grantRead(analystsRole(consumer), 'ResearchData');
    expect(JSON.stringify(accessPointProperties(consumer).Policy)).not.toContain('kms:');
  });

  test('a bucket with S3-managed keys gives no KMS permission', () => {
    const { consumer, bucket } = twoAccounts();
    accessPoint(consumer, bucket).grantReadWrite(analystsRole(consumer));
    expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toContain('kms:');
  });

  test('an imported bucket with encryptionKeyArn names that exact key', () => {
    const { consumer, bucket } = importedBucket({ encryptionKeyArn: KEY_ARN });
    accessPoint(consumer, bucket).grantWrite(analystsRole(consumer), 'ResearchData');
    expectIdentityStatement(consumer, { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN, Condition: VIA_S3 });
  });

  test('an imported access point with encryptionKeyArn names that exact key', () => {
    const { consumer } = importedBucket();
    const imported = CrossAccountAccessPoint.fromAccessPointAttributes(consumer, 'Imported', { accessPointArn: ACCESS_POINT_ARN, encryptionKeyArn: KEY_ARN });
    imported.grantRead(analystsRole(consumer), 'ResearchData');
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
});

describe('an existing access point, imported', () => {
  test('fromAccessPointArn takes the name from the ARN', () => {
    const { consumer } = importedBucket();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    expect(imported.accessPointArn).toBe(ACCESS_POINT_ARN);
    expect(consumer.resolve(imported.accessPointName)).toBe(NAME);
    expect(imported.arnForObjects('ResearchData/*')).toBe(`${ACCESS_POINT_ARN}/object/ResearchData/*`);
  });

  test('fromAccessPointAttributes returns the alias it is given', () => {
    const { consumer } = importedBucket();
    const alias = 'janes-researchdat-abcdefghijklmnopqrstuvwxyz01-s3alias';
    const imported = CrossAccountAccessPoint.fromAccessPointAttributes(consumer, 'Imported', { accessPointArn: ACCESS_POINT_ARN, accessPointAlias: alias });
    expect(imported.accessPointAlias).toBe(alias);
  });

  test('reading the alias of an access point imported without one throws a clear error', () => {
    const { consumer } = importedBucket();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    expect(() => imported.accessPointAlias).toThrow(/^Consumer\/Imported: accessPointAlias is unknown; pass accessPointAlias to fromAccessPointAttributes\(\)/);
  });

  test('grants write only the grantee\'s identity policy: the access point policy belongs to its creator', () => {
    const { consumer } = importedBucket();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    imported.grantRead(analystsRole(consumer), 'ResearchData');
    Template.fromStack(consumer).resourceCountIs('AWS::S3::AccessPoint', 0);
    expectIdentityStatement(consumer, { Action: READ, Resource: `${ACCESS_POINT_ARN}/object/ResearchData/*` });
    expectIdentityStatement(consumer, {
      Action: 's3:ListBucket',
      Resource: ACCESS_POINT_ARN,
      Condition: { StringLike: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] } },
    });
  });

  test('a grant to a principal without an identity policy in this app cannot succeed', () => {
    const { consumer } = importedBucket();
    const imported = CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', ACCESS_POINT_ARN);
    const grant = imported.grantRead(new iam.ArnPrincipal(JANE), 'ResearchData');
    expect(grant.success).toBe(false);
    expect(() => grant.assertSuccess()).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// Validation when the access point is created
// ---------------------------------------------------------------------------------------------

describe('props that AWS would reject are rejected when the access point is created', () => {
  test.each([
    ['too short', 'ab', /must be 3 to 50 characters long \(it has 2\)/],
    ['too long (51 characters)', 'a'.repeat(51), /must be 3 to 50 characters long \(it has 51\)/],
    ['with uppercase letters', 'Janes-Access-Point', /may contain only lowercase letters, digits and hyphens/],
    ['with an underscore', 'janes_access_point', /may contain only lowercase letters, digits and hyphens/],
    ['with a dot', 'janes.access.point', /may contain only lowercase letters, digits and hyphens/],
    ['with a leading hyphen', '-janes-access-point', /must start and end with a lowercase letter or digit/],
    ['with a trailing hyphen', 'janes-access-point-', /must start and end with a lowercase letter or digit/],
    ['ending with -s3alias', 'janes-s3alias', /must not end with "-s3alias" or "-ext-s3alias"/],
    ['ending with -ext-s3alias', 'janes-ext-s3alias', /must not end with "-s3alias" or "-ext-s3alias"/],
  ])('an access point name %s', (_title, accessPointName, rule) => {
    const { consumer, bucket } = twoAccounts();
    expect(() => accessPoint(consumer, bucket, { accessPointName })).toThrow(rejection(CONSUMER_PATH, 'accessPointName', rule, accessPointName));
  });

  test('the blog\'s principal ARN, which lacks the empty Region field: the message shows the corrected ARN', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const blogsJane = 'arn:aws:iam:111122223333:user/Jane';
    expect(() => ap.grantRead(new iam.ArnPrincipal(blogsJane), 'ResearchData')).toThrow(
      rejection(CONSUMER_PATH, 'grantRead grantee', /must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user\/Jane"/, blogsJane),
    );
  });

  test.each([
    ['with no account', 'arn:aws:iam:::user/Jane', /must name a 12-digit account ID/],
    ['with no resource', 'arn:aws:iam::111122223333:', /must name a resource: root, user\/NAME/],
    ['of another service than IAM', 'arn:aws:s3:::test-bucket-1', /must be an IAM or STS ARN/],
  ])('a principal ARN %s', (_title, principalArn, rule) => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expect(() => ap.grantRead(new iam.ArnPrincipal(principalArn), 'ResearchData')).toThrow(rejection(CONSUMER_PATH, 'grantRead grantee', rule, principalArn));
  });

  test('a malformed principal in a statement added with addToResourcePolicy', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    const blogsJane = 'arn:aws:iam:111122223333:user/Jane';
    const statement = new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(blogsJane)], actions: ['s3:GetObject'], resources: [ap.arnForObjects('*')] });
    expect(() => ap.addToResourcePolicy(statement)).toThrow(
      rejection(CONSUMER_PATH, 'policy principal', /must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user\/Jane"/, blogsJane),
    );
    expect(accessPointProperties(consumer).Policy).toBeUndefined();
  });

  test('a grant prefix with a leading "/" (the blog\'s --key /ResearchData/)', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expect(() => ap.grantRead(new iam.ArnPrincipal(JANE), '/ResearchData/')).toThrow(
      rejection(CONSUMER_PATH, 'grantRead prefixes[0]', /must not start with "\/" \(S3 keys have no leading slash: use "ResearchData\/"\)/, '/ResearchData/'),
    );
  });

  test('a grant prefix with a wildcard', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    expect(() => ap.grantWrite(new iam.ArnPrincipal(JANE), 'ResearchData', 'Research*')).toThrow(
      rejection(CONSUMER_PATH, 'grantWrite prefixes[1]', /must not contain the wildcards "\*" or "\?"/, 'Research*'),
    );
  });

  test('a bucket in another Region than the consumer stack', () => {
    const { consumer, bucket } = twoAccounts(undefined, 'eu-west-1');
    expect(() => accessPoint(consumer, bucket)).toThrow(
      rejection(CONSUMER_PATH, 'bucket.bucketRegion', /must equal the access point's Region "eu-west-3"/, 'eu-west-1'),
    );
  });

  test('an imported bucket in another Region than the consumer stack', () => {
    const { consumer, bucket } = importedBucket({ region: 'eu-west-1' });
    expect(() => accessPoint(consumer, bucket)).toThrow(
      rejection(CONSUMER_PATH, 'bucket.bucketRegion', /must equal the access point's Region "eu-west-3"/, 'eu-west-1'),
    );
  });

  test('an environment-agnostic consumer stack (no env)', () => {
    const { app, bucket } = twoAccounts();
    const agnostic = new Stack(app, 'Agnostic');
    expect(() => accessPoint(agnostic, bucket)).toThrow(
      /^Agnostic\/JanesAccessPoint:[\s\S]*stack env must name a concrete account and Region[^\n]*\(got "[^"\n]*unresolved[^"\n]*"\)/,
    );
  });

  test('an owner stack without env: the bucket\'s account is unknown at synth', () => {
    const app = new App();
    const owner = new Stack(app, 'Owner');
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const bucket = new DelegatedBucket(owner, 'ResearchBucket');
    expect(() => accessPoint(consumer, bucket)).toThrow(
      rejection(CONSUMER_PATH, 'bucket.bucketAccount', /must be known at synth/, '<unresolved token>'),
    );
  });

  test.each([
    ['not an ARN at all', 'not-an-arn'],
    ['a bucket ARN', 'arn:aws:s3:::test-bucket-1'],
    ['an access point ARN without a name', `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint`],
  ])('fromAccessPointArn with %s', (_title, arn) => {
    const { consumer } = importedBucket();
    expect(() => CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', arn)).toThrow(
      rejection('Consumer/Imported', 'accessPointArn', /must be an access point ARN: arn:PARTITION:s3:REGION:ACCOUNT:accesspoint\/NAME/, arn),
    );
  });

  test('fromAccessPointArn with an invalid name in the ARN', () => {
    const { consumer } = importedBucket();
    const arn = `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/Janes_Access_Point`;
    expect(() => CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', arn)).toThrow(
      rejection('Consumer/Imported', 'accessPointArn name', /may contain only lowercase letters, digits and hyphens/, 'Janes_Access_Point'),
    );
  });

  test('a failed construction leaves nothing behind', () => {
    const { consumer, bucket } = twoAccounts();
    expect(() => accessPoint(consumer, bucket, { accessPointName: 'ab' })).toThrow();
    expect(consumer.node.tryFindChild('JanesAccessPoint')).toBeUndefined();
    Template.fromStack(consumer).resourceCountIs('AWS::S3::AccessPoint', 0);
  });

  test('after a failed construction, the id can be used again', () => {
    const { consumer, bucket } = twoAccounts();
    expect(() => accessPoint(consumer, bucket, { accessPointName: 'ab' })).toThrow();
    janesAccessPoint(consumer, bucket);
    Template.fromStack(consumer).resourceCountIs('AWS::S3::AccessPoint', 1);
  });

  test('every problem is reported at once', () => {
    const { consumer, bucket } = twoAccounts(undefined, 'eu-west-1');
    expect(() => accessPoint(consumer, bucket, { accessPointName: 'Janes_AP-' })).toThrow(
      /^Consumer\/JanesAccessPoint:\n {2}- accessPointName may contain only[^\n]*\n {2}- accessPointName must start and end[^\n]*\n {2}- bucket\.bucketRegion must equal/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Validation at synth: what needs the whole app
// ---------------------------------------------------------------------------------------------

describe('the whole app is checked at synth', () => {
  test('two access points with the same name in the same account and Region: each names the other', () => {
    const { app, consumer, bucket } = twoAccounts();
    janesAccessPoint(consumer, bucket);
    accessPoint(new Construct(consumer, 'Team'), bucket, {}, 'Copy').grantRead(new iam.ArnPrincipal(JANE));
    const unique = /accessPointName must be unique in its account and Region; "janes-researchdata-access-point" is also used by/;
    expect(() => app.synth()).toThrow(new RegExp(`${synthError(CONSUMER_PATH, unique).source} Consumer/Team/Copy`));
    expect(() => app.synth()).toThrow(new RegExp(`${synthError('Consumer/Team/Copy', unique).source} Consumer/JanesAccessPoint`));
  });

  test('the same name in another account is fine', () => {
    const { app, consumer, bucket } = twoAccounts({
      delegations: [
        { account: CONSUMER_ACCOUNT, actions: DelegatedActions.READ_WRITE },
        { account: '444455556666', actions: DelegatedActions.READ_WRITE },
      ],
    });
    const other = new Stack(app, 'OtherConsumer', { env: { account: '444455556666', region: REGION } });
    janesAccessPoint(consumer, bucket);
    janesAccessPoint(other, bucket);
    expect(() => app.synth()).not.toThrow();
  });

  test('a public access point policy (a wildcard principal with no fixed-value condition)', () => {
    const { app, consumer, bucket } = twoAccounts();
    const ap = janesAccessPoint(consumer, bucket);
    ap.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [ap.arnForObjects('*')],
    }));
    expect(() => app.synth()).toThrow(synthError(CONSUMER_PATH, /policy statement 2 \(s3:GetObject\) allows a wildcard principal without a fixed-value condition; the access point would be public/));
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
    expect(() => app.synth()).not.toThrow();
  });

  test('an access point policy over 20,480 bytes, with its size in the message', () => {
    const { app, consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    for (let i = 0; i < 100; i++) {
      ap.grantRead(new iam.ArnPrincipal(JANE), `ResearchData/${'long-folder-name-'.repeat(10)}${i}`);
    }
    expect(() => app.synth()).toThrow(synthError(CONSUMER_PATH, /The access point policy is \d{2,3},\d{3} bytes of minified JSON, over S3's limit of 20,480 bytes/));
  });
});

describe('grants are checked against the owner\'s delegation at synth', () => {
  const NOT_COVERED = `grants not covered by the owner's delegation to account ${CONSUMER_ACCOUNT} on Owner/ResearchBucket`;

  /** Build the consumer's side against the owner's delegation; return the app's synth, to expect on. */
  function synthGrants(delegation: DelegatedBucketProps, build: (consumer: Stack, bucket: DelegatedBucket) => void): () => void {
    const { app, consumer, bucket } = twoAccounts(delegation);
    build(consumer, bucket);
    return () => app.synth();
  }

  const uncovered: Array<[string, DelegatedBucketProps, string[], RegExp]> = [
    [
      'an account the owner does not delegate to',
      { delegations: [{ account: '444455556666' }] },
      ['ResearchData'],
      /grantRead\(arn:aws:iam::111122223333:user\/Jane, "ResearchData\/"\) s3:GetObject: the bucket owner delegates nothing to account 111122223333/,
    ],
    [
      'a prefix outside the delegated one',
      delegating({ prefixes: ['ResearchData'] }),
      ['Other'],
      /grantRead\(arn:aws:iam::111122223333:user\/Jane, "Other\/"\) s3:GetObject: prefix "Other\/" is outside the prefixes delegated to account 111122223333/,
    ],
    [
      'a sibling folder that merely starts with the delegated name',
      delegating({ prefixes: ['ResearchData'] }),
      ['ResearchData-private'],
      /grantRead\(arn:aws:iam::111122223333:user\/Jane, "ResearchData-private\/"\) s3:GetObject: prefix "ResearchData-private\/" is outside/,
    ],
    [
      'the whole bucket when only a prefix is delegated',
      delegating({ prefixes: ['ResearchData'] }),
      [],
      /grantRead\(arn:aws:iam::111122223333:user\/Jane\) s3:GetObject: the whole bucket is outside the prefixes delegated to account 111122223333/,
    ],
    [
      'an access point the owner does not name',
      delegating({ accessPointNames: ['bobs-access-point'] }),
      ['ResearchData'],
      /s3:GetObject: access point "janes-researchdata-access-point" is not among the access points the owner names for account 111122223333/,
    ],
    [
      'an Internet-origin access point where the owner requires VPC origin',
      delegating({ requireVpcOrigin: true }),
      ['ResearchData'],
      /s3:GetObject: the owner requires VPC-origin access points, and this access point has Internet origin/,
    ],
  ];

  test.each(uncovered)('rejects a grant to %s', (_title, delegation, prefixes, reason) => {
    const synth = synthGrants(delegation, (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(new iam.ArnPrincipal(JANE), ...prefixes);
    });
    expect(synth).toThrow(synthError(CONSUMER_PATH, new RegExp(`${escapeRegExp(NOT_COVERED)}[\\s\\S]*${reason.source}`)));
  });

  test('rejects writes against a READ delegation, listing every action', () => {
    const synth = synthGrants(delegating({ actions: DelegatedActions.READ, prefixes: ['ResearchData'] }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantWrite(analystsRole(consumer), 'ResearchData');
    });
    for (const action of WRITE) {
      expect(synth).toThrow(new RegExp(
        `  - grantWrite\\(Consumer/Analysts, "ResearchData/"\\) ${action}: the owner does not delegate ${action} to account ${CONSUMER_ACCOUNT}`,
      ));
    }
  });

  test('lists only the uncovered grants', () => {
    const synth = synthGrants(delegating({ prefixes: ['ResearchData'] }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(new iam.ArnPrincipal(JANE), 'ResearchData', 'Other');
    });
    expect(synth).toThrow(/"Other\/"\) s3:GetObject:/);
    expect(synth).not.toThrow(/"ResearchData\/"\) s3:GetObject:/);
  });

  const covered: Array<[string, DelegatedBucketProps, string]> = [
    ['the blog\'s grant inside the delegated prefix', delegating({ actions: DelegatedActions.READ, prefixes: ['ResearchData'] }), 'ResearchData'],
    ['a nested prefix', delegating({ prefixes: ['ResearchData'] }), 'ResearchData/2024'],
    ['a grant through the access point the owner names', delegating({ accessPointNames: [NAME] }), 'ResearchData'],
  ];

  test.each(covered)('accepts %s', (_title, delegation, prefix) => {
    const synth = synthGrants(delegation, (consumer, bucket) => {
      accessPoint(consumer, bucket).grantRead(new iam.ArnPrincipal(JANE), prefix);
    });
    expect(synth).not.toThrow();
  });

  test('accepts a VPC-origin access point where the owner requires VPC origin', () => {
    const synth = synthGrants(delegating({ requireVpcOrigin: true, prefixes: ['ResearchData'] }), (consumer, bucket) => {
      janesAccessPoint(consumer, bucket, { vpc: consumerVpc(consumer) });
    });
    expect(synth).not.toThrow();
  });

  test('accepts writes against a READ_WRITE delegation', () => {
    const synth = synthGrants(delegating({ actions: DelegatedActions.READ_WRITE, prefixes: ['ResearchData'] }), (consumer, bucket) => {
      accessPoint(consumer, bucket).grantReadWrite(analystsRole(consumer), 'ResearchData');
    });
    expect(synth).not.toThrow();
  });

  test('cannot check a bucket imported by attributes: its delegations are unknown, so any grant synthesizes', () => {
    const { app, consumer, bucket } = importedBucket();
    accessPoint(consumer, bucket).grantWrite(new iam.ArnPrincipal(JANE), 'Other');
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', { Bucket: 'test-bucket-1', BucketAccountId: OWNER_ACCOUNT, Name: NAME });
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

describe('more checks and conveniences', () => {
  test('an owner naming access points with a token covers a grant through any name (it cannot be checked)', () => {
    const { app, consumer, bucket } = twoAccounts(delegating({ accessPointNames: [Lazy.string({ produce: () => NAME })] }));
    janesAccessPoint(consumer, bucket);
    expect(() => app.synth()).not.toThrow();
  });

  test('addOutputs() twice adds the outputs once', () => {
    const { consumer, bucket } = twoAccounts();
    const ap = accessPoint(consumer, bucket);
    ap.addOutputs();
    ap.addOutputs();
    expect(Object.keys(Template.fromStack(consumer).toJSON().Outputs)).toHaveLength(2);
  });

  test('delegating s3:DeleteObjectVersion warns that it destroys data', () => {
    const { owner, bucket } = twoAccounts();
    bucket.delegateTo(CONSUMER_ACCOUNT, { actions: DelegatedActions.of('s3:DeleteObjectVersion') });
    Annotations.fromStack(owner).hasWarning('/Owner/ResearchBucket', Match.stringLikeRegexp('destroys data even on a versioned bucket'));
  });
});

describe('values known only at deploy time pass validation untouched', () => {
  test('an accessPointName from Lazy.string', () => {
    const { app, consumer, bucket } = twoAccounts();
    const accessPointName = Lazy.string({ produce: () => 'lazy-access-point' });
    expect(() => janesAccessPoint(consumer, bucket, { accessPointName })).not.toThrow();
    expect(() => app.synth()).not.toThrow();
    expect(accessPointProperties(consumer).Name).toBe('lazy-access-point');
  });

  test('a grant prefix that is a token', () => {
    const { app, consumer, bucket } = twoAccounts(delegating({ prefixes: ['ResearchData'] }));
    const prefix = Lazy.string({ produce: () => 'ResearchData/' });
    expect(() => accessPoint(consumer, bucket).grantRead(new iam.ArnPrincipal(JANE), prefix)).not.toThrow();
    expect(() => app.synth()).not.toThrow();
    expectAccessPointStatement(consumer, { Resource: objectsArnIn('ResearchData/*') });
  });

  test('an imported access point ARN that is a token', () => {
    const { app, consumer } = importedBucket();
    const arn = Fn.importValue('JanesAccessPointArn');
    expect(() => CrossAccountAccessPoint.fromAccessPointArn(consumer, 'Imported', arn).grantRead(analystsRole(consumer), 'ResearchData')).not.toThrow();
    expect(() => app.synth()).not.toThrow();
    expectIdentityStatement(consumer, { Action: READ, Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'JanesAccessPointArn' }, '/object/ResearchData/*']] } });
  });

  test('a principal that is a token', () => {
    const { app, consumer, bucket } = twoAccounts();
    const principal = new iam.ArnPrincipal(Lazy.string({ produce: () => JANE }));
    expect(() => accessPoint(consumer, bucket).grantRead(principal, 'ResearchData')).not.toThrow();
    expect(() => app.synth()).not.toThrow();
    expectAccessPointStatement(consumer, { Principal: { AWS: JANE }, Action: READ });
  });
});

/*
 * Two owner-side features of DelegatedBucket, both off by default:
 * - requesterPays: a custom resource turns Requester Pays on (CloudFormation cannot), with a Lambda
 *   function that may do that to this bucket only;
 * - accessAnalyzer: an IAM Access Analyzer analyzer whose archive rules mark the findings that the
 *   delegations cause as expected.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DelegatedBucket, DelegatedBucketProps, S3Actions } from '../src';
import { CONSUMER_ACCOUNT, OTHER_ACCOUNT, OWNER_ACCOUNT, OWNER_ENV, REGION, accounts, thrownBy } from './support/fixtures';
import { validationFindings } from './support/validation-report';

const BUCKET_NAME = 'test-bucket-1';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET_NAME}`;
const ORGANIZATION = 'o-a1b2c3d4e5';
const RESEARCH_OU = `${ORGANIZATION}/r-ab12/ou-ab12-11111111/`;
const SALES_OU = `${ORGANIZATION}/r-ab12/ou-ab12-22222222/`;
const REQUESTER_PAYS_TYPE = 'Custom::S3BucketRequesterPays';
/** The AwsCustomResource provider: one Lambda function per stack, at the stack's top level. */
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/** GIVEN an owner stack with the DelegatedBucket `Data` named test-bucket-1 (unless props say otherwise). */
function ownerBucket(props: DelegatedBucketProps = {}, app = new App()) {
  const stack = new Stack(app, 'Owner', { env: OWNER_ENV });
  const bucket = new DelegatedBucket(stack, 'Data', { bucketName: BUCKET_NAME, ...props });
  return { app, stack, bucket };
}

function templateOf(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).toJSON();
}

function resourcesOfType(stack: Stack, type: string): Array<[string, any]> {
  return Object.entries<any>(templateOf(stack).Resources).filter(([, r]) => r.Type === type);
}

/** The only resource of the type in the stack, with its logical ID. */
function onlyResourceOfType(stack: Stack, type: string): { id: string; resource: any } {
  const found = resourcesOfType(stack, type);
  expect(found).toHaveLength(1);
  return { id: found[0][0], resource: found[0][1] };
}

function logicalIdOf(bucket: DelegatedBucket): string {
  return Stack.of(bucket).resolve((bucket.bucket.node.defaultChild as s3.CfnBucket).logicalId);
}

/**
 * A string property as CloudFormation will see it, with each `Ref` written `${LogicalId}`: custom
 * resources carry their SDK calls as JSON in an `Fn::Join` when they reference the bucket.
 */
function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const v = value as { 'Fn::Join'?: [string, unknown[]]; 'Ref'?: string };
  if (v.Ref !== undefined) {
    return `\${${v.Ref}}`;
  }
  if (v['Fn::Join']) {
    return v['Fn::Join'][1].map(flatten).join(v['Fn::Join'][0]);
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/** The SDK call of a custom resource for a CloudFormation request type. */
function sdkCall(resource: any, requestType: 'Create' | 'Update' | 'Delete'): any {
  return JSON.parse(flatten(resource.Properties[requestType]));
}

/** The archive rules of the only analyzer in the stack, by name. */
function archiveRulesOf(stack: Stack): Record<string, Array<Record<string, unknown>>> {
  const { resource } = onlyResourceOfType(stack, 'AWS::AccessAnalyzer::Analyzer');
  return Object.fromEntries((resource.Properties.ArchiveRules ?? []).map((r: any) => [r.RuleName, r.Filter]));
}

describe('requesterPays: requesters pay, set by a custom resource', () => {
  test('on create and on update, the custom resource makes the requester pay for this bucket', () => {
    // GIVEN a bucket with requesterPays
    const { stack, bucket } = ownerBucket({ requesterPays: true });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, REQUESTER_PAYS_TYPE);
    // THEN Create and Update call PutBucketRequestPayment with Payer Requester on this bucket
    const bucketRef = `\${${logicalIdOf(bucket)}}`;
    for (const requestType of ['Create', 'Update'] as const) {
      expect(sdkCall(resource, requestType)).toEqual({
        service: 'S3',
        action: 'putBucketRequestPayment',
        parameters: { Bucket: bucketRef, RequestPaymentConfiguration: { Payer: 'Requester' } },
        physicalResourceId: { id: `${bucketRef}/requester-pays` },
      });
    }
  });

  test('on delete, the owner pays again; a bucket already gone is not an error', () => {
    // GIVEN a bucket with requesterPays
    const { stack, bucket } = ownerBucket({ requesterPays: true });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, REQUESTER_PAYS_TYPE);
    // THEN Delete calls PutBucketRequestPayment with Payer BucketOwner, ignoring NoSuchBucket only
    const bucketRef = `\${${logicalIdOf(bucket)}}`;
    expect(sdkCall(resource, 'Delete')).toEqual({
      service: 'S3',
      action: 'putBucketRequestPayment',
      parameters: { Bucket: bucketRef, RequestPaymentConfiguration: { Payer: 'BucketOwner' } },
      physicalResourceId: { id: `${bucketRef}/requester-pays` },
      ignoreErrorCodesMatching: 'NoSuchBucket',
    });
  });

  test('its physical ID is the same on every synth, whatever is delegated, and differs between buckets', () => {
    // GIVEN the same bucket with and without delegations, and a second requester-pays bucket
    const physicalIds = (delegate: boolean) => {
      const { stack, bucket } = ownerBucket({ requesterPays: true });
      if (delegate) {
        bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ });
      }
      new DelegatedBucket(stack, 'Other', { bucketName: 'test-bucket-2', requesterPays: true });
      // WHEN each is synthesized
      return resourcesOfType(stack, REQUESTER_PAYS_TYPE).map(([id, r]) => [id, sdkCall(r, 'Update').physicalResourceId.id]);
    };
    const before = physicalIds(false);
    // THEN adding a delegation changes no physical ID (a changed one would make CloudFormation delete
    // the old resource, which sets the owner as payer again), and each bucket has its own
    expect(physicalIds(true)).toEqual(before);
    expect(new Set(before.map(([, id]) => id)).size).toBe(2);
  });

  test('the Lambda function may call s3:PutBucketRequestPayment on this bucket only', () => {
    // GIVEN a bucket with requesterPays
    const { stack } = ownerBucket({ requesterPays: true });
    // WHEN the stack is synthesized
    const template = templateOf(stack);
    const { resource } = onlyResourceOfType(stack, REQUESTER_PAYS_TYPE);
    const functionId = resource.Properties.ServiceToken['Fn::GetAtt'][0];
    const roleId = template.Resources[functionId].Properties.Role['Fn::GetAtt'][0];
    // THEN the only policy of the function's role allows exactly that action on exactly the bucket's ARN
    const policies = Object.values<any>(template.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: any) => role.Ref === roleId));
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[
      { Effect: 'Allow', Action: 's3:PutBucketRequestPayment', Resource: BUCKET_ARN },
    ]]);
  });

  test('the function uses the SDK of its runtime: nothing is installed from npm at deploy time', () => {
    // GIVEN a bucket with requesterPays
    const { stack } = ownerBucket({ requesterPays: true });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, REQUESTER_PAYS_TYPE);
    // THEN the custom resource asks for no newer SDK
    expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
  });

  test('the custom resource is made after the bucket and removed before it, even when the name is a plain string', () => {
    // GIVEN a bucket named at synth with requesterPays
    const { stack, bucket } = ownerBucket({ requesterPays: true });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, REQUESTER_PAYS_TYPE);
    // THEN the custom resource depends on the bucket
    expect(resource.DependsOn).toContain(logicalIdOf(bucket));
  });

  test('two requester-pays buckets in one stack share one function; each permission names its own bucket', () => {
    // GIVEN two requester-pays buckets in one stack
    const { stack } = ownerBucket({ requesterPays: true });
    new DelegatedBucket(stack, 'Other', { bucketName: 'test-bucket-2', requesterPays: true });
    // WHEN the stack is synthesized
    // THEN there is one function, and one statement per bucket, each on that bucket alone
    expect(resourcesOfType(stack, 'AWS::Lambda::Function')).toHaveLength(1);
    const statements = resourcesOfType(stack, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      [{ Effect: 'Allow', Action: 's3:PutBucketRequestPayment', Resource: BUCKET_ARN }],
      [{ Effect: 'Allow', Action: 's3:PutBucketRequestPayment', Resource: 'arn:aws:s3:::test-bucket-2' }],
    ]));
    expect(statements).toHaveLength(2);
    // AND the shared function's cdk-nag acknowledgement is written once, not once per bucket
    const provider = stack.node.findAll().find((c) => c.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))!;
    const acknowledgements = provider.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY
      && Object.keys(m.data as object).some((id) => id.startsWith('AwsSolutions-IAM4')));
    expect(acknowledgements).toHaveLength(1);
  });

  test.each([
    ['by default', {}],
    ['when requesterPays is false', { requesterPays: false }],
  ])('%s, nothing of it is made: no custom resource, function, role or policy', (_title, props) => {
    // GIVEN a bucket without requesterPays
    const { stack } = ownerBucket(props);
    // WHEN the stack is synthesized
    const types = new Set(Object.values<any>(templateOf(stack).Resources).map((r) => r.Type));
    // THEN none of the custom resource's parts is in the template
    for (const type of [REQUESTER_PAYS_TYPE, 'AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::IAM::Policy']) {
      expect(types).not.toContain(type);
    }
  });
});

describe('accessAnalyzer: findings the delegations cause are archived', () => {
  test('an analyzer of type ACCOUNT, named from the bucket, archives the delegated accounts\' findings on the bucket', () => {
    // GIVEN a bucket with accessAnalyzer, delegated to two accounts
    const { stack } = ownerBucket({
      accessAnalyzer: true,
      delegations: [{ account: CONSUMER_ACCOUNT, actions: S3Actions.READ }, { account: OTHER_ACCOUNT, actions: S3Actions.READ, prefixes: ['Shared'] }],
    });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, 'AWS::AccessAnalyzer::Analyzer');
    // THEN one rule matches findings on the bucket for exactly those accounts
    expect(resource.Properties.Type).toBe('ACCOUNT');
    expect(resource.Properties.AnalyzerName).toBe(`delegated-bucket-${BUCKET_NAME}`);
    expect(archiveRulesOf(stack)).toEqual({
      'delegated-accounts-1': [
        { Property: 'resource', Eq: [BUCKET_ARN] },
        { Property: 'principal.AWS', Eq: [CONSUMER_ACCOUNT, OTHER_ACCOUNT] },
      ],
    });
  });

  test('accounts delegated after the constructor are in the rules too', () => {
    // GIVEN a bucket with accessAnalyzer and a delegation in its props
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true, delegations: [{ account: CONSUMER_ACCOUNT }] });
    // WHEN another account is delegated later
    bucket.delegateTo(OTHER_ACCOUNT, { actions: S3Actions.READ });
    // THEN the rule names both
    expect(archiveRulesOf(stack)['delegated-accounts-1'][1]).toEqual({ Property: 'principal.AWS', Eq: [CONSUMER_ACCOUNT, OTHER_ACCOUNT] });
  });

  test('an account delegated after the rules were first resolved joins them', () => {
    // GIVEN a bucket with accessAnalyzer whose rules have been resolved once, with one account
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true, delegations: [{ account: CONSUMER_ACCOUNT }] });
    const analyzer = stack.node.findAll().find((c) => c instanceof accessanalyzer.CfnAnalyzer) as accessanalyzer.CfnAnalyzer;
    expect(JSON.stringify(stack.resolve(analyzer.archiveRules))).toContain(CONSUMER_ACCOUNT);
    // WHEN another account is delegated, THEN the template's rules name it too
    bucket.delegateTo(OTHER_ACCOUNT, { actions: S3Actions.READ });
    expect(archiveRulesOf(stack)['delegated-accounts-1'][1]).toEqual({ Property: 'principal.AWS', Eq: [CONSUMER_ACCOUNT, OTHER_ACCOUNT] });
  });

  test('an account delegated twice is named once; the owner\'s own account, in the zone of trust, not at all', () => {
    // GIVEN a bucket delegated twice to one account and once to its owner's account
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true });
    bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ, prefixes: ['A'] });
    bucket.delegateTo(OWNER_ACCOUNT, { actions: S3Actions.READ });
    bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ, prefixes: ['B'] });
    // WHEN the stack is synthesized
    // THEN the rule names the consumer once, and not the owner
    expect(archiveRulesOf(stack)['delegated-accounts-1'][1]).toEqual({ Property: 'principal.AWS', Eq: [CONSUMER_ACCOUNT] });
  });

  test('a rule holds at most 20 accounts: more go to further rules, each account in exactly one', () => {
    // GIVEN 45 delegated accounts
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true });
    const many = accounts(45);
    many.forEach((account) => bucket.delegateTo(account, { actions: S3Actions.READ }));
    // WHEN the stack is synthesized
    const rules = archiveRulesOf(stack);
    // THEN three rules of 20, 20 and 5 accounts, on the bucket, cover every account once
    expect(Object.keys(rules)).toEqual(['delegated-accounts-1', 'delegated-accounts-2', 'delegated-accounts-3']);
    const named = Object.values(rules).map((filter) => filter[1].Eq as string[]);
    expect(named.map((list) => list.length)).toEqual([20, 20, 5]);
    expect(named.flat()).toEqual(many);
    Object.values(rules).forEach((filter) => expect(filter[0]).toEqual({ Property: 'resource', Eq: [BUCKET_ARN] }));
  });

  test('organizations: the whole organization by its ID, organizational units by their paths', () => {
    // GIVEN one organization delegated as a whole, another in two of its OUs
    const other = 'o-zzzzzzzzzz';
    const otherOu = `${other}/r-zz99/ou-zz99-33333333/`;
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true });
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.READ });
    bucket.delegateToOrganization(other, { actions: S3Actions.READ, prefixes: ['A'], organizationalUnitPaths: [otherOu] });
    bucket.delegateToOrganization(other, { actions: S3Actions.READ, prefixes: ['B'], organizationalUnitPaths: [`${other}/r-zz99/ou-zz99-44444444/`] });
    // WHEN the stack is synthesized
    // THEN the whole organization matches on aws:PrincipalOrgID, the other one only with its OU paths
    expect(archiveRulesOf(stack)).toEqual({
      'delegated-organizations-1': [
        { Property: 'resource', Eq: [BUCKET_ARN] },
        { Property: 'condition.aws:PrincipalOrgID', Eq: [ORGANIZATION] },
      ],
      'delegated-organizational-units-1': [
        { Property: 'resource', Eq: [BUCKET_ARN] },
        { Property: 'condition.aws:PrincipalOrgID', Eq: [other] },
        { Property: 'condition.aws:PrincipalOrgPaths', Contains: [otherOu, `${other}/r-zz99/ou-zz99-44444444/`] },
      ],
    });
  });

  test('an organization delegated as a whole in one delegation and in OUs in another is archived as a whole', () => {
    // GIVEN an organization delegated in an OU and as a whole
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true });
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.READ, prefixes: ['A'], organizationalUnitPaths: [RESEARCH_OU] });
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.READ, prefixes: ['B'] });
    // WHEN the stack is synthesized
    // THEN one rule on the organization's ID, none on paths
    expect(Object.keys(archiveRulesOf(stack))).toEqual(['delegated-organizations-1']);
  });

  test('with a customer-managed key, the key\'s findings for the same accounts and organizations are archived too', () => {
    // GIVEN a KMS-encrypted bucket delegated to an account and to OUs of an organization
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true, encryption: s3.BucketEncryption.KMS });
    bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ });
    bucket.delegateToOrganization(ORGANIZATION, { actions: S3Actions.READ, organizationalUnitPaths: [RESEARCH_OU, SALES_OU] });
    // WHEN the stack is synthesized
    const keyArn = { 'Fn::GetAtt': [stack.resolve((bucket.encryptionKey!.node.defaultChild as any).logicalId), 'Arn'] };
    // THEN the key policy's kms:CallerAccount and aws:PrincipalOrgID statements are matched on the key's ARN
    expect(archiveRulesOf(stack)).toEqual({
      'delegated-accounts-1': [
        { Property: 'resource', Eq: [BUCKET_ARN] },
        { Property: 'principal.AWS', Eq: [CONSUMER_ACCOUNT] },
      ],
      'delegated-accounts-key-1': [
        { Property: 'resource', Eq: [keyArn] },
        { Property: 'condition.kms:CallerAccount', Eq: [CONSUMER_ACCOUNT] },
      ],
      'delegated-organizational-units-1': [
        { Property: 'resource', Eq: [BUCKET_ARN, keyArn] },
        { Property: 'condition.aws:PrincipalOrgID', Eq: [ORGANIZATION] },
        { Property: 'condition.aws:PrincipalOrgPaths', Contains: [RESEARCH_OU, SALES_OU] },
      ],
    });
  });

  test('an account known only at deploy time is archived by its reference', () => {
    // GIVEN an account given as a CloudFormation parameter
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true });
    const partner = new CfnParameter(stack, 'Partner', { type: 'String' });
    bucket.delegateTo(partner.valueAsString, { actions: S3Actions.READ });
    // WHEN the stack is synthesized
    // THEN the rule names the parameter
    expect(archiveRulesOf(stack)['delegated-accounts-1'][1]).toEqual({ Property: 'principal.AWS', Eq: [{ Ref: 'Partner' }] });
  });

  test('without delegations, the analyzer has no archive rule: every finding stays active', () => {
    // GIVEN a bucket with accessAnalyzer and no delegation
    const { stack } = ownerBucket({ accessAnalyzer: true });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, 'AWS::AccessAnalyzer::Analyzer');
    // THEN the analyzer has no ArchiveRules
    expect(resource.Properties).not.toHaveProperty('ArchiveRules');
  });

  test('the bucket policy waits for the analyzer, so a new account\'s rule exists before the policy shares with it', () => {
    // GIVEN a delegated bucket with accessAnalyzer
    const { stack, bucket } = ownerBucket({ accessAnalyzer: true, delegations: [{ account: CONSUMER_ACCOUNT }] });
    // WHEN the stack is synthesized
    const { id: analyzerId } = onlyResourceOfType(stack, 'AWS::AccessAnalyzer::Analyzer');
    const policyId = stack.resolve((bucket.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).logicalId);
    // THEN the bucket policy depends on the analyzer
    expect(templateOf(stack).Resources[policyId].DependsOn).toContain(analyzerId);
  });

  test('a bucket named by CloudFormation names its analyzer and its rules by reference', () => {
    // GIVEN an environment-agnostic stack and a bucket without a name
    const stack = new Stack(new App(), 'Owner');
    const bucket = new DelegatedBucket(stack, 'Data', { accessAnalyzer: true, delegations: [{ account: CONSUMER_ACCOUNT }] });
    // WHEN the stack is synthesized
    const { resource } = onlyResourceOfType(stack, 'AWS::AccessAnalyzer::Analyzer');
    // THEN the analyzer's name and the rule's resource refer to the bucket
    const id = logicalIdOf(bucket);
    expect(flatten(resource.Properties.AnalyzerName)).toBe(`delegated-bucket-\${${id}}`);
    expect(archiveRulesOf(stack)['delegated-accounts-1'][0]).toEqual({ Property: 'resource', Eq: [{ 'Fn::GetAtt': [id, 'Arn'] }] });
  });

  test.each([
    ['by default', {}],
    ['when accessAnalyzer is false', { accessAnalyzer: false }],
  ])('%s, no analyzer is made', (_title, props) => {
    // GIVEN a delegated bucket without accessAnalyzer
    const { stack } = ownerBucket({ ...props, delegations: [{ account: CONSUMER_ACCOUNT }] });
    // WHEN the stack is synthesized
    // THEN there is no analyzer
    expect(resourcesOfType(stack, 'AWS::AccessAnalyzer::Analyzer')).toEqual([]);
  });
});

describe('one analyzer of type ACCOUNT per account and Region', () => {
  test('two buckets with accessAnalyzer in stacks of the same account and Region fail the synth, each naming the other', () => {
    // GIVEN two owner stacks of one account and Region, each with a bucket with accessAnalyzer
    const { app } = ownerBucket({ accessAnalyzer: true });
    const second = new Stack(app, 'Second', { env: OWNER_ENV });
    new DelegatedBucket(second, 'More', { bucketName: 'test-bucket-2', accessAnalyzer: true });
    // WHEN the app is synthesized
    const message = thrownBy(() => app.synth());
    // THEN both analyzers are reported, with the quota
    expect(message).toMatch(new RegExp(`Owner/Data/AccessAnalyzer[^\\n]*at most one analyzer of type ACCOUNT per Region[^\\n]*Second/More/AccessAnalyzer is one more in account ${OWNER_ACCOUNT} in ${REGION}`));
    expect(message).toMatch(/Second\/More\/AccessAnalyzer[^\n]*Owner\/Data\/AccessAnalyzer is one more/);
  });

  test('two buckets with accessAnalyzer in one environment-agnostic stack fail the synth', () => {
    // GIVEN one stack without an environment and two buckets with accessAnalyzer
    const app = new App();
    const stack = new Stack(app, 'Owner');
    new DelegatedBucket(stack, 'One', { accessAnalyzer: true });
    new DelegatedBucket(stack, 'Two', { accessAnalyzer: true });
    // WHEN the app is synthesized
    // THEN the synth fails on the quota
    expect(thrownBy(() => app.synth())).toMatch(/Owner\/Two\/AccessAnalyzer is one more in its stack/);
  });

  test('an analyzer of type ACCOUNT made apart from the library, in the same stack, fails the synth too', () => {
    // GIVEN a bucket with accessAnalyzer and an analyzer of type ACCOUNT made with the L1 class
    const { app, stack } = ownerBucket({ accessAnalyzer: true });
    new accessanalyzer.CfnAnalyzer(stack, 'Existing', { type: 'ACCOUNT' });
    // WHEN the app is synthesized
    // THEN the bucket's analyzer reports the other one
    expect(thrownBy(() => app.synth())).toMatch(/Owner\/Data\/AccessAnalyzer[^\n]*Owner\/Existing is one more/);
  });

  test('buckets with accessAnalyzer in other Regions or accounts, or next to an analyzer of another type, are fine', () => {
    // GIVEN buckets with accessAnalyzer in two Regions of the owner's account and in another account,
    // and an analyzer of unused access next to the first
    const { app, stack } = ownerBucket({ accessAnalyzer: true });
    new DelegatedBucket(new Stack(app, 'Paris2', { env: { account: OWNER_ACCOUNT, region: 'eu-west-1' } }), 'Data', { bucketName: 'test-bucket-3', accessAnalyzer: true });
    new DelegatedBucket(new Stack(app, 'Other', { env: { account: OTHER_ACCOUNT, region: REGION } }), 'Data', { bucketName: 'test-bucket-4', accessAnalyzer: true });
    new accessanalyzer.CfnAnalyzer(stack, 'Unused', { type: 'ACCOUNT_UNUSED_ACCESS' });
    // WHEN the app is synthesized
    // THEN nothing is reported
    expect(thrownBy(() => app.synth())).toBe('');
  });
});

describe('policy as code: the features bring no finding of their own', () => {
  /** GIVEN an app whose owner bucket has both features, a KMS key and a delegation, checked by `plugin`. */
  function checkedApp(plugin: 'nag' | 'guard', props: DelegatedBucketProps): App {
    const app = new App();
    Validations.of(app).addPlugins(plugin === 'nag' ? new AwsSolutionsChecks(app) : new CfnGuardValidator());
    const { bucket } = ownerBucket({ encryption: s3.BucketEncryption.KMS, ...props }, app);
    bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ });
    return app;
  }

  test('cdk-nag AwsSolutions reports nothing with requesterPays and accessAnalyzer', () => {
    // WHEN the app is synthesized with cdk-nag
    const findings = validationFindings(checkedApp('nag', { requesterPays: true, accessAnalyzer: true }));
    // THEN there is no finding
    expect(findings).toEqual([]);
  });

  test('the provider function\'s inherent findings are acknowledged next to it, with reasons', () => {
    // GIVEN a bucket with requesterPays
    const { stack } = ownerBucket({ requesterPays: true });
    // WHEN the acknowledgements on the provider function are read
    const provider = stack.node.findChild(PROVIDER_ID);
    const acknowledged = Object.assign({}, ...provider.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => m.data as Record<string, string>));
    // THEN the basic execution role (IAM4) and the runtime (L1) are acknowledged with their reasons
    expect(Object.keys(acknowledged).map((id) => id.replace(/^annotation::/i, '')).sort()).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
    ]);
    Object.values(acknowledged).forEach((reason) => expect(reason).toMatch(/AwsCustomResource provider/));
  });

  test('the check can fail: cdk-nag reports the same custom resource made without the library', () => {
    // GIVEN an AwsCustomResource like the library's, made directly
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Plain', { env: OWNER_ENV });
    new cr.AwsCustomResource(stack, 'RequesterPays', {
      onCreate: { service: 'S3', action: 'putBucketRequestPayment', parameters: { Bucket: BUCKET_NAME }, physicalResourceId: cr.PhysicalResourceId.of(BUCKET_NAME) },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [BUCKET_ARN] }),
      installLatestAwsSdk: false,
    });
    // WHEN the app is synthesized with cdk-nag
    // THEN the two findings the library acknowledges are reported
    expect(validationFindings(app)).toEqual([
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] at Plain/${PROVIDER_ID}/ServiceRole/Resource`,
      `AwsSolutions-L1 at Plain/${PROVIDER_ID}/Resource`,
    ]);
  });

  test('the Control Tower S3 controls report the same with and without the features', () => {
    // GIVEN the same app with and without requesterPays and accessAnalyzer
    const s3Findings = (props: DelegatedBucketProps) => validationFindings(checkedApp('guard', props)).filter((f) => f.startsWith('s3_'));
    // WHEN each is checked with cfn-guard
    const without = s3Findings({});
    // THEN the features change no S3 finding
    expect(s3Findings({ requesterPays: true, accessAnalyzer: true })).toEqual(without);
    expect(without.length).toBeGreaterThan(0);
  });
});

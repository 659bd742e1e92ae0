/**
 * Policy as code over every test app: cdk-nag's AwsSolutions pack and the AWS Control Tower
 * proactive controls for S3, run by cfn-guard (@cdklabs/cdk-validator-cfnguard).
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildMesh } from './support/mesh-app';
import { validationFindings } from './support/validation-report';
import { createSampleApp } from '../sample/sample-app';

/**
 * Control Tower S3 rules that do not apply to a data-sharing bucket, and why. Every other
 * bundled rule runs.
 */
const RULES_TURNED_OFF: Record<string, string> = {
  // CT.S3.PR.9: Object Lock makes objects write-once; it cannot be turned off once on, and a shared
  // dataset that owners correct or withdraw must not be write-once by default.
  'ct-s3-pr-9': 'Object Lock is a retention decision for the data owner, not a default of a sharing bucket',
  // CT.S3.PR.4: event notifications need a destination (queue, topic, function or EventBridge) that
  // the owner chooses; `bucket.bucket.addEventNotification()` adds one.
  'ct-s3-pr-4': 'notifications need a destination the owner chooses',
};

/**
 * Findings that stand for a reason on one resource: the rule runs for every other resource.
 */
const EXPECTED_FINDINGS: Record<string, string> = {
  // Logging the access log bucket into itself would loop; it is acknowledged for cdk-nag S1 too.
  's3_bucket_logging_enabled_check at SampleOwner/MarketingData/AccessLogs/Resource': 'the log bucket does not log itself',
  // Log delivery writes with SSE-S3 only, so the log bucket cannot use KMS.
  's3_bucket_default_encryption_kms_check at SampleOwner/MarketingData/AccessLogs/Resource': 'S3 log delivery supports SSE-S3 only',
  // The sample reproduces the blog, which uses SSE-S3; the mesh app proves the KMS path passes.
  's3_bucket_default_encryption_kms_check at SampleOwner/MarketingData/Resource/Resource': 'the blog scenario uses SSE-S3',
  's3_bucket_logging_enabled_check at MeshOwner/Mesh/AccessLogs/Resource': 'the log bucket does not log itself',
  's3_bucket_default_encryption_kms_check at MeshOwner/Mesh/AccessLogs/Resource': 'S3 log delivery supports SSE-S3 only',
};

function appWith(plugin: 'nag' | 'guard'): App {
  const app = new App();
  Validations.of(app).addPlugins(plugin === 'nag'
    ? new AwsSolutionsChecks(app)
    : new CfnGuardValidator({ disabledRules: Object.keys(RULES_TURNED_OFF) }));
  return app;
}

const TEST_APPS: Record<string, (app: App) => void> = {
  'the sample app': (app) => createSampleApp(app),
  'the KMS data mesh': (app) => buildMesh(app),
};

describe.each(Object.entries(TEST_APPS))('%s', (_name, build) => {
  test('has no cdk-nag AwsSolutions finding', () => {
    const app = appWith('nag');
    build(app);
    expect(validationFindings(app)).toEqual([]);
  });

  test('passes every Control Tower S3 control that applies', () => {
    const app = appWith('guard');
    build(app);
    // Only the S3 controls are in scope here (rule names s3_*); the bundle also checks IAM, KMS and others.
    const s3Findings = validationFindings(app).filter((f) => f.startsWith('s3_'));
    expect(s3Findings.filter((f) => !(f in EXPECTED_FINDINGS))).toEqual([]);
  });
});

describe('the checks can fail', () => {
  test('cdk-nag reports a plain bucket without server access logs or TLS', () => {
    const app = appWith('nag');
    new s3.Bucket(new Stack(app, 'Careless'), 'Unlogged');
    expect(validationFindings(app)).toEqual([
      'AwsSolutions-S1 at Careless/Unlogged/Resource',
      'AwsSolutions-S10 at Careless/Unlogged/Resource',
    ]);
  });

  test('the log bucket passes cdk-nag S1 only by an acknowledgement with a reason, next to it', () => {
    const app = appWith('nag');
    const { owner } = createSampleApp(app);
    const logBucket = owner.bucket.node.findChild('AccessLogs');
    const acknowledged = logBucket.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(acknowledged)).toMatch(/AwsSolutions-S1.*logging it into itself would loop/);
  });

  test('cfn-guard reports a bucket without versioning, logging or lifecycle', () => {
    const app = appWith('guard');
    new s3.Bucket(new Stack(app, 'Careless'), 'Plain');
    expect(validationFindings(app)).toEqual(expect.arrayContaining([
      's3_bucket_logging_enabled_check at Careless/Plain/Resource',
      's3_bucket_versioning_enabled_check at Careless/Plain/Resource',
      's3_lifecycle_policy_check at Careless/Plain/Resource',
    ]));
  });

  test('cfn-guard reports an access point with Block Public Access off (CT.S3.PR.12)', () => {
    const app = appWith('guard');
    new s3.CfnAccessPoint(new Stack(app, 'Careless'), 'OpenAccessPoint', {
      bucket: 'some-bucket',
      publicAccessBlockConfiguration: { blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false },
    });
    expect(validationFindings(app)).toContain('s3_access_point_public_access_prohibited_check at Careless/OpenAccessPoint');
  });

  test('each expected finding is still produced, so none of them hides a fixed problem', () => {
    const app = appWith('guard');
    Object.values(TEST_APPS).forEach((build) => build(app));
    const findings = validationFindings(app);
    expect(Object.keys(EXPECTED_FINDINGS).filter((f) => !findings.includes(f))).toEqual([]);
  });
});

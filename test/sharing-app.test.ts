/**
 * A sharing manifest as a CDK app: `cdk synth --app "npx cdk-cross-account-access-points app sharing.json"`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runCommand } from '../src/cli';
import { oversized } from './support/manifests';
import { SharingManifest } from '../src/private/manifest';
import { MAX_ACCESS_POINTS_PER_STACK, buildSharingStacks } from '../src/private/sharing-app';

const SAMPLE = join(__dirname, '..', 'sample', 'sharing.json');
const sample = (): SharingManifest => JSON.parse(readFileSync(SAMPLE, 'utf8'));

describe('the stacks of a manifest', () => {
  test('an owner stack per dataset and a consumer stack per account and Region, each with a concrete environment', () => {
    // GIVEN the sample: one dataset, three subscribers in eu-west-3
    const app = new App();
    const { owners, consumers } = buildSharingStacks(app, sample());
    // THEN the stacks and their environments are the manifest's
    expect(owners.map((s) => [s.node.id, s.account, s.region])).toEqual([['Owner-marketing-data', '123456789010', 'eu-west-3']]);
    expect(consumers.map((s) => [s.node.id, s.account, s.region])).toEqual([
      ['Consumer-111122223333-eu-west-3', '111122223333', 'eu-west-3'],
      ['Consumer-444455556666-eu-west-3', '444455556666', 'eu-west-3'],
      ['Consumer-555566667777-eu-west-3', '555566667777', 'eu-west-3'],
    ]);
    // AND the blog's access point is on the owner's bucket, with Jane's grant
    const jane = Template.fromStack(consumers[0]);
    jane.hasResourceProperties('AWS::S3::AccessPoint', { Name: 'janes-researchdata-access-point', Bucket: 'test-bucket-1', BucketAccountId: '123456789010' });
    expect(JSON.stringify(jane.toJSON())).toContain('arn:aws:iam::111122223333:user/Jane');
    // AND the partner's access point has VPC origin
    Template.fromStack(consumers[1]).hasResourceProperties('AWS::S3::AccessPoint', { VpcConfiguration: { VpcId: 'vpc-0a1b2c3d4e5f67890' } });
  });

  test('a dataset without delegations delegates exactly what its subscriptions need, named to their access points', () => {
    const manifest = sample();
    const app = new App();
    const { owners } = buildSharingStacks(app, { ...manifest, datasets: [{ ...manifest.datasets[0], delegations: undefined }] });
    const policy = JSON.stringify(Template.fromStack(owners[0]).findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('arn:aws:s3:eu-west-3:111122223333:accesspoint/janes-researchdata-access-point');
    expect(() => app.synth()).not.toThrow();
  });

  test(`more than ${MAX_ACCESS_POINTS_PER_STACK} access points of one account and Region go to further stacks, below 500 resources each`, () => {
    // GIVEN one account subscribing with 460 access points
    const manifest = sample();
    const many = Array.from({ length: 460 }, (_, i) => ({ ...manifest.subscriptions![0], accessPointName: `reader-${i}` }));
    const app = new App();
    const { consumers } = buildSharingStacks(app, { ...manifest, subscriptions: many });
    // THEN two stacks share them, each well below CloudFormation's 500 resources
    expect(consumers.map((s) => s.node.id)).toEqual(['Consumer-111122223333-eu-west-3', 'Consumer-111122223333-eu-west-3-2']);
    const counts = consumers.map((s) => Object.keys(Template.fromStack(s).toJSON().Resources).length);
    expect(counts[0]).toBeLessThan(500);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(460);
  });

  test('requesterPays and accessAnalyzer reach the owner\'s bucket: a custom resource and an analyzer', () => {
    const manifest = sample();
    const dataset = { ...manifest.datasets[0], requesterPays: true, accessAnalyzer: true };
    const { owners } = buildSharingStacks(new App(), { ...manifest, datasets: [dataset] });
    const template = Template.fromStack(owners[0]);
    template.resourceCountIs('Custom::S3BucketRequesterPays', 1);
    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
  });

  test('without them, neither is made', () => {
    const { owners } = buildSharingStacks(new App(), sample());
    const template = Template.fromStack(owners[0]);
    template.resourceCountIs('Custom::S3BucketRequesterPays', 0);
    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 0);
  });
});

describe('app MANIFEST', () => {
  const withOutdir = (outdir: string, run: () => number): number => {
    const previous = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = outdir;
    try {
      return run();
    } finally {
      if (previous === undefined) {
        delete process.env.CDK_OUTDIR;
      } else {
        process.env.CDK_OUTDIR = previous;
      }
    }
  };

  test('writes the cloud assembly where the CDK CLI says (CDK_OUTDIR)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'assembly-'));
    const err: string[] = [];
    const code = withOutdir(outdir, () => runCommand(['app', SAMPLE], { out: () => undefined, err: (l) => err.push(l) }));
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const artifacts = Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).artifacts);
    expect(artifacts).toEqual(expect.arrayContaining(['Owner-marketing-data', 'Consumer-111122223333-eu-west-3']));
  });

  test('a manifest whose policies do not fit writes nothing: exit 1 and the problems at their paths in the document', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'assembly-'));
    const file = join(outdir, 'sharing.json');
    writeFileSync(file, JSON.stringify(oversized()));
    const err: string[] = [];
    const code = withOutdir(outdir, () => runCommand(['app', file], { out: () => undefined, err: (l) => err.push(l) }));
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^datasets\[0\]: .*bucket policy/), expect.stringMatching(/^subscriptions\[0\]: .*access point policy/)]);
    expect(() => readFileSync(join(outdir, 'manifest.json'))).toThrow();
  });

  test('an invalid manifest builds nothing: exit 1 and its problems', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'assembly-'));
    const err: string[] = [];
    const code = withOutdir(outdir, () => runCommand(['app', join(__dirname, '..', 'package.json')], { out: () => undefined, err: (l) => err.push(l) }));
    expect(code).toBe(1);
    expect(err.length).toBeGreaterThan(0);
    expect(() => readFileSync(join(outdir, 'manifest.json'))).toThrow();
  });
});

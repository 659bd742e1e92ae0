/*
 * The access report (`report CDK_OUT`): who can reach what in a synthesized cloud assembly. The
 * effective access is computed from both layers; this file checks it against the independent
 * evaluator of the test suite, and checks each kind of finding.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions } from '../src';
import { runCommand } from '../src/cli';
import { evaluateThroughAccessPoint } from './support/access-evaluator';
import { CONSUMER_ACCOUNT, CONSUMER_ENV, JANE, OWNER_ACCOUNT, OWNER_ENV, REGION } from './support/fixtures';
import { accessPointModels, delegatedBucketModel } from './support/template-models';
import { AccessReport, analyzeAssembly } from '../src/private/report/analyze';
import { renderMermaid } from '../src/private/report/render';

const PARTNER = '444455556666';
const ORGANIZATION = 'o-a1b2c3d4e5';
const CURATORS = `arn:aws:iam::${CONSUMER_ACCOUNT}:role/Curators`;
const UPLOADER = `arn:aws:iam::${PARTNER}:role/Uploader`;
const TAGS = { classification: 'public' };

interface Marketplace {
  readonly directory: string;
  readonly report: AccessReport;
  readonly owner: Stack;
  readonly consumers: Stack[];
}

/**
 * The owner's bucket with four delegations, two consumers that keep within them, one that reaches
 * beyond (it describes the bucket without the owner's delegations, so nothing stopped it at synth),
 * one careless access point written as an L1, and one on a bucket of an app not in the assembly.
 */
function marketplace(): Marketplace {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-')) });
  const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
  const bucket = new DelegatedBucket(owner, 'Data', { bucketName: 'test-bucket-1' });
  bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ, prefixes: ['ResearchData'] });
  bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ_WRITE, prefixes: ['Curated'], objectTags: TAGS });
  bucket.delegateTo(PARTNER, { actions: S3Actions.READ_WRITE, prefixes: ['Uploads/Partner'], networkOrigin: NetworkOrigin.VPC });
  bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });

  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const janes = new CrossAccountAccessPoint(consumer, 'Janes', { bucket, accessPointName: 'janes-researchdata-access-point' });
  janes.grantRead(new iam.ArnPrincipal(JANE), { prefixes: ['ResearchData'] });
  janes.grantReadWrite(new iam.ArnPrincipal(CURATORS), { prefixes: ['Curated'], objectTags: TAGS });

  const partner = new Stack(app, 'Partner', { env: { account: PARTNER, region: REGION } });
  const vpc = ec2.Vpc.fromVpcAttributes(partner, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f67890', availabilityZones: [`${REGION}a`] });
  new CrossAccountAccessPoint(partner, 'Uploads', { bucket, accessPointName: 'partner-uploads', vpc })
    .grantWrite(new iam.ArnPrincipal(UPLOADER), { prefixes: ['Uploads/Partner'] });

  const unchecked = new Stack(app, 'Unchecked', { env: CONSUMER_ENV });
  const described = DelegatedBucket.fromDelegatedBucketAttributes(unchecked, 'Owners', { bucketName: 'test-bucket-1', account: OWNER_ACCOUNT, region: REGION });
  new CrossAccountAccessPoint(unchecked, 'Overreach', { bucket: described, accessPointName: 'overreach' })
    .grantReadWrite(new iam.ArnPrincipal(JANE), { prefixes: ['Everything'] });
  const elsewhere = DelegatedBucket.fromDelegatedBucketAttributes(unchecked, 'Elsewhere', { bucketName: 'other-bucket', account: '777788889999', region: REGION });
  new CrossAccountAccessPoint(unchecked, 'Other', { bucket: elsewhere, accessPointName: 'other-data' }).grantRead(new iam.ArnPrincipal(JANE));

  const careless = new Stack(app, 'Careless', { env: CONSUMER_ENV });
  new s3.CfnAccessPoint(careless, 'Open', {
    bucket: 'test-bucket-1',
    bucketAccountId: OWNER_ACCOUNT,
    name: 'open-to-all',
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false },
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/open-to-all/object/*` }],
    },
  });
  const directory = app.synth().directory;
  return { directory, report: analyzeAssembly(directory), owner, consumers: [consumer, partner, unchecked, careless] };
}

let world: Marketplace;
beforeAll(() => {
  world = marketplace();
});

describe('what the report reads from the assembly', () => {
  test('the delegating bucket and its delegations, one row per scope and restriction', () => {
    expect(world.report.buckets).toEqual([{
      name: 'test-bucket-1',
      account: OWNER_ACCOUNT,
      region: REGION,
      stack: 'Owner',
      encryption: 'SSE-S3',
      delegations: expect.arrayContaining([
        { trustee: CONSUMER_ACCOUNT, kind: 'account', actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], prefixes: ['ResearchData/'], objectTags: {}, conditions: [] },
        { trustee: CONSUMER_ACCOUNT, kind: 'account', actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], prefixes: ['Curated/'], objectTags: TAGS, conditions: [] },
        expect.objectContaining({ trustee: PARTNER, prefixes: ['Uploads/Partner/'], conditions: ['network origin VPC'] }),
        expect.objectContaining({ trustee: ORGANIZATION, kind: 'organization', prefixes: ['Public/'] }),
      ]),
    }]);
  });

  test('every access point, with its account, bucket, network origin, Block Public Access and grants', () => {
    const byName = Object.fromEntries(world.report.accessPoints.map((a) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual(['janes-researchdata-access-point', 'open-to-all', 'other-data', 'overreach', 'partner-uploads']);
    expect(byName['partner-uploads']).toMatchObject({ account: PARTNER, bucketName: 'test-bucket-1', bucketAccount: OWNER_ACCOUNT, networkOrigin: 'VPC', blockPublicAccess: 'all on' });
    expect(byName['open-to-all'].blockPublicAccess).toBe('off: BlockPublicPolicy, RestrictPublicBuckets');
    expect(byName['janes-researchdata-access-point'].grants).toContainEqual({
      principals: [JANE], actions: ['s3:GetObject', 's3:GetObjectVersion'], prefixes: ['ResearchData/'], conditions: [],
    });
  });
});

describe('effective access: what both layers allow', () => {
  test('each principal, through each access point, gets what the grant and the delegation both allow', () => {
    const rows = world.report.effectiveAccess.map((e) => [e.principal, e.accessPoint.split('/')[1], e.prefix, e.actions.join(','), e.objectTags ?? null]);
    expect(rows.sort()).toEqual([
      [CURATORS, 'janes-researchdata-access-point', 'Curated/', 's3:DeleteObject,s3:AbortMultipartUpload,s3:ListBucket', null],
      [CURATORS, 'janes-researchdata-access-point', 'Curated/', 's3:GetObject,s3:GetObjectVersion,s3:PutObject', TAGS],
      [JANE, 'janes-researchdata-access-point', 'ResearchData/', 's3:GetObject,s3:GetObjectVersion,s3:ListBucket', null],
      [UPLOADER, 'partner-uploads', 'Uploads/Partner/', 's3:PutObject,s3:DeleteObject,s3:AbortMultipartUpload', null],
    ].sort());
  });

  test('the independent evaluator allows every effective access the report lists, and denies every grant it reports beyond the delegation', () => {
    const bucket = delegatedBucketModel(world.owner);
    const accessPoints = world.consumers.flatMap((c) => accessPointModels(c));
    const through = (principal: string, accessPoint: string, action: string, prefix: string, tags?: Record<string, string>) => {
      const ap = accessPoints.find((a) => accessPoint.endsWith(`/${a.name}`))!;
      const list = action === 's3:ListBucket';
      const context = Object.fromEntries(Object.entries(tags ?? {}).flatMap(([k, v]) => [[`s3:ExistingObjectTag/${k}`, v], [`s3:RequestObjectTag/${k}`, v]]));
      return evaluateThroughAccessPoint({ principal, action, ...(list ? { prefix } : { key: `${prefix}data.csv` }), context }, ap, bucket);
    };
    const checked = world.report.effectiveAccess
      .flatMap((e) => e.actions.map((action) => through(e.principal, e.accessPoint, action, e.prefix, e.objectTags)));
    expect(checked.length).toBeGreaterThan(10);
    expect(checked.filter((d) => !d.allowed)).toEqual([]);

    const beyond = world.report.findings.filter((f) => f.kind === 'grant-beyond-delegation');
    expect(beyond.length).toBeGreaterThan(0);
    for (const finding of beyond) {
      const [, action] = /lets \S+ (s3:\w+) /.exec(finding.message)!;
      expect(through(JANE, 'accesspoint/overreach', action, 'Everything/').allowed).toBe(false);
    }
  });

  test('every access the independent evaluator allows to a grantee, under its grants\' prefixes or the whole bucket, is in the report', () => {
    const bucket = delegatedBucketModel(world.owner);
    const missing: string[] = [];
    let allowed = 0;
    for (const ap of world.consumers.flatMap((c) => accessPointModels(c))) {
      const found = world.report.accessPoints.find((a) => a.name === ap.name)!;
      if (found.bucketName !== 'test-bucket-1') {
        continue;
      }
      for (const principal of new Set(found.grants.flatMap((g) => g.principals).filter((p) => p !== '*'))) {
        const prefixes = new Set(['', ...found.grants.flatMap((g) => g.prefixes)]);
        for (const prefix of prefixes) {
          for (const action of S3Actions.READ_WRITE.actions) {
            const list = action === 's3:ListBucket';
            const request = { principal, action, ...(list ? (prefix ? { prefix } : {}) : { key: `${prefix}data.csv` }) };
            const tagged = Object.fromEntries(Object.entries(TAGS).flatMap(([k, v]) => [[`s3:ExistingObjectTag/${k}`, v], [`s3:RequestObjectTag/${k}`, v]]));
            const oracle = (context?: Record<string, string>) => evaluateThroughAccessPoint({ ...request, context }, ap, bucket).allowed;
            if (!oracle() && !oracle(tagged)) {
              continue;
            }
            allowed += 1;
            const listed = world.report.effectiveAccess.some((e) => e.principal === principal && e.accessPoint.endsWith(`/${ap.name}`)
              && prefix.startsWith(e.prefix) && e.actions.includes(action));
            if (!listed) {
              missing.push(`${principal} ${action} ${prefix || '(whole bucket)'} through ${ap.name}`);
            }
          }
        }
      }
    }
    expect(allowed).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe('effective access on the forms a hand-written policy takes', () => {
  /** A KMS bucket delegating READ of the whole bucket to the consumer, and an access point written as an L1. */
  function handWritten(): AccessReport {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-hand-')) });
    const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
    new DelegatedBucket(owner, 'Data', { bucketName: 'kms-bucket-1', encryption: s3.BucketEncryption.KMS, delegations: [{ account: CONSUMER_ACCOUNT }] });
    const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const arn = `arn:aws:s3:${REGION}:${CONSUMER_ACCOUNT}:accesspoint/hand-written`;
    new s3.CfnAccessPoint(consumer, 'Hand', {
      bucket: 'kms-bucket-1',
      bucketAccountId: OWNER_ACCOUNT,
      name: 'hand-written',
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: JANE }, Action: 's3:ListBucket', Resource: arn, Condition: { StringLikeIfExists: { 's3:prefix': 'ResearchData/*' } } },
          { Effect: 'Allow', Principal: { AWS: JANE }, NotAction: ['s3:Put*', 's3:Delete*', 's3:AbortMultipartUpload', 's3:List*', 's3:Restore*'], Resource: `${arn}/object/*` },
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:role/Outsider` }, Action: 's3:GetObject', Resource: `${arn}/object/*` },
        ],
      },
    });
    return analyzeAssembly(app.synth().directory);
  }

  test('listing without a prefix (IfExists), NotAction grants, and a key that other accounts cannot use', () => {
    const report = handWritten();
    const access = report.effectiveAccess.map((e) => [e.principal.split(':').pop(), e.prefix, [...e.actions].sort().join(',')]);
    expect(access).toEqual([['user/Jane', '', 's3:GetObject,s3:GetObjectVersion,s3:ListBucket']]);
    expect(report.findings.filter((f) => f.kind === 'key-denies').map((f) => f.message)).toEqual([
      `Access point hand-written (account ${CONSUMER_ACCOUNT}) lets arn:aws:iam::${PARTNER}:role/Outsider s3:GetObject on the whole bucket, ` +
        `and bucket kms-bucket-1 delegates it, but the bucket's KMS key does not let account ${PARTNER} use it: AWS denies it`,
    ]);
    expect(report.buckets[0].encryption).toBe('aws:kms with a customer-managed key');
  });
});

describe('effective access through an organization', () => {
  test('an access point of an account delegated only through its organization reaches what the organization may, only if the account is a member', () => {
    const member = '555566667777';
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-org-')) });
    const bucket = new DelegatedBucket(new Stack(app, 'Owner', { env: OWNER_ENV }), 'Data', { bucketName: 'test-bucket-1' });
    bucket.delegateToOrganization(ORGANIZATION, { prefixes: ['Public'] });
    const consumer = new Stack(app, 'Member', { env: { account: member, region: REGION } });
    new CrossAccountAccessPoint(consumer, 'Reader', { bucket, accessPointName: 'member-reader' })
      .grantRead(new iam.ArnPrincipal(`arn:aws:iam::${member}:role/Reader`), { prefixes: ['Public'] });

    const report = analyzeAssembly(app.synth().directory);
    expect(report.effectiveAccess).toEqual([expect.objectContaining({
      principal: `arn:aws:iam::${member}:role/Reader`, prefix: 'Public/', organization: ORGANIZATION,
    })]);
    expect(report.findings).toEqual([]);
  });
});

describe('findings', () => {
  const messages = (kind: string) => world.report.findings.filter((f) => f.kind === kind).map((f) => f.message);

  test('grants beyond the delegation: one per action the owner does not allow there', () => {
    expect(messages('grant-beyond-delegation').sort()).toEqual([
      's3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject',
    ].map((action) => `Access point overreach (account ${CONSUMER_ACCOUNT}) lets ${JANE} ${action} under Everything/, which bucket test-bucket-1 does not delegate: AWS denies it`));
  });

  test('a delegation no access point uses', () => {
    expect(messages('unused-delegation')).toEqual([expect.stringMatching(new RegExp(`under Public/ to organization ${ORGANIZATION}, and no access point in this assembly uses it`))]);
  });

  test('a public access point policy, and Block Public Access off', () => {
    expect(messages('public-access-point-policy')).toEqual([expect.stringMatching(/^Access point open-to-all .* allows s3:GetObject to any principal/)]);
    expect(messages('block-public-access-off')).toEqual([expect.stringMatching(/^Access point open-to-all .*off: BlockPublicPolicy, RestrictPublicBuckets/)]);
  });

  test('an access point on a bucket the assembly does not contain', () => {
    expect(messages('bucket-not-in-assembly')).toEqual([expect.stringMatching(/^Access point other-data .* bucket other-bucket of account 777788889999, which this assembly does not contain/)]);
  });

  test('the sample has no finding', () => {
    const result = run('report', sampleAssembly(), '--json');
    expect(JSON.parse(result.out.join('\n')).findings).toEqual([]);
  });
});

describe('the diagram', () => {
  test('the bucket, the access points in their accounts, the delegations and the principals, each once', () => {
    const diagram = renderMermaid(world.report);
    expect(diagram.split('\n')[0]).toBe('flowchart LR');
    expect(diagram).toContain('bucket0[("test-bucket-1")]');
    expect(diagram.match(/\{\{"[^"]+"\}\}/g)?.sort()).toEqual(['{{"janes-researchdata-access-point"}}', '{{"open-to-all"}}', '{{"other-data"}}', '{{"overreach"}}', '{{"partner-uploads"}}']);
    expect(diagram).toMatch(/trustee0x\d+\["organization o-a1b2c3d4e5"\]/);
    expect(diagram).toMatch(/-- "GetObject, GetObjectVersion, ListBucket under ResearchData\/" --> ap\d/);
    expect(diagram).toContain('other-bucket (not in this assembly)');
  });
});

/** Run the command; return its exit code and what it wrote. */
function run(...args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function sampleAssembly(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createSampleApp } = require('../sample/sample-app');
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-sample-')) });
  createSampleApp(app);
  return app.synth().directory;
}

describe('report CDK_OUT', () => {
  test('Markdown by default: the sections and the diagram', () => {
    const result = run('report', world.directory);
    expect(result.code).toBe(0);
    const markdown = result.out.join('\n');
    for (const heading of ['# Access report', '## Diagram', '```mermaid', '## Bucket test-bucket-1 (account 123456789010, eu-west-3)', '## Access points', '## Effective access', '## Findings']) {
      expect(markdown).toContain(heading);
    }
  });

  test('--json: the whole report as data', () => {
    const result = run('report', world.directory, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toEqual(JSON.parse(JSON.stringify(world.report)));
  });

  test('--html: one page that loads nothing from elsewhere and carries Mermaid and the diagram', () => {
    const html = run('report', world.directory, '--html').out.join('\n');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.match(/<script>/g)).toHaveLength(2);
    expect(markup).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).toContain('<pre class="mermaid">\nflowchart LR');
    expect(html).toMatch(/mermaid\.initialize\(/);
    expect(html.length).toBeGreaterThan(1_000_000);
  });

  test('a directory that is not a cloud assembly: exit 1, naming it', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'not-an-assembly-'));
    const result = run('report', directory);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(/is not a cloud assembly: .*manifest\.json does not exist/)]);
  });

  test('an unknown format: exit 2 and the usage', () => {
    expect(run('report', world.directory, '--pdf').code).toBe(2);
  });
});

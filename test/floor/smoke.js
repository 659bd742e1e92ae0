#!/usr/bin/env node
/*
 * The peer-floor smoke test (run by .ci/run): the packed package, installed apart from the repository
 * with each peer dependency at the lowest version its range allows, builds the sample and synthesizes.
 *
 *   cd DIR_WITH_THE_INSTALL && node REPO/test/floor/smoke.js REPO/sample/sharing.json
 *
 * Plain JavaScript, and every package is resolved from the current directory (the install under test),
 * never from the repository's node_modules. Exits non-zero when anything fails.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const need = require('module').createRequire(path.join(process.cwd(), 'smoke.js'));
const cdk = need('aws-cdk-lib');
const iam = need('aws-cdk-lib/aws-iam');
const lib = need('cdk-cross-account-access-points');

const manifestFile = path.resolve(process.argv[2] ?? 'sample/sharing.json');
const versions = ['aws-cdk-lib', 'constructs', 'cdk-nag']
  .flatMap((name) => { try { return [`${name} ${need(`${name}/package.json`).version}`]; } catch { return []; } });
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const resources = (template, type) => Object.values(template.Resources ?? {}).filter((r) => r.Type === type);

// 1. The sample app (sample/sample-app.ts): the blog's owner and consumer stacks, plus a bucket with
//    the optional features, whose code paths use the newest aws-cdk-lib APIs (Validations, AwsCustomResource).
const app = new cdk.App({ outdir: fs.mkdtempSync(path.join(process.cwd(), 'cdk.out-')) });
const region = 'eu-west-3';
const owner = new cdk.Stack(app, 'SampleOwner', { env: { account: '123456789010', region } });
const bucket = new lib.DelegatedBucket(owner, 'MarketingData', {
  bucketName: 'test-bucket-1',
  delegations: [{ account: '111122223333', actions: lib.S3Actions.READ, prefixes: ['ResearchData/'] }],
});
new lib.DelegatedBucket(owner, 'Paid', { bucketName: 'test-bucket-2', requesterPays: true, accessAnalyzer: true })
  .delegateTo('111122223333', { prefixes: ['Paid'] });
const consumer = new cdk.Stack(app, 'SampleConsumer', { env: { account: '111122223333', region } });
const accessPoint = new lib.CrossAccountAccessPoint(consumer, 'JanesAccessPoint', {
  bucket,
  accessPointName: 'janes-researchdata-access-point',
});
accessPoint.grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:user/Jane'), { prefixes: ['ResearchData/'] });
accessPoint.addOutputs();

// With cdk-nag installed (a peer dependency), cdk-nag's AwsSolutions pack and the library's own pack
// run as validation plugins: the sample has no finding, so a failed validation is a failure here.
let nag;
try { nag = need('cdk-nag'); } catch { nag = undefined; }
if (nag) {
  cdk.Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  if (lib.CrossAccountAccessPointsChecks) {
    cdk.Validations.of(app).addPlugins(new lib.CrossAccountAccessPointsChecks(app));
  }
}

let assembly;
try {
  assembly = app.synth();
} catch (error) {
  failures.push(`synth threw: ${String(error.message).split('\n')[0]}`);
}
if (process.exitCode) {
  // aws-cdk-lib before 2.262 reports failed validations through the exit code rather than by throwing.
  failures.push(`synth set exit code ${process.exitCode} (failed validation?)`);
}
if (assembly) {
  for (const stack of assembly.stacks) {
    for (const [at, entries] of Object.entries(stack.manifest.metadata ?? {})) {
      entries.filter((e) => e.type === 'aws:cdk:error').forEach((e) => failures.push(`error at ${at}: ${e.data}`));
    }
  }
  const ownerTemplate = assembly.getStackByName('SampleOwner').template;
  const consumerTemplate = assembly.getStackByName('SampleConsumer').template;
  check(JSON.stringify(resources(ownerTemplate, 'AWS::S3::BucketPolicy')).includes('s3:DataAccessPointAccount'),
    'owner: no bucket policy delegates to access points (s3:DataAccessPointAccount)');
  check(resources(ownerTemplate, 'Custom::S3BucketRequesterPays').length === 1, 'owner: no requester-pays custom resource');
  check(resources(ownerTemplate, 'AWS::AccessAnalyzer::Analyzer').length === 1, 'owner: no access analyzer');
  const accessPoints = resources(consumerTemplate, 'AWS::S3::AccessPoint');
  check(accessPoints.length === 1 && accessPoints[0].Properties?.Policy, 'consumer: no access point with a policy');
}

// 2. The package's command, as the CDK CLI runs it: the sample manifest as an app, into CDK_OUTDIR.
const commandOut = fs.mkdtempSync(path.join(process.cwd(), 'command.out-'));
try {
  execFileSync(process.execPath, [need.resolve('cdk-cross-account-access-points/lib/cli.js'), 'app', manifestFile],
    { env: { ...process.env, CDK_OUTDIR: commandOut }, stdio: ['ignore', 'inherit', 'inherit'] });
  const artifacts = JSON.parse(fs.readFileSync(path.join(commandOut, 'manifest.json'), 'utf8')).artifacts ?? {};
  const stacks = Object.values(artifacts).filter((a) => a.type === 'aws:cloudformation:stack').length;
  check(stacks >= 2, `command: ${stacks} stacks synthesized from ${manifestFile}`);
} catch (error) {
  failures.push(`command failed: ${String(error.message).split('\n')[0]}`);
}

if (failures.length > 0) {
  console.error(`Floor smoke test FAILED with ${versions.join(', ')}:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`Floor smoke test passed with ${versions.join(', ')}${nag ? ' (cdk-nag packs clean)' : ''}.`);

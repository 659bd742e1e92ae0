/**
 * A sharing manifest as CDK Stages, deployed by a CDK Pipeline: the owner first, then a wave that
 * deploys every consumer account in parallel. Synthesized offline.
 */
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { SharingStages } from '../src';

const SAMPLE = join(__dirname, '..', 'sample', 'sharing.json');

describe('SharingStages', () => {
  test('an owner stage per owner account and Region, a consumer stage per subscribing account and Region', () => {
    const sharing = SharingStages.fromFile(new App(), 'Sharing', SAMPLE);
    expect(sharing.ownerStages.map((s) => [s.node.id, s.account, s.region])).toEqual([['Owner-123456789010-eu-west-3', '123456789010', 'eu-west-3']]);
    expect(sharing.consumerStages.map((s) => s.node.id)).toEqual([
      'Consumer-111122223333-eu-west-3', 'Consumer-444455556666-eu-west-3', 'Consumer-555566667777-eu-west-3',
    ]);
  });

  test('an invalid manifest builds nothing and lists every problem with its path', () => {
    const app = new App();
    expect(() => SharingStages.fromJson(app, 'Sharing', JSON.stringify({ version: 1, datasets: [{ name: 'x' }] })))
      .toThrow(/^Sharing: the sharing manifest is not valid:\n {2}datasets\[0\]\.account: /);
  });

  test('a CDK Pipeline deploys the owner stage, then all consumer stages in one wave', () => {
    // GIVEN a pipeline in a tooling account, and the sample manifest's stages
    const app = new App();
    const tooling = new Stack(app, 'Pipeline', { env: { account: '999988887777', region: 'eu-west-3' } });
    const pipeline = new pipelines.CodePipeline(tooling, 'Pipeline', {
      crossAccountKeys: true,
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection('example/data-platform', 'main', {
          connectionArn: 'arn:aws:codeconnections:eu-west-3:999988887777:connection/12345678-1234-1234-1234-123456789012',
        }),
        commands: ['npm ci', 'npx cdk synth'],
      }),
    });
    const sharing = SharingStages.fromFile(app, 'Sharing', SAMPLE);
    // WHEN the owner stage is added first, and the consumers as one wave
    sharing.ownerStages.forEach((stage) => pipeline.addStage(stage));
    const wave = pipeline.addWave('Consumers');
    sharing.consumerStages.forEach((stage) => wave.addStage(stage));
    app.synth();

    // THEN the pipeline has a stage for the owner, then one stage whose deployments run side by side
    const stages: Array<{ Name: string; Actions: Array<{ Name: string; RunOrder?: number }> }> =
      Object.values(Template.fromStack(tooling).findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
    const names = stages.map((s) => s.Name);
    expect(names.indexOf('Owner-123456789010-eu-west-3')).toBeGreaterThan(-1);
    expect(names.indexOf('Consumers')).toBeGreaterThan(names.indexOf('Owner-123456789010-eu-west-3'));
    const consumers = stages.find((s) => s.Name === 'Consumers')!;
    const deploys = consumers.Actions.filter((a) => a.Name.endsWith('.Deploy'));
    expect(deploys.map((a) => a.Name.split('.')[0]).sort()).toEqual([
      'Consumer-111122223333-eu-west-3', 'Consumer-444455556666-eu-west-3', 'Consumer-555566667777-eu-west-3',
    ]);
    // Deployments of one wave share a run order: CodePipeline runs them in parallel.
    expect(new Set(deploys.map((a) => a.RunOrder)).size).toBe(1);
  });
});

/**
 * cdk-nag's AwsSolutions pack over the sample app: zero unacknowledged findings. Each
 * acknowledgement sits next to its resource, with a reason.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { validationFindings } from './support/validation-report';
import { createSampleApp } from '../sample/sample-app';

function appWithNag(): App {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

describe('cdk-nag AwsSolutions', () => {
  test('the sample app has no unacknowledged finding', () => {
    const app = appWithNag();
    createSampleApp(app);
    expect(validationFindings(app)).toEqual([]);
  });

  test('the check can fail: a plain bucket without server access logs or TLS is reported', () => {
    const app = appWithNag();
    new s3.Bucket(new Stack(app, 'Careless'), 'Unlogged');
    expect(validationFindings(app)).toEqual([
      'AwsSolutions-S1 at Careless/Unlogged/Resource',
      'AwsSolutions-S10 at Careless/Unlogged/Resource',
    ]);
  });

  test('the log bucket is acknowledged for S1 with a reason, next to it', () => {
    const app = appWithNag();
    const { owner } = createSampleApp(app);
    const logBucket = owner.bucket.node.findChild('AccessLogs');
    const acknowledged = logBucket.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(acknowledged)).toMatch(/AwsSolutions-S1.*logging it into itself would loop/);
  });
});

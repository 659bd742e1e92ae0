/*
 * The AWS Storage Blog scenario, "Simplify and scale access management to shared datasets with
 * cross-account Amazon S3 Access Points", as a two-stack CDK app. Every value can be overridden
 * with CDK context, for example `npx projen sample -c consumerAccount=444455556666`.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CrossAccountAccessPoint, DelegatedBucket, S3Actions } from '../src';

/** The blog's values; each is a context key. */
export const SAMPLE_DEFAULTS = {
  ownerAccount: '123456789010',
  consumerAccount: '111122223333',
  region: 'eu-west-3',
  bucketName: 'test-bucket-1',
  prefix: 'ResearchData/',
  accessPointName: 'janes-researchdata-access-point',
  // The blog writes arn:aws:iam:111122223333:user/Jane, without the empty Region field.
  userArn: 'arn:aws:iam::111122223333:user/Jane',
};

export type SampleSettings = typeof SAMPLE_DEFAULTS;

/** Account A (marketing) owns the data and delegates reads of one folder to account B. */
export class OwnerStack extends Stack {
  public readonly bucket: DelegatedBucket;

  public constructor(scope: Construct, id: string, settings: SampleSettings, props: StackProps = {}) {
    super(scope, id, { ...props, env: { account: settings.ownerAccount, region: settings.region } });
    this.bucket = new DelegatedBucket(this, 'MarketingData', {
      bucketName: settings.bucketName,
      delegations: [{ account: settings.consumerAccount, actions: S3Actions.READ, prefixes: [settings.prefix] }],
    });
  }
}

/** Account B (product and data science) builds its own access point and lets Jane read the folder. */
export class ConsumerStack extends Stack {
  public readonly accessPoint: CrossAccountAccessPoint;

  public constructor(scope: Construct, id: string, settings: SampleSettings, bucket: DelegatedBucket, props: StackProps = {}) {
    super(scope, id, { ...props, env: { account: settings.consumerAccount, region: settings.region } });
    this.accessPoint = new CrossAccountAccessPoint(this, 'JanesAccessPoint', {
      bucket,
      accessPointName: settings.accessPointName,
    });
    // Jane is an existing IAM user of this account: the access point policy names her.
    this.accessPoint.grantRead(new iam.ArnPrincipal(settings.userArn), { prefixes: [settings.prefix] });
    this.accessPoint.addOutputs();
  }
}

/** Read the settings from context, falling back to the blog's values. */
export function sampleSettings(app: App): SampleSettings {
  const settings = { ...SAMPLE_DEFAULTS };
  for (const key of Object.keys(settings) as Array<keyof SampleSettings>) {
    const value = app.node.tryGetContext(key);
    if (value !== undefined) {
      settings[key] = String(value);
    }
  }
  // Jane belongs to the consumer account, whichever it is, unless a user is given.
  if (app.node.tryGetContext('userArn') === undefined) {
    settings.userArn = `arn:aws:iam::${settings.consumerAccount}:user/Jane`;
  }
  return settings;
}

/** Build both stacks of the sample in `app`. */
export function createSampleApp(app: App): { owner: OwnerStack; consumer: ConsumerStack; settings: SampleSettings } {
  const settings = sampleSettings(app);
  const owner = new OwnerStack(app, 'SampleOwner', settings, {
    description: `Owner account ${settings.ownerAccount}: bucket ${settings.bucketName}, delegating ${settings.prefix} to ${settings.consumerAccount}`,
  });
  const consumer = new ConsumerStack(app, 'SampleConsumer', settings, owner.bucket, {
    description: `Consumer account ${settings.consumerAccount}: access point ${settings.accessPointName} on ${settings.bucketName}`,
  });
  return { owner, consumer, settings };
}

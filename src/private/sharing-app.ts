import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CrossAccountAccessPoint } from '../cross-account-access-point';
import { DelegatedBucket } from '../delegated-bucket';
import { NetworkOrigin } from '../network-origin';
import { S3Actions } from '../s3-actions';
import { ManifestAccess, ManifestNetworkOrigin, SharingManifest, manifestDelegations } from './manifest';

/*
 * A valid sharing manifest as CDK stacks: an owner stack per dataset and a consumer stack per
 * subscribing account and Region, each with a concrete environment. A consumer stack holds at most
 * MAX_ACCESS_POINTS_PER_STACK access points; more go to further stacks (`-2`, `-3`, ...), so no
 * stack passes CloudFormation's 500 resources.
 */

/** Access points per consumer stack: each is one resource; the rest of 500 is left for metadata and growth. */
export const MAX_ACCESS_POINTS_PER_STACK = 450;

const ACTIONS: Record<ManifestAccess, S3Actions> = { 'read': S3Actions.READ, 'write': S3Actions.WRITE, 'read-write': S3Actions.READ_WRITE };
const ORIGINS: Record<ManifestNetworkOrigin, NetworkOrigin> = { VPC: NetworkOrigin.VPC, Internet: NetworkOrigin.INTERNET };

/** Where the stacks of one role, account and Region go: the app itself, or a Stage of theirs. */
export type StackPlacement = (role: 'owner' | 'consumer', account: string, region: string) => Construct;

/** The stacks made for a manifest, by role. */
export interface SharingStacks {
  readonly owners: Stack[];
  readonly consumers: Stack[];
}

/**
 * Build the stacks of a manifest that `validateManifest` accepts, in `scope` (an App or a Stage).
 */
export function buildSharingStacks(scope: Construct, manifest: SharingManifest, placement: StackPlacement = () => scope): SharingStacks {
  const subscriptions = manifest.subscriptions ?? [];
  const buckets = new Map<string, DelegatedBucket>();
  const owners = manifest.datasets.map((dataset) => {
    const stack = new Stack(placement('owner', dataset.account, dataset.region), `Owner-${dataset.name}`, {
      env: { account: dataset.account, region: dataset.region },
    });
    const own = subscriptions.filter((s) => s.dataset === dataset.name);
    const explicit = dataset.delegations !== undefined || dataset.organizationDelegations !== undefined;
    const delegations = explicit ? dataset.delegations ?? [] : manifestDelegations(dataset, own);
    const bucket = new DelegatedBucket(stack, 'Dataset', {
      bucketName: dataset.bucketName,
      encryption: dataset.encryption === 'KMS' ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: dataset.kmsKeyArn ? kms.Key.fromKeyArn(stack, 'Key', dataset.kmsKeyArn) : undefined,
      requesterPays: dataset.requesterPays,
      accessAnalyzer: dataset.accessAnalyzer,
      delegations: delegations.map((d) => ({
        account: d.account,
        actions: ACTIONS[d.access],
        prefixes: d.prefixes,
        accessPointNames: d.accessPointNames,
        networkOrigin: d.networkOrigin ? ORIGINS[d.networkOrigin] : undefined,
        objectTags: d.objectTags,
      })),
    });
    for (const o of dataset.organizationDelegations ?? []) {
      bucket.delegateToOrganization(o.organizationId, {
        actions: ACTIONS[o.access],
        organizationalUnitPaths: o.organizationalUnitPaths,
        prefixes: o.prefixes,
        networkOrigin: o.networkOrigin ? ORIGINS[o.networkOrigin] : undefined,
        objectTags: o.objectTags,
      });
    }
    buckets.set(dataset.name, bucket);
    return stack;
  });

  const consumers: Stack[] = [];
  const stacksByPlace = new Map<string, { stack: Stack; accessPoints: number }>();
  for (const subscription of subscriptions) {
    const bucket = buckets.get(subscription.dataset)!;
    const region = subscription.region ?? bucket.bucketRegion;
    const place = `${subscription.account}-${region}`;
    let current = stacksByPlace.get(place);
    if (!current || current.accessPoints >= MAX_ACCESS_POINTS_PER_STACK) {
      const part = consumers.filter((s) => s.node.id.startsWith(`Consumer-${place}`)).length + 1;
      const stack = new Stack(placement('consumer', subscription.account, region), `Consumer-${place}${part > 1 ? `-${part}` : ''}`, {
        env: { account: subscription.account, region },
      });
      consumers.push(stack);
      current = { stack, accessPoints: 0 };
      stacksByPlace.set(place, current);
    }
    current.accessPoints += 1;
    const stack = current.stack;
    const vpc = subscription.vpcId
      ? ec2.Vpc.fromVpcAttributes(stack, `${subscription.accessPointName}-vpc`, { vpcId: subscription.vpcId, availabilityZones: [`${region}a`] })
      : undefined;
    const accessPoint = new CrossAccountAccessPoint(stack, subscription.accessPointName, {
      bucket,
      accessPointName: subscription.accessPointName,
      vpc,
    });
    for (const grant of subscription.grants) {
      accessPoint.grant(new iam.ArnPrincipal(grant.principal), ACTIONS[grant.access], { prefixes: grant.prefixes, objectTags: grant.objectTags });
    }
  }
  return { owners, consumers };
}

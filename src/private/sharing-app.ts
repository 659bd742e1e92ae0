import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { CrossAccountAccessPoint } from '../cross-account-access-point';
import { DelegatedBucket } from '../delegated-bucket';
import { NetworkOrigin } from '../network-origin';
import { S3Actions } from '../s3-actions';
import { ManifestAccess, ManifestNetworkOrigin, ManifestProblem, SharingManifest, manifestDelegations, validateManifest } from './manifest';

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
  /** The manifest path each dataset's bucket and each subscription's access point come from. */
  readonly sources: Map<IConstruct, string>;
}

/**
 * Build the stacks of a manifest that `validateManifest` accepts, in `scope` (an App or a Stage).
 */
export function buildSharingStacks(scope: Construct, manifest: SharingManifest, placement: StackPlacement = () => scope): SharingStacks {
  const subscriptions = manifest.subscriptions ?? [];
  const buckets = new Map<string, DelegatedBucket>();
  const sources = new Map<IConstruct, string>();
  const owners = manifest.datasets.map((dataset, datasetIndex) => {
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
    sources.set(bucket, `datasets[${datasetIndex}]`);
    return stack;
  });

  const consumers: Stack[] = [];
  const stacksByPlace = new Map<string, { stack: Stack; accessPoints: number }>();
  for (const [subscriptionIndex, subscription] of subscriptions.entries()) {
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
    sources.set(accessPoint, `subscriptions[${subscriptionIndex}]`);
  }
  return { owners, consumers, sources };
}

/**
 * The problems that only the built stacks show, such as a bucket, key or access point policy over
 * its size limit: every construct's validation is run, as synthesis would, and each error is
 * reported at the manifest path of the dataset or subscription it comes from.
 */
export function builtProblems(scope: Construct, stacks: SharingStacks): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const construct of scope.node.findAll()) {
    const errors = construct.node.validate();
    if (errors.length === 0) {
      continue;
    }
    const source = construct.node.scopes.slice().reverse().map((c) => stacks.sources.get(c)).find((p) => p !== undefined) ?? '';
    errors.forEach((message) => problems.push({ path: source, message: source ? message : `${construct.node.path}: ${message}` }));
  }
  return problems;
}

/**
 * Every problem of a sharing manifest: those `validateManifest` finds, then, when there is none,
 * those of the stacks it makes (built in an app of their own, never synthesized).
 */
export function checkManifest(document: unknown): ManifestProblem[] {
  const problems = validateManifest(document);
  if (problems.length > 0) {
    return problems;
  }
  const app = new App();
  return builtProblems(app, buildSharingStacks(app, document as SharingManifest));
}

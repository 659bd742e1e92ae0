/**
 * A data mesh for tests: one KMS-encrypted bucket and four consumers with different boundaries.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions } from '../../src';

export const REGION = 'eu-west-3';
export const OWNER = '123456789010';
/** Read-write on Shared/. */
export const C1 = '222233334444';
/** Read on Public/, only through its access point c2-reader. */
export const C2 = '333344445555';
/** Read everything, only through VPC-origin access points. */
export const C3 = '555566667777';
/** Read-write on Curated/, only on objects tagged classification=public. */
export const C4 = '666677778888';
/** The tag the owner requires of C4's objects. */
export const PUBLIC_TAG = { classification: 'public' };
/** A tag C4 requires on its own of the objects its reviewer reads, beyond the owner's. */
export const REVIEWED_TAG = { review: 'done' };

/** Build the mesh in `app` (a new one by default). */
export function buildMesh(app = new App()) {
  const ownerStack = new Stack(app, 'MeshOwner', { env: { account: OWNER, region: REGION } });
  const bucket = new DelegatedBucket(ownerStack, 'Mesh', { bucketName: 'mesh-data-bucket', encryption: s3.BucketEncryption.KMS });
  bucket.delegateTo(C1, { actions: S3Actions.READ_WRITE, prefixes: ['Shared'] });
  bucket.delegateTo(C2, { actions: S3Actions.READ, prefixes: ['Public'], accessPointNames: ['c2-reader'] });
  bucket.delegateTo(C3, { actions: S3Actions.READ, networkOrigin: NetworkOrigin.VPC });
  bucket.delegateTo(C4, { actions: S3Actions.READ_WRITE, prefixes: ['Curated'], objectTags: PUBLIC_TAG });

  const c1 = new Stack(app, 'ConsumerOne', { env: { account: C1, region: REGION } });
  const writer = new iam.Role(c1, 'Writer', { roleName: 'Writer', assumedBy: new iam.AccountRootPrincipal() });
  new CrossAccountAccessPoint(c1, 'Writers', { bucket, accessPointName: 'c1-writer' }).grantReadWrite(writer, { prefixes: ['Shared'] });

  const c2 = new Stack(app, 'ConsumerTwo', { env: { account: C2, region: REGION } });
  const reader = new iam.User(c2, 'Reader', { userName: 'Reader' });
  new CrossAccountAccessPoint(c2, 'Readers', { bucket, accessPointName: 'c2-reader' }).grantRead(reader, { prefixes: ['Public'] });

  const c3 = new Stack(app, 'ConsumerThree', { env: { account: C3, region: REGION } });
  const analyst = new iam.Role(c3, 'Analyst', { roleName: 'Analyst', assumedBy: new iam.AccountRootPrincipal() });
  const vpc = ec2.Vpc.fromVpcAttributes(c3, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: [`${REGION}a`] });
  const c3AccessPoint = new CrossAccountAccessPoint(c3, 'Analysts', { bucket, accessPointName: 'c3-vpc', vpc });
  c3AccessPoint.grantRead(analyst);
  // The owner shares the whole bucket with C3; C3 narrows its auditor to Reports/ on its own.
  c3AccessPoint.grantRead(new iam.ArnPrincipal(`arn:aws:iam::${C3}:user/Auditor`), { prefixes: ['Reports'] });

  const c4 = new Stack(app, 'ConsumerFour', { env: { account: C4, region: REGION } });
  const curated = new iam.Role(c4, 'Curated', { roleName: 'Curated', assumedBy: new iam.AccountRootPrincipal() });
  const c4AccessPoint = new CrossAccountAccessPoint(c4, 'Tagged', { bucket, accessPointName: 'c4-tagged' });
  c4AccessPoint.grantReadWrite(curated, { prefixes: ['Curated'], objectTags: PUBLIC_TAG });
  // C4 narrows its reviewer further on its own: only objects that also carry review=done.
  const reviewer = new iam.User(c4, 'Reviewer', { userName: 'Reviewer' });
  c4AccessPoint.grantRead(reviewer, { prefixes: ['Curated'], objectTags: { ...PUBLIC_TAG, ...REVIEWED_TAG } });

  // cdk-nag IAM5 flags wildcards in identity policies; each one here is acknowledged, with its reason.
  const objectsUnder = (account: string, accessPoint: string, prefix: string) =>
    `AwsSolutions-IAM5[Resource::arn:aws:s3:${REGION}:${account}:accesspoint/${accessPoint}/object/${prefix}*]`;
  const ownersKeys = `AwsSolutions-IAM5[Resource::arn:aws:kms:${REGION}:${OWNER}:key/*]`;
  const acknowledge = (grantee: Construct, objects: string) => {
    Validations.of(grantee).acknowledge(
      { id: objects, reason: 'An access point grant covers the objects under its prefix; the owner\'s delegation bounds it.' },
      { id: ownersKeys, reason: 'The owner\'s key is in another account\'s stack, so it is named by pattern; kms:ViaService and the owner\'s key policy bound it.' },
    );
  };
  acknowledge(writer, objectsUnder(C1, 'c1-writer', 'Shared/'));
  acknowledge(reader, objectsUnder(C2, 'c2-reader', 'Public/'));
  acknowledge(analyst, objectsUnder(C3, 'c3-vpc', ''));
  acknowledge(curated, objectsUnder(C4, 'c4-tagged', 'Curated/'));
  acknowledge(reviewer, objectsUnder(C4, 'c4-tagged', 'Curated/'));

  return { app, ownerStack, bucket, c1, c2, c3, c4, writer, reader, analyst, curated, reviewer };
}

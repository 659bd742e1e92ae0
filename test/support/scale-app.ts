/**
 * Buckets shared at scale, for tests. One owner account, two SSE-KMS buckets:
 * - `scale-data-bucket`: accounts that share one boundary under Shared/ (the compact statement, and
 *   the guard against listing without a prefix), and an account that reads Shared/ from the Internet
 *   and the whole bucket from its VPC (the exact form, exempt from the guard);
 * - `scale-org-bucket`: an organizational unit of an AWS Organization reads Org/.
 * The organization has a bucket of its own because the library rejects, on one bucket, a delegation to
 * an organization that overlaps the exact account's VPC-only one unless it has the same restriction
 * (the account may belong to the organization); with a network origin, the organization's statement
 * would no longer show on its own that it keeps requests that bypass access points out.
 * Consumers: a compact account, the exact account and a member account, each with a reader role.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions } from '../../src';

export const SCALE_REGION = 'eu-west-3';
export const SCALE_OWNER = '123456789010';
export const SHARED_BUCKET = 'scale-data-bucket';
export const ORG_BUCKET = 'scale-org-bucket';
/** Accounts that read Shared/ with no other delegation: listed once, in the compact statement. */
export const COMPACT_ACCOUNTS = ['210000000001', '210000000002', '210000000003'];
/** Reads Shared/ through Internet-origin access points, and the whole bucket through VPC-origin ones. */
export const EXACT_ACCOUNT = '220000000001';
/** The organization, its root, and the organizational unit delegated Org/. */
export const ORG_ID = 'o-a1b2c3d4e5';
export const ORG_ROOT = `${ORG_ID}/r-ab12/`;
export const ORG_UNIT_PATH = `${ORG_ROOT}ou-ab12-11111111/`;
/** An account of that organizational unit, with no delegation of its own. */
export const MEMBER_ACCOUNT = '230000000001';

/** Build the owner's two stacks and the consumers' in `app` (a new one by default). */
export function buildScale(app = new App()) {
  const env = (account: string) => ({ account, region: SCALE_REGION });
  const vpcIn = (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'ConsumerVpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: [`${SCALE_REGION}a`] });
  const reader = (stack: Stack) => new iam.Role(stack, 'Reader', { roleName: 'Reader', assumedBy: new iam.AccountRootPrincipal() });

  const sharedOwner = new Stack(app, 'ScaleOwner', { env: env(SCALE_OWNER) });
  const shared = new DelegatedBucket(sharedOwner, 'Shared', { bucketName: SHARED_BUCKET, encryption: s3.BucketEncryption.KMS });
  COMPACT_ACCOUNTS.forEach((account) => shared.delegateTo(account, { actions: S3Actions.READ, prefixes: ['Shared'] }));
  // Disjoint by network origin: a Shared/ delegation of any origin would void the VPC restriction there.
  shared.delegateTo(EXACT_ACCOUNT, { actions: S3Actions.READ, prefixes: ['Shared'], networkOrigin: NetworkOrigin.INTERNET });
  shared.delegateTo(EXACT_ACCOUNT, { actions: S3Actions.READ, networkOrigin: NetworkOrigin.VPC });

  const orgOwner = new Stack(app, 'ScaleOrgOwner', { env: env(SCALE_OWNER) });
  const orgShared = new DelegatedBucket(orgOwner, 'OrgShared', { bucketName: ORG_BUCKET, encryption: s3.BucketEncryption.KMS });
  orgShared.delegateToOrganization(ORG_ID, { actions: S3Actions.READ, prefixes: ['Org'], organizationalUnitPaths: [ORG_UNIT_PATH] });

  const compactStack = new Stack(app, 'ScaleCompact', { env: env(COMPACT_ACCOUNTS[0]) });
  const compactReader = reader(compactStack);
  new CrossAccountAccessPoint(compactStack, 'Readers', { bucket: shared, accessPointName: 'compact-reader' }).grantRead(compactReader, { prefixes: ['Shared'] });

  const exactStack = new Stack(app, 'ScaleExact', { env: env(EXACT_ACCOUNT) });
  const exactReader = reader(exactStack);
  new CrossAccountAccessPoint(exactStack, 'Vpc', { bucket: shared, accessPointName: 'exact-vpc', vpc: vpcIn(exactStack) }).grantRead(exactReader);
  new CrossAccountAccessPoint(exactStack, 'Internet', { bucket: shared, accessPointName: 'exact-internet' }).grantRead(exactReader, { prefixes: ['Shared'] });

  const memberStack = new Stack(app, 'ScaleMember', { env: env(MEMBER_ACCOUNT) });
  const memberReader = reader(memberStack);
  new CrossAccountAccessPoint(memberStack, 'Readers', { bucket: orgShared, accessPointName: 'member-reader' }).grantRead(memberReader, { prefixes: ['Org'] });

  return { app, sharedOwner, shared, orgOwner, orgShared, compactStack, exactStack, memberStack, compactReader, exactReader, memberReader };
}

import { AccessScope } from './access-scope';
import { NetworkOrigin } from './network-origin';
import { S3Actions } from './s3-actions';

/**
 * The boundary a bucket owner sets for one trusted account: what that account's access points
 * may ever allow on the bucket. The account then grants its own users anything within it.
 */
export interface DelegationOptions extends AccessScope {
  /**
   * The S3 actions the account's access points may allow.
   *
   * @default S3Actions.READ
   */
  readonly actions?: S3Actions;

  /**
   * Only these access points of the account (matched with `s3:DataAccessPointArn`), instead of
   * any access point the account creates on the bucket.
   *
   * @default - any access point of the account
   */
  readonly accessPointNames?: string[];

  /**
   * Only access points of this network origin (`s3:AccessPointNetworkOrigin`). `NetworkOrigin.VPC`
   * means the data can only be reached from the account's VPCs.
   *
   * @default - access points of either network origin
   */
  readonly networkOrigin?: NetworkOrigin;
}

/**
 * A delegation to one trusted account, as given in `DelegatedBucketProps.delegations`.
 */
export interface Delegation extends DelegationOptions {
  /**
   * The 12-digit ID of the account whose access points may reach the bucket.
   */
  readonly account: string;
}

/**
 * The boundary a bucket owner sets for the principals of an AWS Organization, or of some of its
 * organizational units: what they may ever reach through access points on the bucket.
 */
export interface OrganizationDelegationOptions extends AccessScope {
  /**
   * The S3 actions that access points may allow the organization's principals.
   *
   * @default S3Actions.READ
   */
  readonly actions?: S3Actions;

  /**
   * Only principals of accounts in these organizational units (or below them), given as paths
   * such as `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`, matched with `aws:PrincipalOrgPaths`.
   *
   * @default - principals of every account of the organization
   */
  readonly organizationalUnitPaths?: string[];

  /**
   * Only access points of this network origin (`s3:AccessPointNetworkOrigin`).
   *
   * @default - access points of either network origin
   */
  readonly networkOrigin?: NetworkOrigin;
}

/**
 * A delegation to the principals of an AWS Organization, as a consumer app describes the owner's
 * boundary in `DelegatedBucketAttributes.organizationDelegations`.
 */
export interface OrganizationDelegation extends OrganizationDelegationOptions {
  /** The organization's ID, for example `o-a1b2c3d4e5`. */
  readonly organizationId: string;
}

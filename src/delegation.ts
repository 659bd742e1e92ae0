import { DelegatedActions } from './delegated-actions';

/**
 * The boundary a bucket owner sets for one trusted account: what that account's access points
 * may ever allow on the bucket. The account then grants its own users anything within it.
 */
export interface DelegationOptions {
  /**
   * The S3 actions the account's access points may allow.
   *
   * @default DelegatedActions.READ
   */
  readonly actions?: DelegatedActions;

  /**
   * Key prefixes (folders) the account may reach. `ResearchData` and `ResearchData/` both mean
   * keys under `ResearchData/`, never `ResearchData-private/`. Listing is limited to the same
   * prefixes through the `s3:prefix` condition key.
   *
   * @default - the whole bucket
   */
  readonly prefixes?: string[];

  /**
   * Only these access points of the account (matched with `s3:DataAccessPointArn`), instead of
   * any access point the account creates on the bucket.
   *
   * @default - any access point of the account
   */
  readonly accessPointNames?: string[];

  /**
   * Only access points whose network origin is a VPC (`s3:AccessPointNetworkOrigin` = `VPC`),
   * so the data can only be reached from the account's networks.
   *
   * @default false - access points with Internet or VPC network origin
   */
  readonly requireVpcOrigin?: boolean;
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

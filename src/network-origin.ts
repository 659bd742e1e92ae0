/**
 * Where requests to an access point come from (the `s3:AccessPointNetworkOrigin` condition key).
 *
 * The same concept on both sides: a consumer's access point has one (`VPC` when it is built with a
 * `vpc`), and an owner can delegate to access points of one origin only (`DelegationOptions.networkOrigin`).
 * An access point's network origin cannot change after it is created.
 */
export enum NetworkOrigin {
  /** Requests from anywhere, subject to the access point's and the bucket's policies. */
  INTERNET = 'Internet',
  /** Requests from one VPC only, through a VPC endpoint for S3. */
  VPC = 'VPC',
}

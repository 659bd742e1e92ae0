import { READ_ACTIONS, READ_WRITE_ACTIONS, WRITE_ACTIONS } from './private/s3-actions';

/**
 * A set of S3 actions, used by both sides: what an owner delegates to an account
 * (`DelegationOptions.actions`) and what a consumer grants its users (`CrossAccountAccessPoint.grant`).
 *
 * Instances are immutable: `actions` returns a copy.
 */
export class S3Actions {
  /** Read objects and their earlier versions, and list keys: `s3:GetObject`, `s3:GetObjectVersion`, `s3:ListBucket`. */
  public static readonly READ = new S3Actions(READ_ACTIONS);

  /**
   * Write objects: `s3:PutObject`, `s3:DeleteObject`, `s3:AbortMultipartUpload`.
   *
   * Deleting an object on the versioned bucket adds a delete marker; `s3:DeleteObjectVersion`,
   * which destroys data, is not included.
   */
  public static readonly WRITE = new S3Actions(WRITE_ACTIONS);

  /** `READ` and `WRITE` together. */
  public static readonly READ_WRITE = new S3Actions(READ_WRITE_ACTIONS);

  /**
   * Exactly these S3 actions, for example `S3Actions.of('s3:GetObject')` as in the AWS blog.
   *
   * Each must be an object action (such as `s3:GetObjectTagging`) or a list action
   * (`s3:ListBucket`, `s3:ListBucketVersions`, `s3:ListBucketMultipartUploads`), without wildcards.
   * They are checked where they are used.
   */
  public static of(...actions: string[]): S3Actions {
    return new S3Actions(actions);
  }

  private readonly list: readonly string[];

  private constructor(actions: readonly string[]) {
    this.list = Object.freeze([...new Set(actions)]);
    Object.freeze(this);
  }

  /** The S3 actions, in the order given (a copy: changing it changes nothing here). */
  public get actions(): string[] {
    return [...this.list];
  }
}

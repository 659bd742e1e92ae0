import * as s3 from 'aws-cdk-lib/aws-s3';

/*
 * The default encryptions a shared bucket may have, as S3 names them in requests and templates
 * (`x-amz-server-side-encryption`, `SSEAlgorithm`). The AWS-managed variants are absent: their
 * aws/s3 key cannot serve other accounts.
 */

/** The server-side encryption algorithm of each encryption a shared bucket may have. */
export const SSE_ALGORITHMS: Partial<Record<s3.BucketEncryption, string>> = {
  [s3.BucketEncryption.S3_MANAGED]: 'AES256',
  [s3.BucketEncryption.KMS]: 'aws:kms',
  [s3.BucketEncryption.DSSE]: 'aws:kms:dsse',
};

/** The encryption whose algorithm is `algorithm`, or undefined for any other value. */
export function encryptionOfAlgorithm(algorithm: unknown): s3.BucketEncryption | undefined {
  const found = Object.entries(SSE_ALGORITHMS).find(([, a]) => a === algorithm);
  return found ? found[0] as s3.BucketEncryption : undefined;
}

/**
 * Sharing manifests for the tests of the command and of the manifest's stacks.
 */

/**
 * A manifest that is right in every value, but whose policies do not fit: the bucket policy of a
 * dataset delegating to 1,500 accounts (about 1,330 fit), and the access point policy of a
 * subscription with 150 grants under distinct prefixes.
 */
export function oversized(): unknown {
  const accounts = Array.from({ length: 1_500 }, (_, i) => String(100_000_000_000 + i));
  return {
    version: 1,
    datasets: [{
      name: 'marketplace',
      account: '123456789010',
      region: 'eu-west-3',
      bucketName: 'marketplace-data-1',
      encryption: 'S3',
      delegations: accounts.map((account) => ({ account, access: 'read' })),
    }],
    subscriptions: [{
      dataset: 'marketplace',
      account: accounts[0],
      accessPointName: 'many-grants',
      grants: Array.from({ length: 150 }, (_, i) => ({
        principal: `arn:aws:iam::${accounts[0]}:role/Analyst${i}`,
        access: 'read',
        prefixes: [`Studies/Study${i}`],
      })),
    }],
  };
}

/**
 * Jest snapshot serializer: asset hashes change with every aws-cdk-lib or bundling change, so
 * snapshots show a placeholder instead and stay stable.
 */
const ASSET_HASH = /[0-9a-f]{64}/;

module.exports = {
  test: (value: unknown): boolean => typeof value === 'string' && ASSET_HASH.test(value),
  serialize: (value: string): string => JSON.stringify(value.replace(new RegExp(ASSET_HASH.source, 'g'), '[ASSET HASH]')),
};

export * from './delegated-actions';
export * from './delegation';
export * from './delegated-bucket';
export * from './cross-account-access-point';

export * from './s3-actions';
export * from './network-origin';
export * from './access-scope';
export * from './delegation';
export * from './delegated-bucket';
export * from './cross-account-access-point';
export * from './sharing-stages';
export * from './nag/cross-account-access-points-checks';

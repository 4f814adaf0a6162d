export * from './plan';
export * from './parts';

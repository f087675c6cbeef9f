/** Every table of the service; drizzle-kit generates the migrations from this module. */
export * from './catalog.ts';
export * from './checkouts.ts';
export * from './subscribers.ts';
export * from './sessions.ts';
export * from './webhooks.ts';

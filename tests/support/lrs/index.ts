/**
 * xAPI / cmi5 test kit: a real LRS (Learning Locker's statement service), an LMS stand-in that
 * launches packages and serves the State and Agent Profile resources, and the cmi5 statement rules.
 * See README.md in this folder.
 */
export * from './lrs.ts';
export * from './launch-server.ts';
export * from './cmi5-rules.ts';

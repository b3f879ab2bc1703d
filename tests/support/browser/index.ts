/**
 * Browser test kit: Chromium without network, a static server, an LMS host on scorm-again, built
 * and unpacked packages, a simulated learner and axe. See README.md in this folder.
 */
export * from './chromium.ts';
export * from './server.ts';
export * from '../unzip.ts';
export * from './packages.ts';
export * from './lms.ts';
export * from './learner.ts';
export * from './cmi.ts';
export * from './axe.ts';
export * from './reports.ts';
export * from './sample-learner.ts';
export * from './diligent-learner.ts';

/** A plain web build: the course with the local adapter (progress in the browser), no LMS. */
import type { Target } from './types.ts';

export const web: Target = {
  name: 'web',
  runtime: 'web',
  connectSrc: "'self'",
  output: 'folder',
  async extraFiles() {
    return new Map();
  },
};

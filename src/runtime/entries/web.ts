import { startPlayer } from '../player.ts';
import { createLocalAdapter } from '../adapters/local.ts';

// The web build: no LMS, the learner's progress stays in this browser.
void startPlayer(createLocalAdapter());

import { startPlayer } from '../player.ts';
import { createLocalAdapter } from '../adapters/local.ts';

void startPlayer(createLocalAdapter());

import { startPlayer } from '../player.ts';
import { createXapiAdapter } from '../adapters/xapi.ts';

void startPlayer(createXapiAdapter());

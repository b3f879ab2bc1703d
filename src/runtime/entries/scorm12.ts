import { startPlayer } from '../player.ts';
import { createScorm12Adapter } from '../adapters/scorm12.ts';

void startPlayer(createScorm12Adapter());
